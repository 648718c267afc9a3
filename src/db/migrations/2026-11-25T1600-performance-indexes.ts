import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
// Indexes that match the plans of the hot pages (docs/decisions/007-performance.md).

export async function up(db: Kysely<any>): Promise<void> {
  // The directory's "is an admitted member (of this cluster)" semi-join: without it the planner
  // probed memberships_open_unique on its second column, ~0.05 ms per organisation (60 ms for the
  // 1,200 companies of Milan at region scale).
  await sql`CREATE INDEX memberships_admitted_org_idx ON memberships (organisation_id, cluster_id) WHERE status = 'admitted'`.execute(db);
  // An organisation page reads its competences by organisation; the unique index covers only
  // the rows with a taxonomy area.
  await sql`CREATE INDEX organisation_competences_org_idx ON organisation_competences (organisation_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX organisation_competences_org_idx`.execute(db);
  await sql`DROP INDEX memberships_admitted_org_idx`.execute(db);
}
