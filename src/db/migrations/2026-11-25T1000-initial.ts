import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE EXTENSION IF NOT EXISTS unaccent`.execute(db);
  await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);

  // Italian and English full-text configurations that ignore accents, for search.
  for (const [name, stem] of [
    ['ch_italian', 'italian_stem'],
    ['ch_english', 'english_stem'],
  ] as const) {
    await sql.raw(`CREATE TEXT SEARCH CONFIGURATION ${name} (COPY = pg_catalog.simple)`).execute(db);
    await sql
      .raw(
        `ALTER TEXT SEARCH CONFIGURATION ${name} ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part WITH unaccent, ${stem}`,
      )
      .execute(db);
  }
  // An immutable wrapper so unaccent can be used in index expressions.
  await sql`
    CREATE FUNCTION ch_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT unaccent('unaccent'::regdictionary, $1) $$
  `.execute(db);

  await db.schema
    .createTable('clusters')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('slug', 'text', (c) => c.notNull().unique().check(sql`slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'`))
    .addColumn('number', 'smallint', (c) => c.notNull().unique())
    .addColumn('name_it', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('short_name', 'text', (c) => c.notNull())
    .addColumn('area_it', 'text', (c) => c.notNull())
    .addColumn('area_en', 'text', (c) => c.notNull())
    .addColumn('managing_body', 'text', (c) => c.notNull())
    .addColumn('legal_form', 'text', (c) =>
      c.notNull().check(sql`legal_form IN ('recognised_association', 'association', 'foundation')`),
    )
    .addColumn('website', 'text')
    .addColumn('description_it', 'text', (c) => c.notNull())
    .addColumn('description_en', 'text')
    .addColumn('territory_it', 'text', (c) => c.notNull())
    .addColumn('territory_en', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('cluster_recognition_steps')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('cluster_id', 'uuid', (c) => c.notNull().references('clusters.id').onDelete('cascade'))
    .addColumn('step', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`step IN ('costituito', 'presa_d_atto', 'riconosciuto', 'operativo', 'sospeso', 'revocato')`,
        ),
    )
    .addColumn('occurred_on', 'date', (c) => c.notNull())
    .addColumn('act_reference', 'text', (c) => c.notNull())
    .addColumn('note_it', 'text')
    .addColumn('note_en', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('cluster_recognition_steps_unique', ['cluster_id', 'step', 'occurred_on'])
    .execute();
  await db.schema
    .createIndex('cluster_recognition_steps_cluster_idx')
    .on('cluster_recognition_steps')
    .columns(['cluster_id', 'occurred_on'])
    .execute();

  await db.schema
    .createTable('organisations')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('external_ref', 'text', (c) => c.unique())
    .addColumn('legal_name', 'text', (c) => c.notNull())
    .addColumn('short_name', 'text')
    .addColumn('type', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`type IN ('company', 'university', 'research_centre', 'its_academy', 'school', 'public_body', 'chamber_of_commerce', 'association', 'spin_off', 'other')`,
        ),
    )
    .addColumn('website', 'text')
    .addColumn('city', 'text')
    .addColumn('province_code', 'text', (c) => c.check(sql`province_code ~ '^[A-Z]{2}$'`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('cluster_organisation_roles')
    .addColumn('cluster_id', 'uuid', (c) => c.notNull().references('clusters.id').onDelete('cascade'))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role IN ('coordinator', 'founder', 'partner')`))
    .addColumn('note_it', 'text')
    .addColumn('note_en', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('cluster_organisation_roles_pk', ['cluster_id', 'organisation_id', 'role'])
    .execute();
  await db.schema
    .createIndex('cluster_organisation_roles_org_idx')
    .on('cluster_organisation_roles')
    .column('organisation_id')
    .execute();

  await db.schema
    .createTable('seed_runs')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('applied_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['seed_runs', 'cluster_organisation_roles', 'organisations', 'cluster_recognition_steps', 'clusters']) {
    await db.schema.dropTable(table).execute();
  }
  await sql`DROP FUNCTION ch_unaccent(text)`.execute(db);
  await sql`DROP TEXT SEARCH CONFIGURATION ch_english`.execute(db);
  await sql`DROP TEXT SEARCH CONFIGURATION ch_italian`.execute(db);
}
