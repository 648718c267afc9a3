import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
// The audit log keeps the cluster, the organisation and the person it names as data, not as foreign
// keys. A record of what happened must outlive what it describes: with `ON DELETE SET NULL`, deleting
// an organisation by hand rewrote its history (and read the whole log to do it: no index leads from
// an organisation to its entries), while the platform itself never deletes clusters, organisations
// or people (a person who leaves is anonymised in place). The keys cost a check on every audited
// write: three per organisation a member import writes (docs/decisions/007-performance.md,
// "Member import"). The audit page already shows an entry whose organisation it cannot find.

const KEYS = [
  { column: 'actor_person_id', table: 'people' },
  { column: 'cluster_id', table: 'clusters' },
  { column: 'organisation_id', table: 'organisations' },
] as const;

export async function up(db: Kysely<any>): Promise<void> {
  for (const { column } of KEYS) {
    await sql`ALTER TABLE audit_log DROP CONSTRAINT ${sql.ref(`audit_log_${column}_fkey`)}`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const { column, table } of KEYS) {
    // What the keys would have done to entries whose row went in the meantime.
    await sql`UPDATE audit_log AS a SET ${sql.ref(column)} = NULL
      WHERE a.${sql.ref(column)} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${sql.table(table)} AS t WHERE t.id = a.${sql.ref(column)})`.execute(db);
    await sql`ALTER TABLE audit_log ADD CONSTRAINT ${sql.ref(`audit_log_${column}_fkey`)}
      FOREIGN KEY (${sql.ref(column)}) REFERENCES ${sql.table(table)} (id) ON DELETE SET NULL`.execute(db);
  }
}
