import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { romeDay, romeInstant, romeTime } from './time.js';

describe('Rome wall-clock time', () => {
  it('turns a Rome day and time into the right instant, winter and summer', () => {
    expect(romeInstant('2026-01-16', '10:00')?.toISOString()).toBe('2026-01-16T09:00:00.000Z');
    expect(romeInstant('2026-07-01', '18:30')?.toISOString()).toBe('2026-07-01T16:30:00.000Z');
    // The night of the spring change: 02:30 does not exist and becomes 03:30.
    expect(romeInstant('2026-03-29', '02:30')?.toISOString()).toBe('2026-03-29T01:30:00.000Z');
  });

  it('refuses days and times that do not exist', () => {
    expect(romeInstant('2026-02-30', '10:00')).toBeNull();
    expect(romeInstant('2026-01-16', '24:00')).toBeNull();
    expect(romeInstant('16/01/2026', '10:00')).toBeNull();
  });

  it('round-trips every whole minute of the year back to the same day and time', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2030, 11, 31) }), (ms) => {
        const instant = new Date(Math.floor(ms / 60_000) * 60_000);
        const back = romeInstant(romeDay(instant), romeTime(instant));
        // The hour repeated in autumn maps to its first occurrence.
        expect(Math.abs(back!.getTime() - instant.getTime()) % (3600 * 1000)).toBe(0);
        expect(romeDay(back!)).toBe(romeDay(instant));
        expect(romeTime(back!)).toBe(romeTime(instant));
      }),
    );
  });
});
