import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
// People, sessions and tokens; role grants; organisation profiles; member classes and
// memberships with their lifecycle events; consents; the audit log.

export async function up(db: Kysely<any>): Promise<void> {
  // Installation-wide settings shared by every app instance (e.g. the generated cookie secret).
  await db.schema
    .createTable('app_settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('people')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('email', 'text')
    .addColumn('email_verified_at', 'timestamptz')
    .addColumn('password_hash', 'text')
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('preferred_lang', 'text', (c) => c.notNull().defaultTo('it').check(sql`preferred_lang IN ('it', 'en')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('deleted_at', 'timestamptz')
    .execute();
  await sql`CREATE UNIQUE INDEX people_email_unique ON people (lower(email)) WHERE email IS NOT NULL`.execute(db);

  await db.schema
    .createTable('person_identities')
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('person_id', 'uuid', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('person_identities_pk', ['provider', 'subject'])
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'uuid', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .execute();
  await db.schema.createIndex('sessions_person_idx').on('sessions').column('person_id').execute();

  await db.schema
    .createTable('auth_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('purpose', 'text', (c) =>
      c.notNull().check(sql`purpose IN ('verify_email', 'reset_password', 'invitation')`),
    )
    .addColumn('person_id', 'uuid', (c) => c.references('people.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('auth_tokens_person_idx').on('auth_tokens').column('person_id').execute();

  await db.schema
    .createTable('login_attempts')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('ip', 'text', (c) => c.notNull())
    .addColumn('succeeded', 'boolean', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('login_attempts_email_idx').on('login_attempts').columns(['email', 'at']).execute();
  await db.schema.createIndex('login_attempts_ip_idx').on('login_attempts').columns(['ip', 'at']).execute();

  // Organisation profile: widen the registry table.
  await db.schema
    .alterTable('organisations')
    .addColumn('vat_number', 'text', (c) => c.check(sql`vat_number ~ '^[0-9]{11}$'`))
    .addColumn('tax_code', 'text')
    .addColumn('ateco_codes', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('employees', 'integer', (c) => c.check(sql`employees >= 0`))
    .addColumn('turnover_cents', 'bigint', (c) => c.check(sql`turnover_cents >= 0`))
    .addColumn('balance_sheet_cents', 'bigint', (c) => c.check(sql`balance_sheet_cents >= 0`))
    .addColumn('size_class_declared', 'text', (c) =>
      c.check(sql`size_class_declared IN ('micro', 'small', 'medium', 'large')`),
    )
    // Computed from employees and finances (EU 2003/361) on every write, kept for filtering.
    .addColumn('size_class_computed', 'text', (c) =>
      c.check(sql`size_class_computed IN ('micro', 'small', 'medium', 'large')`),
    )
    .addColumn('country_code', 'text', (c) => c.notNull().defaultTo('IT').check(sql`country_code ~ '^[A-Z]{2}$'`))
    .addColumn('comune_istat', 'text', (c) => c.check(sql`comune_istat ~ '^[0-9]{6}$'`))
    .addColumn('address', 'text')
    .addColumn('postcode', 'text')
    .addColumn('pec', 'text')
    .addColumn('email', 'text')
    .addColumn('description_it', 'text')
    .addColumn('description_en', 'text')
    .addColumn('logo', 'bytea')
    .addColumn('logo_mime', 'text', (c) => c.check(sql`logo_mime IN ('image/png', 'image/jpeg', 'image/webp')`))
    .addColumn('logo_updated_at', 'timestamptz')
    .execute();
  await sql`CREATE UNIQUE INDEX organisations_vat_unique ON organisations (vat_number) WHERE vat_number IS NOT NULL`.execute(db);
  await db.schema.createIndex('organisations_type_idx').on('organisations').column('type').execute();
  await db.schema.createIndex('organisations_size_idx').on('organisations').column('size_class_computed').execute();
  await db.schema.createIndex('organisations_province_idx').on('organisations').column('province_code').execute();
  await sql`CREATE INDEX organisations_name_idx ON organisations (lower(legal_name))`.execute(db);

  await db.schema
    .createTable('role_grants')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('person_id', 'uuid', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) =>
      c
        .notNull()
        .check(sql`role IN ('region_admin', 'cluster_manager', 'board_member', 'org_admin', 'org_member')`),
    )
    .addColumn('cluster_id', 'uuid', (c) => c.references('clusters.id').onDelete('cascade'))
    .addColumn('organisation_id', 'uuid', (c) => c.references('organisations.id').onDelete('cascade'))
    .addColumn('granted_by', 'uuid', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'role_grants_scope',
      sql`(role = 'region_admin' AND cluster_id IS NULL AND organisation_id IS NULL)
        OR (role IN ('cluster_manager', 'board_member') AND cluster_id IS NOT NULL AND organisation_id IS NULL)
        OR (role IN ('org_admin', 'org_member') AND organisation_id IS NOT NULL AND cluster_id IS NULL)`,
    )
    .execute();
  await sql`CREATE UNIQUE INDEX role_grants_unique ON role_grants (person_id, role, coalesce(cluster_id, '00000000-0000-0000-0000-000000000000'::uuid), coalesce(organisation_id, '00000000-0000-0000-0000-000000000000'::uuid))`.execute(
    db,
  );
  await db.schema.createIndex('role_grants_org_idx').on('role_grants').column('organisation_id').execute();
  await db.schema.createIndex('role_grants_cluster_idx').on('role_grants').column('cluster_id').execute();

  await db.schema
    .createTable('member_classes')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('cluster_id', 'uuid', (c) => c.notNull().references('clusters.id').onDelete('cascade'))
    .addColumn('code', 'text', (c) => c.notNull().check(sql`code ~ '^[a-z0-9_]+$'`))
    .addColumn('name_it', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text')
    .addColumn('voting', 'boolean', (c) => c.notNull())
    // null: the fee is not stated (never shown as zero).
    .addColumn('annual_fee_cents', 'integer', (c) => c.check(sql`annual_fee_cents >= 0`))
    .addColumn('currency', 'text', (c) => c.notNull().defaultTo('EUR'))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('member_classes_code_unique', ['cluster_id', 'code'])
    .execute();

  await db.schema
    .createTable('memberships')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('cluster_id', 'uuid', (c) => c.notNull().references('clusters.id').onDelete('cascade'))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('member_class_id', 'uuid', (c) => c.references('member_classes.id').onDelete('set null'))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .check(sql`status IN ('applied', 'under_review', 'admitted', 'rejected', 'withdrawn', 'suspended', 'ended')`),
    )
    .addColumn('motivation', 'text')
    .addColumn('applicant_person_id', 'uuid', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('application_verified_at', 'timestamptz')
    .addColumn('external_ref', 'text')
    .addColumn('applied_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('admitted_at', 'timestamptz')
    .addColumn('closed_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // One open membership (or application) per organisation and cluster.
  await sql`CREATE UNIQUE INDEX memberships_open_unique ON memberships (cluster_id, organisation_id) WHERE status IN ('applied', 'under_review', 'admitted', 'suspended')`.execute(
    db,
  );
  await sql`CREATE UNIQUE INDEX memberships_external_ref_unique ON memberships (cluster_id, external_ref) WHERE external_ref IS NOT NULL`.execute(
    db,
  );
  await db.schema.createIndex('memberships_cluster_status_idx').on('memberships').columns(['cluster_id', 'status']).execute();
  await db.schema.createIndex('memberships_org_idx').on('memberships').column('organisation_id').execute();

  await db.schema
    .createTable('membership_events')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('membership_id', 'uuid', (c) => c.notNull().references('memberships.id').onDelete('cascade'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('actor_person_id', 'uuid', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('membership_events_membership_idx').on('membership_events').columns(['membership_id', 'at']).execute();

  await db.schema
    .createTable('consents')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('person_id', 'uuid', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('given_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('actor_person_id', 'uuid', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('actor_label', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text')
    .addColumn('cluster_id', 'uuid', (c) => c.references('clusters.id').onDelete('set null'))
    .addColumn('organisation_id', 'uuid', (c) => c.references('organisations.id').onDelete('set null'))
    .addColumn('before', 'jsonb')
    .addColumn('after', 'jsonb')
    .addColumn('request_id', 'text')
    .execute();
  await db.schema.createIndex('audit_log_cluster_idx').on('audit_log').columns(['cluster_id', 'at']).execute();
  await db.schema.createIndex('audit_log_actor_idx').on('audit_log').column('actor_person_id').execute();
  await db.schema.createIndex('audit_log_at_idx').on('audit_log').column('at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'audit_log',
    'consents',
    'membership_events',
    'memberships',
    'member_classes',
    'role_grants',
    'login_attempts',
    'auth_tokens',
    'sessions',
    'person_identities',
    'app_settings',
  ]) {
    await db.schema.dropTable(table).execute();
  }
  await sql`DROP INDEX organisations_vat_unique`.execute(db);
  await sql`DROP INDEX organisations_name_idx`.execute(db);
  for (const column of [
    'vat_number', 'tax_code', 'ateco_codes', 'employees', 'turnover_cents', 'balance_sheet_cents', 'size_class_declared', 'size_class_computed',
    'country_code', 'comune_istat', 'address', 'postcode', 'pec', 'email', 'description_it', 'description_en', 'logo',
    'logo_mime', 'logo_updated_at',
  ]) {
    await db.schema.alterTable('organisations').dropColumn(column).execute();
  }
  await db.schema.dropTable('people').execute();
}
