import { createHash } from 'node:crypto';
import { randomToken, sha256 } from '../../platform/auth/crypto.js';
import type { S3Config } from '../../config.js';
import type { Kysely, Transaction } from 'kysely';
import {
  BOARD_ROLES,
  MOTION_TYPES,
  MAJORITY_RULES,
  VOTE_CHOICES,
  type AttendanceStatus,
  type BoardRole,
  type DB,
  type MajorityRule,
  type MotionType,
  type VoteChoice,
} from '../../db/schema.js';
import { audit, SYSTEM_ACTOR, type Actor } from '../../platform/audit.js';
import type { Principal } from '../../platform/auth/principal.js';
import { formatDate, formatDateTime } from '../../platform/dates.js';
import { AppError } from '../../platform/errors.js';
import { FieldErrors, FormError } from '../../platform/field-errors.js';
import type { Lang } from '../../platform/i18n.js';
import { buildIcs, type IcsEvent } from '../../platform/mail/ics.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { renderMail, type MailContent } from '../../platform/mail/templates.js';
import type { ClusterService } from '../clusters/service.js';
import type { MembershipService } from '../memberships/service.js';
import { addressOf, buildIcsFeed, meetingUid } from './calendar.js';
import { DocumentMissingError, DocumentStore } from './documents.js';
import { gm } from './messages.js';
import { boardPermissions, requirePermission, type BoardPermissions } from './policy.js';
import { GovernanceRepository, type SeatOnDay } from './repository.js';
import { computeQuorum, evaluate, rulesOf, versionInForce, type Ballot, type SeatAttendance, type StatuteRules } from './rules.js';
import { romeDay, romeInstant } from './time.js';

/** The part of the application's (pino) logger the board uses. */
export interface GovernanceLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface GovernanceOptions {
  baseUrl: string;
  mailFrom: string;
  dataDir: string;
  /** Meeting documents go to this bucket when set, otherwise under DATA_DIR/documents. */
  s3?: S3Config | undefined;
  /** For what an operator must act on: a stored document that does not match, bytes left behind. */
  logger: GovernanceLogger;
}

export interface MeetingInput {
  title: string;
  date: string;
  time: string;
  endTime: string;
  place: string;
  videoUrl: string;
  /** One agenda item per line (convocation only). */
  agenda?: string;
}

export interface RulesInput {
  validFrom: string;
  quorumKind: string;
  quorumFixed: string;
  majorities: Record<MotionType, string>;
  abstentions: string;
  proxiesAllowed: boolean;
  maxProxies: string;
  managerMayAdmit: boolean;
  actReference: string;
}

export interface MotionInput {
  agendaItemId: string;
  type: string;
  title: string;
  text: string;
  /** Admission motions: the applications and the class each is admitted to. */
  memberships?: { membershipId: string; memberClassId: string }[];
  /** Minutes-approval motions: the minutes approved. */
  minutesId?: string;
}

