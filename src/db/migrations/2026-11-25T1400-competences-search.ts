import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
// The competence map (taxonomy per cluster, network concepts, organisation competences,
// facilities, people's expertise) and the pre-computed search documents behind the one search.

export async function up(db: Kysely<any>): Promise<void> {
  // A concept shared across clusters (e.g. green chemistry): areas of several taxonomies that
  // point to it are searched as one.
  await db.schema
    .createTable('network_concepts')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('code', 'text', (c) => c.notNull().unique().check(sql`code ~ '^[a-z0-9]+(-[a-z0-9]+)*$'`))
    .addColumn('label_it', 'text', (c) => c.notNull())
    .addColumn('label_en', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // Each cluster's tree of competence areas. Codes are stable (a rename changes labels, a move
  // changes the parent); an area is retired, never deleted, so old codes stay resolvable.
  await db.schema
    .createTable('competence_areas')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('cluster_id', 'uuid', (c) => c.notNull().references('clusters.id').onDelete('cascade'))
    .addColumn('code', 'text', (c) => c.notNull().check(sql`code ~ '^[A-Z0-9]{1,12}(\\.[A-Z0-9]{1,12}){0,4}$'`))
    .addColumn('parent_id', 'uuid', (c) => c.references('competence_areas.id').onDelete('restrict'))
    .addColumn('label_it', 'text', (c) => c.notNull())
    .addColumn('label_en', 'text')
    .addColumn('synonyms_it', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('synonyms_en', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('concept_id', 'uuid', (c) => c.references('network_concepts.id').onDelete('set null'))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('retired_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('competence_areas_code_unique', ['cluster_id', 'code'])
    .execute();
  await db.schema.createIndex('competence_areas_parent_idx').on('competence_areas').column('parent_id').execute();
  await db.schema.createIndex('competence_areas_concept_idx').on('competence_areas').column('concept_id').execute();

  await db.schema
    .createTable('organisation_competences')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('area_id', 'uuid', (c) => c.references('competence_areas.id').onDelete('restrict'))
    .addColumn('level', 'text', (c) => c.notNull().check(sql`level IN ('core', 'experienced', 'emerging')`))
    .addColumn('description_it', 'text')
    .addColumn('description_en', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('organisation_competences_what', sql`area_id IS NOT NULL OR description_it IS NOT NULL`)
    .execute();
  await sql`CREATE UNIQUE INDEX organisation_competences_area_unique ON organisation_competences (organisation_id, area_id) WHERE area_id IS NOT NULL`.execute(db);
  await db.schema.createIndex('organisation_competences_area_idx').on('organisation_competences').column('area_id').execute();

  await db.schema
    .createTable('facilities')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) =>
      c.notNull().check(sql`type IN ('laboratory', 'pilot_plant', 'instrument', 'testing_service', 'other')`),
    )
    .addColumn('description_it', 'text')
    .addColumn('description_en', 'text')
    .addColumn('accreditations', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('access_conditions_it', 'text')
    .addColumn('access_conditions_en', 'text')
    .addColumn('city', 'text')
    .addColumn('province_code', 'text', (c) => c.check(sql`province_code ~ '^[A-Z]{2}$'`))
    .addColumn('country_code', 'text', (c) => c.notNull().defaultTo('IT').check(sql`country_code ~ '^[A-Z]{2}$'`))
    // Areas are never deleted (only retired), so plain ids are safe here.
    .addColumn('area_ids', sql`uuid[]`, (c) => c.notNull().defaultTo(sql`'{}'::uuid[]`))
    .addColumn('visibility', 'text', (c) => c.notNull().defaultTo('public').check(sql`visibility IN ('public', 'members', 'private')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('facilities_org_idx').on('facilities').column('organisation_id').execute();

  // A person's expertise exists only when that person opts in (the row is theirs to create and delete).
  await db.schema
    .createTable('person_expertise')
    .addColumn('person_id', 'uuid', (c) => c.primaryKey().references('people.id').onDelete('cascade'))
    .addColumn('organisation_id', 'uuid', (c) => c.references('organisations.id').onDelete('set null'))
    .addColumn('headline', 'text')
    .addColumn('summary_it', 'text')
    .addColumn('summary_en', 'text')
    .addColumn('keywords', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('area_ids', sql`uuid[]`, (c) => c.notNull().defaultTo(sql`'{}'::uuid[]`))
    .addColumn('orcid', 'text', (c) => c.check(sql`orcid ~ '^[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]$'`))
    .addColumn('visibility', 'text', (c) => c.notNull().defaultTo('members').check(sql`visibility IN ('public', 'members', 'private')`))
    .addColumn('opted_in_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('person_expertise_org_idx').on('person_expertise').column('organisation_id').execute();

  // One pre-computed search document per searchable thing (organisation, facility, person),
  // rewritten by the search service whenever its source changes; queries never rebuild text.
  await db.schema
    .createTable('search_documents')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind IN ('organisation', 'facility', 'person')`))
    .addColumn('organisation_id', 'uuid')
    .addColumn('person_id', 'uuid')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('sort_key', 'text', (c) => c.notNull())
    .addColumn('org_type', 'text')
    .addColumn('province_code', 'text')
    .addColumn('country_code', 'text')
    .addColumn('size_class', 'text')
    // Clusters where the owning organisation is an admitted member; empty = not listed publicly.
    .addColumn('cluster_ids', sql`uuid[]`, (c) => c.notNull().defaultTo(sql`'{}'::uuid[]`))
    .addColumn('listed', 'boolean', (c) => c.notNull().defaultTo(false))
    // Qualified area keys (`cosmetica:FOR.SKIN`, their ancestors, `concept:<code>`) and the top-level ones.
    .addColumn('area_keys', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('area_top', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('visibility', 'text', (c) => c.notNull().check(sql`visibility IN ('public', 'members', 'private')`))
    // Both configurations over all the text: an Italian stem and an English stem per word.
    .addColumn('tsv', sql`tsvector`, (c) => c.notNull())
    // Unaccented, lower-case names for trigram (typo-tolerant) matching.
    .addColumn('trgm_text', 'text', (c) => c.notNull())
    // What a result shows, so that a page of results needs no further query.
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // GIN without the pending list: the embedded database has no autovacuum to merge it, and every
  // search would scan it linearly; writes pay a little more instead.
  await sql`CREATE INDEX search_documents_tsv_idx ON search_documents USING gin (tsv) WITH (fastupdate = off)`.execute(db);
  await sql`CREATE INDEX search_documents_trgm_idx ON search_documents USING gin (trgm_text gin_trgm_ops) WITH (fastupdate = off)`.execute(db);
  await sql`CREATE INDEX search_documents_area_keys_idx ON search_documents USING gin (area_keys) WITH (fastupdate = off)`.execute(db);
  await sql`CREATE INDEX search_documents_clusters_idx ON search_documents USING gin (cluster_ids) WITH (fastupdate = off)`.execute(db);
  await db.schema.createIndex('search_documents_org_idx').on('search_documents').column('organisation_id').execute();
  await db.schema.createIndex('search_documents_person_idx').on('search_documents').column('person_id').execute();

  // The documents matching a query, from the GIN indexes only. The planner cannot tell how costly
  // `@@` is on wide tsvectors and may prefer reading every document; inside this function it may
  // not (SET applies while it runs), and ROWS tells the caller to expect few candidates.
  await sql`
    CREATE FUNCTION search_candidates(q tsquery, names text) RETURNS SETOF uuid
    LANGUAGE sql STABLE ROWS 200 SET enable_seqscan = off
    AS $$
      SELECT id FROM search_documents WHERE tsv @@ q
      UNION
      SELECT id FROM search_documents WHERE names IS NOT NULL AND names <% trgm_text
    $$
  `.execute(db);

  // Every word of every document (unaccented, lower case): the dictionary typos are corrected against.
  await db.schema.createTable('search_vocabulary').addColumn('word', 'text', (c) => c.primaryKey()).execute();
  await sql`CREATE INDEX search_vocabulary_trgm_idx ON search_vocabulary USING gin (word gin_trgm_ops) WITH (fastupdate = off)`.execute(db);

  // Sources changed by other features (profiles, memberships, people), queued in their own
  // transaction by the triggers below and re-indexed by the search service.
  await db.schema
    .createTable('search_reindex_queue')
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind IN ('organisation', 'person')`))
    .addColumn('entity_id', 'uuid', (c) => c.notNull())
    .addColumn('queued_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('search_reindex_queue_pk', ['kind', 'entity_id'])
    .execute();

  // A counter bumped on every change of the search documents: every app instance drops its
  // cache of anonymous searches when it sees a new value.
  await db.schema
    .createTable('search_state')
    .addColumn('id', 'smallint', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('version', 'bigint', (c) => c.notNull().defaultTo(0))
    // Bumped only when a taxonomy or concept changes: the instances reload their copy of it.
    .addColumn('taxonomy_version', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`INSERT INTO search_state (id, version, taxonomy_version) VALUES (1, 0, 0)`.execute(db);

  await sql`
    CREATE FUNCTION search_queue_organisation() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO search_reindex_queue (kind, entity_id)
      VALUES ('organisation', CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END)
      ON CONFLICT DO NOTHING;
      RETURN NULL;
    END $$
  `.execute(db);
  await sql`
    CREATE FUNCTION search_queue_membership() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO search_reindex_queue (kind, entity_id)
      VALUES ('organisation', CASE WHEN TG_OP = 'DELETE' THEN OLD.organisation_id ELSE NEW.organisation_id END)
      ON CONFLICT DO NOTHING;
      RETURN NULL;
    END $$
  `.execute(db);
  await sql`
    CREATE FUNCTION search_queue_person() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO search_reindex_queue (kind, entity_id)
      VALUES ('person', CASE WHEN TG_OP = 'DELETE' THEN OLD.person_id ELSE NEW.person_id END)
      ON CONFLICT DO NOTHING;
      RETURN NULL;
    END $$
  `.execute(db);
  await sql`
    CREATE FUNCTION search_queue_person_row() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO search_reindex_queue (kind, entity_id) VALUES ('person', NEW.id) ON CONFLICT DO NOTHING;
      RETURN NULL;
    END $$
  `.execute(db);
  await sql`CREATE TRIGGER organisations_search_queue AFTER INSERT OR DELETE OR UPDATE OF legal_name, short_name, type, city, province_code, country_code, employees, turnover_cents, balance_sheet_cents, size_class_declared, size_class_computed, description_it, description_en, website ON organisations FOR EACH ROW EXECUTE FUNCTION search_queue_organisation()`.execute(db);
  await sql`CREATE TRIGGER memberships_search_queue AFTER INSERT OR DELETE OR UPDATE OF status ON memberships FOR EACH ROW EXECUTE FUNCTION search_queue_membership()`.execute(db);
  await sql`CREATE TRIGGER role_grants_search_queue AFTER INSERT OR DELETE OR UPDATE ON role_grants FOR EACH ROW EXECUTE FUNCTION search_queue_person()`.execute(db);
  await sql`CREATE TRIGGER people_search_queue AFTER UPDATE OF display_name, deleted_at ON people FOR EACH ROW EXECUTE FUNCTION search_queue_person_row()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TRIGGER people_search_queue ON people`.execute(db);
  await sql`DROP TRIGGER role_grants_search_queue ON role_grants`.execute(db);
  await sql`DROP TRIGGER memberships_search_queue ON memberships`.execute(db);
  await sql`DROP TRIGGER organisations_search_queue ON organisations`.execute(db);
  await sql`DROP FUNCTION search_candidates(tsquery, text)`.execute(db);
  for (const fn of ['search_queue_person_row', 'search_queue_person', 'search_queue_membership', 'search_queue_organisation']) {
    await sql.raw(`DROP FUNCTION ${fn}()`).execute(db);
  }
  for (const table of [
    'search_state',
    'search_reindex_queue',
    'search_vocabulary',
    'search_documents',
    'person_expertise',
    'facilities',
    'organisation_competences',
    'competence_areas',
    'network_concepts',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
