import type { FastifyBaseLogger } from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReadinessProbe } from './routes.js';

/** A logger that records what it was asked to log. */
function recordingLogger() {
  const lines: { level: string; args: unknown[] }[] = [];
  const at = (level: string) => (...args: unknown[]) => void lines.push({ level, args });
  const logger = { error: at('error'), info: at('info'), warn: at('warn'), debug: at('debug'), trace: at('trace'), fatal: at('fatal'), child: () => logger, level: 'info', silent: () => undefined } as unknown as FastifyBaseLogger;
  return { logger, lines };
}

describe('the readiness probe', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs one check for many callers at once, and keeps the answer for its time to live', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    let runs = 0;
    const probe = new ReadinessProbe([['storage', async () => void (runs += 1)]], recordingLogger().logger, 2_000);
    expect(await Promise.all(Array.from({ length: 20 }, () => probe.check()))).toEqual(Array(20).fill(true));
    expect(runs).toBe(1);
    vi.setSystemTime(Date.now() + 1_999);
    await probe.check();
    expect(runs).toBe(1);
    vi.setSystemTime(Date.now() + 2);
    await probe.check();
    expect(runs).toBe(2);
  });

  it('stops at the first failing part, and logs a failure and a recovery once each', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    let storageUp = false;
    let databaseRuns = 0;
    const { logger, lines } = recordingLogger();
    const probe = new ReadinessProbe(
      [
        ['storage', async () => { if (!storageUp) throw new Error('bucket unreachable'); }],
        ['database', async () => void (databaseRuns += 1)],
      ],
      logger,
      1_000,
    );
    for (let i = 0; i < 3; i++) {
      expect(await probe.check()).toBe(false);
      vi.setSystemTime(Date.now() + 1_001);
    }
    expect(databaseRuns).toBe(0);
    expect(lines.filter((l) => l.level === 'error')).toHaveLength(1);
    expect(lines[0]!.args[0]).toMatchObject({ component: 'storage' });
    storageUp = true;
    expect(await probe.check()).toBe(true);
    vi.setSystemTime(Date.now() + 1_001);
    expect(await probe.check()).toBe(true);
    expect(lines.map((l) => l.level)).toEqual(['error', 'info']);
    expect(databaseRuns).toBe(2);
  });
});
