import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  OMOCODIA_LETTERS,
  OMOCODIA_POSITIONS,
  codiceFiscaleCheckChar,
  decodeOmocodia,
  decodePersonalCodiceFiscale,
  validateCodiceFiscale,
} from './codice-fiscale.js';
import { partitaIvaCheckDigit } from './partita-iva.js';

const MONTH_LETTERS = 'ABCDEHLMPRST';
const letter = fc.integer({ min: 0, max: 25 }).map((i) => String.fromCharCode(65 + i));
const digit = fc.integer({ min: 0, max: 9 }).map(String);

interface Person {
  readonly code: string;
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly sex: 'M' | 'F';
  readonly birthplace: string;
}

/** A personal codice fiscale without omocodia, with its check letter computed. */
const person: fc.Arbitrary<Person> = fc
  .record({
    names: fc.array(letter, { minLength: 6, maxLength: 6 }).map((l) => l.join('')),
    year: fc.integer({ min: 0, max: 99 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 31 }),
    sex: fc.constantFrom<'M' | 'F'>('M', 'F'),
    birthplace: fc.tuple(letter, digit, digit, digit).map((parts) => parts.join('')),
  })
  .map(({ names, year, month, day, sex, birthplace }) => {
    const dayField = String(sex === 'F' ? day + 40 : day).padStart(2, '0');
    const yearField = String(year).padStart(2, '0');
    const first15 = `${names}${yearField}${MONTH_LETTERS.charAt(month - 1)}${dayField}${birthplace}`;
    return { code: first15 + codiceFiscaleCheckChar(first15), year, month, day, sex, birthplace };
  });

/** Replace the digits at the chosen omocodia positions with their letters and recompute the check letter. */
function withOmocodia(code: string, chosen: readonly boolean[]): string {
  const chars = code.slice(0, 15).split('');
  OMOCODIA_POSITIONS.forEach((position, i) => {
    if (chosen[i]) chars[position] = OMOCODIA_LETTERS.charAt(Number(chars[position]));
  });
  const first15 = chars.join('');
  return first15 + codiceFiscaleCheckChar(first15);
}

describe('validateCodiceFiscale, personal codes', () => {
  it('accepts the valid examples of the domain notes', () => {
    expect(validateCodiceFiscale('RSSMRA80A01H501U')).toEqual({ ok: true, value: 'RSSMRA80A01H501U' });
    expect(validateCodiceFiscale('MRTMTT91D08F205J')).toEqual({ ok: true, value: 'MRTMTT91D08F205J' });
  });

  it('upper-cases and drops spaces', () => {
    expect(validateCodiceFiscale(' rss mra 80a01 h501u ')).toEqual({ ok: true, value: 'RSSMRA80A01H501U' });
  });

  it('refuses a wrong check letter', () => {
    expect(validateCodiceFiscale('RSSMRA80A01H501V')).toEqual({ ok: false, reason: 'checksum' });
  });

  it('accepts a code with omocodia letters and its recomputed check letter', () => {
    // RSSMRA80A01H501U with its last birthplace digit (1) written as M.
    const first15 = 'RSSMRA80A01H50M';
    expect(validateCodiceFiscale(first15 + codiceFiscaleCheckChar(first15)).ok).toBe(true);
  });

  it.each([
    ['RSSMRA80F01H501U', 'F is not a month letter'],
    ['RSSMRA80A00H501U', 'day 00'],
    ['RSSMRA80A32H501U', 'day 32'],
    ['RSSMRA80A40H501U', 'day 40'],
    ['RSSMRA80A72H501U', 'day 72'],
    ['RSSMRA80A01H5O1U', 'the letter O where a digit belongs'],
    ['RSSMR480A01H501U', 'a digit in the name'],
    ['RSSMRA80A01H501', 'fifteen characters'],
    ['RSSMRA80A01H501UX', 'seventeen characters'],
    ['RSSMRA80A01H501!', 'punctuation'],
    ['', 'empty'],
  ])('refuses «%s» (%s) as a format error', (input) => {
    expect(validateCodiceFiscale(input)).toEqual({ ok: false, reason: 'format' });
  });

  it('accepts the day of a woman (41–71) and the last day of a month', () => {
    for (const dayField of ['41', '71', '31']) {
      const first15 = `RSSMRA80A${dayField}H501`;
      expect(validateCodiceFiscale(first15 + codiceFiscaleCheckChar(first15)).ok, dayField).toBe(true);
    }
  });

  it('accepts any well-formed code with its computed check letter', () => {
    fc.assert(
      fc.property(person, ({ code }) => {
        expect(validateCodiceFiscale(code)).toEqual({ ok: true, value: code });
      }),
    );
  });

  it('stays valid, and decodes to the same birth data, with omocodia on any subset of the seven positions', () => {
    fc.assert(
      fc.property(person, fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }), (p, chosen) => {
        const variant = withOmocodia(p.code, chosen);
        expect(validateCodiceFiscale(variant)).toEqual({ ok: true, value: variant });
        expect(decodePersonalCodiceFiscale(variant)).toEqual(decodePersonalCodiceFiscale(p.code));
        expect(decodePersonalCodiceFiscale(variant)).toEqual({
          birthYearTwoDigits: p.year,
          birthMonth: p.month,
          birthDay: p.day,
          sex: p.sex,
          birthplaceCode: p.birthplace,
        });
        expect(decodeOmocodia(variant).slice(0, 15)).toBe(p.code.slice(0, 15));
      }),
    );
  });

  it('refuses a valid code once its check letter is replaced by another letter', () => {
    fc.assert(
      fc.property(person, letter, (p, other) => {
        fc.pre(other !== p.code.charAt(15));
        expect(validateCodiceFiscale(p.code.slice(0, 15) + other)).toEqual({ ok: false, reason: 'checksum' });
      }),
    );
  });

  it('refuses a valid code once a letter of the surname or name is changed', () => {
    fc.assert(
      fc.property(person, fc.integer({ min: 0, max: 5 }), letter, (p, position, other) => {
        fc.pre(other !== p.code.charAt(position));
        const mutated = p.code.slice(0, position) + other + p.code.slice(position + 1);
        expect(validateCodiceFiscale(mutated)).toEqual({ ok: false, reason: 'checksum' });
      }),
    );
  });
});

