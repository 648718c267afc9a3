import { sql, type Kysely } from 'kysely';
import type { JobLogger } from '../platform/jobs.js';
import type { DB } from './schema.js';

/**
 * Autovacuum for the embedded database. PGlite runs PostgreSQL in single-user mode: there is no
 * autovacuum launcher, so without this no table is ever vacuumed or analysed after it is written.
 * The planner then plans with the statistics of the day a table was created (a table never
 * analysed is assumed to hold ten pages), dead row versions of every update stay on the pages,
 * and index-only scans read the heap for every row because the visibility map is never set.
 *
 * Every minute the tables of the schema are checked against PostgreSQL's own autovacuum rules
 * (its default thresholds) and those due are vacuumed or analysed, one statement per table, most
 * overdue first, until a time budget is spent: the engine runs on Node's thread, so requests wait
 * for each statement, and the rest waits for the next check. The activity counters are those of
 * this process (the embedded database forgets them at a restart); the catalogue's page count of
 * each table's last analysis survives it, so a table that grew by a tenth since is vacuumed too.
 * On PostgreSQL (DATABASE_URL) its own autovacuum does all this and this class is not used.
 */

/** What the statistics say of one table. Counters are null when the table has no activity entry. */
export interface TableActivity {
  table: string;
  /** Rows and pages counted by the last vacuum or analysis (rows -1: never analysed). */
  reltuples: number;
  relpages: number;
  /** Pages on disk now. */
  pages: number;
  deadRows: number | null;
  insertedSinceVacuum: number | null;
  modifiedSinceAnalyze: number | null;
}

export type ChoreAction = 'vacuum' | 'analyze';
export type ChoreReason = 'never_analysed' | 'grew' | 'dead_rows' | 'inserted_rows' | 'modified_rows';

export interface Chore {
  table: string;
  action: ChoreAction;
  reason: ChoreReason;
  /** How far past its threshold (1 = at it; never-analysed tables come first). */
  overdue: number;
}

/** PostgreSQL's autovacuum defaults (autovacuum_*_threshold and *_scale_factor). */
export const RULES = {
  vacuum: { threshold: 50, scale: 0.2 },
  insert: { threshold: 1000, scale: 0.2 },
  analyze: { threshold: 50, scale: 0.1 },
  /** Grown since the last analysis by more than this share of its pages, plus a few pages. */
  growth: { share: 0.1, pages: 8 },
} as const;

/** Tables due for a vacuum (which analyses too) or an analysis, most overdue first. */
export function choresDue(tables: readonly TableActivity[]): Chore[] {
  const chores: Chore[] = [];
  for (const t of tables) {
    const rows = Math.max(t.reltuples, 0);
    const over = (value: number | null, rule: { threshold: number; scale: number }) =>
      value === null ? 0 : value / (rule.threshold + rule.scale * rows);
    const candidates: Chore[] = [];
    if (t.reltuples < 0 && t.pages > 0) candidates.push({ table: t.table, action: 'vacuum', reason: 'never_analysed', overdue: Number.POSITIVE_INFINITY });
    const grew = t.pages / (t.relpages * (1 + RULES.growth.share) + RULES.growth.pages);
    if (t.reltuples >= 0 && grew > 1) candidates.push({ table: t.table, action: 'vacuum', reason: 'grew', overdue: grew });
    const dead = over(t.deadRows, RULES.vacuum);
    if (dead > 1) candidates.push({ table: t.table, action: 'vacuum', reason: 'dead_rows', overdue: dead });
    const inserted = over(t.insertedSinceVacuum, RULES.insert);
    if (inserted > 1) candidates.push({ table: t.table, action: 'vacuum', reason: 'inserted_rows', overdue: inserted });
    const modified = over(t.modifiedSinceAnalyze, RULES.analyze);
    if (modified > 1) candidates.push({ table: t.table, action: 'analyze', reason: 'modified_rows', overdue: modified });
    if (candidates.length === 0) continue;
    // One chore per table: a vacuum (it analyses as well) if any rule asks for one.
    const vacuums = candidates.filter((c) => c.action === 'vacuum');
    const pick = (vacuums.length > 0 ? vacuums : candidates).reduce((a, b) => (b.overdue > a.overdue ? b : a));
    chores.push(pick);
  }
  return chores.sort((a, b) => b.overdue - a.overdue || (a.table < b.table ? -1 : 1));
}

export class EmbeddedMaintenance {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  /** Set by stop(): a run in progress starts no further statement. */
  private stopped = false;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly logger: JobLogger,
    /** Statements are started until this much time has gone in one run. */
    private readonly budgetMs = 250,
  ) {}

  /** The tables of the schema with their statistics. */
  async activity(): Promise<TableActivity[]> {
    // The session's counters reach the shared statistics at most once a second, when it is idle:
    // flush them first, so that the writes just made count.
    await sql`SELECT pg_stat_force_next_flush()`.execute(this.db);
    const { rows } = await sql<TableActivity>`
      SELECT c.relname AS "table", c.reltuples::float8 AS reltuples, c.relpages::int AS relpages,
             (pg_relation_size(c.oid) / current_setting('block_size')::int)::int AS pages,
             s.n_dead_tup::float8 AS "deadRows", s.n_ins_since_vacuum::float8 AS "insertedSinceVacuum",
             s.n_mod_since_analyze::float8 AS "modifiedSinceAnalyze"
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
      WHERE n.nspname = current_schema() AND c.relkind = 'r'
      ORDER BY c.relname`.execute(this.db);
    return rows;
  }

  /** Vacuum or analyse the tables due, most overdue first, within the time budget. Returns what was done. */
  async run(): Promise<(Chore & { ms: number })[]> {
    const done: (Chore & { ms: number })[] = [];
    const start = performance.now();
    for (const chore of choresDue(await this.activity())) {
      if (this.stopped || (done.length > 0 && performance.now() - start >= this.budgetMs)) break;
      const began = performance.now();
      const table = sql.id(chore.table);
      try {
        await (chore.action === 'vacuum' ? sql`VACUUM (ANALYZE) ${table}` : sql`ANALYZE ${table}`).execute(this.db);
      } catch (error) {
        // One table's failure does not keep the others from their turn (it is tried again next time).
        this.logger.error({ err: error, table: chore.table, action: chore.action }, 'embedded database maintenance failed');
        continue;
      }
      done.push({ ...chore, ms: Math.round(performance.now() - began) });
    }
    if (done.length > 0) {
      const chores = done.map(({ table, action, reason, ms }) => ({ table, action, reason, ms }));
      this.logger.info({ chores, ms: Math.round(performance.now() - start) }, 'embedded database maintenance');
    }
    return done;
  }

  start(intervalMs = 60_000): void {
    if (this.timer) return;
    this.stopped = false;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.run()
        .catch((error: unknown) => this.logger.error({ err: error }, 'embedded database maintenance failed'))
        .finally(() => {
          this.running = null;
        });
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
