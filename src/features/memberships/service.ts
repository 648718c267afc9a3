import type { Kysely, Transaction } from 'kysely';
import type { DB, MembershipRow, MembershipStatus } from '../../db/schema.js';
import { audit, type Actor } from '../../platform/audit.js';
import { administersOrganisation, managesCluster, type Principal } from '../../platform/auth/principal.js';
import { AppError } from '../../platform/errors.js';
import { FieldErrors, FormError, type FieldProblem } from '../../platform/field-errors.js';
import type { Lang } from '../../platform/i18n.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { renderMail } from '../../platform/mail/templates.js';
import type { AccountService, NewAccount } from '../accounts/service.js';
import type { ClusterService } from '../clusters/service.js';
import type { OrganisationService } from '../organisations/service.js';
import type { OrganisationInput } from '../organisations/validation.js';
import { APPLICANT_ACTIONS, nextStatus, REASON_REQUIRED, type MembershipAction } from './lifecycle.js';
import { mm } from './messages.js';
import { MembershipRepository } from './repository.js';

export interface ApplicationInput {
  clusterSlug: string;
  /** An organisation the signed-in applicant already administers. */
  organisationId?: string | undefined;
  organisation?: OrganisationInput | undefined;
  /** The applicant's new account (when not signed in). */
  account?: NewAccount | undefined;
  motivation: string;
  lang: Lang;
}

export interface TransitionInput {
  membershipId: string;
  action: MembershipAction;
  reason?: string | undefined;
  memberClassId?: string | undefined;
}

const MAIL_BODY: Record<MembershipStatus, Parameters<typeof mm>[1]> = {
  applied: 'mailApplied',
  under_review: 'mailUnderReview',
  admitted: 'mailAdmitted',
  rejected: 'mailRejected',
  withdrawn: 'mailWithdrawn',
  suspended: 'mailSuspended',
  ended: 'mailEnded',
};

