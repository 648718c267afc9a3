import type { Kysely } from 'kysely';
import type { CollaborationStatus, DB } from '../../db/schema.js';
import { audit, type Actor } from '../../platform/audit.js';
import { administersOrganisation, isRegionAdmin, managesCluster, type Principal } from '../../platform/auth/principal.js';
import { AppError } from '../../platform/errors.js';
import { FieldErrors } from '../../platform/field-errors.js';
import type { Lang } from '../../platform/i18n.js';
import { weekStart } from '../../platform/jobs.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { renderMail } from '../../platform/mail/templates.js';
import type { MatchingService } from '../matching/service.js';
import { itemTitle } from '../offers/presenter.js';
import type { Viewer } from '../offers/repository.js';
import { isActive, type OfferService } from '../offers/service.js';
import { clm } from './messages.js';
import { CollaborationRepository } from './repository.js';

export const MESSAGE_MAX = 4000;

/** The pipeline: forward one or more steps, or close (won from a project, lost from anywhere). */
const NEXT: Record<CollaborationStatus, CollaborationStatus[]> = {
  exploring: ['agreement', 'project', 'closed_lost'],
  agreement: ['project', 'closed_lost'],
  project: ['closed_won', 'closed_lost'],
  closed_won: [],
  closed_lost: [],
};

export function canMove(from: CollaborationStatus, to: CollaborationStatus): boolean {
  return NEXT[from].includes(to);
}

export function allowedNext(from: CollaborationStatus): CollaborationStatus[] {
  return NEXT[from];
}

