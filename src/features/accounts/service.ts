import type { Kysely, Transaction } from 'kysely';
import type { DB, PersonRow, Role } from '../../db/schema.js';
import { audit, type Actor } from '../../platform/audit.js';
import {
  dummyPasswordHash,
  hashPassword,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  randomToken,
  sha256,
  verifyPassword,
} from '../../platform/auth/crypto.js';
import type { SessionStore } from '../../platform/auth/sessions.js';
import { AppError } from '../../platform/errors.js';
import { FieldErrors } from '../../platform/field-errors.js';
import type { Lang } from '../../platform/i18n.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { renderMail } from '../../platform/mail/templates.js';
import { am, roleLabelKey } from './messages.js';
import { AccountRepository } from './repository.js';

export const TOKEN_TTL = {
  verify_email: 48 * 3600 * 1000,
  reset_password: 3600 * 1000,
  invitation: 7 * 24 * 3600 * 1000,
} as const;

/** Failed sign-ins tolerated in the window, per account and per address. */
export const LOGIN_LIMITS = { windowMs: 15 * 60 * 1000, perAccount: 5, perIp: 20 } as const;

export const PRIVACY_CONSENT_KIND = 'privacy_notice';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function normaliseEmail(value: string): string {
  return value.trim().toLowerCase();
}

export function checkEmail(errors: FieldErrors, field: string, value: string): void {
  if (!value) errors.add(field, 'required');
  else if (value.length > 254 || !EMAIL.test(value)) errors.add(field, 'email');
}

export function checkNewPassword(errors: FieldErrors, password: string, repeat: string | undefined, email: string): void {
  if (!password) errors.add('password', 'required');
  else if (password.length < PASSWORD_MIN_LENGTH) errors.add('password', 'password_short', { min: PASSWORD_MIN_LENGTH });
  else if (password.length > PASSWORD_MAX_LENGTH) errors.add('password', 'too_long', { max: PASSWORD_MAX_LENGTH });
  else if (email && password.trim().toLowerCase() === email.toLowerCase()) errors.add('password', 'password_is_email');
  if (repeat !== undefined && password && repeat !== password) errors.add('passwordRepeat', 'password_mismatch');
}

export interface NewAccount {
  email: string;
  password: string;
  passwordRepeat?: string;
  displayName: string;
  lang: Lang;
  consent: boolean;
  consentVersion: string;
}

export interface InvitationPayload {
  organisationId: string;
  organisationName: string;
  role: Extract<Role, 'org_admin' | 'org_member'>;
  invitedBy: string;
  lang: Lang;
}

