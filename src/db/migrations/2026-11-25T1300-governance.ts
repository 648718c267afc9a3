import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
// Governance: the board (Consiglio Direttivo) of each cluster — constituencies, seats and who held
// them; dated statute rules; meetings with agenda, documents and attendance; motions, votes and
// their outcomes; minutes with approval and amendments; per-person calendar feed tokens.

export async function up(db: Kysely<any>): Promise<void> {
  // One row per cluster that has a board: what is publicly known of it.
  await db.schema
    .createTable('boards')
    .addColumn('cluster_id', 'uuid', (c) => c.primaryKey().references('clusters.id').onDelete('cascade'))
    .addColumn('in_office_since', 'date')
    .addColumn('source_it', 'text')
    .addColumn('source_en', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('board_constituencies')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('cluster_id', 'uuid', (c) => c.notNull().references('clusters.id').onDelete('cascade'))
    .addColumn('code', 'text', (c) => c.notNull().check(sql`code ~ '^[a-z0-9_]{1,40}$'`))
    .addColumn('name_it', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text')
    .addColumn('max_seats', 'integer', (c) => c.notNull().check(sql`max_seats BETWEEN 1 AND 100`))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('board_constituencies_code_unique', ['cluster_id', 'code'])
    .execute();

  await db.schema
    .createTable('board_seats')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('cluster_id', 'uuid', (c) => c.notNull().references('clusters.id').onDelete('cascade'))
    .addColumn('constituency_id', 'uuid', (c) => c.notNull().references('board_constituencies.id').onDelete('restrict'))
    .addColumn('voting', 'boolean', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('abolished_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('board_seats_cluster_idx').on('board_seats').columns(['cluster_id', 'position']).execute();

  // Who held which seat, for which term: the full history. term_end is the last day in office;
  // ended_on is set when a holder leaves before the end of the term.
  await db.schema
    .createTable('board_seat_holdings')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('seat_id', 'uuid', (c) => c.notNull().references('board_seats.id').onDelete('cascade'))
    .addColumn('cluster_id', 'uuid', (c) => c.notNull().references('clusters.id').onDelete('cascade'))
    .addColumn('person_id', 'uuid', (c) => c.notNull().references('people.id').onDelete('restrict'))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id').onDelete('restrict'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role IN ('president', 'vice_president', 'secretary', 'member')`))
    .addColumn('term_start', 'date', (c) => c.notNull())
    .addColumn('term_end', 'date', (c) => c.notNull())
    .addColumn('ended_on', 'date')
    .addColumn('end_reason', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('board_seat_holdings_term', sql`term_end >= term_start AND (ended_on IS NULL OR (ended_on >= term_start AND ended_on <= term_end))`)
    .execute();
  await db.schema.createIndex('board_seat_holdings_seat_idx').on('board_seat_holdings').columns(['seat_id', 'term_start']).execute();
  await db.schema.createIndex('board_seat_holdings_person_idx').on('board_seat_holdings').columns(['person_id', 'cluster_id']).execute();
  // Defence in depth for the service's checks (made under a per-cluster lock): a seat has one holder
  // at a time, and a person holds one seat of a cluster at a time.
  await sql`
    CREATE FUNCTION board_holdings_no_overlap() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF EXISTS (
        SELECT 1 FROM board_seat_holdings h
        WHERE h.id <> NEW.id
          AND (h.seat_id = NEW.seat_id OR (h.person_id = NEW.person_id AND h.cluster_id = NEW.cluster_id))
          AND daterange(h.term_start, coalesce(h.ended_on, h.term_end), '[]')
              && daterange(NEW.term_start, coalesce(NEW.ended_on, NEW.term_end), '[]')
      ) THEN
        RAISE EXCEPTION 'board seat holdings overlap' USING ERRCODE = 'exclusion_violation';
      END IF;
      RETURN NEW;
    END $$
  `.execute(db);
  await sql`
    CREATE TRIGGER board_holdings_no_overlap BEFORE INSERT OR UPDATE ON board_seat_holdings
    FOR EACH ROW EXECUTE FUNCTION board_holdings_no_overlap()
  `.execute(db);

  // Statute rules, append-only and dated: a decision is evaluated with the version in force on the
  // day of its meeting (the latest valid_from on or before that day).
  await db.schema
    .createTable('statute_rule_versions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('cluster_id', 'uuid', (c) => c.notNull().references('clusters.id').onDelete('cascade'))
    .addColumn('valid_from', 'date', (c) => c.notNull())
    .addColumn('quorum_kind', 'text', (c) => c.notNull().check(sql`quorum_kind IN ('majority_of_voting_seats', 'fixed')`))
    .addColumn('quorum_fixed', 'integer', (c) => c.check(sql`quorum_fixed BETWEEN 1 AND 100`))
    .addColumn('majority_ordinary', 'text', (c) => c.notNull().check(sql`majority_ordinary IN ('simple', 'absolute', 'two_thirds')`))
    .addColumn('majority_admission', 'text', (c) => c.notNull().check(sql`majority_admission IN ('simple', 'absolute', 'two_thirds')`))
    .addColumn('majority_minutes', 'text', (c) => c.notNull().check(sql`majority_minutes IN ('simple', 'absolute', 'two_thirds')`))
    .addColumn('majority_budget', 'text', (c) => c.notNull().check(sql`majority_budget IN ('simple', 'absolute', 'two_thirds')`))
    .addColumn('majority_statute', 'text', (c) => c.notNull().check(sql`majority_statute IN ('simple', 'absolute', 'two_thirds')`))
    .addColumn('abstentions', 'text', (c) => c.notNull().check(sql`abstentions IN ('excluded', 'counted')`))
    .addColumn('proxies_allowed', 'boolean', (c) => c.notNull())
    .addColumn('max_proxies_per_holder', 'integer', (c) => c.notNull().defaultTo(0).check(sql`max_proxies_per_holder BETWEEN 0 AND 20`))
    // Whether a manager may still admit or reject applications directly (otherwise the board decides).
    .addColumn('manager_may_admit', 'boolean', (c) => c.notNull())
    .addColumn('act_reference', 'text')
    .addColumn('created_by', 'uuid', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('statute_rule_versions_unique', ['cluster_id', 'valid_from'])
    .addCheckConstraint('statute_rule_versions_quorum', sql`(quorum_kind = 'fixed') = (quorum_fixed IS NOT NULL)`)
    .execute();

  await db.schema
    .createTable('board_meetings')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('cluster_id', 'uuid', (c) => c.notNull().references('clusters.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ends_at', 'timestamptz', (c) => c.notNull())
    .addColumn('place', 'text')
    .addColumn('video_url', 'text', (c) => c.check(sql`video_url ~ '^https?://'`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status IN ('convened', 'closed', 'cancelled')`))
    // iCalendar SEQUENCE: raised at every change sent to the invitees.
    .addColumn('sequence', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('public_summary', 'text')
    .addColumn('summary_published_at', 'timestamptz')
    .addColumn('convened_by', 'uuid', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('closed_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('board_meetings_times', sql`ends_at > starts_at`)
    .addCheckConstraint('board_meetings_where', sql`place IS NOT NULL OR video_url IS NOT NULL`)
    .execute();
  await db.schema.createIndex('board_meetings_cluster_idx').on('board_meetings').columns(['cluster_id', 'starts_at']).execute();

  await db.schema
    .createTable('board_agenda_items')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('meeting_id', 'uuid', (c) => c.notNull().references('board_meetings.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('board_agenda_items_position_unique', ['meeting_id', 'position'])
    .execute();

  // PDF documents: the bytes live in DATA_DIR/documents (storage_key), checked by content.
  await db.schema
    .createTable('board_documents')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('meeting_id', 'uuid', (c) => c.notNull().references('board_meetings.id').onDelete('cascade'))
    .addColumn('agenda_item_id', 'uuid', (c) => c.references('board_agenda_items.id').onDelete('set null'))
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('storage_key', 'text', (c) => c.notNull().unique())
    .addColumn('mime', 'text', (c) => c.notNull().check(sql`mime = 'application/pdf'`))
    .addColumn('size_bytes', 'integer', (c) => c.notNull().check(sql`size_bytes > 0`))
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'uuid', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('uploaded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('board_documents_meeting_idx').on('board_documents').column('meeting_id').execute();

  await db.schema
    .createTable('board_attendance')
    .addColumn('meeting_id', 'uuid', (c) => c.notNull().references('board_meetings.id').onDelete('cascade'))
    .addColumn('seat_id', 'uuid', (c) => c.notNull().references('board_seats.id').onDelete('cascade'))
    .addColumn('holding_id', 'uuid', (c) => c.notNull().references('board_seat_holdings.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status IN ('present', 'proxy', 'absent')`))
    .addColumn('proxy_seat_id', 'uuid', (c) => c.references('board_seats.id').onDelete('cascade'))
    .addColumn('via', 'text', (c) => c.notNull().check(sql`via IN ('in_person', 'online', 'secretary')`))
    .addColumn('recorded_by', 'uuid', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('board_attendance_pk', ['meeting_id', 'seat_id'])
    .addCheckConstraint('board_attendance_proxy', sql`(status = 'proxy') = (proxy_seat_id IS NOT NULL) AND proxy_seat_id IS DISTINCT FROM seat_id`)
    .execute();

  await db.schema
    .createTable('board_motions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('meeting_id', 'uuid', (c) => c.notNull().references('board_meetings.id').onDelete('cascade'))
    .addColumn('agenda_item_id', 'uuid', (c) => c.notNull().references('board_agenda_items.id').onDelete('cascade'))
    .addColumn('cluster_id', 'uuid', (c) => c.notNull().references('clusters.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull().check(sql`type IN ('ordinary', 'admission', 'minutes_approval', 'budget', 'statute')`))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status IN ('draft', 'voting', 'decided', 'withdrawn')`))
    // The minutes a minutes_approval motion approves.
    .addColumn('minutes_id', 'uuid')
    .addColumn('voting_opens_at', 'timestamptz')
    .addColumn('voting_closes_at', 'timestamptz')
    .addColumn('created_by', 'uuid', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('board_motions_window', sql`voting_closes_at IS NULL OR voting_opens_at IS NULL OR voting_closes_at > voting_opens_at`)
    .addCheckConstraint('board_motions_minutes', sql`(type = 'minutes_approval') = (minutes_id IS NOT NULL)`)
    .execute();
  await db.schema.createIndex('board_motions_meeting_idx').on('board_motions').columns(['meeting_id', 'created_at']).execute();

  // The pending membership applications an admission motion decides, with the class to admit them to.
  await db.schema
    .createTable('board_motion_memberships')
    .addColumn('motion_id', 'uuid', (c) => c.notNull().references('board_motions.id').onDelete('cascade'))
    .addColumn('membership_id', 'uuid', (c) => c.notNull().references('memberships.id').onDelete('cascade'))
    .addColumn('member_class_id', 'uuid', (c) => c.notNull().references('member_classes.id').onDelete('restrict'))
    .addPrimaryKeyConstraint('board_motion_memberships_pk', ['motion_id', 'membership_id'])
    .execute();
  await db.schema.createIndex('board_motion_memberships_membership_idx').on('board_motion_memberships').column('membership_id').execute();

  // One vote per seat and motion: concurrent casts of the same seat count once.
  await db.schema
    .createTable('board_votes')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('motion_id', 'uuid', (c) => c.notNull().references('board_motions.id').onDelete('cascade'))
    .addColumn('seat_id', 'uuid', (c) => c.notNull().references('board_seats.id').onDelete('cascade'))
    .addColumn('holding_id', 'uuid', (c) => c.notNull().references('board_seat_holdings.id').onDelete('cascade'))
    .addColumn('choice', 'text', (c) => c.notNull().check(sql`choice IN ('for', 'against', 'abstain')`))
    .addColumn('via', 'text', (c) => c.notNull().check(sql`via IN ('online', 'proxy', 'secretary')`))
    .addColumn('cast_by', 'uuid', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('cast_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('board_votes_once', ['motion_id', 'seat_id'])
    .execute();

  // The outcome as computed when the vote closed, with the counts, the rule version applied and the
  // attendance it was computed on: enough to re-derive it at any time.
  await db.schema
    .createTable('board_motion_outcomes')
    .addColumn('motion_id', 'uuid', (c) => c.primaryKey().references('board_motions.id').onDelete('cascade'))
    .addColumn('rule_version_id', 'uuid', (c) => c.notNull().references('statute_rule_versions.id').onDelete('restrict'))
    .addColumn('result', 'text', (c) => c.notNull().check(sql`result IN ('passed', 'rejected')`))
    .addColumn('votes_for', 'integer', (c) => c.notNull())
    .addColumn('votes_against', 'integer', (c) => c.notNull())
    .addColumn('abstentions', 'integer', (c) => c.notNull())
    .addColumn('voting_seats', 'integer', (c) => c.notNull())
    .addColumn('present_seats', 'integer', (c) => c.notNull())
    .addColumn('quorum_required', 'integer', (c) => c.notNull())
    .addColumn('majority', 'text', (c) => c.notNull().check(sql`majority IN ('simple', 'absolute', 'two_thirds')`))
    .addColumn('base', 'integer', (c) => c.notNull())
    .addColumn('required_for', 'integer', (c) => c.notNull())
    .addColumn('attendance', 'jsonb', (c) => c.notNull())
    .addColumn('decided_by', 'uuid', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('decided_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('board_minutes')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('meeting_id', 'uuid', (c) => c.notNull().references('board_meetings.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind IN ('minutes', 'amendment')`))
    .addColumn('amends_id', 'uuid', (c) => c.references('board_minutes.id').onDelete('restrict'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status IN ('draft', 'approved')`))
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('approved_at', 'timestamptz')
    .addColumn('approved_by', 'uuid', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('approved_by_motion_id', 'uuid', (c) => c.references('board_motions.id').onDelete('restrict'))
    .addColumn('created_by', 'uuid', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('board_minutes_kind', sql`(kind = 'amendment') = (amends_id IS NOT NULL)`)
    .addCheckConstraint('board_minutes_approval', sql`(status = 'approved') = (approved_at IS NOT NULL)`)
    .execute();
  await sql`CREATE UNIQUE INDEX board_minutes_one_per_meeting ON board_minutes (meeting_id) WHERE kind = 'minutes'`.execute(db);
  await sql`ALTER TABLE board_motions ADD CONSTRAINT board_motions_minutes_fk FOREIGN KEY (minutes_id) REFERENCES board_minutes(id) ON DELETE RESTRICT`.execute(db);

  // Approved minutes, cast votes and computed outcomes never change (the service refuses first).
  await sql`
    CREATE FUNCTION board_minutes_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF OLD.status = 'approved' THEN
        RAISE EXCEPTION 'approved minutes are immutable' USING ERRCODE = 'integrity_constraint_violation';
      END IF;
      IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
      RETURN NEW;
    END $$
  `.execute(db);
  await sql`
    CREATE TRIGGER board_minutes_immutable BEFORE UPDATE OR DELETE ON board_minutes
    FOR EACH ROW EXECUTE FUNCTION board_minutes_immutable()
  `.execute(db);
  await sql`
    CREATE FUNCTION governance_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION '% rows are never changed', TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
    END $$
  `.execute(db);
  for (const table of ['board_votes', 'board_motion_outcomes', 'statute_rule_versions']) {
    await sql
      .raw(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION governance_append_only()`)
      .execute(db);
  }

  // Private calendar feeds: only the hash of the token is kept; a revoked token stops working.
  await db.schema
    .createTable('calendar_feed_tokens')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('person_id', 'uuid', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_used_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .execute();
  await sql`CREATE UNIQUE INDEX calendar_feed_tokens_active ON calendar_feed_tokens (person_id) WHERE revoked_at IS NULL`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE board_motions DROP CONSTRAINT board_motions_minutes_fk`.execute(db);
  for (const table of [
    'calendar_feed_tokens',
    'board_minutes',
    'board_motion_outcomes',
    'board_votes',
    'board_motion_memberships',
    'board_motions',
    'board_attendance',
    'board_documents',
    'board_agenda_items',
    'board_meetings',
    'statute_rule_versions',
    'board_seat_holdings',
    'board_seats',
    'board_constituencies',
    'boards',
  ]) {
    await db.schema.dropTable(table).execute();
  }
  await sql`DROP FUNCTION governance_append_only()`.execute(db);
  await sql`DROP FUNCTION board_minutes_immutable()`.execute(db);
  await sql`DROP FUNCTION board_holdings_no_overlap()`.execute(db);
}