/** Expressions of interest, introductions, collaborations and their pipeline; the weekly digest. */
export class CollaborationService {
  readonly repo: CollaborationRepository;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly offers: OfferService,
    private readonly matching: MatchingService,
    private readonly clustersOfOrganisation: (organisationId: string) => Promise<string[]>,
    private readonly mailer: Mailer,
    private readonly baseUrl: string,
  ) {
    this.repo = new CollaborationRepository(db);
  }

  /**
   * An organisation tells the owner of an offer or a need that it is interested. Checks, in order:
   * the sender administers the organisation, sees the item, the item is live and not its own, it
   * has not already done so; then records it and writes to the other organisation.
   */
  async expressInterest(
    input: { fromOrganisationId: string; offerId?: string | undefined; needId?: string | undefined; message: string },
    principal: Principal | null,
    viewer: Viewer,
    actor: Actor,
  ): Promise<{ id: string }> {
    if (!principal || !(administersOrganisation(principal, input.fromOrganisationId) || isRegionAdmin(principal))) throw new AppError('auth.forbidden');
    const kind = input.offerId ? 'offer' : 'need';
    const itemId = input.offerId ?? input.needId;
    const errors = new FieldErrors();
    if (!itemId) errors.add('offerId', 'required');
    const message = input.message.trim();
    if (!message) errors.add('message', 'required');
    else if (message.length > MESSAGE_MAX) errors.add('message', 'too_long', { max: MESSAGE_MAX });
    errors.throwIfAny();
    const { item } = await this.offers.get(kind, itemId!, viewer);
    if (!isActive(item)) throw new AppError('item.inactive', { expiresOn: item.expires_on ?? '—' });
    if (item.organisation_id === input.fromOrganisationId) throw new AppError('interest.own_item');
    const subject = { offerId: input.offerId ?? null, needId: input.needId ?? null };
    if (await this.repo.openInterest(input.fromOrganisationId, subject)) throw new AppError('interest.already_sent');
    let id: string;
    try {
      id = await this.db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('interests')
          .values({ from_organisation_id: input.fromOrganisationId, to_organisation_id: item.organisation_id, offer_id: subject.offerId, need_id: subject.needId, message, created_by: principal.personId })
          .returning('id')
          .executeTakeFirstOrThrow();
        await audit(trx, actor, { action: 'interest.sent', entityType: 'interest', entityId: row.id, organisationId: input.fromOrganisationId, after: { to: item.organisation_id, ...subject, message } });
        return row.id;
      });
    } catch (error) {
      // Two clicks at once: the unique index keeps one, the other is told it was already sent.
      if ((error as { code?: string }).code === '23505') throw new AppError('interest.already_sent');
      throw error;
    }
    const interest = (await this.repo.findInterest(id))!;
    for (const admin of await this.repo.admins(item.organisation_id)) {
      const lang = admin.preferred_lang;
      const title = itemTitle({ title_it: interest.offer_title_it ?? interest.need_title_it, title_en: interest.offer_title_en ?? interest.need_title_en }, lang) || clm(lang, 'untitled');
      const mail = renderMail(lang, {
        subject: clm(lang, 'mailInterestSubject', { organisation: interest.from_name, title }),
        greeting: lang === 'it' ? `Gentile ${admin.display_name},` : `Dear ${admin.display_name},`,
        paragraphs: [clm(lang, 'mailInterestBody', { organisation: interest.from_name, title, message })],
        action: { label: clm(lang, 'mailInterestAction'), url: `${this.baseUrl}/organizzazioni/${item.organisation_id}/contatti` },
      });
      await this.mailer.send({ to: admin.email!, ...mail, headers: interest.sender_email ? { 'Reply-To': interest.sender_email } : {} });
    }
    return { id };
  }

  /**
   * The receiving organisation answers. Accepting starts a collaboration (status `exploring`),
   * counted for the clusters of both parties, and introduces them to each other by e-mail.
   */
  async decide(input: { organisationId: string; interestId: string; action: 'accept' | 'decline'; note?: string | undefined }, principal: Principal | null, actor: Actor) {
    const note = input.note?.trim() ?? '';
    if (note.length > MESSAGE_MAX) {
      const errors = new FieldErrors();
      errors.add('note', 'too_long', { max: MESSAGE_MAX });
      errors.throwIfAny();
    }
    const interest = await this.repo.findInterest(input.interestId);
    if (!interest || interest.to_organisation_id !== input.organisationId) throw new AppError('interest.not_found');
    if (interest.status !== 'sent') throw new AppError('interest.already_decided', { status: clm(principal?.lang ?? 'it', `interest.${interest.status}`) });
    const title = itemTitle({ title_it: interest.offer_title_it ?? interest.need_title_it, title_en: interest.offer_title_en ?? interest.need_title_en }, 'it') || 'Clusterhub';
    // Read before the transaction: the embedded database has a single connection.
    const clusters = new Set([...(await this.clustersOfOrganisation(interest.from_organisation_id)), ...(await this.clustersOfOrganisation(interest.to_organisation_id))]);
    const result = await this.db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('interests')
        .set({ status: input.action === 'accept' ? 'accepted' : 'declined', decided_by: actor.personId, decided_at: new Date(), decision_note: note || null })
        .where('id', '=', interest.id)
        .where('status', '=', 'sent')
        .returning('id')
        .executeTakeFirst();
      if (!updated) throw new AppError('interest.already_decided', { status: '—' });
      await audit(trx, actor, { action: `interest.${input.action === 'accept' ? 'accepted' : 'declined'}`, entityType: 'interest', entityId: interest.id, organisationId: input.organisationId, before: { status: 'sent' }, after: { status: input.action === 'accept' ? 'accepted' : 'declined', note: note || null } });
      if (input.action === 'decline') return { collaborationId: null };
      const collaboration = await trx
        .insertInto('collaborations')
        .values({
          interest_id: interest.id,
          offer_id: interest.offer_id,
          need_id: interest.need_id,
          initiator_organisation_id: interest.from_organisation_id,
          partner_organisation_id: interest.to_organisation_id,
          title: title.slice(0, 200),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await this.repo.addEvent(trx, { collaborationId: collaboration.id, from: null, to: 'exploring', note: note || null, actorId: actor.personId });
      if (clusters.size > 0) await trx.insertInto('collaboration_clusters').values([...clusters].map((cluster_id) => ({ collaboration_id: collaboration.id, cluster_id }))).execute();
      await audit(trx, actor, { action: 'collaboration.started', entityType: 'collaboration', entityId: collaboration.id, organisationId: input.organisationId, after: { status: 'exploring', interestId: interest.id, clusters: [...clusters] } });
      return { collaborationId: collaboration.id };
    });
    if (result.collaborationId) await this.introduce(result.collaborationId, interest, principal);
    else await this.notifyDeclined(interest, note);
    return result;
  }

  /** The introduction e-mail: to the administrators of both organisations, with everyone's contacts. */
  private async introduce(collaborationId: string, interest: NonNullable<Awaited<ReturnType<CollaborationRepository['findInterest']>>>, principal: Principal | null) {
    const [a, b] = await Promise.all([this.repo.organisationContact(interest.from_organisation_id), this.repo.organisationContact(interest.to_organisation_id)]);
    const [adminsA, adminsB] = await Promise.all([this.repo.admins(a.id), this.repo.admins(b.id)]);
    // The people who wrote and answered come first; the other administrators follow.
    const peopleA = [...adminsA].sort((x) => (x.email === interest.sender_email ? -1 : 1));
    const peopleB = [...adminsB].sort((x) => (x.id === principal?.personId ? -1 : 1));
    const contacts = (lang: Lang, org: typeof a, people: typeof adminsA) =>
      clm(lang, 'mailIntroContacts', {
        organisation: org.legal_name,
        people: people.map((p) => `${p.display_name} <${p.email}>`).join(', ') || '—',
        extra: [org.email, org.website].filter(Boolean).map((v) => ` · ${v}`).join(''),
      });
    for (const [admins, other] of [
      [adminsA, b],
      [adminsB, a],
    ] as const) {
      for (const admin of admins) {
        const lang = admin.preferred_lang;
        const title = itemTitle({ title_it: interest.offer_title_it ?? interest.need_title_it, title_en: interest.offer_title_en ?? interest.need_title_en }, lang) || clm(lang, 'untitled');
        const mail = renderMail(lang, {
          subject: clm(lang, 'mailIntroSubject', { a: a.legal_name, b: b.legal_name }),
          greeting: lang === 'it' ? `Gentile ${admin.display_name},` : `Dear ${admin.display_name},`,
          paragraphs: [clm(lang, 'mailIntroBody', { other: other.legal_name, title }), `${contacts(lang, a, peopleA)}\n${contacts(lang, b, peopleB)}`, clm(lang, 'mailIntroNext')],
          action: { label: clm(lang, 'mailIntroAction'), url: `${this.baseUrl}/collaborazioni/${collaborationId}` },
        });
        await this.mailer.send({ to: admin.email!, ...mail });
      }
    }
  }

  private async notifyDeclined(interest: NonNullable<Awaited<ReturnType<CollaborationRepository['findInterest']>>>, note: string) {
    for (const admin of await this.repo.admins(interest.from_organisation_id)) {
      const lang = admin.preferred_lang;
      const title = itemTitle({ title_it: interest.offer_title_it ?? interest.need_title_it, title_en: interest.offer_title_en ?? interest.need_title_en }, lang) || clm(lang, 'untitled');
      const mail = renderMail(lang, {
        subject: clm(lang, 'mailDeclinedSubject', { organisation: interest.to_name }),
        greeting: lang === 'it' ? `Gentile ${admin.display_name},` : `Dear ${admin.display_name},`,
        paragraphs: [clm(lang, 'mailDeclinedBody', { organisation: interest.to_name, title, note: note ? `\n\n«${note}»` : '' })],
      });
      await this.mailer.send({ to: admin.email!, ...mail });
    }
  }

  /** Who may follow and move a collaboration: both parties' administrators, its clusters' managers, the Region. */
  async access(collaborationId: string, principal: Principal | null) {
    const c = await this.repo.findCollaboration(collaborationId);
    if (!c) throw new AppError('collaboration.not_found');
    const clusters = (await this.repo.clustersOfCollaboration(c.id)).map((r) => r.cluster_id);
    const party = administersOrganisation(principal, c.initiator_organisation_id) || administersOrganisation(principal, c.partner_organisation_id);
    const manager = isRegionAdmin(principal) || clusters.some((id) => managesCluster(principal, id));
    if (!party && !manager) throw new AppError('auth.forbidden');
    return { collaboration: c, clusters };
  }

  async get(collaborationId: string, principal: Principal | null) {
    const { collaboration } = await this.access(collaborationId, principal);
    return { collaboration, events: await this.repo.events(collaborationId) };
  }

  async move(input: { collaborationId: string; to: CollaborationStatus; note?: string | undefined }, principal: Principal | null, actor: Actor) {
    const note = input.note?.trim() ?? '';
    if (note.length > MESSAGE_MAX) {
      const errors = new FieldErrors();
      errors.add('note', 'too_long', { max: MESSAGE_MAX });
      errors.throwIfAny();
    }
    const { collaboration } = await this.access(input.collaborationId, principal);
    if (!canMove(collaboration.status, input.to)) throw new AppError('collaboration.transition_forbidden', { from: collaboration.status, to: input.to });
    await this.db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('collaborations')
        .set({ status: input.to, updated_at: new Date(), ...(input.to.startsWith('closed') ? { closed_at: new Date() } : {}) })
        .where('id', '=', collaboration.id)
        .where('status', '=', collaboration.status)
        .returning('id')
        .executeTakeFirst();
      if (!updated) throw new AppError('collaboration.transition_forbidden', { from: collaboration.status, to: input.to });
      await this.repo.addEvent(trx, { collaborationId: collaboration.id, from: collaboration.status, to: input.to, note: note || null, actorId: actor.personId });
      await audit(trx, actor, { action: 'collaboration.moved', entityType: 'collaboration', entityId: collaboration.id, organisationId: collaboration.initiator_organisation_id, before: { status: collaboration.status }, after: { status: input.to, note: note || null } });
    });
    return { from: collaboration.status, to: input.to };
  }

  inbox(organisationId: string) {
    return this.repo.interestsOf(organisationId);
  }

  pipeline(clusterId: string) {
    return this.repo.pipeline(clusterId);
  }

  /** The cluster's matchmaking figures (the Region reads them among the cluster's KPIs). */
  async figures(clusterId: string) {
    const { interests, byStatus } = await this.repo.figures(clusterId);
    const count = (statuses: CollaborationStatus[]) => byStatus.filter((r) => statuses.includes(r.status)).reduce((s, r) => s + r.n, 0);
    return {
      interests: interests.sent,
      accepted: interests.accepted,
      declined: interests.declined,
      collaborations: count(['exploring', 'agreement', 'project', 'closed_won', 'closed_lost']),
      byStatus: Object.fromEntries((['exploring', 'agreement', 'project', 'closed_won', 'closed_lost'] as const).map((s) => [s, count([s])])) as Record<CollaborationStatus, number>,
      projects: count(['project', 'closed_won']),
      won: count(['closed_won']),
    };
  }

  digestOptedOut(organisationId: string) {
    return this.repo.optedOut(organisationId);
  }

  async setDigest(organisationId: string, enabled: boolean, actor: Actor) {
    await this.repo.setOptOut(organisationId, !enabled, actor.personId);
    await audit(this.db, actor, { action: enabled ? 'digest.enabled' : 'digest.disabled', entityType: 'organisation', entityId: organisationId, organisationId });
  }

  /**
   * The weekly digest, for every organisation with live offers or needs: new matching items since
   * its last digest, mailed to its administrators. One row per organisation and week makes a rerun
   * (restart, second instance, retry) send nothing twice; an organisation skipped by a crash is
   * done by the retry, and a week missed while the server was down is covered by the next digest.
   */
  async runWeeklyDigest(now = new Date()): Promise<{ sent: number; empty: number; optedOut: number }> {
    const week = weekStart(now);
    const totals = { sent: 0, empty: 0, optedOut: 0 };
    for (const organisationId of await this.repo.digestCandidates()) {
      const claim = await this.repo.claimDigest(organisationId, week, now);
      if (!claim.claimed) continue;
      if (await this.repo.optedOut(organisationId)) {
        await this.repo.finishDigest(organisationId, week, 'opted_out', 0, 0);
        totals.optedOut++;
        continue;
      }
      try {
        const since = claim.coveredFrom ?? new Date(now.getTime() - 7 * 86_400_000);
        const admins = await this.repo.admins(organisationId);
        // What the organisation itself may see: public items and those shared with its clusters.
        const viewer: Viewer = { personId: null, organisationIds: [organisationId], adminOf: [], clusterIds: await this.clustersOfOrganisation(organisationId), managedClusterIds: [], region: false };
        const byLang = new Map<Lang, Awaited<ReturnType<MatchingService['newMatchesFor']>>>();
        let items = 0;
        for (const admin of admins) {
          const lang = admin.preferred_lang;
          if (!byLang.has(lang)) byLang.set(lang, await this.matching.newMatchesFor(organisationId, since, viewer, lang));
          const matches = byLang.get(lang)!;
          items = matches.reduce((s, m) => s + m.results.length, 0);
          if (items === 0) break;
          const org = await this.repo.organisationContact(organisationId);
          const lines = matches.flatMap((m) => [clm(lang, 'mailDigestItem', { title: m.item.title }), ...m.results.map((r) => clm(lang, 'mailDigestLine', { title: r.item.title, organisation: r.organisation.name, url: `${this.baseUrl}${r.item.url}` }))]);
          const mail = renderMail(lang, {
            subject: clm(lang, 'mailDigestSubject', { count: items, organisation: org.legal_name }),
            greeting: lang === 'it' ? `Gentile ${admin.display_name},` : `Dear ${admin.display_name},`,
            paragraphs: [clm(lang, 'mailDigestLead'), lines.join('\n')],
            action: { label: clm(lang, 'mailDigestAction'), url: `${this.baseUrl}/organizzazioni/${organisationId}/contatti` },
            footer: clm(lang, 'mailDigestFooter', { organisation: org.legal_name, url: `${this.baseUrl}/organizzazioni/${organisationId}/contatti` }),
          });
          await this.mailer.send({ to: admin.email!, ...mail, headers: { 'List-Unsubscribe': `<${this.baseUrl}/organizzazioni/${organisationId}/contatti>` } });
        }
        const status = items > 0 && admins.length > 0 ? 'sent' : 'empty';
        await this.repo.finishDigest(organisationId, week, status, items, status === 'sent' ? admins.length : 0);
        totals[status === 'sent' ? 'sent' : 'empty']++;
      } catch (error) {
        await this.repo.finishDigest(organisationId, week, 'failed', 0, 0);
        throw error;
      }
    }
    return totals;
  }
}
