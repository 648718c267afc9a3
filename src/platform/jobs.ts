import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

/**
 * In-process jobs with a schedule persisted in `scheduled_jobs`. Every tick, each instance tries to
 * claim a due job with a lease (one UPDATE … WHERE due AND not leased): one instance runs it, a
 * restart finds a missed occurrence still due and runs it late, and a run that crashed is retried
 * when its lease expires. Jobs must be idempotent per occurrence (the digest records each
 * organisation's week; closing a voting window settles each motion once under its row lock), so a
 * retry completes the run without repeating what was done.
 */
export interface Job {
  name: string;
  /** The next occurrence strictly after `after`. */
  next(after: Date): Date;
  run(now: Date): Promise<void>;
  /** How long a run may take before another instance may take it over. */
  leaseMs?: number;
}

export interface JobLogger {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export class JobScheduler {
  private readonly jobs = new Map<string, Job>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly logger: JobLogger,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  register(job: Job): void {
    this.jobs.set(job.name, job);
  }

  /** Make sure every job has a row; an existing schedule is kept (a restart changes nothing). */
  async ensureScheduled(now = this.clock()): Promise<void> {
    for (const job of this.jobs.values()) {
      await this.db
        .insertInto('scheduled_jobs')
        .values({ name: job.name, next_run_at: job.next(now) })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
    }
  }

  /** Run every due job once; returns the names of the jobs this instance ran. */
  async tick(now = this.clock()): Promise<string[]> {
    const ran: string[] = [];
    for (const job of this.jobs.values()) {
      const lease = new Date(now.getTime() + (job.leaseMs ?? 15 * 60_000));
      const claimed = await this.db
        .updateTable('scheduled_jobs')
        .set({ locked_until: lease, last_started_at: now })
        .where('name', '=', job.name)
        .where('next_run_at', '<=', now)
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
        .returning('next_run_at')
        .executeTakeFirst();
      if (!claimed) continue;
      try {
        await job.run(now);
        await this.db
          .updateTable('scheduled_jobs')
          .set({ next_run_at: job.next(now), locked_until: null, last_finished_at: sql`now()`, last_error: null } as never)
          .where('name', '=', job.name)
          .execute();
        this.logger.info({ job: job.name }, 'job finished');
        ran.push(job.name);
      } catch (error) {
        // Keep it due: release the lease so the next tick retries (the job is idempotent).
        await this.db
          .updateTable('scheduled_jobs')
          .set({ locked_until: null, last_error: String((error as Error).message ?? error).slice(0, 2000) })
          .where('name', '=', job.name)
          .execute();
        this.logger.error({ err: error, job: job.name }, 'job failed');
      }
    }
    return ran;
  }

  start(intervalMs = 60_000): void {
    if (this.timer) return;
    const run = () => {
      if (this.running) return;
      this.running = this.ensureScheduled()
        .then(() => this.tick())
        .then(
          () => undefined,
          (error: unknown) => this.logger.error({ err: error }, 'scheduler tick failed'),
        )
        .finally(() => {
          this.running = null;
        });
    };
    this.timer = setInterval(run, intervalMs);
    this.timer.unref();
    setTimeout(run, 2_000).unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}

/** Wall-clock parts of a moment in Europe/Rome. */
function romeParts(date: Date): { y: number; m: number; d: number; h: number; min: number; weekday: number } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Rome',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    weekday: 'short',
    hourCycle: 'h23',
  }).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '0';
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(get('weekday'));
  return { y: Number(get('year')), m: Number(get('month')), d: Number(get('day')), h: Number(get('hour')), min: Number(get('minute')), weekday };
}

/** The UTC moment of a wall-clock time in Europe/Rome (handles summer time). */
export function romeTime(y: number, m: number, d: number, h: number, min = 0): Date {
  const guess = new Date(Date.UTC(y, m - 1, d, h, min));
  for (const offset of [1, 2]) {
    const candidate = new Date(guess.getTime() - offset * 3_600_000);
    const p = romeParts(candidate);
    if (p.h === h && p.d === d) return candidate;
  }
  return new Date(guess.getTime() - 3_600_000);
}

/** The Monday (yyyy-mm-dd, Europe/Rome) of the week a moment falls in. */
export function weekStart(date: Date): string {
  const p = romeParts(date);
  const monday = new Date(Date.UTC(p.y, p.m - 1, p.d - p.weekday));
  return monday.toISOString().slice(0, 10);
}

/** Next Monday at `hour`:00 Europe/Rome strictly after `after`. */
export function nextWeekly(after: Date, hour = 8): Date {
  const [y, m, d] = weekStart(after).split('-').map(Number) as [number, number, number];
  const thisWeek = romeTime(y, m, d, hour);
  if (thisWeek.getTime() > after.getTime()) return thisWeek;
  const next = new Date(Date.UTC(y, m - 1, d) + 7 * 86_400_000);
  return romeTime(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), hour);
}

/** Next day at `hour`:00 Europe/Rome strictly after `after`. */
export function nextDaily(after: Date, hour = 7): Date {
  const p = romeParts(after);
  let candidate = romeTime(p.y, p.m, p.d, hour);
  if (candidate.getTime() <= after.getTime()) {
    const next = new Date(Date.UTC(p.y, p.m - 1, p.d) + 86_400_000);
    candidate = romeTime(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), hour);
  }
  return candidate;
}

/** The next whole minute strictly after `after` (jobs that run at every tick). */
export function nextMinute(after: Date): Date {
  return new Date(Math.floor(after.getTime() / 60_000) * 60_000 + 60_000);
}
