import { TIME_ZONE } from '../../platform/dates.js';

/** Calendar day and wall-clock time in Europe/Rome, the time of every board meeting. */

const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });
const partsFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** The day (yyyy-mm-dd) an instant falls on in Rome. */
export function romeDay(instant: Date): string {
  return dayFormat.format(instant);
}

/** The wall-clock time (hh:mm) of an instant in Rome. */
export function romeTime(instant: Date): string {
  const parts = Object.fromEntries(partsFormat.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${parts.hour}:${parts.minute}`;
}

/** Offset of Rome from UTC at an instant, in minutes (60 in winter, 120 in summer). */
function offsetMinutes(instant: Date): number {
  const p = Object.fromEntries(partsFormat.formatToParts(instant).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/**
 * The instant of a Rome wall-clock time on a day, or null when the input is not a valid day and
 * time. A time skipped by the spring change is moved forward by an hour, as clocks do.
 */
export function romeInstant(day: string, time: string): Date | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  const t = /^(\d{2}):(\d{2})$/.exec(time);
  if (!d || !t) return null;
  const [y, mo, da, h, mi] = [Number(d[1]), Number(d[2]), Number(d[3]), Number(t[1]), Number(t[2])];
  if (mo < 1 || mo > 12 || da < 1 || da > 31 || h > 23 || mi > 59) return null;
  const naive = Date.UTC(y, mo - 1, da, h, mi);
  const check = new Date(naive);
  if (check.getUTCDate() !== da || check.getUTCMonth() !== mo - 1) return null;
  // Two passes settle the offset around a change of time.
  let instant = naive - offsetMinutes(new Date(naive)) * 60_000;
  instant = naive - offsetMinutes(new Date(instant)) * 60_000;
  return new Date(instant);
}