const isUuid = (v: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);
const isDay = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T12:00:00Z`)) && new Date(`${v}T12:00:00Z`).toISOString().startsWith(v);

/** A motion's outcome, as stored and as re-derived. */
export interface StoredOutcome {
  result: 'passed' | 'rejected';
  votes_for: number;
  votes_against: number;
  abstentions: number;
  voting_seats: number;
  present_seats: number;
  quorum_required: number;
  majority: MajorityRule;
  base: number;
  required_for: number;
}

/**
 * The board of each cluster: composition, statute rules, meetings, motions, votes, outcomes and
 * minutes. The only entry point other features may call.
 */
export class GovernanceService {
  readonly repo: GovernanceRepository;
  readonly documents: DocumentStore;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly clusters: ClusterService,
    private readonly memberships: MembershipService,
    private readonly mailer: Mailer,
    private readonly options: GovernanceOptions,
  ) {
    this.repo = new GovernanceRepository(db);
    this.documents = DocumentStore.fromConfig({ dataDir: options.dataDir, s3: options.s3 });
  }

  // ---------------------------------------------------------------------------------------------
  // Permissions

  async roleToday(clusterId: string, principal: Principal | null): Promise<BoardRole | null> {
    if (!principal) return null;
    return (await this.repo.holdingOf(clusterId, principal.personId, romeDay(new Date())))?.role ?? null;
  }

  async permissions(clusterId: string, principal: Principal | null): Promise<BoardPermissions> {
    return boardPermissions(principal, clusterId, await this.roleToday(clusterId, principal));
  }

  // ---------------------------------------------------------------------------------------------
  // Composition

  /** The board as it stands on a day: what is public about it, its constituencies and seats. */
  async composition(clusterId: string, day = romeDay(new Date())) {
    const [board, constituencies, seats] = await Promise.all([this.repo.board(clusterId), this.repo.constituencies(clusterId), this.repo.seatsOn(clusterId, day)]);
    return { board: board ?? null, constituencies, seats, day };
  }

  history(clusterId: string) {
    return this.repo.holdings(clusterId);
  }

  async addConstituency(clusterId: string, input: { code: string; nameIt: string; nameEn: string; maxSeats: string }, actor: Actor) {
    const errors = new FieldErrors();
    const code = input.code.trim().toLowerCase();
    if (!code) errors.add('code', 'required');
    else if (!/^[a-z0-9_]{1,40}$/.test(code)) errors.add('code', 'one_of', { values: 'a-z, 0-9, _' });
    else if (await this.repo.findConstituencyByCode(clusterId, code)) errors.add('code', 'duplicate_in_file', { row: code });
    if (!input.nameIt.trim()) errors.add('nameIt', 'required');
    if (input.nameIt.length > 200) errors.add('nameIt', 'too_long', { max: 200 });
    const max = Number(input.maxSeats);
    if (!/^\d{1,3}$/.test(input.maxSeats.trim()) || max < 1 || max > 100) errors.add('maxSeats', 'integer');
    errors.throwIfAny();
    return this.db.transaction().execute(async (trx) => {
      const existing = await this.repo.constituencies(clusterId, trx);
      const row = await trx
        .insertInto('board_constituencies')
        .values({ cluster_id: clusterId, code, name_it: input.nameIt.trim(), name_en: input.nameEn.trim() || null, max_seats: max, position: existing.length })
        .returning('id')
        .executeTakeFirstOrThrow();
      await audit(trx, actor, { action: 'governance.constituency_created', entityType: 'board_constituency', entityId: row.id, clusterId, after: { code, nameIt: input.nameIt.trim(), maxSeats: max } });
      return row.id;
    });
  }

  /** A new seat in a constituency, within the constituency's limit. */
  async addSeat(clusterId: string, input: { constituencyId: string; voting: boolean }, actor: Actor) {
    if (!isUuid(input.constituencyId)) throw new AppError('governance.not_found');
    return this.db.transaction().execute(async (trx) => {
      await this.repo.lockBoard(trx, clusterId);
      const constituency = await this.repo.findConstituency(clusterId, input.constituencyId, trx);
      if (!constituency) throw new AppError('governance.not_found');
      const { n } = await this.repo.countSeats(constituency.id, trx);
      if (Number(n) >= constituency.max_seats) throw new AppError('governance.constituency_full', { constituency: constituency.name_it, max: constituency.max_seats });
      const position = Number((await trx.selectFrom('board_seats').select((eb) => eb.fn.countAll<number>().as('n')).where('cluster_id', '=', clusterId).executeTakeFirstOrThrow()).n);
      const row = await trx
        .insertInto('board_seats')
        .values({ cluster_id: clusterId, constituency_id: constituency.id, voting: input.voting, position })
        .returning('id')
        .executeTakeFirstOrThrow();
      await audit(trx, actor, { action: 'governance.seat_created', entityType: 'board_seat', entityId: row.id, clusterId, after: { constituency: constituency.code, voting: input.voting } });
      return row.id;
    });
  }

  /**
   * Appoint a holder to a seat for a term. The person must have an account; the organisation they
   * represent must be an admitted member of the cluster or its coordinator; a seat has one holder at
   * a time and a person one seat at a time. Opens the board's pages to the person.
   */
  async appoint(
    clusterId: string,
    seatId: string,
    input: { email: string; organisationId: string; role: string; termStart: string; termEnd: string },
    actor: Actor,
  ) {
    const errors = new FieldErrors();
    const email = input.email.trim();
    if (!email) errors.add('email', 'required');
    if (!isUuid(input.organisationId)) errors.add('organisationId', 'required');
    if (!(BOARD_ROLES as readonly string[]).includes(input.role)) errors.add('role', 'one_of', { values: BOARD_ROLES.join(', ') });
    if (!isDay(input.termStart)) errors.add('termStart', 'date');
    if (!isDay(input.termEnd)) errors.add('termEnd', 'date');
    else if (isDay(input.termStart) && input.termEnd < input.termStart) errors.add('termEnd', 'end_before_start');
    errors.throwIfAny();
    if (!isUuid(seatId)) throw new AppError('governance.not_found');
    const person = await this.repo.personByEmail(email);
    if (!person) throw new AppError('governance.person_unknown');
    await this.requireMemberOrCoordinator(clusterId, input.organisationId);
    return this.db.transaction().execute(async (trx) => {
      await this.repo.lockBoard(trx, clusterId);
      const seat = await this.repo.findSeat(clusterId, seatId, trx);
      if (!seat || seat.abolished_at) throw new AppError('governance.not_found');
      const clashes = await this.repo.overlapping(trx, { clusterId, seatId, personId: person.id, start: input.termStart, end: input.termEnd });
      if (clashes.some((c) => c.seat_id === seatId)) throw new AppError('governance.terms_overlap');
      if (clashes.length > 0) throw new AppError('governance.person_has_seat');
      const row = await trx
        .insertInto('board_seat_holdings')
        .values({
          seat_id: seatId,
          cluster_id: clusterId,
          person_id: person.id,
          organisation_id: input.organisationId,
          role: input.role as BoardRole,
          term_start: input.termStart,
          term_end: input.termEnd,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await this.repo.grantBoardMember(trx, person.id, clusterId, actor.personId);
      await audit(trx, actor, {
        action: 'governance.holder_appointed',
        entityType: 'board_seat_holding',
        entityId: row.id,
        clusterId,
        organisationId: input.organisationId,
        after: { seatId, personId: person.id, role: input.role, termStart: input.termStart, termEnd: input.termEnd },
      });
      return row.id;
    });
  }

  /** A holder leaves before the end of the term (resignation, replacement). */
  async endHolding(clusterId: string, holdingId: string, input: { endedOn: string; reason: string }, actor: Actor) {
    if (!isUuid(holdingId)) throw new AppError('governance.not_found');
    const errors = new FieldErrors();
    if (!isDay(input.endedOn)) errors.add('endedOn', 'date');
    if (!input.reason.trim()) errors.add('reason', 'required');
    if (input.reason.length > 2000) errors.add('reason', 'too_long', { max: 2000 });
    errors.throwIfAny();
    await this.db.transaction().execute(async (trx) => {
      await this.repo.lockBoard(trx, clusterId);
      const holding = await this.repo.findHolding(clusterId, holdingId, trx);
      if (!holding) throw new AppError('governance.not_found');
      if (input.endedOn < holding.term_start || input.endedOn > (holding.ended_on ?? holding.term_end)) {
        throw new AppError('request.invalid', {}, [{ in: 'body', field: 'endedOn', message: `${holding.term_start} – ${holding.ended_on ?? holding.term_end}` }]);
      }
      await trx.updateTable('board_seat_holdings').set({ ended_on: input.endedOn, end_reason: input.reason.trim() }).where('id', '=', holding.id).execute();
      if (!(await this.repo.holdsFrom(clusterId, holding.person_id, romeDay(new Date()), trx))) {
        await this.repo.revokeBoardMember(trx, holding.person_id, clusterId);
      }
      await audit(trx, actor, {
        action: 'governance.holder_ended',
        entityType: 'board_seat_holding',
        entityId: holding.id,
        clusterId,
        organisationId: holding.organisation_id,
        before: { termEnd: holding.term_end, endedOn: holding.ended_on },
        after: { endedOn: input.endedOn, reason: input.reason.trim() },
      });
    });
  }

  private async requireMemberOrCoordinator(clusterId: string, organisationId: string): Promise<void> {
    const status = await this.memberships.statusIn(clusterId, organisationId);
    if (status === 'admitted') return;
    if (status === 'suspended') throw new AppError('governance.holder_suspended');
    const { organisations } = await this.clusters.getById(clusterId);
    if (organisations.some((o) => o.organisation_id === organisationId && o.role === 'coordinator')) return;
    throw new AppError('governance.holder_not_member');
  }

  // ---------------------------------------------------------------------------------------------
  // Statute rules

  ruleVersions(clusterId: string) {
    return this.repo.ruleVersions(clusterId);
  }

  async rulesOn(clusterId: string, day: string, conn: Kysely<DB> | Transaction<DB> = this.db) {
    const version = versionInForce(await this.repo.ruleVersions(clusterId, conn), day);
    return version ? { version, rules: rulesOf(version) } : null;
  }

  /** Whether the board (and not the manager) decides admissions today, per the rules in force. */
  /** Whether the person holds a seat of the cluster's board today or later (the access check asks). */
  holdsSeatFrom(personId: string, clusterId: string): Promise<boolean> {
    return this.repo.holdsFrom(clusterId, personId, romeDay(new Date()));
  }

  async boardDecidesAdmissions(clusterId: string): Promise<boolean> {
    const inForce = await this.rulesOn(clusterId, romeDay(new Date()));
    return !!inForce && !inForce.version.manager_may_admit;
  }

  /** A new dated version of the statute rules; versions are never edited. */
  async addRuleVersion(clusterId: string, input: RulesInput, actor: Actor) {
    const errors = new FieldErrors();
    if (!isDay(input.validFrom)) errors.add('validFrom', 'date');
    const quorumKind = input.quorumKind === 'fixed' ? 'fixed' : input.quorumKind === 'majority_of_voting_seats' ? 'majority_of_voting_seats' : null;
    if (!quorumKind) errors.add('quorumKind', 'one_of', { values: 'majority_of_voting_seats, fixed' });
    let quorumFixed: number | null = null;
    if (quorumKind === 'fixed') {
      quorumFixed = Number(input.quorumFixed);
      if (!/^\d{1,3}$/.test(input.quorumFixed.trim()) || quorumFixed < 1 || quorumFixed > 100) errors.add('quorumFixed', 'integer');
    }
    const majorities = {} as Record<MotionType, MajorityRule>;
    for (const type of MOTION_TYPES) {
      const value = input.majorities[type];
      if (!(MAJORITY_RULES as readonly string[]).includes(value)) errors.add(`majority.${type}`, 'one_of', { values: MAJORITY_RULES.join(', ') });
      else majorities[type] = value as MajorityRule;
    }
    if (input.abstentions !== 'excluded' && input.abstentions !== 'counted') errors.add('abstentions', 'one_of', { values: 'excluded, counted' });
    let maxProxies = 0;
    if (input.proxiesAllowed) {
      maxProxies = Number(input.maxProxies);
      if (!/^\d{1,2}$/.test(input.maxProxies.trim()) || maxProxies < 1 || maxProxies > 20) errors.add('maxProxies', 'integer');
    }
    if (input.actReference.length > 300) errors.add('actReference', 'too_long', { max: 300 });
    errors.throwIfAny();
    return this.db.transaction().execute(async (trx) => {
      await this.repo.lockBoard(trx, clusterId);
      const last = await this.repo.lastDecisionDay(clusterId, trx);
      if (last && input.validFrom <= last) throw new AppError('governance.rules_retroactive', { date: last });
      if ((await this.repo.ruleVersions(clusterId, trx)).some((v) => v.valid_from === input.validFrom)) throw new AppError('governance.rules_exist', { date: input.validFrom });
      const values = {
        cluster_id: clusterId,
        valid_from: input.validFrom,
        quorum_kind: quorumKind! as 'majority_of_voting_seats' | 'fixed',
        quorum_fixed: quorumFixed,
        majority_ordinary: majorities.ordinary,
        majority_admission: majorities.admission,
        majority_minutes: majorities.minutes_approval,
        majority_budget: majorities.budget,
        majority_statute: majorities.statute,
        abstentions: input.abstentions as 'excluded' | 'counted',
        proxies_allowed: input.proxiesAllowed,
        max_proxies_per_holder: maxProxies,
        manager_may_admit: input.managerMayAdmit,
        act_reference: input.actReference.trim() || null,
        created_by: actor.personId,
      };
      const row = await trx.insertInto('statute_rule_versions').values(values).returning('id').executeTakeFirstOrThrow();
      await audit(trx, actor, { action: 'governance.rules_versioned', entityType: 'statute_rule_version', entityId: row.id, clusterId, after: values });
      return row.id;
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Meetings

  meetings(clusterId: string) {
    return this.repo.meetings(clusterId);
  }

  async meeting(clusterId: string, meetingId: string) {
    if (!isUuid(meetingId)) throw new AppError('governance.not_found');
    const meeting = await this.repo.findMeeting(meetingId);
    if (!meeting || meeting.cluster_id !== clusterId) throw new AppError('governance.not_found');
    return meeting;
  }

  private validateMeeting(input: MeetingInput, errors: FieldErrors) {
    const title = input.title.trim();
    if (!title) errors.add('title', 'required');
    else if (title.length > 200) errors.add('title', 'too_long', { max: 200 });
    if (!isDay(input.date)) errors.add('date', 'date');
    if (!/^\d{2}:\d{2}$/.test(input.time)) errors.add('time', 'time');
    if (!/^\d{2}:\d{2}$/.test(input.endTime)) errors.add('endTime', 'time');
    const startsAt = errors.has('date') || errors.has('time') ? null : romeInstant(input.date, input.time);
    if (!errors.has('date') && !errors.has('time') && !startsAt) errors.add('time', 'time');
    const endsAt = startsAt && !errors.has('endTime') ? romeInstant(input.date, input.endTime) : null;
    if (startsAt && endsAt && endsAt <= startsAt) errors.add('endTime', 'end_before_start');
    const place = input.place.trim();
    const videoUrl = input.videoUrl.trim();
    if (place.length > 300) errors.add('place', 'too_long', { max: 300 });
    if (videoUrl && (!/^https?:\/\/[^\s]+$/.test(videoUrl) || videoUrl.length > 500)) errors.add('videoUrl', 'url');
    if (!place && !videoUrl) errors.add('place', 'place_or_link');
    return { title, startsAt, endsAt, place: place || null, videoUrl: videoUrl || null };
  }

  /**
   * Convene a meeting: date and time in Europe/Rome (never in the past), place or video link, the
   * agenda. Every holder in office on the day gets the convocation with an iCalendar invitation.
   */
  async convene(clusterId: string, input: MeetingInput, actor: Actor) {
    const errors = new FieldErrors();
    const v = this.validateMeeting(input, errors);
    const agenda = (input.agenda ?? '')
      .split(/\r?\n/)
      .map((l) => l.replace(/^\s*(\d+[.)]|[-*•])\s*/, '').trim())
      .filter(Boolean);
    if (agenda.length === 0) errors.add('agenda', 'required');
    if (agenda.length > 50 || agenda.some((a) => a.length > 300)) errors.add('agenda', 'too_long', { max: 300 });
    errors.throwIfAny();
    if (v.startsAt!.getTime() <= Date.now()) throw new AppError('governance.convocation_in_past');
    const meetingId = await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('board_meetings')
        .values({ cluster_id: clusterId, title: v.title, starts_at: v.startsAt!, ends_at: v.endsAt!, place: v.place, video_url: v.videoUrl, status: 'convened', convened_by: actor.personId })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('board_agenda_items')
        .values(agenda.map((title, i) => ({ meeting_id: row.id, position: i + 1, title })))
        .execute();
      await audit(trx, actor, {
        action: 'governance.meeting_convened',
        entityType: 'board_meeting',
        entityId: row.id,
        clusterId,
        after: { title: v.title, startsAt: v.startsAt, endsAt: v.endsAt, place: v.place, videoUrl: v.videoUrl, agenda },
      });
      return row.id;
    });
    await this.sendInvitations(meetingId, 'convened');
    return meetingId;
  }

  /** Move a meeting or change where it is held; the invitees get the update. */
  async reschedule(clusterId: string, meetingId: string, input: MeetingInput, actor: Actor) {
    const errors = new FieldErrors();
    const v = this.validateMeeting(input, errors);
    errors.throwIfAny();
    if (v.startsAt!.getTime() <= Date.now()) throw new AppError('governance.convocation_in_past');
    await this.db.transaction().execute(async (trx) => {
      const before = await this.lockOpenMeeting(trx, clusterId, meetingId);
      await trx
        .updateTable('board_meetings')
        .set({ title: v.title, starts_at: v.startsAt!, ends_at: v.endsAt!, place: v.place, video_url: v.videoUrl, sequence: before.sequence + 1, updated_at: new Date() })
        .where('id', '=', meetingId)
        .execute();
      await audit(trx, actor, {
        action: 'governance.meeting_updated',
        entityType: 'board_meeting',
        entityId: meetingId,
        clusterId,
        before: { title: before.title, startsAt: before.starts_at, endsAt: before.ends_at, place: before.place, videoUrl: before.video_url },
        after: { title: v.title, startsAt: v.startsAt, endsAt: v.endsAt, place: v.place, videoUrl: v.videoUrl },
      });
    });
    await this.sendInvitations(meetingId, 'updated');
  }

  async cancel(clusterId: string, meetingId: string, actor: Actor) {
    await this.db.transaction().execute(async (trx) => {
      const before = await this.lockOpenMeeting(trx, clusterId, meetingId);
      const motions = await this.repo.motions(meetingId, trx);
      if (motions.some((m) => m.status === 'decided' || m.status === 'voting')) throw new AppError('governance.motions_open');
      await trx.updateTable('board_meetings').set({ status: 'cancelled', sequence: before.sequence + 1, updated_at: new Date() }).where('id', '=', meetingId).execute();
      await audit(trx, actor, { action: 'governance.meeting_cancelled', entityType: 'board_meeting', entityId: meetingId, clusterId, before: { status: before.status }, after: { status: 'cancelled' } });
    });
    await this.sendInvitations(meetingId, 'cancelled');
  }

  /** Close a meeting once no motion is still being voted on. */
  async closeMeeting(clusterId: string, meetingId: string, actor: Actor) {
    await this.db.transaction().execute(async (trx) => {
      const before = await this.lockOpenMeeting(trx, clusterId, meetingId);
      const motions = await this.repo.motions(meetingId, trx);
      if (motions.some((m) => m.status === 'voting' || m.status === 'draft')) throw new AppError('governance.motions_open');
      await trx.updateTable('board_meetings').set({ status: 'closed', closed_at: new Date(), updated_at: new Date() }).where('id', '=', meetingId).execute();
      await audit(trx, actor, { action: 'governance.meeting_closed', entityType: 'board_meeting', entityId: meetingId, clusterId, before: { status: before.status }, after: { status: 'closed' } });
    });
  }

  private async lockOpenMeeting(trx: Transaction<DB>, clusterId: string, meetingId: string) {
    if (!isUuid(meetingId)) throw new AppError('governance.not_found');
    const meeting = await this.repo.lockMeeting(trx, meetingId);
    if (!meeting || meeting.cluster_id !== clusterId) throw new AppError('governance.not_found');
    if (meeting.status !== 'convened') throw new AppError('governance.meeting_closed');
    return meeting;
  }

  async addAgendaItem(clusterId: string, meetingId: string, input: { title: string; description: string }, actor: Actor) {
    const errors = new FieldErrors();
    const title = input.title.trim();
    if (!title) errors.add('title', 'required');
    else if (title.length > 300) errors.add('title', 'too_long', { max: 300 });
    if (input.description.length > 4000) errors.add('description', 'too_long', { max: 4000 });
    errors.throwIfAny();
    await this.db.transaction().execute(async (trx) => {
      const meeting = await this.lockOpenMeeting(trx, clusterId, meetingId);
      const items = await this.repo.agenda(meetingId, trx);
      const row = await trx
        .insertInto('board_agenda_items')
        .values({ meeting_id: meetingId, position: items.length + 1, title, description: input.description.trim() || null })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx.updateTable('board_meetings').set({ sequence: meeting.sequence + 1, updated_at: new Date() }).where('id', '=', meetingId).execute();
      await audit(trx, actor, { action: 'governance.agenda_item_added', entityType: 'board_agenda_item', entityId: row.id, clusterId, after: { meetingId, position: items.length + 1, title } });
    });
    await this.sendInvitations(meetingId, 'updated');
  }

  /** Attach a PDF to a meeting: size-limited and checked by content; nothing is kept otherwise. */
  async addDocument(clusterId: string, meetingId: string, input: { filename: string; data: Buffer; truncated: boolean; agendaItemId?: string | undefined }, actor: Actor) {
    await DocumentStore.check(input.data, input.truncated);
    const meeting = await this.meeting(clusterId, meetingId);
    if (meeting.status !== 'convened') throw new AppError('governance.meeting_closed');
    const filename = (input.filename.split(/[\\/]/).pop() ?? '').replace(/[\x00-\x1f"]/g, '').slice(0, 200) || 'documento.pdf';
    const stored = await this.documents.put(meetingId, input.data);
    try {
      return await this.db.transaction().execute(async (trx) => {
        await this.lockOpenMeeting(trx, clusterId, meetingId);
        const agendaItemId = input.agendaItemId && isUuid(input.agendaItemId) && (await this.repo.agenda(meetingId, trx)).some((a) => a.id === input.agendaItemId) ? input.agendaItemId : null;
        const row = await trx
          .insertInto('board_documents')
          .values({ meeting_id: meetingId, agenda_item_id: agendaItemId, filename, storage_key: stored.key, mime: 'application/pdf', size_bytes: input.data.length, sha256: stored.sha256, uploaded_by: actor.personId })
          .returning('id')
          .executeTakeFirstOrThrow();
        await audit(trx, actor, { action: 'governance.document_added', entityType: 'board_document', entityId: row.id, clusterId, after: { meetingId, filename, bytes: input.data.length, sha256: stored.sha256 } });
        return row.id;
      });
    } catch (error) {
      // Nothing is kept of a refused document: the bytes go with the row that was not written. If
      // they cannot be removed either, no row points to them any more: tell the operator which key.
      await this.documents.remove(stored.key).catch((cleanupError: unknown) => {
        this.options.logger.warn(
          { err: cleanupError, storageKey: stored.key, storage: this.documents.storage.kind, meetingId, cause: error instanceof Error ? error.message : String(error) },
          'meeting document left in storage after a failed upload: no row refers to it, remove it by hand',
        );
      });
      throw error;
    }
  }

  async document(clusterId: string, meetingId: string, documentId: string) {
    await this.meeting(clusterId, meetingId);
    if (!isUuid(documentId)) throw new AppError('governance.not_found');
    const doc = await this.repo.findDocument(meetingId, documentId);
    if (!doc) throw new AppError('governance.not_found');
    let data: Buffer;
    try {
      data = await this.documents.get(doc.storage_key);
    } catch (error) {
      if (error instanceof DocumentMissingError) throw new AppError('governance.not_found');
      throw error;
    }
    // The bytes must be the ones uploaded: a document altered or damaged in storage is not served.
    const actual = createHash('sha256').update(data).digest('hex');
    if (actual !== doc.sha256) {
      this.options.logger.error(
        { documentId: doc.id, meetingId, storageKey: doc.storage_key, storage: this.documents.storage.kind, expectedSha256: doc.sha256, actualSha256: actual, expectedBytes: doc.size_bytes, bytes: data.length },
        'meeting document does not match the SHA-256 recorded at upload: not served',
      );
      throw new AppError('governance.document_corrupt');
    }
    return { doc, data };
  }

  /** The seats of the meeting's day that have a holder, with their attendance. */
  private async seatsAt(meeting: { id: string; cluster_id: string; starts_at: Date }, conn: Kysely<DB> | Transaction<DB> = this.db) {
    const day = romeDay(meeting.starts_at);
    const [seats, attendance] = await Promise.all([this.repo.seatsOn(meeting.cluster_id, day, conn), this.repo.attendance(meeting.id, conn)]);
    const byseat = new Map(attendance.map((a) => [a.seat_id, a]));
    return seats
      .filter((s) => s.holding_id)
      .map((s) => {
        const a = byseat.get(s.seat_id);
        const current = a && a.holding_id === s.holding_id ? a : undefined;
        return { seat: s, attendance: current ?? null };
      });
  }

  private snapshot(seats: { seat: SeatOnDay; attendance: { status: AttendanceStatus; proxy_seat_id: string | null } | null }[]): SeatAttendance[] {
    return seats.map(({ seat, attendance }) => ({
      seatId: seat.seat_id,
      voting: seat.voting,
      status: attendance?.status ?? null,
      proxySeatId: attendance?.proxy_seat_id ?? null,
    }));
  }

  /** Everything the meeting page shows, with the quorum as it stands now. */
  async meetingView(clusterId: string, meetingId: string) {
    const meeting = await this.meeting(clusterId, meetingId);
    const day = romeDay(meeting.starts_at);
    const [agenda, documents, seats, motions, minutes, inForce] = await Promise.all([
      this.repo.agenda(meetingId),
      this.repo.documents(meetingId),
      this.seatsAt(meeting),
      this.repo.motions(meetingId),
      this.repo.minutesOf(meetingId),
      this.rulesOn(clusterId, day),
    ]);
    const quorum = computeQuorum(inForce?.rules ?? DEFAULT_QUORUM_RULES, this.snapshot(seats));
    return { meeting, day, agenda, documents, seats, motions, minutes, rules: inForce, quorum };
  }

  /**
   * Record attendance: present, absent, or by proxy to the holder of another seat present at the
   * meeting (if the statute in force allows proxies, within the per-holder limit).
   */
  async recordAttendance(clusterId: string, meetingId: string, entries: { seatId: string; status: string; proxySeatId?: string | undefined }[], actor: Actor) {
    await this.db.transaction().execute(async (trx) => {
      const meeting = await this.lockOpenMeeting(trx, clusterId, meetingId);
      const seats = await this.seatsAt(meeting, trx);
      const bySeat = new Map(seats.map((s) => [s.seat.seat_id, s]));
      const inForce = await this.rulesOn(clusterId, romeDay(meeting.starts_at), trx);
      // The attendance as it will stand, to check proxies against it.
      const next = new Map(seats.map((s) => [s.seat.seat_id, { status: s.attendance?.status ?? null, proxySeatId: s.attendance?.proxy_seat_id ?? null }]));
      const changes: { seatId: string; status: AttendanceStatus; proxySeatId: string | null }[] = [];
      for (const e of entries) {
        if (!e.status) continue;
        if (!bySeat.has(e.seatId)) throw new AppError('governance.not_found');
        if (!['present', 'proxy', 'absent'].includes(e.status)) throw new AppError('request.invalid');
        const status = e.status as AttendanceStatus;
        const proxySeatId = status === 'proxy' ? (e.proxySeatId ?? '') : null;
        const current = next.get(e.seatId)!;
        if (current.status === status && current.proxySeatId === proxySeatId) continue;
        next.set(e.seatId, { status, proxySeatId });
        changes.push({ seatId: e.seatId, status, proxySeatId });
      }
      const proxies = [...next.entries()].filter(([, a]) => a.status === 'proxy');
      if (proxies.length > 0) {
        if (!inForce?.rules.proxies.allowed) throw new AppError('governance.proxy_not_allowed');
        const carried = new Map<string, number>();
        for (const [seatId, a] of proxies) {
          if (!a.proxySeatId || a.proxySeatId === seatId || next.get(a.proxySeatId)?.status !== 'present') throw new AppError('governance.proxy_invalid');
          const n = (carried.get(a.proxySeatId) ?? 0) + 1;
          if (n > inForce.rules.proxies.maxPerHolder) throw new AppError('governance.proxy_limit', { max: inForce.rules.proxies.maxPerHolder });
          carried.set(a.proxySeatId, n);
        }
      }
      for (const c of changes) {
        const seat = bySeat.get(c.seatId)!.seat;
        await this.repo.upsertAttendance(trx, { meetingId, seatId: c.seatId, holdingId: seat.holding_id!, status: c.status, proxySeatId: c.proxySeatId, via: 'secretary', recordedBy: actor.personId });
        await audit(trx, actor, {
          action: 'governance.attendance_recorded',
          entityType: 'board_meeting',
          entityId: meetingId,
          clusterId,
          before: { seatId: c.seatId, status: bySeat.get(c.seatId)!.attendance?.status ?? null },
          after: { seatId: c.seatId, holder: seat.person_name, status: c.status, proxySeatId: c.proxySeatId },
        });
      }
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Motions and votes

  async addMotion(clusterId: string, meetingId: string, input: MotionInput, actor: Actor) {
    const errors = new FieldErrors();
    const type = (MOTION_TYPES as readonly string[]).includes(input.type) ? (input.type as MotionType) : null;
    if (!type) errors.add('type', 'one_of', { values: MOTION_TYPES.join(', ') });
    const title = input.title.trim();
    if (!title) errors.add('title', 'required');
    else if (title.length > 300) errors.add('title', 'too_long', { max: 300 });
    const text = input.text.trim();
    if (!text) errors.add('text', 'required');
    else if (text.length > 10_000) errors.add('text', 'too_long', { max: 10_000 });
    if (!isUuid(input.agendaItemId)) errors.add('agendaItemId', 'required');
    const memberships = type === 'admission' ? (input.memberships ?? []) : [];
    if (type === 'admission' && memberships.length === 0) errors.add('memberships', 'required');
    if (type === 'minutes_approval' && !(input.minutesId && isUuid(input.minutesId))) errors.add('minutesId', 'required');
    errors.throwIfAny();
    if (type === 'admission') {
      const pending = new Map((await this.memberships.queue(clusterId)).map((m) => [m.id, m]));
      const classes = new Set((await this.memberships.classes(clusterId)).map((c) => c.id));
      for (const m of memberships) {
        if (!pending.has(m.membershipId)) throw new AppError('governance.admission_not_pending');
        if (!classes.has(m.memberClassId)) throw new FormError([{ field: 'memberships', code: 'member_class_unknown', params: { code: m.memberClassId } }]);
      }
    }
    return this.db.transaction().execute(async (trx) => {
      await this.lockOpenMeeting(trx, clusterId, meetingId);
      if (!(await this.repo.agenda(meetingId, trx)).some((a) => a.id === input.agendaItemId)) throw new AppError('governance.not_found');
      if (type === 'admission') {
        if ((await this.repo.membershipsInOpenMotions(memberships.map((m) => m.membershipId), trx)).length > 0) throw new AppError('governance.admission_not_pending');
      }
      if (type === 'minutes_approval') {
        const minutes = await this.repo.findMinutes(input.minutesId!, trx);
        const of = minutes ? await this.repo.findMeeting(minutes.meeting_id, trx) : undefined;
        if (!minutes || of?.cluster_id !== clusterId) throw new AppError('governance.not_found');
        if (minutes.status === 'approved') throw new AppError('governance.minutes_approved');
      }
      const row = await this.repo.insertMotion(trx, { meetingId, agendaItemId: input.agendaItemId, clusterId, type: type!, title, text, minutesId: type === 'minutes_approval' ? input.minutesId! : null, createdBy: actor.personId });
      if (memberships.length > 0) {
        await trx.insertInto('board_motion_memberships').values(memberships.map((m) => ({ motion_id: row.id, membership_id: m.membershipId, member_class_id: m.memberClassId }))).execute();
      }
      await audit(trx, actor, {
        action: 'governance.motion_created',
        entityType: 'board_motion',
        entityId: row.id,
        clusterId,
        after: { meetingId, type, title, text, memberships: memberships.map((m) => m.membershipId), minutesId: input.minutesId ?? null },
      });
      return row.id;
    });
  }

  async motion(clusterId: string, motionId: string) {
    if (!isUuid(motionId)) throw new AppError('governance.not_found');
    const motion = await this.repo.findMotion(motionId);
    if (!motion || motion.cluster_id !== clusterId) throw new AppError('governance.not_found');
    return motion;
  }

  /** Everything the vote page shows; `principal`'s ballots (own seat and proxies carried). */
  async motionView(clusterId: string, motionId: string, principal: Principal | null) {
    const motion = await this.motion(clusterId, motionId);
    const meeting = await this.meeting(clusterId, motion.meeting_id);
    const [seats, votes, applications, outcome, inForce, agenda] = await Promise.all([
      this.seatsAt(meeting),
      this.repo.votes(motionId),
      this.repo.motionMemberships(motionId),
      this.repo.outcome(motionId),
      this.rulesOn(clusterId, romeDay(meeting.starts_at)),
      this.repo.agenda(meeting.id),
    ]);
    const ruleVersion = outcome ? await this.repo.ruleVersion(outcome.rule_version_id) : inForce?.version;
    const ballots = principal ? this.ballotsOf(principal.personId, seats) : [];
    const quorum = computeQuorum(inForce?.rules ?? DEFAULT_QUORUM_RULES, this.snapshot(seats));
    return { motion, meeting, seats, votes, applications, outcome: outcome ?? null, ruleVersion: ruleVersion ?? null, ballots, quorum, agendaItem: agenda.find((a) => a.id === motion.agenda_item_id) ?? null };
  }

  /** The seats a person may vote for: their own voting seat, and seats whose proxy they carry. */
  private ballotsOf(personId: string, seats: { seat: SeatOnDay; attendance: { status: AttendanceStatus; proxy_seat_id: string | null } | null }[]) {
    const own = seats.find((s) => s.seat.person_id === personId);
    if (!own) return [];
    const result: { seatId: string; via: 'online' | 'proxy'; holderName: string | null; voting: boolean; blocked: 'absent' | 'not_voting' | null }[] = [];
    const ownBlocked = !own.seat.voting ? 'not_voting' : own.attendance?.status === 'absent' || own.attendance?.status === 'proxy' ? 'absent' : null;
    result.push({ seatId: own.seat.seat_id, via: 'online', holderName: own.seat.person_name, voting: own.seat.voting, blocked: ownBlocked });
    for (const s of seats) {
      if (s.attendance?.status === 'proxy' && s.attendance.proxy_seat_id === own.seat.seat_id && s.seat.voting) {
        result.push({ seatId: s.seat.seat_id, via: 'proxy', holderName: s.seat.person_name, voting: true, blocked: null });
      }
    }
    return result;
  }

  /** Open the online vote, with an optional closing time (the written procedure's window). */
  async openVoting(clusterId: string, motionId: string, input: { closesDate: string; closesTime: string }, actor: Actor) {
    let closesAt: Date | null = null;
    if (input.closesDate || input.closesTime) {
      const errors = new FieldErrors();
      if (!isDay(input.closesDate)) errors.add('closesDate', 'date');
      if (!/^\d{2}:\d{2}$/.test(input.closesTime)) errors.add('closesTime', 'time');
      errors.throwIfAny();
      closesAt = romeInstant(input.closesDate, input.closesTime);
      if (!closesAt) throw new AppError('request.invalid');
      if (closesAt.getTime() <= Date.now()) throw new AppError('request.invalid', {}, [{ in: 'body', field: 'closesTime', message: 'past' }]);
    }
    const opened = await this.db.transaction().execute(async (trx) => {
      const motion = await this.repo.lockMotion(trx, motionId, 'update');
      if (!motion || motion.cluster_id !== clusterId) throw new AppError('governance.not_found');
      const meeting = await this.lockOpenMeeting(trx, clusterId, motion.meeting_id);
      if (motion.status !== 'draft') throw new AppError('governance.motion_state', { status: motion.status });
      // An outcome needs statute rules: refuse to open a vote that could never be counted.
      const day = romeDay(meeting.starts_at);
      if (!versionInForce(await this.repo.ruleVersions(clusterId, trx), day)) throw new AppError('governance.no_rules', { date: day });
      const now = new Date();
      await trx.updateTable('board_motions').set({ status: 'voting', voting_opens_at: now, voting_closes_at: closesAt, updated_at: now }).where('id', '=', motionId).execute();
      await audit(trx, actor, { action: 'governance.voting_opened', entityType: 'board_motion', entityId: motionId, clusterId, before: { status: 'draft' }, after: { status: 'voting', opensAt: now, closesAt } });
      return { motion, meeting, opensAt: now };
    });
    // A written procedure (a vote with a window): each voting holder is told, once, by whoever
    // opened it (only one transaction moves a motion out of draft), after commit.
    if (closesAt) await this.sendVotingOpened({ ...opened, closesAt });
  }

  /** Lock a motion for a vote and check it can take one now. */
  private async lockForVote(trx: Transaction<DB>, clusterId: string, motionId: string) {
    if (!isUuid(motionId)) throw new AppError('governance.not_found');
    const motion = await this.repo.lockMotion(trx, motionId, 'share');
    if (!motion || motion.cluster_id !== clusterId) throw new AppError('governance.not_found');
    if (motion.status === 'decided' || motion.status === 'withdrawn') throw new AppError('governance.voting_closed');
    if (motion.status !== 'voting') throw new AppError('governance.voting_not_open');
    if (motion.voting_closes_at && motion.voting_closes_at.getTime() <= Date.now()) throw new AppError('governance.voting_closed');
    const meeting = await this.repo.findMeeting(motion.meeting_id, trx);
    if (!meeting || meeting.status !== 'convened') throw new AppError('governance.voting_closed');
    return { motion, meeting };
  }

  private async requireNotSuspended(trx: Transaction<DB>, clusterId: string, organisationId: string | null) {
    if (organisationId && (await this.memberships.statusIn(clusterId, organisationId, trx)) === 'suspended') throw new AppError('governance.holder_suspended');
  }

  /**
   * An online vote by a holder, for their own seat or for a seat whose proxy they carry. Each seat
   * votes once: the UNIQUE (motion, seat) constraint settles concurrent casts.
   */
  async castVote(clusterId: string, motionId: string, input: { choice: string; seatId?: string | undefined }, principal: Principal, actor: Actor) {
    if (!(VOTE_CHOICES as readonly string[]).includes(input.choice)) throw new AppError('request.invalid', {}, [{ in: 'body', field: 'choice', message: VOTE_CHOICES.join(', ') }]);
    const choice = input.choice as VoteChoice;
    return this.db.transaction().execute(async (trx) => {
      const { meeting } = await this.lockForVote(trx, clusterId, motionId);
      const seats = await this.seatsAt(meeting, trx);
      const own = seats.find((s) => s.seat.person_id === principal.personId);
      if (!own) throw new AppError('governance.not_a_holder');
      const target = !input.seatId || input.seatId === own.seat.seat_id ? own : seats.find((s) => s.seat.seat_id === input.seatId);
      if (!target) throw new AppError('governance.not_a_holder');
      const viaProxy = target !== own;
      if (viaProxy && !(target.attendance?.status === 'proxy' && target.attendance.proxy_seat_id === own.seat.seat_id)) throw new AppError('governance.not_a_holder');
      if (!target.seat.voting) throw new AppError('governance.seat_not_voting');
      await this.requireNotSuspended(trx, clusterId, target.seat.organisation_id);
      if (!viaProxy) {
        if (own.attendance?.status === 'absent' || own.attendance?.status === 'proxy') throw new AppError('governance.absent');
      } else if (own.attendance?.status !== 'present') {
        throw new AppError('governance.absent');
      }
      if (!viaProxy && !own.attendance) {
        await this.repo.markPresentOnline(trx, { meetingId: meeting.id, seatId: own.seat.seat_id, holdingId: own.seat.holding_id!, personId: principal.personId });
      }
      const voteId = await this.repo.insertVote(trx, { motionId, seatId: target.seat.seat_id, holdingId: target.seat.holding_id!, choice, via: viaProxy ? 'proxy' : 'online', castBy: principal.personId });
      if (!voteId) throw new AppError('governance.already_voted');
      await audit(trx, actor, {
        action: 'governance.vote_cast',
        entityType: 'board_vote',
        entityId: voteId,
        clusterId,
        organisationId: target.seat.organisation_id,
        after: { motionId, seatId: target.seat.seat_id, choice, via: viaProxy ? 'proxy' : 'online' },
      });
      return { voteId, seatId: target.seat.seat_id, choice };
    });
  }

  /** Votes recorded in the room by the secretary, seat by seat; all or nothing. */
  async recordVotes(clusterId: string, motionId: string, votes: { seatId: string; choice: string }[], actor: Actor) {
    const cast = votes.filter((v) => v.choice);
    if (cast.length === 0) throw new AppError('request.invalid', {}, [{ in: 'body', field: 'votes', message: '—' }]);
    await this.db.transaction().execute(async (trx) => {
      const { meeting } = await this.lockForVote(trx, clusterId, motionId);
      const seats = new Map((await this.seatsAt(meeting, trx)).map((s) => [s.seat.seat_id, s]));
      for (const v of cast) {
        if (!(VOTE_CHOICES as readonly string[]).includes(v.choice)) throw new AppError('request.invalid');
        const s = seats.get(v.seatId);
        if (!s) throw new AppError('governance.not_a_holder');
        if (!s.seat.voting) throw new AppError('governance.seat_not_voting');
        await this.requireNotSuspended(trx, clusterId, s.seat.organisation_id);
        if (!s.attendance || s.attendance.status === 'absent') throw new AppError('governance.absent');
        const voteId = await this.repo.insertVote(trx, { motionId, seatId: v.seatId, holdingId: s.seat.holding_id!, choice: v.choice as VoteChoice, via: 'secretary', castBy: actor.personId });
        if (!voteId) throw new AppError('governance.already_voted');
        await audit(trx, actor, {
          action: 'governance.vote_cast',
          entityType: 'board_vote',
          entityId: voteId,
          clusterId,
          organisationId: s.seat.organisation_id,
          after: { motionId, seatId: v.seatId, holder: s.seat.person_name, choice: v.choice, via: 'secretary' },
        });
      }
    });
  }

  /**
   * Close the vote and compute the outcome with the rules in force on the meeting's day, from the
   * votes and the attendance as they stand (kept with the outcome). Without quorum nothing changes.
   * An admission motion moves its applications to admitted or rejected in the same transaction;
   * a passed minutes-approval motion approves the minutes.
   */
  async closeVoting(clusterId: string, motionId: string, actor: Actor): Promise<StoredOutcome> {
    const settled = await this.settleVote(clusterId, motionId, actor, { mode: 'manual', now: new Date() });
    if (settled.kind !== 'decided') throw new AppError('governance.motion_state', { status: 'voting' });
    return settled.outcome;
  }

  /**
   * Close every online vote whose window has ended (the in-process job `close_voting_windows`, and
   * the meeting and vote pages before they show a motion): through the same path as a manual close,
   * with the system as the actor. A vote that ended without quorum lapses: no outcome, nothing
   * decided, the motion's applications free for a new motion. Idempotent and safe when several
   * instances run it at once: each motion is settled under its row lock, once; whoever comes second
   * finds it no longer open and leaves it. A motion that cannot be settled is reported in `failed`
   * and the others are still closed.
   */
  async closeEndedVotes(now = new Date(), scope: { clusterId?: string; meetingId?: string } = {}) {
    const result = { decided: [] as string[], lapsed: [] as string[], failed: [] as { motionId: string; error: unknown }[] };
    if ((scope.clusterId && !isUuid(scope.clusterId)) || (scope.meetingId && !isUuid(scope.meetingId))) return result;
    for (const due of await this.repo.endedVotes(now, scope)) {
      try {
        const settled = await this.settleVote(due.cluster_id, due.id, SYSTEM_ACTOR, { mode: 'window', now });
        if (settled.kind === 'decided') result.decided.push(due.id);
        else if (settled.kind === 'lapsed') result.lapsed.push(due.id);
      } catch (error) {
        result.failed.push({ motionId: due.id, error });
      }
    }
    return result;
  }

  /**
   * The one path that ends a vote. `manual`: the president, secretary or manager closes it now
   * (refused without quorum, so that the vote can go on). `window`: its online window has ended;
   * a motion already settled, or whose window has not ended, is left as it is (`skipped`), and one
   * without quorum lapses, since no vote can come any more.
   */
  private async settleVote(
    clusterId: string,
    motionId: string,
    actor: Actor,
    { mode, now }: { mode: 'manual' | 'window'; now: Date },
  ): Promise<{ kind: 'decided'; outcome: StoredOutcome } | { kind: 'lapsed' } | { kind: 'skipped' }> {
    const notifications: (() => Promise<void>)[] = [];
    const result = await this.db.transaction().execute(async (trx) => {
      if (!isUuid(motionId)) throw new AppError('governance.not_found');
      const motion = await this.repo.lockMotion(trx, motionId, 'update');
      if (!motion || motion.cluster_id !== clusterId) throw new AppError('governance.not_found');
      if (mode === 'window' && (motion.status !== 'voting' || !motion.voting_closes_at || motion.voting_closes_at > now)) return { kind: 'skipped' as const };
      if (motion.status !== 'voting') throw new AppError('governance.motion_state', { status: motion.status });
      const meeting = await this.lockOpenMeeting(trx, clusterId, motion.meeting_id);
      const day = romeDay(meeting.starts_at);
      const inForce = versionInForce(await this.repo.ruleVersions(clusterId, trx), day);
      if (!inForce) throw new AppError('governance.no_rules', { date: day });
      const rules = rulesOf(inForce);
      const attendance = this.snapshot(await this.seatsAt(meeting, trx));
      const ballots: Ballot[] = (await this.repo.votes(motionId, trx)).map((v) => ({ seatId: v.seat_id, choice: v.choice }));
      const { quorum, decision } = evaluate(motion.type, rules, attendance, ballots);
      if (!quorum.reached && mode === 'manual') throw new AppError('governance.no_quorum', { present: quorum.counted.size, required: quorum.required });
      if (!quorum.reached) {
        await trx.updateTable('board_motions').set({ status: 'lapsed', updated_at: now }).where('id', '=', motionId).execute();
        await audit(trx, actor, {
          action: 'governance.voting_lapsed',
          entityType: 'board_motion',
          entityId: motionId,
          clusterId,
          before: { status: 'voting' },
          after: { status: 'lapsed', closedAt: motion.voting_closes_at, votesCast: ballots.length, present: quorum.counted.size, quorumRequired: quorum.required, ruleVersionId: inForce.id, ruleValidFrom: inForce.valid_from },
        });
        notifications.push(() => this.sendVoteSettled({ motion, meeting, closedAt: motion.voting_closes_at!, lapsed: { present: quorum.counted.size, required: quorum.required } }));
        return { kind: 'lapsed' as const };
      }
      const stored: StoredOutcome = {
        result: decision.passed ? 'passed' : 'rejected',
        votes_for: decision.votesFor,
        votes_against: decision.votesAgainst,
        abstentions: decision.abstentions,
        voting_seats: quorum.votingSeats,
        present_seats: quorum.counted.size,
        quorum_required: quorum.required,
        majority: decision.majority,
        base: decision.base,
        required_for: decision.requiredFor,
      };
      await trx
        .insertInto('board_motion_outcomes')
        .values({ motion_id: motionId, rule_version_id: inForce.id, ...stored, attendance: JSON.stringify(attendance), decided_by: actor.personId, decided_at: now })
        .execute();
      const closedAt = motion.voting_closes_at && motion.voting_closes_at < now ? motion.voting_closes_at : now;
      await trx.updateTable('board_motions').set({ status: 'decided', updated_at: now, voting_closes_at: closedAt }).where('id', '=', motionId).execute();
      // The board hears the outcome of a written procedure (a vote that had a window), however it closed.
      if (motion.voting_closes_at) notifications.push(() => this.sendVoteSettled({ motion, meeting, closedAt, outcome: stored, ruleValidFrom: inForce.valid_from }));
      await audit(trx, actor, {
        action: 'governance.outcome_recorded',
        entityType: 'board_motion',
        entityId: motionId,
        clusterId,
        before: { status: 'voting' },
        after: { ...stored, ruleVersionId: inForce.id, ruleValidFrom: inForce.valid_from, ...(mode === 'window' ? { closedBy: 'voting_window', closedAt: motion.voting_closes_at } : {}) },
      });

      if (motion.type === 'admission') {
        const reason = `Delibera del Consiglio Direttivo / Board resolution ${formatDate(day, 'it')}: «${motion.title}» (${decision.passed ? 'approvata / passed' : 'respinta / rejected'}; ${decision.votesFor}-${decision.votesAgainst}-${decision.abstentions}) [motion ${motionId}]`;
        for (const m of await this.repo.motionMemberships(motionId, trx)) {
          if (m.status !== 'applied' && m.status !== 'under_review') continue; // withdrawn meanwhile: nothing to decide
          const moved = await this.memberships.transitionInTransaction(
            trx,
            { membershipId: m.membership_id, action: decision.passed ? 'admit' : 'reject', reason, memberClassId: m.member_class_id },
            actor,
            { clusterId },
          );
          notifications.push(moved.notify);
        }
      }
      if (motion.type === 'minutes_approval' && decision.passed && motion.minutes_id) {
        const minutes = await this.repo.lockMinutes(trx, motion.minutes_id);
        if (minutes && minutes.status === 'draft') {
          await trx.updateTable('board_minutes').set({ status: 'approved', approved_at: now, approved_by: actor.personId, approved_by_motion_id: motionId, updated_at: now }).where('id', '=', minutes.id).execute();
          await audit(trx, actor, { action: 'governance.minutes_approved', entityType: 'board_minutes', entityId: minutes.id, clusterId, before: { status: 'draft' }, after: { status: 'approved', byMotion: motionId } });
        }
      }
      return { kind: 'decided' as const, outcome: stored };
    });
    // Only after commit, and only by whoever settled the vote (a second close, a retried job or
    // another instance finds the motion no longer open): the applicants and the board hear once.
    await Promise.allSettled(notifications.map((n) => n()));
    return result;
  }

  async withdrawMotion(clusterId: string, motionId: string, actor: Actor) {
    await this.db.transaction().execute(async (trx) => {
      if (!isUuid(motionId)) throw new AppError('governance.not_found');
      const motion = await this.repo.lockMotion(trx, motionId, 'update');
      if (!motion || motion.cluster_id !== clusterId) throw new AppError('governance.not_found');
      if (motion.status !== 'draft' && motion.status !== 'voting') throw new AppError('governance.motion_state', { status: motion.status });
      await this.lockOpenMeeting(trx, clusterId, motion.meeting_id);
      await trx.updateTable('board_motions').set({ status: 'withdrawn', updated_at: new Date() }).where('id', '=', motionId).execute();
      await audit(trx, actor, { action: 'governance.motion_withdrawn', entityType: 'board_motion', entityId: motionId, clusterId, before: { status: motion.status }, after: { status: 'withdrawn' } });
    });
  }

  /**
   * Re-derive a stored outcome from the stored votes, the attendance it was computed on and the
   * rule version in force on the meeting's day. Returns the differences (none when it holds).
   */
  async rederive(clusterId: string): Promise<{ motionId: string; stored: StoredOutcome; derived: StoredOutcome; ruleVersionOk: boolean }[]> {
    const versions = await this.repo.ruleVersions(clusterId);
    const results = [];
    for (const o of await this.repo.outcomes(clusterId)) {
      const version = versionInForce(versions, romeDay(o.starts_at));
      const rules = rulesOf(versions.find((v) => v.id === o.rule_version_id)!);
      const ballots = (await this.repo.votes(o.motion_id)).map((v) => ({ seatId: v.seat_id, choice: v.choice }));
      const { quorum, decision } = evaluate(o.type, rules, o.attendance as SeatAttendance[], ballots);
      const stored: StoredOutcome = {
        result: o.result,
        votes_for: o.votes_for,
        votes_against: o.votes_against,
        abstentions: o.abstentions,
        voting_seats: o.voting_seats,
        present_seats: o.present_seats,
        quorum_required: o.quorum_required,
        majority: o.majority,
        base: o.base,
        required_for: o.required_for,
      };
      const derived: StoredOutcome = {
        result: decision.passed ? 'passed' : 'rejected',
        votes_for: decision.votesFor,
        votes_against: decision.votesAgainst,
        abstentions: decision.abstentions,
        voting_seats: quorum.votingSeats,
        present_seats: quorum.counted.size,
        quorum_required: quorum.required,
        majority: decision.majority,
        base: decision.base,
        required_for: decision.requiredFor,
      };
      results.push({ motionId: o.motion_id, stored, derived, ruleVersionOk: version?.id === o.rule_version_id });
    }
    return results;
  }

  // ---------------------------------------------------------------------------------------------
  // Minutes

  /** Draft the minutes from the meeting's data (attendance, quorum, agenda, motions, outcomes). */
  async draftMinutes(clusterId: string, meetingId: string, lang: Lang, actor: Actor) {
    const view = await this.meetingView(clusterId, meetingId);
    if (view.minutes.some((m) => m.kind === 'minutes')) return view.minutes.find((m) => m.kind === 'minutes')!.id;
    const { cluster } = await this.clusters.getById(clusterId);
    const body = composeMinutes(lang, cluster.short_name, view);
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.insertInto('board_minutes').values({ meeting_id: meetingId, kind: 'minutes', body, status: 'draft', created_by: actor.personId }).returning('id').executeTakeFirstOrThrow();
      await audit(trx, actor, { action: 'governance.minutes_drafted', entityType: 'board_minutes', entityId: row.id, clusterId, after: { meetingId, chars: body.length } });
      return row.id;
    });
  }

  private async minutesIn(clusterId: string, meetingId: string, minutesId: string) {
    await this.meeting(clusterId, meetingId);
    if (!isUuid(minutesId)) throw new AppError('governance.not_found');
    const minutes = await this.repo.findMinutes(minutesId);
    if (!minutes || minutes.meeting_id !== meetingId) throw new AppError('governance.not_found');
    return minutes;
  }

  /** Edit draft minutes; approved minutes never change (the database refuses too). */
  async editMinutes(clusterId: string, meetingId: string, minutesId: string, body: string, actor: Actor) {
    await this.minutesIn(clusterId, meetingId, minutesId);
    const errors = new FieldErrors();
    if (!body.trim()) errors.add('body', 'required');
    if (body.length > 100_000) errors.add('body', 'too_long', { max: 100_000 });
    errors.throwIfAny();
    await this.db.transaction().execute(async (trx) => {
      const minutes = await this.repo.lockMinutes(trx, minutesId);
      if (!minutes) throw new AppError('governance.not_found');
      if (minutes.status === 'approved') throw new AppError('governance.minutes_approved');
      await trx.updateTable('board_minutes').set({ body, revision: minutes.revision + 1, updated_at: new Date() }).where('id', '=', minutesId).execute();
      await audit(trx, actor, { action: 'governance.minutes_edited', entityType: 'board_minutes', entityId: minutesId, clusterId, before: { revision: minutes.revision, body: minutes.body }, after: { revision: minutes.revision + 1, body } });
    });
  }

  /** Approval recorded directly (by the board in session, entered by the manager or an officer). */
  async approveMinutes(clusterId: string, meetingId: string, minutesId: string, actor: Actor) {
    await this.minutesIn(clusterId, meetingId, minutesId);
    await this.db.transaction().execute(async (trx) => {
      const minutes = await this.repo.lockMinutes(trx, minutesId);
      if (!minutes) throw new AppError('governance.not_found');
      if (minutes.status === 'approved') throw new AppError('governance.minutes_approved');
      const now = new Date();
      await trx.updateTable('board_minutes').set({ status: 'approved', approved_at: now, approved_by: actor.personId, updated_at: now }).where('id', '=', minutesId).execute();
      await audit(trx, actor, { action: 'governance.minutes_approved', entityType: 'board_minutes', entityId: minutesId, clusterId, before: { status: 'draft' }, after: { status: 'approved', revision: minutes.revision } });
    });
  }

  /** A correction of approved minutes: a new, linked amendment with its own approval. */
  async amendMinutes(clusterId: string, meetingId: string, minutesId: string, body: string, actor: Actor) {
    const minutes = await this.minutesIn(clusterId, meetingId, minutesId);
    if (minutes.status !== 'approved') throw new AppError('request.invalid');
    const errors = new FieldErrors();
    if (!body.trim()) errors.add('amendment', 'required');
    if (body.length > 100_000) errors.add('amendment', 'too_long', { max: 100_000 });
    errors.throwIfAny();
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.insertInto('board_minutes').values({ meeting_id: meetingId, kind: 'amendment', amends_id: minutesId, body, status: 'draft', created_by: actor.personId }).returning('id').executeTakeFirstOrThrow();
      await audit(trx, actor, { action: 'governance.amendment_created', entityType: 'board_minutes', entityId: row.id, clusterId, after: { amends: minutesId, body } });
      return row.id;
    });
  }

  async publishSummary(clusterId: string, meetingId: string, text: string, actor: Actor) {
    const meeting = await this.meeting(clusterId, meetingId);
    const errors = new FieldErrors();
    if (text.length > 5000) errors.add('summary', 'too_long', { max: 5000 });
    errors.throwIfAny();
    const summary = text.trim() || null;
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('board_meetings').set({ public_summary: summary, summary_published_at: summary ? new Date() : null, updated_at: new Date() }).where('id', '=', meetingId).execute();
      await audit(trx, actor, { action: 'governance.summary_published', entityType: 'board_meeting', entityId: meetingId, clusterId, before: { summary: meeting.public_summary }, after: { summary } });
    });
  }

  /** Published summaries of meetings, for the public board page. */
  publicSummaries(clusterId: string) {
    return this.repo.publicSummaries(clusterId);
  }

  // ---------------------------------------------------------------------------------------------
  // Mail and calendar

  private meetingUrl(slug: string, meetingId: string): string {
    return `${this.options.baseUrl}/cluster/${slug}/consiglio/riunioni/${meetingId}`;
  }

  private icsEvent(
    meeting: { id: string; title: string; starts_at: Date; ends_at: Date; place: string | null; video_url: string | null; sequence: number; status: string },
    cluster: { slug: string; short_name: string },
    agenda: { position: number; title: string }[],
    lang: Lang,
  ): IcsEvent {
    const url = this.meetingUrl(cluster.slug, meeting.id);
    const description = [
      gm(lang, 'icsDescription', { cluster: cluster.short_name }),
      ...agenda.map((a) => `${a.position}. ${a.title}`),
      meeting.video_url ? `${gm(lang, 'videoUrl')}: ${meeting.video_url}` : '',
      url,
    ]
      .filter(Boolean)
      .join('\n');
    return {
      uid: meetingUid(meeting.id, this.options.baseUrl),
      start: meeting.starts_at,
      end: meeting.ends_at,
      summary: `${gm(lang, 'boardOf', { cluster: cluster.short_name })}: ${meeting.title}`,
      description,
      location: meeting.place ?? meeting.video_url ?? undefined,
      url,
      sequence: meeting.sequence,
    };
  }

  /**
   * Convocation, update or cancellation to every holder in office on the meeting's day (and the
   * cluster's managers), each in their language, with an iCalendar REQUEST or CANCEL.
   */
  private async sendInvitations(meetingId: string, kind: 'convened' | 'updated' | 'cancelled') {
    const meeting = await this.repo.findMeeting(meetingId);
    if (!meeting) return;
    const { cluster } = await this.clusters.getById(meeting.cluster_id);
    const agenda = await this.repo.agenda(meetingId);
    const holders = (await this.repo.seatsOn(meeting.cluster_id, romeDay(meeting.starts_at))).filter((s) => s.person_email);
    const managers = await this.repo.managers(meeting.cluster_id);
    const recipients = new Map<string, { email: string; name: string; lang: Lang }>();
    for (const h of holders) recipients.set(h.person_email!, { email: h.person_email!, name: h.person_name ?? '', lang: h.person_lang ?? 'it' });
    for (const m of managers) if (m.email) recipients.set(m.email, { email: m.email, name: m.display_name, lang: m.preferred_lang });
    const organizer = { email: addressOf(this.options.mailFrom), name: cluster.short_name };
    await Promise.allSettled(
      [...recipients.values()].map(async (r) => {
        const lang = r.lang;
        const when = `${formatDateTime(meeting.starts_at, lang)} – ${formatDateTime(meeting.ends_at, lang).split(/,? /).pop()}`;
        const where = [meeting.place, meeting.video_url].filter(Boolean).join(' · ');
        const event = this.icsEvent(meeting, cluster, agenda, lang);
        const ics = buildIcs({ ...event, method: kind === 'cancelled' ? 'CANCEL' : 'REQUEST', organizer, attendees: [{ email: r.email, name: r.name }] });
        const mail = renderMail(lang, {
          subject: gm(lang, `mail.${kind}.subject`, { cluster: cluster.short_name, title: meeting.title, date: formatDate(romeDay(meeting.starts_at), lang) }),
          greeting: lang === 'it' ? `Gentile ${r.name},` : `Dear ${r.name},`,
          paragraphs: [
            gm(lang, `mail.${kind}.body`, { cluster: cluster.short_name, title: meeting.title }),
            `${gm(lang, 'when')}: ${when}\n${gm(lang, 'where')}: ${where}`,
            ...(kind === 'cancelled' ? [] : [`${gm(lang, 'agenda')}:\n${agenda.map((a) => `${a.position}. ${a.title}`).join('\n')}`]),
          ],
          action: { label: gm(lang, 'mail.action'), url: this.meetingUrl(cluster.slug, meeting.id) },
          footer: gm(lang, 'mail.footer', { cluster: cluster.short_name }),
        });
        await this.mailer.send({
          to: r.email,
          ...mail,
          // A convocation that arrives after the meeting has begun helps no one.
          expiresAt: meeting.starts_at,
          attachments: [{ filename: kind === 'cancelled' ? 'annullamento.ics' : 'convocazione.ics', content: ics, contentType: `text/calendar; method=${kind === 'cancelled' ? 'CANCEL' : 'REQUEST'}; charset=UTF-8` }],
        });
      }),
    );
  }

  private motionUrl(slug: string, meetingId: string, motionId: string): string {
    return `${this.meetingUrl(slug, meetingId)}/mozioni/${motionId}`;
  }

  /** The holders in office on the meeting's day who have an address, each once (only voting seats if asked). */
  private async holdersOf(meeting: { cluster_id: string; starts_at: Date }, which: 'voting' | 'all') {
    const recipients = new Map<string, { email: string; name: string; lang: Lang }>();
    for (const s of await this.repo.seatsOn(meeting.cluster_id, romeDay(meeting.starts_at))) {
      if (!s.holding_id || !s.person_email || (which === 'voting' && !s.voting)) continue;
      recipients.set(s.person_email, { email: s.person_email, name: s.person_name ?? '', lang: s.person_lang ?? 'it' });
    }
    return [...recipients.values()];
  }

  private async mailEach(recipients: { email: string; name: string; lang: Lang }[], compose: (lang: Lang) => Omit<MailContent, 'greeting'>) {
    // A mail that cannot be sent is logged by the mailer; the others still go.
    await Promise.allSettled(
      recipients.map(async (r) => {
        const mail = renderMail(r.lang, { greeting: r.lang === 'it' ? `Gentile ${r.name},` : `Dear ${r.name},`, ...compose(r.lang) });
        await this.mailer.send({ to: r.email, ...mail });
      }),
    );
  }

  /** The written procedure is open: each voting holder gets the motion, the window and the link to vote. */
  private async sendVotingOpened(input: { motion: { id: string; title: string; text: string; type: MotionType }; meeting: { id: string; cluster_id: string; starts_at: Date; title: string }; opensAt: Date; closesAt: Date }) {
    const { motion, meeting, opensAt, closesAt } = input;
    const { cluster } = await this.clusters.getById(meeting.cluster_id);
    await this.mailEach(await this.holdersOf(meeting, 'voting'), (lang) => ({
      subject: gm(lang, 'mail.votingOpened.subject', { cluster: cluster.short_name, title: motion.title }),
      paragraphs: [
        gm(lang, 'mail.votingOpened.body', { cluster: cluster.short_name, title: motion.title, type: gm(lang, `type.${motion.type}`), meeting: meeting.title }),
        gm(lang, 'mail.votingOpened.window', { from: formatDateTime(opensAt, lang), to: formatDateTime(closesAt, lang) }),
        `${gm(lang, 'motionText')}:\n${motion.text}`,
      ],
      action: { label: gm(lang, 'mail.votingOpened.action'), url: this.motionUrl(cluster.slug, meeting.id, motion.id) },
      footer: gm(lang, 'mail.votingOpened.footer', { cluster: cluster.short_name }),
    }));
  }

  /** A written procedure ended (decided, or lapsed without quorum): every holder gets the outcome. */
  private async sendVoteSettled(input: {
    motion: { id: string; title: string; type: MotionType };
    meeting: { id: string; cluster_id: string; starts_at: Date };
    closedAt: Date;
    outcome?: StoredOutcome;
    ruleValidFrom?: string;
    lapsed?: { present: number; required: number };
  }) {
    const { motion, meeting, closedAt, outcome, lapsed } = input;
    const { cluster } = await this.clusters.getById(meeting.cluster_id);
    await this.mailEach(await this.holdersOf(meeting, 'all'), (lang) => {
      const at = formatDateTime(closedAt, lang);
      const paragraphs = outcome
        ? [
            gm(lang, 'mail.voteDecided.body', { cluster: cluster.short_name, title: motion.title, at }),
            gm(lang, 'outcomeLine', { result: gm(lang, `result.${outcome.result}`), for: outcome.votes_for, against: outcome.votes_against, abstain: outcome.abstentions }),
            gm(lang, 'outcomeRule', {
              majority: gm(lang, `majority.${outcome.majority}`),
              base: outcome.base,
              required: outcome.required_for,
              present: outcome.present_seats,
              voting: outcome.voting_seats,
              required_q: outcome.quorum_required,
              validFrom: input.ruleValidFrom ? formatDate(input.ruleValidFrom, lang) : '—',
            }),
            ...(motion.type === 'admission' ? [gm(lang, 'outcomeAdmission')] : []),
          ]
        : [
            gm(lang, 'mail.voteLapsed.body', { cluster: cluster.short_name, title: motion.title, at, present: lapsed?.present ?? 0, required: lapsed?.required ?? 0 }),
            ...(motion.type === 'admission' ? [gm(lang, 'lapsedAdmission')] : []),
          ];
      return {
        subject: outcome
          ? gm(lang, 'mail.voteDecided.subject', { cluster: cluster.short_name, title: motion.title, result: gm(lang, `result.${outcome.result}`) })
          : gm(lang, 'mail.voteLapsed.subject', { cluster: cluster.short_name, title: motion.title }),
        paragraphs,
        action: { label: gm(lang, 'mail.voteSettled.action'), url: this.motionUrl(cluster.slug, meeting.id, motion.id) },
        footer: gm(lang, 'mail.voteSettled.footer', { cluster: cluster.short_name }),
      };
    });
  }

  /** A new private feed link for the person (the previous one stops working). Returns the token. */
  async createFeedToken(personId: string, actor: Actor): Promise<string> {
    const token = randomToken();
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('calendar_feed_tokens').set({ revoked_at: new Date() }).where('person_id', '=', personId).where('revoked_at', 'is', null).execute();
      await trx.insertInto('calendar_feed_tokens').values({ person_id: personId, token_hash: sha256(token) }).execute();
      await audit(trx, actor, { action: 'governance.calendar_token_created', entityType: 'person', entityId: personId });
    });
    return token;
  }

  async revokeFeedToken(personId: string, actor: Actor): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const result = await trx.updateTable('calendar_feed_tokens').set({ revoked_at: new Date() }).where('person_id', '=', personId).where('revoked_at', 'is', null).executeTakeFirst();
      if (Number(result.numUpdatedRows) > 0) await audit(trx, actor, { action: 'governance.calendar_token_revoked', entityType: 'person', entityId: personId });
    });
  }

  activeFeedToken(personId: string) {
    return this.repo.activeFeedToken(personId);
  }

  /** The person's calendar feed, by the token of the private link. */
  async feed(token: string): Promise<string> {
    const row = token.length >= 20 && token.length <= 100 ? await this.repo.findFeedToken(sha256(token)) : undefined;
    if (!row || row.revoked_at || row.deleted_at) throw new AppError('governance.calendar_token_invalid');
    await this.db.updateTable('calendar_feed_tokens').set({ last_used_at: new Date() }).where('id', '=', row.id).execute();
    const since = new Date(Date.now() - 180 * 24 * 3600 * 1000);
    const meetings = await this.repo.feedMeetings(row.person_id, since);
    const events: IcsEvent[] = [];
    for (const m of meetings) {
      const agenda = await this.repo.agenda(m.id);
      const event = this.icsEvent(m, { slug: m.slug, short_name: m.short_name }, agenda, 'it');
      events.push(m.status === 'cancelled' ? { ...event, summary: `[ANNULLATA] ${event.summary}` } : event);
    }
    return buildIcsFeed(`Clusterhub – ${gm('it', 'feedName')}`, events);
  }
}

/** Used only to show a provisional quorum when no statute rules are recorded yet. */
const DEFAULT_QUORUM_RULES: StatuteRules = {
  quorum: { kind: 'majority_of_voting_seats' },
  majorities: { ordinary: 'simple', admission: 'simple', minutes_approval: 'simple', budget: 'simple', statute: 'simple' },
  abstentions: 'excluded',
  proxies: { allowed: false, maxPerHolder: 0 },
};

type MeetingView = Awaited<ReturnType<GovernanceService['meetingView']>>;

/** The first draft of the minutes, in the language of whoever drafts them. */
export function composeMinutes(lang: Lang, clusterName: string, view: MeetingView): string {
  const { meeting, seats, agenda, motions, quorum } = view;
  const lines: string[] = [];
  lines.push(gm(lang, 'minutesHeading', { cluster: clusterName }));
  lines.push('');
  lines.push(`${meeting.title}`);
  lines.push(`${gm(lang, 'when')}: ${formatDateTime(meeting.starts_at, lang)}`);
  lines.push(`${gm(lang, 'where')}: ${[meeting.place, meeting.video_url].filter(Boolean).join(' · ')}`);
  lines.push('');
  lines.push(`${gm(lang, 'attendance')}:`);
  const name = (seatId: string | null) => seats.find((s) => s.seat.seat_id === seatId)?.seat.person_name ?? '—';
  for (const { seat, attendance } of seats) {
    const status = attendance?.status ?? null;
    const what = status === 'proxy' ? gm(lang, 'attendance.proxyTo', { name: name(attendance!.proxy_seat_id) }) : status ? gm(lang, `attendance.${status}`) : gm(lang, 'attendance.unknown');
    lines.push(`- ${seat.person_name} (${seat.organisation_name}; ${gm(lang, `role.${seat.role!}`)}${seat.voting ? '' : `; ${gm(lang, 'nonVoting')}`}): ${what}`);
  }
  lines.push('');
  lines.push(gm(lang, 'quorumLine', { present: quorum.counted.size, voting: quorum.votingSeats, required: quorum.required, state: quorum.reached ? gm(lang, 'quorumReached') : gm(lang, 'quorumNotReached') }));
  lines.push('');
  lines.push(`${gm(lang, 'agenda')}:`);
  for (const item of agenda) {
    lines.push(`${item.position}. ${item.title}`);
    for (const m of motions.filter((x) => x.agenda_item_id === item.id)) {
      lines.push(`   ${gm(lang, 'motion')} «${m.title}» (${gm(lang, `type.${m.type}`)}): ${m.status === 'decided' ? gm(lang, `result.${m.result!}`) : gm(lang, `motionStatus.${m.status}`)}`);
      if (m.status === 'decided') {
        lines.push(`   ${gm(lang, 'countsLine', { for: m.votes_for ?? 0, against: m.votes_against ?? 0, abstain: m.abstentions ?? 0, majority: gm(lang, `majority.${m.majority!}`), required: m.required_for ?? 0 })}`);
      }
    }
  }
  lines.push('');
  lines.push(gm(lang, 'minutesClosing'));
  return lines.join('\n');
}
