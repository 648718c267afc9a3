// Codice fiscale (DOMAIN.md §2). Companies, associations, universities and other bodies have an 11-digit
// numeric code with the same check digit as the partita IVA; persons have a 16-character code: surname (3),
// name (3), year (2), month letter, day (+40 for women), birthplace (letter + 3 digits), check letter.
// When two persons would get the same code, the Agenzia delle Entrate replaces digits with letters
// (omocodia) at positions 7, 8, 10, 11, 13, 14, 15; every such variant is a valid code for its holder.

import { partitaIvaCheckDigit, type IdentifierResult } from './partita-iva.js';

/** `format`: wrong length, characters, month letter or day; `checksum`: the check character does not match. */
export type CodiceFiscaleReason = 'format' | 'checksum';

export type CodiceFiscaleResult = IdentifierResult<CodiceFiscaleReason>;

/** What a personal codice fiscale says about its holder (the birth year has two digits only). */
export interface PersonalCodiceFiscaleData {
  readonly birthYearTwoDigits: number;
  /** 1–12. */
  readonly birthMonth: number;
  /** 1–31, with the +40 for women already removed. */
  readonly birthDay: number;
  readonly sex: 'M' | 'F';
  /** Cadastral code of the Italian municipality (e.g. H501 Roma) or Z + 3 digits for a foreign country. */
  readonly birthplaceCode: string;
}

/** Omocodia letters in the order of the digits they replace: L=0, M=1, … V=9. */
export const OMOCODIA_LETTERS = 'LMNPQRSTUV';
/** 0-based indexes of the characters that may carry an omocodia letter instead of a digit. */
export const OMOCODIA_POSITIONS: readonly number[] = [6, 7, 9, 10, 12, 13, 14];
/** Month letters A (January) … T (December). */
const MONTH_LETTERS = 'ABCDEHLMPRST';

const NUMERIC_CODE = /^\d{11}$/;
const D = '[0-9LMNPQRSTUV]';
const PERSONAL_CODE = new RegExp(`^[A-Z]{6}${D}{2}[${MONTH_LETTERS}]${D}{2}[A-Z]${D}{3}[A-Z]$`);

// Values of characters in odd (1st, 3rd, …) positions for the check character; digits 0–9 weigh as A–J.
const ODD_VALUES = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];

function characterIndex(char: string): number {
  const code = char.charCodeAt(0);
  return code <= 57 ? code - 48 : code - 65; // '0'–'9' → 0–9, 'A'–'Z' → 0–25
}

/** The check letter of a personal codice fiscale from its first 15 characters (upper case). */
export function codiceFiscaleCheckChar(first15: string): string {
  if (!/^[0-9A-Z]{15}$/.test(first15)) throw new RangeError(`Expected 15 letters or digits, got «${first15}»`);
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const index = characterIndex(first15.charAt(i));
    // Position i + 1 is odd when i is even.
    sum += i % 2 === 0 ? (ODD_VALUES[index] ?? 0) : index;
  }
  return String.fromCharCode(65 + (sum % 26));
}

/** Replace omocodia letters with the digits they stand for, leaving every other character as it is. */
export function decodeOmocodia(code: string): string {
  const chars = code.split('');
  for (const position of OMOCODIA_POSITIONS) {
    const char = chars[position];
    if (char === undefined) continue;
    const digit = OMOCODIA_LETTERS.indexOf(char);
    if (digit >= 0) chars[position] = String(digit);
  }
  return chars.join('');
}

function normalise(input: string): string {
  return input.replace(/\s+/g, '').toUpperCase();
}

/**
 * Read the birth data from a personal code that has already passed the pattern. `undefined` when the day
 * is outside 1–31 and 41–71.
 */
function readPersonalData(code: string): PersonalCodiceFiscaleData | undefined {
  const plain = decodeOmocodia(code);
  const dayField = Number(plain.slice(9, 11));
  const female = dayField > 40;
  const birthDay = female ? dayField - 40 : dayField;
  if (birthDay < 1 || birthDay > 31) return undefined;
  return {
    birthYearTwoDigits: Number(plain.slice(6, 8)),
    birthMonth: MONTH_LETTERS.indexOf(plain.charAt(8)) + 1,
    birthDay,
    sex: female ? 'F' : 'M',
    birthplaceCode: plain.slice(11, 15),
  };
}

/**
 * Validate a codice fiscale: 11 digits for a body (same check as the partita IVA; all zeros is refused as
 * a format error), or 16 characters for a person. Spaces are dropped and letters upper-cased.
 */
export function validateCodiceFiscale(input: string): CodiceFiscaleResult {
  if (typeof input !== 'string') return { ok: false, reason: 'format' };
  const value = normalise(input);

  if (NUMERIC_CODE.test(value)) {
    if (value === '00000000000') return { ok: false, reason: 'format' };
    const expected = partitaIvaCheckDigit(value.slice(0, 10));
    return expected === value.charCodeAt(10) - 48 ? { ok: true, value } : { ok: false, reason: 'checksum' };
  }

  if (!PERSONAL_CODE.test(value) || readPersonalData(value) === undefined) return { ok: false, reason: 'format' };
  if (codiceFiscaleCheckChar(value.slice(0, 15)) !== value.charAt(15)) return { ok: false, reason: 'checksum' };
  return { ok: true, value };
}

/** Birth data of a valid personal codice fiscale; `undefined` for a numeric code or an invalid one. */
export function decodePersonalCodiceFiscale(input: string): PersonalCodiceFiscaleData | undefined {
  const result = validateCodiceFiscale(input);
  if (!result.ok || result.value.length !== 16) return undefined;
  return readPersonalData(result.value);
}