describe('validateCodiceFiscale, numeric codes of bodies', () => {
  it('accepts an 11-digit code with the partita IVA check digit', () => {
    expect(validateCodiceFiscale('00743110157')).toEqual({ ok: true, value: '00743110157' });
  });

  it('accepts the codes of associations and universities that start with 8 or 9', () => {
    fc.assert(
      fc.property(fc.constantFrom('8', '9'), fc.array(digit, { minLength: 9, maxLength: 9 }), (first, rest) => {
        const first10 = first + rest.join('');
        const code = first10 + partitaIvaCheckDigit(first10);
        expect(validateCodiceFiscale(code)).toEqual({ ok: true, value: code });
      }),
    );
  });

  it('refuses a wrong check digit, and all zeros as a format error', () => {
    expect(validateCodiceFiscale('12345678901')).toEqual({ ok: false, reason: 'checksum' });
    expect(validateCodiceFiscale('00000000000')).toEqual({ ok: false, reason: 'format' });
  });

  it('does not take an IT prefix, which belongs to the partita IVA only', () => {
    expect(validateCodiceFiscale('IT00743110157')).toEqual({ ok: false, reason: 'format' });
  });
});

describe('decodePersonalCodiceFiscale', () => {
  it('reads birth date, sex and birthplace of the domain examples', () => {
    expect(decodePersonalCodiceFiscale('RSSMRA80A01H501U')).toEqual({
      birthYearTwoDigits: 80,
      birthMonth: 1,
      birthDay: 1,
      sex: 'M',
      birthplaceCode: 'H501',
    });
    expect(decodePersonalCodiceFiscale('MRTMTT91D08F205J')).toEqual({
      birthYearTwoDigits: 91,
      birthMonth: 4,
      birthDay: 8,
      sex: 'M',
      birthplaceCode: 'F205',
    });
  });

  it('gives nothing for a numeric code or an invalid one', () => {
    expect(decodePersonalCodiceFiscale('00743110157')).toBeUndefined();
    expect(decodePersonalCodiceFiscale('RSSMRA80A01H501V')).toBeUndefined();
  });
});

describe('codiceFiscaleCheckChar', () => {
  it('computes the check letter of the domain examples', () => {
    expect(codiceFiscaleCheckChar('RSSMRA80A01H501')).toBe('U');
    expect(codiceFiscaleCheckChar('MRTMTT91D08F205')).toBe('J');
  });

  it('refuses input that is not fifteen letters or digits', () => {
    expect(() => codiceFiscaleCheckChar('RSSMRA80A01H50')).toThrow(RangeError);
    expect(() => codiceFiscaleCheckChar('rssmra80a01h501')).toThrow(RangeError);
  });

  it('always yields an upper-case letter', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(letter, digit), { minLength: 15, maxLength: 15 }), (chars) => {
        expect(codiceFiscaleCheckChar(chars.join(''))).toMatch(/^[A-Z]$/);
      }),
    );
  });
});
