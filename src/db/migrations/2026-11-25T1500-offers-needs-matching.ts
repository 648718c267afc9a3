import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
// Technology offers and needs with their audiences; precomputed match documents; interests,
// collaborations with their history and clusters; the persisted job schedule, weekly digest runs
// and digest opt-outs.

const VISIBILITY = sql`visibility IN ('public', 'members', 'clusters')`;
const ITEM_STATUS = sql`status IN ('draft', 'published', 'archived')`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('technology_offers')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('external_ref', 'text', (c) => c.unique())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft').check(ITEM_STATUS))
    .addColumn('title_it', 'text')
    .addColumn('title_en', 'text')
    .addColumn('summary_it', 'text')
    .addColumn('summary_en', 'text')
    .addColumn('description_it', 'text')
    .addColumn('description_en', 'text')
    .addColumn('taxonomy_codes', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('trl', 'smallint', (c) => c.check(sql`trl BETWEEN 1 AND 9`))
    .addColumn('ip_status', 'text', (c) => c.check(sql`ip_status IN ('patent', 'know_how', 'open')`))
    .addColumn('patent_number', 'text')
    .addColumn('collaboration_types', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('categories', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('tags', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('looking_for', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('visibility', 'text', (c) => c.notNull().defaultTo('public').check(VISIBILITY))
    .addColumn('expires_on', 'date')
    .addColumn('published_at', 'timestamptz')
    .addColumn('archived_at', 'timestamptz')
    .addColumn('renewal_reminded_at', 'timestamptz')
    .addColumn('created_by', 'uuid', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('technology_offers_title', sql`title_it IS NOT NULL OR title_en IS NOT NULL`)
    .addCheckConstraint('technology_offers_patent', sql`ip_status = 'patent' OR patent_number IS NULL`)
    .execute();
  await db.schema.createIndex('technology_offers_org_idx').on('technology_offers').column('organisation_id').execute();
  await db.schema.createIndex('technology_offers_status_idx').on('technology_offers').columns(['status', 'published_at']).execute();
  await sql`CREATE INDEX technology_offers_expiry_idx ON technology_offers (expires_on) WHERE status = 'published'`.execute(db);

  await db.schema
    .createTable('technology_needs')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('external_ref', 'text', (c) => c.unique())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft').check(ITEM_STATUS))
    .addColumn('title_it', 'text')
    .addColumn('title_en', 'text')
    .addColumn('description_it', 'text')
    .addColumn('description_en', 'text')
    .addColumn('taxonomy_codes', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('trl_min', 'smallint', (c) => c.check(sql`trl_min BETWEEN 1 AND 9`))
    .addColumn('trl_max', 'smallint', (c) => c.check(sql`trl_max BETWEEN 1 AND 9`))
    .addColumn('budget_min_cents', 'bigint', (c) => c.check(sql`budget_min_cents >= 0`))
    .addColumn('budget_max_cents', 'bigint', (c) => c.check(sql`budget_max_cents >= 0`))
    .addColumn('currency', 'text', (c) => c.notNull().defaultTo('EUR'))
    .addColumn('deadline', 'date')
    .addColumn('partner_types', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('visibility', 'text', (c) => c.notNull().defaultTo('public').check(VISIBILITY))
    .addColumn('expires_on', 'date')
    .addColumn('published_at', 'timestamptz')
    .addColumn('archived_at', 'timestamptz')
    .addColumn('renewal_reminded_at', 'timestamptz')
    .addColumn('created_by', 'uuid', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('technology_needs_title', sql`title_it IS NOT NULL OR title_en IS NOT NULL`)
    .addCheckConstraint('technology_needs_trl', sql`trl_min IS NULL OR trl_max IS NULL OR trl_min <= trl_max`)
    .addCheckConstraint('technology_needs_budget', sql`budget_min_cents IS NULL OR budget_max_cents IS NULL OR budget_min_cents <= budget_max_cents`)
    .execute();
  await db.schema.createIndex('technology_needs_org_idx').on('technology_needs').column('organisation_id').execute();
  await db.schema.createIndex('technology_needs_status_idx').on('technology_needs').columns(['status', 'published_at']).execute();
  await sql`CREATE INDEX technology_needs_expiry_idx ON technology_needs (expires_on) WHERE status = 'published'`.execute(db);

  // Links between organisations, e.g. a spin-off and the universities that own it.
  await db.schema
    .createTable('organisation_relations')
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('related_organisation_id', 'uuid', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('relation', 'text', (c) => c.notNull().check(sql`relation IN ('spin_off_of')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('organisation_relations_pk', ['organisation_id', 'related_organisation_id', 'relation'])
    .execute();
  await db.schema.createIndex('organisation_relations_related_idx').on('organisation_relations').column('related_organisation_id').execute();

  // Visibility 'clusters': the clusters whose members may see the item.
  for (const [table, column, parent] of [
    ['technology_offer_clusters', 'offer_id', 'technology_offers'],
    ['technology_need_clusters', 'need_id', 'technology_needs'],
  ] as const) {
    await db.schema
      .createTable(table)
      .addColumn(column, 'uuid', (c) => c.notNull().references(`${parent}.id`).onDelete('cascade'))
      .addColumn('cluster_id', 'uuid', (c) => c.notNull().references('clusters.id').onDelete('cascade'))
      .addPrimaryKeyConstraint(`${table}_pk`, [column, 'cluster_id'])
      .execute();
  }

  // The analysed form of every offer and need, so the matcher never re-analyses text at query
  // time; `revision` (one sequence for all) lets every app instance load only what changed.
  await sql`CREATE SEQUENCE match_documents_revision_seq`.execute(db);
  await db.schema
    .createTable('match_documents')
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind IN ('offer', 'need')`))
    .addColumn('item_id', 'uuid', (c) => c.notNull())
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('active', 'boolean', (c) => c.notNull())
    .addColumn('analyzer_version', 'integer', (c) => c.notNull())
    .addColumn('revision', 'bigint', (c) => c.notNull().defaultTo(sql`nextval('match_documents_revision_seq')`))
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('match_documents_pk', ['kind', 'item_id'])
    .execute();
  await db.schema.createIndex('match_documents_revision_idx').on('match_documents').column('revision').execute();

  await db.schema
    .createTable('interests')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('from_organisation_id', 'uuid', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('to_organisation_id', 'uuid', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('offer_id', 'uuid', (c) => c.references('technology_offers.id').onDelete('set null'))
    .addColumn('need_id', 'uuid', (c) => c.references('technology_needs.id').onDelete('set null'))
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('sent').check(sql`status IN ('sent', 'accepted', 'declined', 'withdrawn')`))
    .addColumn('created_by', 'uuid', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('decided_by', 'uuid', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('decided_at', 'timestamptz')
    .addColumn('decision_note', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('interests_subject', sql`offer_id IS NOT NULL OR need_id IS NOT NULL`)
    .addCheckConstraint('interests_parties', sql`from_organisation_id <> to_organisation_id`)
    .execute();
  // One open or accepted interest per organisation and item: a second one is refused.
  await sql`CREATE UNIQUE INDEX interests_once ON interests (from_organisation_id, coalesce(offer_id, '00000000-0000-0000-0000-000000000000'::uuid), coalesce(need_id, '00000000-0000-0000-0000-000000000000'::uuid)) WHERE status IN ('sent', 'accepted')`.execute(db);
  await db.schema.createIndex('interests_to_idx').on('interests').columns(['to_organisation_id', 'status']).execute();
  await db.schema.createIndex('interests_from_idx').on('interests').columns(['from_organisation_id', 'status']).execute();

  await db.schema
    .createTable('collaborations')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('interest_id', 'uuid', (c) => c.notNull().unique().references('interests.id').onDelete('cascade'))
    .addColumn('offer_id', 'uuid', (c) => c.references('technology_offers.id').onDelete('set null'))
    .addColumn('need_id', 'uuid', (c) => c.references('technology_needs.id').onDelete('set null'))
    .addColumn('initiator_organisation_id', 'uuid', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('partner_organisation_id', 'uuid', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('exploring').check(sql`status IN ('exploring', 'agreement', 'project', 'closed_won', 'closed_lost')`),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('closed_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('collaborations_initiator_idx').on('collaborations').column('initiator_organisation_id').execute();
  await db.schema.createIndex('collaborations_partner_idx').on('collaborations').column('partner_organisation_id').execute();

  await db.schema
    .createTable('collaboration_events')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('collaboration_id', 'uuid', (c) => c.notNull().references('collaborations.id').onDelete('cascade'))
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('actor_person_id', 'uuid', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('collaboration_events_idx').on('collaboration_events').columns(['collaboration_id', 'at']).execute();

  // The clusters a collaboration counts for (the clusters of both parties when it started).
  await db.schema
    .createTable('collaboration_clusters')
    .addColumn('collaboration_id', 'uuid', (c) => c.notNull().references('collaborations.id').onDelete('cascade'))
    .addColumn('cluster_id', 'uuid', (c) => c.notNull().references('clusters.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('collaboration_clusters_pk', ['collaboration_id', 'cluster_id'])
    .execute();
  await db.schema.createIndex('collaboration_clusters_cluster_idx').on('collaboration_clusters').column('cluster_id').execute();

  // In-process jobs: when each one is due next. Claimed with a compare-and-set on next_run_at, so
  // two instances (or a restart) never run the same occurrence twice, and a missed one runs late.
  await db.schema
    .createTable('scheduled_jobs')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('next_run_at', 'timestamptz', (c) => c.notNull())
    .addColumn('locked_until', 'timestamptz')
    .addColumn('last_started_at', 'timestamptz')
    .addColumn('last_finished_at', 'timestamptz')
    .addColumn('last_error', 'text')
    .execute();

  // One weekly digest per organisation and ISO week; covers what was published since the last one.
  await db.schema
    .createTable('digest_runs')
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('week_start', 'date', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status IN ('pending', 'sent', 'empty', 'opted_out', 'failed')`))
    .addColumn('covered_from', 'timestamptz')
    .addColumn('covered_until', 'timestamptz', (c) => c.notNull())
    .addColumn('items', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('recipients', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .addPrimaryKeyConstraint('digest_runs_pk', ['organisation_id', 'week_start'])
    .execute();

  await db.schema
    .createTable('digest_preferences')
    .addColumn('organisation_id', 'uuid', (c) => c.primaryKey().references('organisations.id').onDelete('cascade'))
    .addColumn('opted_out', 'boolean', (c) => c.notNull())
    .addColumn('updated_by', 'uuid', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'digest_preferences',
    'digest_runs',
    'scheduled_jobs',
    'collaboration_clusters',
    'collaboration_events',
    'collaborations',
    'interests',
    'match_documents',
    'technology_need_clusters',
    'technology_offer_clusters',
    'technology_needs',
    'technology_offers',
    'organisation_relations',
  ]) {
    await db.schema.dropTable(table).execute();
  }
  await sql`DROP SEQUENCE match_documents_revision_seq`.execute(db);
}
