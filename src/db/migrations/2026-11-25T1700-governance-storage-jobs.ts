import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
// Voting windows that close by themselves (docs/decisions/008-board-governance.md): a motion whose
// online vote ends without quorum lapses ('lapsed': no outcome, its applications free again), and
// the job that closes ended windows finds them through a partial index.
// (Meeting documents in an S3 bucket need no schema: the storage key is the same in both places.)

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE board_motions DROP CONSTRAINT board_motions_status_check`.execute(db);
  await sql`ALTER TABLE board_motions ADD CONSTRAINT board_motions_status_check CHECK (status IN ('draft', 'voting', 'decided', 'withdrawn', 'lapsed'))`.execute(db);
  await sql`CREATE INDEX board_motions_window_due_idx ON board_motions (voting_closes_at) WHERE status = 'voting' AND voting_closes_at IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX board_motions_window_due_idx`.execute(db);
  await sql`ALTER TABLE board_motions DROP CONSTRAINT board_motions_status_check`.execute(db);
  await sql`ALTER TABLE board_motions ADD CONSTRAINT board_motions_status_check CHECK (status IN ('draft', 'voting', 'decided', 'withdrawn'))`.execute(db);
}
