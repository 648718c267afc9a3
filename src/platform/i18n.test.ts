import { describe, expect, it } from 'vitest';
import { langFromAcceptLanguage, pick, t } from './i18n.js';
import { formatDate } from './dates.js';

describe('i18n', () => {
  it('fills placeholders in the reader language', () => {
    expect(t('it', 'cluster.number', { number: 10 })).toBe('Cluster n. 10');
    expect(t('en', 'cluster.number', { number: 10 })).toBe('Cluster no. 10');
  });

  it('falls back to Italian and says so when the English text is missing', () => {
    expect(pick('en', 'Ciao', null)).toEqual({ text: 'Ciao', fallback: true });
    expect(pick('en', 'Ciao', 'Hello')).toEqual({ text: 'Hello', fallback: false });
    expect(pick('it', 'Ciao', 'Hello')).toEqual({ text: 'Ciao', fallback: false });
  });

  it.each([
    [undefined, 'it'],
    ['en-GB,en;q=0.9', 'en'],
    ['fr-FR,fr;q=0.9,en;q=0.5,it;q=0.4', 'en'],
    ['de, it;q=0.8', 'it'],
    ['de', 'it'],
  ])('reads Accept-Language %s as %s', (header, lang) => {
    expect(langFromAcceptLanguage(header)).toBe(lang);
  });
});

describe('formatDate', () => {
  it('shows calendar dates in the reader language without shifting the day', () => {
    expect(formatDate('2026-02-17', 'it')).toBe('17 febbraio 2026');
    expect(formatDate('2026-02-17', 'en')).toBe('17 February 2026');
    expect(formatDate('2025-12-31', 'it')).toBe('31 dicembre 2025');
  });

  it('refuses a value that is not an ISO date', () => {
    expect(() => formatDate('17/02/2026', 'it')).toThrow(RangeError);
  });
});
