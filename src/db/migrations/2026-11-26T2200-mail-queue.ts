import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
// Mails the mail server could not take (unreachable, or refusing for now), kept with the time of
// their next attempt: the mail job sends them again, one at a time under a lease, so that two
// instances never send the same mail at once. A mail given up keeps its recipient and subject only.
// Mails holding a sign-in link are never stored here (see platform/mail/queue.ts).
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
