import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
// Bulk inserts of organisations and memberships (the member import writes thousands in one
// statement) queue their organisations for re-indexing once per statement, from the transition
// table, instead of running a PL/pgSQL INSERT for every row (a third of the cost of inserting an
// organisation on PGlite). Deletes and updates of the indexed columns keep their row triggers:
// PostgreSQL allows no transition table on a trigger with a column list, and they touch few rows.
// What is queued, and in which transaction, does not change (docs/decisions/007-performance.md).

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE FUNCTION search_queue_organisations_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO search_reindex_queue (kind, entity_id)
      SELECT 'organisation', id FROM inserted_rows
      ON CONFLICT DO NOTHING;
      RETURN NULL;
    END $$
  `.execute(db);
  await sql`
    CREATE FUNCTION search_queue_memberships_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO search_reindex_queue (kind, entity_id)
      SELECT DISTINCT 'organisation', organisation_id FROM inserted_rows
      ON CONFLICT DO NOTHING;
      RETURN NULL;
    END $$
  `.execute(db);

  await sql`DROP TRIGGER organisations_search_queue ON organisations`.execute(db);
  await sql`CREATE TRIGGER organisations_search_queue AFTER DELETE OR UPDATE OF legal_name, short_name, type, city, province_code, country_code, employees, turnover_cents, balance_sheet_cents, size_class_declared, size_class_computed, description_it, description_en, website ON organisations FOR EACH ROW EXECUTE FUNCTION search_queue_organisation()`.execute(db);
  await sql`CREATE TRIGGER organisations_search_queue_insert AFTER INSERT ON organisations REFERENCING NEW TABLE AS inserted_rows FOR EACH STATEMENT EXECUTE FUNCTION search_queue_organisations_inserted()`.execute(db);

  await sql`DROP TRIGGER memberships_search_queue ON memberships`.execute(db);
  await sql`CREATE TRIGGER memberships_search_queue AFTER DELETE OR UPDATE OF status ON memberships FOR EACH ROW EXECUTE FUNCTION search_queue_membership()`.execute(db);
  await sql`CREATE TRIGGER memberships_search_queue_insert AFTER INSERT ON memberships REFERENCING NEW TABLE AS inserted_rows FOR EACH STATEMENT EXECUTE FUNCTION search_queue_memberships_inserted()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TRIGGER memberships_search_queue_insert ON memberships`.execute(db);
  await sql`DROP TRIGGER memberships_search_queue ON memberships`.execute(db);
  await sql`CREATE TRIGGER memberships_search_queue AFTER INSERT OR DELETE OR UPDATE OF status ON memberships FOR EACH ROW EXECUTE FUNCTION search_queue_membership()`.execute(db);
  await sql`DROP TRIGGER organisations_search_queue_insert ON organisations`.execute(db);
  await sql`DROP TRIGGER organisations_search_queue ON organisations`.execute(db);
  await sql`CREATE TRIGGER organisations_search_queue AFTER INSERT OR DELETE OR UPDATE OF legal_name, short_name, type, city, province_code, country_code, employees, turnover_cents, balance_sheet_cents, size_class_declared, size_class_computed, description_it, description_en, website ON organisations FOR EACH ROW EXECUTE FUNCTION search_queue_organisation()`.execute(db);
  await sql`DROP FUNCTION search_queue_memberships_inserted()`.execute(db);
  await sql`DROP FUNCTION search_queue_organisations_inserted()`.execute(db);
}