/** Membership classes, applications and the membership lifecycle. */
export class MembershipService {
  readonly repo: MembershipRepository;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly clusters: ClusterService,
    private readonly organisations: OrganisationService,
    private readonly accounts: AccountService,
    private readonly mailer: Mailer,
    private readonly baseUrl: string,
  ) {
    this.repo = new MembershipRepository(db);
  }

  /** The status of an organisation's open membership (or application) in a cluster, or null. */
  async statusIn(clusterId: string, organisationId: string, conn: Kysely<DB> | Transaction<DB> = this.db): Promise<MembershipStatus | null> {
    return (await this.repo.openFor(clusterId, organisationId, conn))?.status ?? null;
  }

  async clustersOfOrganisation(organisationId: string): Promise<string[]> {
    return (await this.repo.clustersOfOrganisation(organisationId)).map((r) => r.cluster_id);
  }

  classes(clusterId: string) {
    return this.repo.classes(clusterId);
  }

  async addClass(
    clusterId: string,
    input: { code: string; nameIt: string; nameEn: string; voting: boolean; fee: string },
    actor: Actor,
  ): Promise<void> {
    const errors = new FieldErrors();
    const code = input.code.trim().toLowerCase();
    if (!code) errors.add('code', 'required');
    else if (!/^[a-z0-9_]{1,40}$/.test(code)) errors.add('code', 'one_of', { values: 'a-z, 0-9, _' });
    else if (await this.repo.findClass(clusterId, code)) errors.add('code', 'duplicate_in_file', { row: code });
    if (!input.nameIt.trim()) errors.add('nameIt', 'required');
    let fee: number | null = null;
    if (input.fee.trim()) {
      const { parseEuroCents } = await import('../organisations/validation.js');
      fee = parseEuroCents(input.fee.trim());
      if (fee === null) errors.add('fee', 'amount');
    }
    errors.throwIfAny();
    await this.db.transaction().execute(async (trx) => {
      const existing = await this.repo.classes(clusterId, trx);
      const row = await trx
        .insertInto('member_classes')
        .values({
          cluster_id: clusterId,
          code,
          name_it: input.nameIt.trim(),
          name_en: input.nameEn.trim() || null,
          voting: input.voting,
          annual_fee_cents: fee,
          position: existing.length,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await audit(trx, actor, {
        action: 'member_class.created',
        entityType: 'member_class',
        entityId: row.id,
        clusterId,
        after: { code, nameIt: input.nameIt.trim(), voting: input.voting, annualFeeCents: fee },
      });
    });
  }

  /**
   * A membership application, in one transaction: the applicant's account (when new), the
   * organisation (when new), the application and its first event. Nothing is kept when any
   * field is wrong; every wrong field is reported at once.
   */
  async apply(input: ApplicationInput, principal: Principal | null, actor: Actor) {
    const { cluster } = await this.clusters.get(input.clusterSlug);
    const problems: FieldProblem[] = [];
    const collect = async (fn: () => unknown) => {
      try {
        await fn();
      } catch (error) {
        if (error instanceof FormError) problems.push(...error.problems);
        else if (error instanceof AppError && error.code === 'person.email_taken') problems.push({ field: 'email', code: 'email', params: {} });
        else throw error;
      }
    };

    let organisationValues: Awaited<ReturnType<OrganisationService['validate']>> | undefined;
    if (input.organisationId) {
      if (!administersOrganisation(principal, input.organisationId)) throw new AppError('auth.forbidden');
    } else {
      await collect(async () => {
        organisationValues = await this.organisations.validate(input.organisation ?? {}, { prefix: 'org.' });
      });
    }
    if (!principal) {
      const errors = new FieldErrors();
      this.accounts.validateNewAccount(input.account!, errors);
      problems.push(...errors.problems);
    }
    const motivation = input.motivation.trim();
    if (!motivation) problems.push({ field: 'motivation', code: 'required' });
    else if (motivation.length > 4000) problems.push({ field: 'motivation', code: 'too_long', params: { max: 4000 } });
    if (problems.length > 0) throw new FormError(problems);

    if (input.organisationId && (await this.repo.openFor(cluster.id, input.organisationId))) {
      throw new AppError('membership.already_open');
    }

    const result = await this.db.transaction().execute(async (trx) => {
      let personId = principal?.personId ?? null;
      let verifyToken: string | null = null;
      let applicantEmail = principal?.email ?? '';
      let applicantActor = actor;
      if (!principal) {
        const created = await this.accounts.createAccount(trx, input.account!, actor);
        personId = created.person.id;
        verifyToken = created.verifyToken;
        applicantEmail = created.person.email!;
        applicantActor = { personId, label: applicantEmail, requestId: actor.requestId };
      }
      let organisationId = input.organisationId;
      if (!organisationId) {
        organisationId = await this.organisations.create(trx, organisationValues!, applicantActor);
        await trx.insertInto('role_grants').values({ person_id: personId!, role: 'org_admin', organisation_id: organisationId }).execute();
      }
      const membership = await trx
        .insertInto('memberships')
        .values({
          cluster_id: cluster.id,
          organisation_id: organisationId,
          status: 'applied',
          motivation,
          applicant_person_id: personId,
          // A signed-in applicant has a confirmed address already.
          application_verified_at: principal ? new Date() : null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await this.repo.addEvent(trx, { membershipId: membership.id, action: 'apply', from: null, to: 'applied', reason: null, actorId: personId });
      await audit(trx, applicantActor, {
        action: 'membership.applied',
        entityType: 'membership',
        entityId: membership.id,
        clusterId: cluster.id,
        organisationId,
        after: { status: 'applied', motivation },
      });
      return { membershipId: membership.id, organisationId, personId: personId!, verifyToken, applicantEmail };
    });

    if (result.verifyToken) {
      const person = await this.accounts.repo.findById(result.personId);
      await this.accounts.sendVerificationMail(person!, result.verifyToken);
    } else {
      await this.notifyManagers(cluster.id, result.organisationId);
    }
    return { ...result, verified: !result.verifyToken };
  }

  /** After the applicant confirms their address, the applications reach the cluster. */
  async onApplicantVerified(personId: string): Promise<{ applications: number }> {
    const moved = await this.repo.markVerified(personId);
    for (const m of moved) {
      const detail = await this.repo.findDetailed(m.id);
      if (detail) await this.notifyManagers(m.cluster_id, detail.organisation_id);
    }
    return { applications: moved.length };
  }

  private async notifyManagers(clusterId: string, organisationId: string): Promise<void> {
    const managers = await this.repo.managersOf(clusterId);
    if (managers.length === 0) return;
    const org = await this.organisations.get(organisationId);
    const { cluster } = await this.clusters.getById(clusterId);
    for (const manager of managers) {
      const lang = manager.preferred_lang;
      const mail = renderMail(lang, {
        subject: mm(lang, 'mailManagerSubject', { cluster: cluster.short_name, organisation: org.legal_name }),
        paragraphs: [mm(lang, 'mailManagerBody', { cluster: cluster.short_name, organisation: org.legal_name })],
        action: { label: mm(lang, 'mailManagerAction'), url: `${this.baseUrl}/cluster/${cluster.slug}/gestione/domande` },
      });
      await this.mailer.send({ to: manager.email!, ...mail });
    }
  }

  async get(membershipId: string) {
    const m = await this.repo.findDetailed(membershipId);
    if (!m) throw new AppError('membership.not_found');
    return m;
  }

  /**
   * Who decides admissions in a cluster: when this answers true (the board decides, per the
   * cluster's statute rules), a manager can no longer admit or reject directly. Set by the
   * governance feature at start-up; without it managers decide.
   */
  private boardDecides: ((clusterId: string) => Promise<boolean>) | undefined;

  setAdmissionGate(boardDecides: (clusterId: string) => Promise<boolean>): void {
    this.boardDecides = boardDecides;
  }

  /**
   * Move a membership through its lifecycle. Checks who may (the cluster's managers decide; the
   * organisation may withdraw its own application), what the lifecycle allows and the reason;
   * records the event and the audit entry, and writes to the applicant in their language.
   */
  async transition(input: TransitionInput, principal: Principal | null, actor: Actor, options: { clusterId?: string } = {}) {
    // Asked before the transaction: the gate reads another feature's data on its own connection.
    const deciding = input.action === 'admit' || input.action === 'reject';
    const clusterOf = deciding && this.boardDecides ? (await this.repo.findDetailed(input.membershipId))?.cluster_id : undefined;
    const boardDecides = clusterOf && this.boardDecides ? await this.boardDecides(clusterOf) : false;
    const outcome = await this.db.transaction().execute((trx) =>
      this.transitionIn(trx, input, actor, {
        clusterId: options.clusterId,
        authorise: async (current) => {
          const allowed = APPLICANT_ACTIONS.has(input.action)
            ? administersOrganisation(principal, current.organisation_id) || managesCluster(principal, current.cluster_id)
            : managesCluster(principal, current.cluster_id);
          if (!allowed) throw new AppError('auth.forbidden');
          if (deciding && boardDecides && current.cluster_id === clusterOf) throw new AppError('membership.decision_by_board');
        },
      }),
    );
    await this.notifyApplicant(input.membershipId, outcome.to, input.action, outcome.reason);
    return { from: outcome.from, to: outcome.to };
  }

  /**
   * The same move inside the caller's transaction, for a decision taken elsewhere with its own
   * authority (a board motion): the caller has checked who decided. Nothing is sent until the
   * caller commits and calls `notify`.
   */
  async transitionInTransaction(trx: Transaction<DB>, input: TransitionInput, actor: Actor, options: { clusterId: string }) {
    const outcome = await this.transitionIn(trx, input, actor, { clusterId: options.clusterId, authorise: async () => undefined });
    return {
      from: outcome.from,
      to: outcome.to,
      notify: () => this.notifyApplicant(input.membershipId, outcome.to, input.action, outcome.reason),
    };
  }

  private async transitionIn(
    trx: Transaction<DB>,
    input: TransitionInput,
    actor: Actor,
    options: { clusterId?: string | undefined; authorise: (current: MembershipRow) => Promise<void> },
  ) {
    const reason = input.reason?.trim() ?? '';
    const current = await this.repo.lockForUpdate(input.membershipId, trx);
    if (!current || (options.clusterId && current.cluster_id !== options.clusterId)) throw new AppError('membership.not_found');
    await options.authorise(current);
    const to = nextStatus(current.status, input.action);
    if (!to) throw new AppError('membership.transition_forbidden', { from: current.status, action: input.action });
    if ((input.action === 'admit' || input.action === 'reject') && !current.application_verified_at) {
      throw new AppError('membership.not_verified');
    }
    const errors = new FieldErrors();
    if (REASON_REQUIRED.has(input.action) && !reason) errors.add('reason', 'required');
    if (reason.length > 4000) errors.add('reason', 'too_long', { max: 4000 });
    let memberClassId = current.member_class_id;
    if (input.action === 'admit') {
      const cls = input.memberClassId ? await this.repo.findClass(current.cluster_id, input.memberClassId, trx) : undefined;
      if (!cls) errors.add('memberClassId', input.memberClassId ? 'member_class_unknown' : 'required', { code: input.memberClassId ?? '' });
      else memberClassId = cls.id;
    }
    errors.throwIfAny();
    const now = new Date();
    await trx
      .updateTable('memberships')
      .set({
        status: to,
        member_class_id: memberClassId,
        updated_at: now,
        ...(input.action === 'admit' ? { admitted_at: now } : {}),
        ...(['rejected', 'withdrawn', 'ended'].includes(to) ? { closed_at: now } : {}),
      })
      .where('id', '=', current.id)
      .execute();
    await this.repo.addEvent(trx, { membershipId: current.id, action: input.action, from: current.status, to, reason: reason || null, actorId: actor.personId });
    await audit(trx, actor, {
      action: `membership.${input.action}`,
      entityType: 'membership',
      entityId: current.id,
      clusterId: current.cluster_id,
      organisationId: current.organisation_id,
      before: { status: current.status, memberClassId: current.member_class_id },
      after: { status: to, memberClassId, reason: reason || null },
    });
    return { from: current.status, to, reason };
  }

  private async notifyApplicant(membershipId: string, status: MembershipStatus, action: MembershipAction, reason: string) {
    const m = await this.repo.findDetailed(membershipId);
    if (!m?.applicant_email) return;
    const lang = m.applicant_lang ?? 'it';
    const body = action === 'request_info' ? 'mailInfo' : action === 'reinstate' ? 'mailReinstated' : MAIL_BODY[status];
    const mail = renderMail(lang, {
      subject: mm(lang, 'mailSubject', { cluster: m.cluster_name, status: mm(lang, `status.${status}`) }),
      greeting: lang === 'it' ? `Gentile ${m.applicant_name},` : `Dear ${m.applicant_name},`,
      paragraphs: [
        mm(lang, body, {
          organisation: m.legal_name,
          cluster: m.cluster_name,
          reason,
          memberClass: (lang === 'en' ? (m.class_en ?? m.class_it) : m.class_it) ?? '',
        }),
      ],
      action: { label: mm(lang, 'mailAction'), url: `${this.baseUrl}/organizzazioni/${m.organisation_id}` },
    });
    await this.mailer.send({ to: m.applicant_email, ...mail });
  }

  queue(clusterId: string) {
    return this.repo.queue(clusterId);
  }

  async unverifiedCount(clusterId: string) {
    return Number((await this.repo.countUnverified(clusterId)).n);
  }

  events(membershipId: string) {
    return this.repo.events(membershipId);
  }

  members(clusterId: string) {
    return this.repo.members(clusterId);
  }

  admittedOrganisations(clusterId: string) {
    return this.repo.admittedOrganisations(clusterId);
  }
}
