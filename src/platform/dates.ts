import type { Lang } from './i18n.js';

export const TIME_ZONE = 'Europe/Rome';

const dateFormatters: Record<Lang, Intl.DateTimeFormat> = {
  it: new Intl.DateTimeFormat('it-IT', { dateStyle: 'long', timeZone: TIME_ZONE }),
  en: new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: TIME_ZONE }),
};

/** Format a calendar date (yyyy-mm-dd) for the reader; no time-zone shift can move the day. */
export function formatDate(isoDate: string, lang: Lang): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) throw new RangeError(`Not an ISO date: ${isoDate}`);
  // Noon UTC is the same calendar day in Europe/Rome all year round.
  return dateFormatters[lang].format(new Date(`${isoDate}T12:00:00Z`));
}

/** Format an instant in Europe/Rome, date and time. */
export function formatDateTime(instant: Date, lang: Lang): string {
  return new Intl.DateTimeFormat(lang === 'it' ? 'it-IT' : 'en-GB', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: TIME_ZONE,
  }).format(instant);
}
