import { sql, type Kysely, type Transaction } from 'kysely';
import type { AuthTokenPurpose, DB, Role } from '../../db/schema.js';

type Conn = Kysely<DB> | Transaction<DB>;

/** SQL for people, tokens, login attempts, grants and consents; only the accounts feature imports it. */
export class AccountRepository {
  constructor(private readonly db: Kysely<DB>) {}

  findByEmail(email: string, conn: Conn = this.db) {
    return conn
      .selectFrom('people')
      .selectAll()
      .where(sql<string>`lower(email)`, '=', email.toLowerCase())
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
  }

  findById(id: string, conn: Conn = this.db) {
    return conn.selectFrom('people').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  }

  insertPerson(
    conn: Conn,
    values: { email: string; displayName: string; lang: 'it' | 'en'; passwordHash: string | null; verified?: boolean },
  ) {
    return conn
      .insertInto('people')
      .values({
        email: values.email,
        display_name: values.displayName,
        preferred_lang: values.lang,
        password_hash: values.passwordHash,
        email_verified_at: values.verified ? new Date() : null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async insertToken(
    conn: Conn,
    values: { hash: string; purpose: AuthTokenPurpose; personId: string | null; email: string; ttlMs: number; payload?: object },
  ) {
    await conn
      .insertInto('auth_tokens')
      .values({
        token_hash: values.hash,
        purpose: values.purpose,
        person_id: values.personId,
        email: values.email,
        payload: JSON.stringify(values.payload ?? {}),
        expires_at: new Date(Date.now() + values.ttlMs),
      })
      .execute();
  }

  findToken(conn: Conn, hash: string, purpose: AuthTokenPurpose) {
    return conn
      .selectFrom('auth_tokens')
      .selectAll()
      .where('token_hash', '=', hash)
      .where('purpose', '=', purpose)
      .forUpdate()
      .executeTakeFirst();
  }

  async markTokenUsed(conn: Conn, hash: string) {
    await conn.updateTable('auth_tokens').set({ used_at: sql`now()` }).where('token_hash', '=', hash).execute();
  }

  async recordLoginAttempt(email: string, ip: string, succeeded: boolean) {
    await this.db.insertInto('login_attempts').values({ email: email.toLowerCase(), ip, succeeded }).execute();
  }

  /** Failed attempts since `since`, for one account and for one address, with the oldest of each. */
  async failuresSince(email: string, ip: string, since: Date) {
    const row = await this.db
      .selectFrom('login_attempts')
      .select([
        sql<number>`count(*) FILTER (WHERE email = ${email.toLowerCase()})`.as('by_email'),
        sql<number>`count(*) FILTER (WHERE ip = ${ip})`.as('by_ip'),
        sql<Date | null>`min(at) FILTER (WHERE email = ${email.toLowerCase()})`.as('oldest_email'),
        sql<Date | null>`min(at) FILTER (WHERE ip = ${ip})`.as('oldest_ip'),
      ])
      .where('succeeded', '=', false)
      .where('at', '>', since)
      .where((eb) => eb.or([eb('email', '=', email.toLowerCase()), eb('ip', '=', ip)]))
      .executeTakeFirstOrThrow();
    return {
      byEmail: Number(row.by_email),
      byIp: Number(row.by_ip),
      oldestEmail: row.oldest_email ? new Date(row.oldest_email) : null,
      oldestIp: row.oldest_ip ? new Date(row.oldest_ip) : null,
    };
  }

  async clearFailures(email: string) {
    await this.db.deleteFrom('login_attempts').where('email', '=', email.toLowerCase()).where('succeeded', '=', false).execute();
  }

  async grant(conn: Conn, values: { personId: string; role: Role; clusterId?: string | null; organisationId?: string | null; grantedBy?: string | null }) {
    await conn
      .insertInto('role_grants')
      .values({
        person_id: values.personId,
        role: values.role,
        cluster_id: values.clusterId ?? null,
        organisation_id: values.organisationId ?? null,
        granted_by: values.grantedBy ?? null,
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  grantsOf(personId: string, conn: Conn = this.db) {
    return conn
      .selectFrom('role_grants as g')
      .leftJoin('clusters as c', 'c.id', 'g.cluster_id')
      .leftJoin('organisations as o', 'o.id', 'g.organisation_id')
      .select(['g.role', 'g.cluster_id', 'g.organisation_id', 'g.created_at', 'c.slug as cluster_slug', 'c.short_name as cluster_name', 'o.legal_name as organisation_name'])
      .where('g.person_id', '=', personId)
      .orderBy('g.created_at')
      .execute();
  }

  async recordConsent(conn: Conn, personId: string, kind: string, version: string) {
    await conn.insertInto('consents').values({ person_id: personId, kind, version }).execute();
  }

  consentsOf(personId: string) {
    return this.db.selectFrom('consents').select(['kind', 'version', 'given_at']).where('person_id', '=', personId).orderBy('given_at').execute();
  }

  sessionsOf(personId: string) {
    return this.db
      .selectFrom('sessions')
      .select(['created_at', 'last_seen_at', 'ip', 'user_agent'])
      .where('person_id', '=', personId)
      .orderBy('created_at')
      .execute();
  }

  auditByActor(personId: string) {
    return this.db
      .selectFrom('audit_log')
      .select(['at', 'action', 'entity_type', 'entity_id'])
      .where('actor_person_id', '=', personId)
      .orderBy('at')
      .execute();
  }
}
