import { sql, type Kysely } from 'kysely';
import type { DB, Role } from '../../db/schema.js';
import { isLang } from '../i18n.js';
import { randomToken, sha256 } from './crypto.js';
import type { Principal } from './principal.js';

export const SESSION_COOKIE = 'sid';
/** Idle timeout (sliding) and absolute lifetime of a session. */
export const SESSION_IDLE_MS = 14 * 24 * 3600 * 1000;
export const SESSION_MAX_MS = 30 * 24 * 3600 * 1000;
const TOUCH_EVERY_MS = 60 * 1000;

/** Sessions live in the database, so any app instance can serve any request. */
export class SessionStore {
  constructor(private readonly db: Kysely<DB>) {}

  /** Start a new session (a new id at every login: no fixation). Returns the raw token for the cookie. */
  async create(personId: string, meta: { ip: string; userAgent: string | undefined }): Promise<string> {
    const token = randomToken();
    await this.db
      .insertInto('sessions')
      .values({
        id_hash: sha256(token),
        person_id: personId,
        expires_at: new Date(Date.now() + SESSION_IDLE_MS),
        ip: meta.ip,
        user_agent: meta.userAgent?.slice(0, 300) ?? null,
      })
      .execute();
    return token;
  }

  /** The principal of a session token, in one query (it runs before every signed-in request). */
  async load(token: string): Promise<Principal | null> {
    const idHash = sha256(token);
    const row = await this.db
      .selectFrom('sessions as s')
      .innerJoin('people as p', 'p.id', 's.person_id')
      .select([
        's.id_hash',
        's.created_at',
        's.last_seen_at',
        's.expires_at',
        'p.id as person_id',
        'p.email',
        'p.display_name',
        'p.preferred_lang',
        'p.deleted_at',
        sql<{ role: Role; cluster_id: string | null; organisation_id: string | null }[]>`(
          SELECT coalesce(json_agg(json_build_object('role', g.role, 'cluster_id', g.cluster_id, 'organisation_id', g.organisation_id)), '[]'::json)
          FROM role_grants g WHERE g.person_id = p.id
        )`.as('grants'),
      ])
      .where('s.id_hash', '=', idHash)
      .executeTakeFirst();
    if (!row || row.deleted_at || !row.email) return null;
    const now = Date.now();
    if (row.expires_at.getTime() <= now || row.created_at.getTime() + SESSION_MAX_MS <= now) {
      await this.db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
      return null;
    }
    if (now - row.last_seen_at.getTime() > TOUCH_EVERY_MS) {
      await this.db
        .updateTable('sessions')
        .set({ last_seen_at: sql`now()`, expires_at: new Date(now + SESSION_IDLE_MS) })
        .where('id_hash', '=', idHash)
        .execute();
    }
    return {
      personId: row.person_id,
      email: row.email,
      displayName: row.display_name,
      lang: isLang(row.preferred_lang) ? row.preferred_lang : 'it',
      grants: row.grants.map((g) => ({ role: g.role, clusterId: g.cluster_id, organisationId: g.organisation_id })),
      sessionHash: idHash,
    };
  }

  async revoke(idHash: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
  }

  /** Log out everywhere. */
  async revokeAll(personId: string): Promise<number> {
    const result = await this.db.deleteFrom('sessions').where('person_id', '=', personId).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
