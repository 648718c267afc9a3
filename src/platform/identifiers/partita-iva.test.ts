import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { partitaIvaCheckDigit, validatePartitaIva } from './partita-iva.js';

const tenDigits = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 10, maxLength: 10 }).map((d) => d.join(''));
const validPartitaIva = tenDigits
  .filter((first10) => first10 !== '0000000000')
  .map((first10) => `${first10}${partitaIvaCheckDigit(first10)}`);

/** Insert spaces at arbitrary places, as people type or paste them. */
function withSpaces(value: string, gaps: readonly number[]): string {
  return value
    .split('')
    .map((char, i) => ' '.repeat(gaps[i] ?? 0) + char)
    .join('');
}

describe('validatePartitaIva', () => {
  it('accepts the valid examples of the domain notes', () => {
    expect(validatePartitaIva('86334519757')).toEqual({ ok: true, value: '86334519757' });
    expect(validatePartitaIva('00743110157')).toEqual({ ok: true, value: '00743110157' });
  });

  it('refuses a number whose check digit does not match', () => {
    expect(validatePartitaIva('12345678901')).toEqual({ ok: false, reason: 'checksum' });
  });

  it('strips an IT prefix in any case and spaces, and stores the bare digits', () => {
    expect(validatePartitaIva('IT00743110157')).toEqual({ ok: true, value: '00743110157' });
    expect(validatePartitaIva(' it 007 431 101 57 ')).toEqual({ ok: true, value: '00743110157' });
    expect(validatePartitaIva('IT 86334519757')).toEqual({ ok: true, value: '86334519757' });
  });

  it('refuses all zeros although they pass the checksum', () => {
    expect(partitaIvaCheckDigit('0000000000')).toBe(0);
    expect(validatePartitaIva('00000000000')).toEqual({ ok: false, reason: 'zeros' });
    expect(validatePartitaIva('IT 000 000 000 00')).toEqual({ ok: false, reason: 'zeros' });
  });

  it.each([
    ['', 'empty'],
    ['0074311015', 'ten digits'],
    ['007431101570', 'twelve digits'],
    ['0074311015A', 'a letter'],
    ['00743-110157', 'a hyphen'],
    ['DE00743110157', 'another country prefix'],
    ['ITIT00743110157', 'a doubled prefix'],
  ])('refuses «%s» (%s) as a format error', (input) => {
    expect(validatePartitaIva(input)).toEqual({ ok: false, reason: 'format' });
  });

  it('refuses a value that is not a string as a format error', () => {
    expect(validatePartitaIva(undefined as unknown as string)).toEqual({ ok: false, reason: 'format' });
  });

  it('accepts any ten digits followed by their computed check digit', () => {
    fc.assert(
      fc.property(validPartitaIva, (code) => {
        expect(validatePartitaIva(code)).toEqual({ ok: true, value: code });
      }),
    );
  });

  it('refuses a valid number once any single digit is changed', () => {
    fc.assert(
      fc.property(
        validPartitaIva,
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 1, max: 9 }),
        (code, position, delta) => {
          const changed = (Number(code.charAt(position)) + delta) % 10;
          const mutated = code.slice(0, position) + String(changed) + code.slice(position + 1);
          expect(validatePartitaIva(mutated)).toEqual({ ok: false, reason: 'checksum' });
        },
      ),
    );
  });

  it('gives the same result with or without an IT prefix and spaces', () => {
    const elevenDigits = fc
      .array(fc.integer({ min: 0, max: 9 }), { minLength: 11, maxLength: 11 })
      .map((d) => d.join(''));
    fc.assert(
      fc.property(
        fc.oneof(elevenDigits, validPartitaIva),
        fc.constantFrom('', 'IT', 'it', 'It', 'IT ', ' it'),
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 11, maxLength: 11 }),
        (code, prefix, gaps) => {
          expect(validatePartitaIva(prefix + withSpaces(code, gaps))).toEqual(validatePartitaIva(code));
        },
      ),
    );
  });
});

describe('partitaIvaCheckDigit', () => {
  it('computes the digit of the domain examples', () => {
    expect(partitaIvaCheckDigit('8633451975')).toBe(7);
    expect(partitaIvaCheckDigit('0074311015')).toBe(7);
  });

  it('always yields a single digit', () => {
    fc.assert(
      fc.property(tenDigits, (first10) => {
        const digit = partitaIvaCheckDigit(first10);
        expect(Number.isInteger(digit) && digit >= 0 && digit <= 9).toBe(true);
      }),
    );
  });

  it('refuses input that is not exactly ten digits', () => {
    expect(() => partitaIvaCheckDigit('123')).toThrow(RangeError);
    expect(() => partitaIvaCheckDigit('00743110157')).toThrow(RangeError);
    expect(() => partitaIvaCheckDigit('007431101A')).toThrow(RangeError);
  });
});
