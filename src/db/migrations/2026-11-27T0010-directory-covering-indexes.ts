import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
// The member directory (a cluster's members, filtered by province, type or size, in name order,
// with their number) joins the cluster's admitted memberships with the organisations that pass the
// filters. At the Europe scale the cosmetics cluster's members in Milan read 68,037 organisations'
// rows (15,489 pages: the rows are wide, descriptions included) and 18,347 memberships' (4,465
// pages) to find 6,227: 140 ms, most of a signed-in directory page. The two indexes it reads now
// carry what it needs, so both sides are index-only scans where the visibility map allows it
// (after a VACUUM; `clusterhub generate` runs one): 31 ms. docs/decisions/007-performance.md,
// "The member directory at the Europe scale".

const ORGANISATION_COLUMNS = ['id', 'type', 'legal_name', 'short_name', 'created_at', 'size_class_computed', 'size_class_declared'];

export async function up(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX organisations_province_idx`.execute(db);
  await sql.raw(`CREATE INDEX organisations_province_idx ON organisations (province_code) INCLUDE (${ORGANISATION_COLUMNS.join(', ')})`).execute(db);
  await sql`DROP INDEX memberships_cluster_status_idx`.execute(db);
  await sql`CREATE INDEX memberships_cluster_status_idx ON memberships (cluster_id, status) INCLUDE (organisation_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX organisations_province_idx`.execute(db);
  await sql`CREATE INDEX organisations_province_idx ON organisations (province_code)`.execute(db);
  await sql`DROP INDEX memberships_cluster_status_idx`.execute(db);
  await sql`CREATE INDEX memberships_cluster_status_idx ON memberships (cluster_id, status)`.execute(db);
}
