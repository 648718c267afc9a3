import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
// Every mail is stored before it is sent and deleted once the mail server has taken it; a mail the
// server refused or could not be reached for stays, with the time of its next attempt, and the
// mail job sends it again (at most once at a time: an attempt holds a lease). A mail given up after
// its last attempt keeps its recipient and subject only (its body may hold a sign-in link).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('mail_queue')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('message', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull())
    .addColumn('locked_until', 'timestamptz')
    .addColumn('failed_at', 'timestamptz')
    .addColumn('last_error', 'text')
    .execute();
  await sql`CREATE INDEX mail_queue_due_idx ON mail_queue (next_attempt_at) WHERE failed_at IS NULL`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('mail_queue').execute();
}