/** People, sign-in, tokens and personal data. The only entry point other features may call. */
export class AccountService {
  readonly repo: AccountRepository;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly sessions: SessionStore,
    private readonly mailer: Mailer,
    private readonly baseUrl: string,
  ) {
    this.repo = new AccountRepository(db);
  }

  /** Validate a new account's fields; used by the registration and application forms. */
  validateNewAccount(input: NewAccount, errors: FieldErrors): void {
    const email = normaliseEmail(input.email);
    checkEmail(errors, 'email', email);
    if (!input.displayName.trim()) errors.add('displayName', 'required');
    else if (input.displayName.trim().length > 120) errors.add('displayName', 'too_long', { max: 120 });
    checkNewPassword(errors, input.password, input.passwordRepeat, email);
    if (!input.consent) errors.add('consent', 'consent_required');
  }

  /**
   * Create an unverified account inside the caller's transaction, with the privacy consent, and
   * return the verification token to mail once the transaction has committed.
   */
  async createAccount(trx: Transaction<DB>, input: NewAccount, actor: Actor): Promise<{ person: PersonRow; verifyToken: string }> {
    const email = normaliseEmail(input.email);
    if (await this.repo.findByEmail(email, trx)) throw new AppError('person.email_taken');
    const person = await this.repo.insertPerson(trx, {
      email,
      displayName: input.displayName.trim(),
      lang: input.lang,
      passwordHash: await hashPassword(input.password),
    });
    await this.repo.recordConsent(trx, person.id, PRIVACY_CONSENT_KIND, input.consentVersion);
    const verifyToken = randomToken();
    await this.repo.insertToken(trx, {
      hash: sha256(verifyToken),
      purpose: 'verify_email',
      personId: person.id,
      email,
      ttlMs: TOKEN_TTL.verify_email,
    });
    await audit(trx, { ...actor, personId: actor.personId ?? person.id, label: actor.personId ? actor.label : email }, {
      action: 'person.registered',
      entityType: 'person',
      entityId: person.id,
      after: { email, displayName: person.display_name, lang: input.lang, consentVersion: input.consentVersion },
    });
    return { person, verifyToken };
  }

  async register(input: NewAccount, actor: Actor): Promise<PersonRow> {
    const errors = new FieldErrors();
    this.validateNewAccount(input, errors);
    if (!errors.has('email') && (await this.repo.findByEmail(normaliseEmail(input.email)))) {
      throw new AppError('person.email_taken');
    }
    errors.throwIfAny();
    const { person, verifyToken } = await this.db.transaction().execute((trx) => this.createAccount(trx, input, actor));
    try {
      await this.sendVerificationMail(person, verifyToken);
    } catch (error) {
      // The account exists: signing in sends the verification mail again.
      if (error instanceof AppError && error.code === 'mail.unavailable') throw new AppError('auth.verification_mail_unavailable');
      throw error;
    }
    return person;
  }

  async sendVerificationMail(person: PersonRow, token: string): Promise<void> {
    const lang = person.preferred_lang;
    const mail = renderMail(lang, {
      subject: am(lang, 'mailVerifySubject'),
      greeting: am(lang, 'greeting', { name: person.display_name }),
      paragraphs: [am(lang, 'mailVerifyBody')],
      action: { label: am(lang, 'mailVerifyAction'), url: `${this.baseUrl}/verifica-email?token=${token}` },
    });
    await this.mailer.send({ to: person.email!, ...mail, holdsSecret: true });
  }

  private async resendVerification(person: PersonRow): Promise<void> {
    const token = randomToken();
    await this.repo.insertToken(this.db, {
      hash: sha256(token),
      purpose: 'verify_email',
      personId: person.id,
      email: person.email!,
      ttlMs: TOKEN_TTL.verify_email,
    });
    await this.sendVerificationMail(person, token);
  }

  /** Consume a single-use token: refused when unknown, used or expired. */
  private async consumeToken(trx: Transaction<DB>, token: string, purpose: 'verify_email' | 'reset_password' | 'invitation') {
    const row = token ? await this.repo.findToken(trx, sha256(token), purpose) : undefined;
    if (!row || row.used_at) throw new AppError('auth.token_invalid');
    if (row.expires_at.getTime() <= Date.now()) throw new AppError('auth.token_expired');
    await this.repo.markTokenUsed(trx, row.token_hash);
    return row;
  }

  async verifyEmail(token: string): Promise<PersonRow> {
    return this.db.transaction().execute(async (trx) => {
      const row = await this.consumeToken(trx, token, 'verify_email');
      const person = row.person_id ? await this.repo.findById(row.person_id, trx) : undefined;
      if (!person) throw new AppError('auth.token_invalid');
      if (!person.email_verified_at) {
        await trx.updateTable('people').set({ email_verified_at: new Date() }).where('id', '=', person.id).execute();
        await audit(trx, { personId: person.id, label: person.email ?? 'person' }, {
          action: 'person.email_verified',
          entityType: 'person',
          entityId: person.id,
        });
      }
      return person;
    });
  }

  /** Check the credentials and open a session. Rate-limited per account and per address. */
  async login(input: { email: string; password: string; ip: string; userAgent: string | undefined }): Promise<{ token: string; person: PersonRow }> {
    const email = normaliseEmail(input.email);
    const since = new Date(Date.now() - LOGIN_LIMITS.windowMs);
    const failures = await this.repo.failuresSince(email, input.ip, since);
    const limited =
      failures.byEmail >= LOGIN_LIMITS.perAccount ? failures.oldestEmail : failures.byIp >= LOGIN_LIMITS.perIp ? failures.oldestIp : null;
    if (limited) {
      const minutes = Math.max(1, Math.ceil((limited.getTime() + LOGIN_LIMITS.windowMs - Date.now()) / 60_000));
      throw new AppError('auth.rate_limited', { minutes });
    }
    const person = email ? await this.repo.findByEmail(email) : undefined;
    const ok = await verifyPassword(person?.password_hash ?? (await dummyPasswordHash()), input.password);
    if (!person || !person.password_hash || !ok) {
      await this.repo.recordLoginAttempt(email, input.ip, false);
      throw new AppError('auth.invalid_credentials');
    }
    if (!person.email_verified_at) {
      await this.resendVerification(person);
      throw new AppError('auth.email_not_verified');
    }
    await this.repo.clearFailures(email);
    await this.repo.recordLoginAttempt(email, input.ip, true);
    const token = await this.sessions.create(person.id, { ip: input.ip, userAgent: input.userAgent });
    return { token, person };
  }

  /** Sign in a person found through OIDC (session only; the identity was checked by the provider). */
  async openSession(personId: string, meta: { ip: string; userAgent: string | undefined }): Promise<string> {
    return this.sessions.create(personId, meta);
  }

  async logout(sessionHash: string): Promise<void> {
    await this.sessions.revoke(sessionHash);
  }

  async logoutEverywhere(personId: string, actor: Actor): Promise<number> {
    const closed = await this.sessions.revokeAll(personId);
    await audit(this.db, actor, { action: 'person.logged_out_everywhere', entityType: 'person', entityId: personId, after: { sessions: closed } });
    return closed;
  }

  /** Always succeeds (no account enumeration); mails a link only when the account exists. */
  async requestPasswordReset(emailInput: string): Promise<void> {
    const email = normaliseEmail(emailInput);
    const errors = new FieldErrors();
    checkEmail(errors, 'email', email);
    errors.throwIfAny();
    const person = await this.repo.findByEmail(email);
    if (!person) return;
    const token = randomToken();
    await this.repo.insertToken(this.db, { hash: sha256(token), purpose: 'reset_password', personId: person.id, email, ttlMs: TOKEN_TTL.reset_password });
    const lang = person.preferred_lang;
    const mail = renderMail(lang, {
      subject: am(lang, 'mailResetSubject'),
      greeting: am(lang, 'greeting', { name: person.display_name }),
      paragraphs: [am(lang, 'mailResetBody')],
      action: { label: am(lang, 'mailResetAction'), url: `${this.baseUrl}/reimposta-password?token=${token}` },
    });
    await this.mailer.send({ to: email, ...mail, holdsSecret: true });
  }

  /** Check a reset token without using it (to show the form or a clear error). */
  async peekToken(token: string, purpose: 'reset_password' | 'invitation') {
    const row = token ? await this.repo.findToken(this.db, sha256(token), purpose) : undefined;
    if (!row || row.used_at) throw new AppError('auth.token_invalid');
    if (row.expires_at.getTime() <= Date.now()) throw new AppError('auth.token_expired');
    return row;
  }

  async resetPassword(token: string, password: string, repeat: string): Promise<void> {
    const row = await this.peekToken(token, 'reset_password');
    const errors = new FieldErrors();
    checkNewPassword(errors, password, repeat, row.email);
    errors.throwIfAny();
    const passwordHash = await hashPassword(password);
    await this.db.transaction().execute(async (trx) => {
      const used = await this.consumeToken(trx, token, 'reset_password');
      await trx
        .updateTable('people')
        // Proving control of the mailbox also verifies the address.
        .set({ password_hash: passwordHash, updated_at: new Date(), email_verified_at: new Date() })
        .where('id', '=', used.person_id!)
        .execute();
      await trx.deleteFrom('sessions').where('person_id', '=', used.person_id!).execute();
      await audit(trx, { personId: used.person_id, label: used.email }, { action: 'person.password_reset', entityType: 'person', entityId: used.person_id });
    });
  }

  /** Invite someone to an organisation by e-mail. */
  async invite(input: { email: string; payload: InvitationPayload }, actor: Actor): Promise<void> {
    const email = normaliseEmail(input.email);
    const errors = new FieldErrors();
    checkEmail(errors, 'email', email);
    errors.throwIfAny();
    const token = randomToken();
    await this.db.transaction().execute(async (trx) => {
      await this.repo.insertToken(trx, { hash: sha256(token), purpose: 'invitation', personId: null, email, ttlMs: TOKEN_TTL.invitation, payload: input.payload });
      await audit(trx, actor, {
        action: 'organisation.person_invited',
        entityType: 'organisation',
        entityId: input.payload.organisationId,
        organisationId: input.payload.organisationId,
        after: { email, role: input.payload.role },
      });
    });
    const lang = input.payload.lang;
    const role = am(lang, roleLabelKey(input.payload.role));
    const mail = renderMail(lang, {
      subject: am(lang, 'mailInviteSubject', { organisation: input.payload.organisationName }),
      paragraphs: [am(lang, 'mailInviteBody', { inviter: input.payload.invitedBy, organisation: input.payload.organisationName, role })],
      action: { label: am(lang, 'mailInviteAction'), url: `${this.baseUrl}/invito?token=${token}` },
    });
    await this.mailer.send({ to: email, ...mail, holdsSecret: true });
  }

  /**
   * Accept an invitation: an existing account (signed in as the invited address) gets the role;
   * otherwise a new, verified account is created (the mail link proves the address).
   */
  async acceptInvitation(
    token: string,
    input: { signedInPersonId: string | null; displayName?: string; password?: string; passwordRepeat?: string; consent?: boolean; consentVersion: string; lang: Lang },
  ): Promise<{ personId: string; payload: InvitationPayload; newAccount: boolean }> {
    const row = await this.peekToken(token, 'invitation');
    const payload = row.payload as unknown as InvitationPayload;
    const existing = await this.repo.findByEmail(row.email);
    let passwordHash: string | null = null;
    if (existing) {
      if (input.signedInPersonId !== existing.id) throw new AppError('auth.required');
    } else {
      const errors = new FieldErrors();
      if (!input.displayName?.trim()) errors.add('displayName', 'required');
      checkNewPassword(errors, input.password ?? '', input.passwordRepeat, row.email);
      if (!input.consent) errors.add('consent', 'consent_required');
      errors.throwIfAny();
      passwordHash = await hashPassword(input.password!);
    }
    return this.db.transaction().execute(async (trx) => {
      await this.consumeToken(trx, token, 'invitation');
      let personId = existing?.id;
      if (!personId) {
        const person = await this.repo.insertPerson(trx, {
          email: row.email,
          displayName: input.displayName!.trim(),
          lang: input.lang,
          passwordHash,
          verified: true,
        });
        await this.repo.recordConsent(trx, person.id, PRIVACY_CONSENT_KIND, input.consentVersion);
        personId = person.id;
      }
      await this.repo.grant(trx, { personId, role: payload.role, organisationId: payload.organisationId });
      await audit(trx, { personId, label: row.email }, {
        action: 'organisation.invitation_accepted',
        entityType: 'organisation',
        entityId: payload.organisationId,
        organisationId: payload.organisationId,
        after: { personId, role: payload.role },
      });
      return { personId, payload, newAccount: !existing };
    });
  }

  async updateProfile(personId: string, input: { displayName: string; lang: Lang }, actor: Actor): Promise<void> {
    const errors = new FieldErrors();
    if (!input.displayName.trim()) errors.add('displayName', 'required');
    else if (input.displayName.trim().length > 120) errors.add('displayName', 'too_long', { max: 120 });
    errors.throwIfAny();
    await this.db.transaction().execute(async (trx) => {
      const before = await this.repo.findById(personId, trx);
      await trx
        .updateTable('people')
        .set({ display_name: input.displayName.trim(), preferred_lang: input.lang, updated_at: new Date() })
        .where('id', '=', personId)
        .execute();
      await audit(trx, actor, {
        action: 'person.updated',
        entityType: 'person',
        entityId: personId,
        before: { displayName: before?.display_name, lang: before?.preferred_lang },
        after: { displayName: input.displayName.trim(), lang: input.lang },
      });
    });
  }

  /** Everything Clusterhub holds about a person (GDPR art. 15 and 20). */
  async exportPersonalData(personId: string) {
    const person = await this.repo.findById(personId);
    if (!person) throw new AppError('auth.required');
    const [grants, consents, sessions, activity] = await Promise.all([
      this.repo.grantsOf(personId),
      this.repo.consentsOf(personId),
      this.repo.sessionsOf(personId),
      this.repo.auditByActor(personId),
    ]);
    return {
      exportedAt: new Date().toISOString(),
      person: {
        id: person.id,
        email: person.email,
        emailVerifiedAt: person.email_verified_at?.toISOString() ?? null,
        displayName: person.display_name,
        preferredLanguage: person.preferred_lang,
        createdAt: person.created_at.toISOString(),
      },
      roles: grants.map((g) => ({ role: g.role, cluster: g.cluster_slug, organisation: g.organisation_name, since: g.created_at.toISOString() })),
      consents: consents.map((c) => ({ kind: c.kind, version: c.version, givenAt: c.given_at.toISOString() })),
      sessions: sessions.map((s) => ({ createdAt: s.created_at.toISOString(), lastSeenAt: s.last_seen_at.toISOString(), ip: s.ip, userAgent: s.user_agent })),
      activity: activity.map((a) => ({ at: a.at.toISOString(), action: a.action, entityType: a.entity_type, entityId: a.entity_id })),
    };
  }

  /**
   * Erase a person's personal data. The row stays (ids referenced by history keep pointing
   * somewhere) but holds nothing personal; audit entries stay with the actor anonymised.
   */
  async deleteAccount(personId: string, confirmEmail: string): Promise<void> {
    const person = await this.repo.findById(personId);
    if (!person) throw new AppError('auth.required');
    if (normaliseEmail(confirmEmail) !== person.email) {
      const errors = new FieldErrors();
      errors.add('confirmEmail', 'email');
      errors.throwIfAny();
    }
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('people')
        .set({ email: null, display_name: '—', password_hash: null, email_verified_at: null, deleted_at: new Date(), updated_at: new Date() })
        .where('id', '=', personId)
        .execute();
      await trx.deleteFrom('sessions').where('person_id', '=', personId).execute();
      await trx.deleteFrom('person_identities').where('person_id', '=', personId).execute();
      await trx.deleteFrom('auth_tokens').where('person_id', '=', personId).execute();
      await trx.deleteFrom('auth_tokens').where('email', '=', person.email!).execute();
      await trx.deleteFrom('role_grants').where('person_id', '=', personId).execute();
      await trx.deleteFrom('consents').where('person_id', '=', personId).execute();
      await trx.deleteFrom('login_attempts').where('email', '=', person.email!).execute();
      await trx.updateTable('audit_log').set({ actor_label: 'deleted-account' }).where('actor_person_id', '=', personId).execute();
      await trx
        .updateTable('audit_log')
        .set({ before: null, after: null })
        .where('entity_type', '=', 'person')
        .where('entity_id', '=', personId)
        .execute();
      await audit(trx, { personId: null, label: 'deleted-account' }, { action: 'person.deleted', entityType: 'person', entityId: personId });
    });
  }

  /** Give someone a role (CLI, Region administration). */
  async grantRole(input: { email: string; role: Role; clusterId?: string | null; organisationId?: string | null }, actor: Actor) {
    const person = await this.repo.findByEmail(normaliseEmail(input.email));
    if (!person) throw new AppError('auth.token_invalid');
    await this.db.transaction().execute(async (trx) => {
      await this.repo.grant(trx, { personId: person.id, role: input.role, clusterId: input.clusterId ?? null, organisationId: input.organisationId ?? null, grantedBy: actor.personId });
      await audit(trx, actor, {
        action: 'role.granted',
        entityType: 'person',
        entityId: person.id,
        clusterId: input.clusterId ?? null,
        organisationId: input.organisationId ?? null,
        after: { role: input.role },
      });
    });
    return person;
  }

  /** Create a verified account, with a role when given (command line: the first Region administrator). */
  async createWithRole(
    input: { email: string; displayName: string; password: string; role: Role | null; clusterId?: string | null; organisationId?: string | null },
    actor: Actor,
  ): Promise<PersonRow> {
    const email = normaliseEmail(input.email);
    const errors = new FieldErrors();
    checkEmail(errors, 'email', email);
    checkNewPassword(errors, input.password, undefined, email);
    errors.throwIfAny();
    const passwordHash = await hashPassword(input.password);
    return this.db.transaction().execute(async (trx) => {
      let person = await this.repo.findByEmail(email, trx);
      if (!person) person = await this.repo.insertPerson(trx, { email, displayName: input.displayName, lang: 'it', passwordHash, verified: true });
      if (input.role) {
        await this.repo.grant(trx, { personId: person.id, role: input.role, clusterId: input.clusterId ?? null, organisationId: input.organisationId ?? null });
        await audit(trx, actor, { action: 'role.granted', entityType: 'person', entityId: person.id, clusterId: input.clusterId ?? null, organisationId: input.organisationId ?? null, after: { role: input.role } });
      }
      return person;
    });
  }
}
