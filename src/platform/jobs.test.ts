import { describe, expect, it } from 'vitest';
import { nextDaily, nextMinute, nextWeekly, romeTime, weekStart } from './jobs.js';

describe('job schedule in Europe/Rome', () => {
  it('finds the Monday of a moment’s week in Rome', () => {
    expect(weekStart(new Date('2026-11-25T13:00:00Z'))).toBe('2026-11-23');
    // Sunday 23:30 UTC is already Monday 00:30 in Rome.
    expect(weekStart(new Date('2026-07-05T23:30:00Z'))).toBe('2026-07-06');
  });

  it('schedules the digest every Monday at 08:00 Rome time, in winter and in summer', () => {
    expect(nextWeekly(new Date('2026-11-25T13:00:00Z')).toISOString()).toBe('2026-11-30T07:00:00.000Z');
    expect(nextWeekly(new Date('2026-11-30T06:59:00Z')).toISOString()).toBe('2026-11-30T07:00:00.000Z');
    expect(nextWeekly(new Date('2026-11-30T07:00:00Z')).toISOString()).toBe('2026-12-07T07:00:00.000Z');
    expect(nextWeekly(new Date('2026-03-29T12:00:00Z')).toISOString()).toBe('2026-03-30T06:00:00.000Z');
  });

  it('schedules daily jobs at the given hour', () => {
    expect(nextDaily(new Date('2026-11-25T13:00:00Z'), 7).toISOString()).toBe('2026-11-26T06:00:00.000Z');
    expect(romeTime(2026, 7, 6, 8).toISOString()).toBe('2026-07-06T06:00:00.000Z');
  });

  it('schedules the minute jobs at the next whole minute', () => {
    expect(nextMinute(new Date('2026-11-25T13:00:00.000Z')).toISOString()).toBe('2026-11-25T13:01:00.000Z');
    expect(nextMinute(new Date('2026-11-25T13:00:59.999Z')).toISOString()).toBe('2026-11-25T13:01:00.000Z');
  });
});
