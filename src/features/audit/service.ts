import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AuditRepository, type AuditRow, type AuditScope } from './repository.js';

export type { AuditScope } from './repository.js';

export const AUDIT_PAGE_SIZE = 50;
export const AUDIT_MAX_PAGE_SIZE = 200;

export interface AuditFilter {
  actionPrefix?: string | undefined;
  entityType?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  cursor?: number | undefined;
  limit?: number | undefined;
}

/** One changed key: its value before and after (undefined when absent on that side). */
export interface AuditChange {
  key: string;
  before: unknown;
  after: unknown;
}

export interface AuditEntryView {
  id: number;
  at: Date;
  actor: { personId: string | null; label: string | null };
  action: string;
  entity: { type: string; id: string | null };
  cluster: { id: string; slug: string; name: string } | null;
  organisation: { id: string; name: string } | null;
  requestId: string | null;
  changes: AuditChange[];
}

export interface AuditPage {
  entries: AuditEntryView[];
  /** Pass as `cursor` to get the next (older) page; null on the last page. */
  nextCursor: number | null;
}

/** A real calendar day written yyyy-mm-dd (2026-02-30 is refused). */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * What changed between the recorded before and after: only keys whose value differs, in the order
 * they first appear. A creation (no before) lists every key of after; a value that is not an
 * object is reported under the empty key.
 */
export function diffAudit(before: unknown, after: unknown): AuditChange[] {
  const b = before ?? undefined;
  const a = after ?? undefined;
  if (b === undefined && a === undefined) return [];
  if ((b === undefined || isPlainObject(b)) && (a === undefined || isPlainObject(a))) {
    const left = b ?? {};
    const right = a ?? {};
    const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])];
    return keys
      .filter((key) => !same(left[key], right[key]))
      .map((key) => ({ key, before: left[key], after: right[key] }));
  }
  return same(b, a) ? [] : [{ key: '', before: b, after: a }];
}

function present(row: AuditRow): AuditEntryView {
  return {
    id: row.id,
    at: row.at,
    actor: { personId: row.actor_person_id, label: row.actor_label },
    action: row.action,
    entity: { type: row.entity_type, id: row.entity_id },
    cluster:
      row.cluster_id && row.cluster_slug ? { id: row.cluster_id, slug: row.cluster_slug, name: row.cluster_name ?? row.cluster_slug } : null,
    organisation: row.organisation_id ? { id: row.organisation_id, name: row.organisation_name ?? row.organisation_id } : null,
    requestId: row.request_id,
    changes: diffAudit(row.before, row.after),
  };
}

/**
 * Reading the audit log. Who may read what is decided by the route's declared access: a cluster's
 * managers get the cluster scope, the Region the whole log. Writing stays in platform/audit.ts.
 */
export class AuditService {
  private readonly repo: AuditRepository;

  constructor(db: Kysely<DB>) {
    this.repo = new AuditRepository(db);
  }

  async list(scope: AuditScope, filter: AuditFilter): Promise<AuditPage> {
    const limit = Math.min(Math.max(filter.limit ?? AUDIT_PAGE_SIZE, 1), AUDIT_MAX_PAGE_SIZE);
    const rows = await this.repo.list(scope, {
      actionPrefix: filter.actionPrefix?.trim() || undefined,
      entityType: filter.entityType?.trim() || undefined,
      from: filter.from && isIsoDate(filter.from) ? filter.from : undefined,
      to: filter.to && isIsoDate(filter.to) ? filter.to : undefined,
      beforeId: filter.cursor,
      // One more than shown tells whether an older page exists.
      limit: limit + 1,
    });
    const shown = rows.slice(0, limit);
    return {
      entries: shown.map(present),
      nextCursor: rows.length > limit ? (shown[shown.length - 1]?.id ?? null) : null,
    };
  }

  entityTypes(): Promise<string[]> {
    return this.repo.entityTypes();
  }
}
