// Partita IVA: the Italian VAT number, 11 digits whose last is a Luhn-style check digit over the first 10
// (DOMAIN.md §2). We store it bare: no `IT` prefix, no spaces.

/** A validation outcome: the normalised value, or why the input was refused. */
export type IdentifierResult<Reason extends string> =
  | { readonly ok: true; readonly value: string }
  | { readonly ok: false; readonly reason: Reason };

/**
 * - `format`: not 11 digits once spaces and an optional `IT` prefix are removed;
 * - `checksum`: the 11th digit does not match the first ten;
 * - `zeros`: all zeros, which passes the checksum but is never issued.
 */
export type PartitaIvaReason = 'format' | 'checksum' | 'zeros';

export type PartitaIvaResult = IdentifierResult<PartitaIvaReason>;

const ELEVEN_DIGITS = /^\d{11}$/;
const TEN_DIGITS = /^\d{10}$/;

/**
 * The check digit for the first ten digits of a partita IVA (also of a numeric codice fiscale).
 * Digits in odd positions (1st, 3rd, …) count as they are; digits in even positions are doubled, minus 9
 * when the double exceeds 9; the check digit brings the sum to a multiple of ten.
 */
export function partitaIvaCheckDigit(first10: string): number {
  if (!TEN_DIGITS.test(first10)) throw new RangeError(`Expected exactly 10 digits, got «${first10}»`);
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const digit = first10.charCodeAt(i) - 48;
    if (i % 2 === 0) {
      sum += digit;
    } else {
      const doubled = digit * 2;
      sum += doubled > 9 ? doubled - 9 : doubled;
    }
  }
  return (10 - (sum % 10)) % 10;
}

/** Upper-case, drop every whitespace character and one leading `IT` country prefix. */
function normalisePartitaIva(input: string): string {
  const compact = input.replace(/\s+/g, '').toUpperCase();
  return compact.startsWith('IT') ? compact.slice(2) : compact;
}

/** Validate a partita IVA typed by a person: `IT 007 431 101 57` → `00743110157`. */
export function validatePartitaIva(input: string): PartitaIvaResult {
  if (typeof input !== 'string') return { ok: false, reason: 'format' };
  const value = normalisePartitaIva(input);
  if (!ELEVEN_DIGITS.test(value)) return { ok: false, reason: 'format' };
  if (value === '00000000000') return { ok: false, reason: 'zeros' };
  if (partitaIvaCheckDigit(value.slice(0, 10)) !== value.charCodeAt(10) - 48) {
    return { ok: false, reason: 'checksum' };
  }
  return { ok: true, value };
}
