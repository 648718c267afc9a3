import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Principal } from './auth/principal.js';
import { bumpCacheVersion } from './cache.js';

/** Who did something: a signed-in person, or the system (seed, import job, scheduler). */
export interface Actor {
  personId: string | null;
  label: string;
  requestId?: string | undefined;
}

export const SYSTEM_ACTOR: Actor = { personId: null, label: 'system' };

export function actorOf(principal: Principal | null, requestId?: string): Actor {
  return principal
    ? { personId: principal.personId, label: principal.email, requestId }
    : { personId: null, label: 'anonymous', requestId };
}

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId?: string | null;
  clusterId?: string | null;
  organisationId?: string | null;
  before?: unknown;
  after?: unknown;
}

/**
 * Record a write in the audit log, inside the caller's transaction so that the entry exists
 * exactly when the change does. Binary fields (logos) are replaced by their size.
 */
export async function audit(db: Kysely<DB> | Transaction<DB>, actor: Actor, entry: AuditEntry): Promise<void> {
  // Every audited write may change what a public page shows: drop this process's cached pages.
  bumpCacheVersion();
  await db
    .insertInto('audit_log')
    .values({
      actor_person_id: actor.personId,
      actor_label: actor.label,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: entry.entityId ?? null,
      cluster_id: entry.clusterId ?? null,
      organisation_id: entry.organisationId ?? null,
      before: entry.before === undefined ? null : JSON.stringify(entry.before, replacer),
      after: entry.after === undefined ? null : JSON.stringify(entry.after, replacer),
      request_id: actor.requestId ?? null,
    })
    .execute();
}

function replacer(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && (value as { type?: string }).type === 'Buffer') {
    return `<${((value as { data: unknown[] }).data ?? []).length} bytes>`;
  }
  if (Buffer.isBuffer(value)) return `<${value.length} bytes>`;
  return value;
}
