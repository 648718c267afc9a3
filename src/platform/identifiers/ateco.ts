// ATECO 2025 economic-activity codes (= NACE Rev. 2.1 down to the class, plus ISTAT's national categories
// and sub-categories). A code is accepted only when it exists in the official list held in ateco-data.ts;
// a well-formed but unknown code is refused, so the KPIs the Region reads never count invented sectors.

import { ATECO_CLASSES, ATECO_DIVISIONS, ATECO_GROUPS, ATECO_SECTIONS } from './ateco-data.js';

/** Levels of the hierarchy a numeric code can name (sections are letters, not validated here). */
export type AtecoLevel = 'division' | 'group' | 'class' | 'category' | 'subcategory';

/** `format`: not a code shape we know; `unknown`: well formed but not in ATECO 2025. */
export type AtecoReason = 'format' | 'unknown';

export type AtecoResult =
  | { readonly ok: true; readonly value: string; readonly level: AtecoLevel }
  | { readonly ok: false; readonly reason: AtecoReason };

// NN, NN.N, NN.NN, NN.NN.N, NN.NN.NN. Each dot is optional on input ("2042" = "20.42", "204200" =
// "20.42.00"), but when present it must sit where it belongs: the two class digits are never split.
const CODE_SHAPE = /^(\d{2})(?:\.?(\d)(?:(\d)(?:\.?(\d)(\d)?)?)?)?$/;

interface ParsedCode {
  readonly value: string;
  readonly level: AtecoLevel;
}

/** Put a code typed by a person into the dotted form, without checking that it exists. */
export function normaliseAtecoCode(input: string): string | undefined {
  return parse(input)?.value;
}

function parse(input: string): ParsedCode | undefined {
  if (typeof input !== 'string') return undefined;
  const match = CODE_SHAPE.exec(input.replace(/\s+/g, ''));
  if (!match) return undefined;
  const [, division, groupDigit, classDigit, categoryDigit, subcategoryDigit] = match;
  if (division === undefined) return undefined;
  if (groupDigit === undefined) return { value: division, level: 'division' };
  if (classDigit === undefined) return { value: `${division}.${groupDigit}`, level: 'group' };
  const classCode = `${division}.${groupDigit}${classDigit}`;
  if (categoryDigit === undefined) return { value: classCode, level: 'class' };
  if (subcategoryDigit === undefined) return { value: `${classCode}.${categoryDigit}`, level: 'category' };
  return { value: `${classCode}.${categoryDigit}${subcategoryDigit}`, level: 'subcategory' };
}

// Every category (NN.NN.N) and sub-category (NN.NN.NN), built once: O(1) look-ups afterwards.
const CATEGORIES = new Set<string>();
const SUBCATEGORIES = new Set<string>();
for (const [classCode, [, list]] of Object.entries(ATECO_CLASSES)) {
  for (const lastTwo of list.split(' ')) {
    CATEGORIES.add(`${classCode}.${lastTwo.charAt(0)}`);
    SUBCATEGORIES.add(`${classCode}.${lastTwo}`);
  }
}

function exists({ value, level }: ParsedCode): boolean {
  switch (level) {
    case 'division':
      return Object.hasOwn(ATECO_DIVISIONS, value);
    case 'group':
      return Object.hasOwn(ATECO_GROUPS, value);
    case 'class':
      return Object.hasOwn(ATECO_CLASSES, value);
    case 'category':
      return CATEGORIES.has(value);
    case 'subcategory':
      return SUBCATEGORIES.has(value);
  }
}

/**
 * Validate an ATECO 2025 code at any numeric level and return it in dotted form:
 * `validateAteco('2042')` → `{ ok: true, value: '20.42', level: 'class' }`.
 */
export function validateAteco(input: string): AtecoResult {
  const parsed = parse(input);
  if (!parsed) return { ok: false, reason: 'format' };
  if (!exists(parsed)) return { ok: false, reason: 'unknown' };
  return { ok: true, value: parsed.value, level: parsed.level };
}

/**
 * Italian title of a valid code. Divisions, groups and classes have their own title; for a category or
 * sub-category, whose own titles we do not store, this is the title of the class it belongs to.
 */
export function atecoLabel(code: string): string | undefined {
  const result = validateAteco(code);
  if (!result.ok) return undefined;
  const { value, level } = result;
  switch (level) {
    case 'division':
      return ATECO_DIVISIONS[value]?.[1];
    case 'group':
      return ATECO_GROUPS[value];
    default:
      return ATECO_CLASSES[value.slice(0, 5)]?.[0];
  }
}

/** Section letter (A–V) of a valid code, e.g. `C` (manufacturing) for 20.42. */
export function atecoSection(code: string): string | undefined {
  const result = validateAteco(code);
  return result.ok ? ATECO_DIVISIONS[result.value.slice(0, 2)]?.[0] : undefined;
}

/** Italian title of a section letter. */
export function atecoSectionLabel(section: string): string | undefined {
  const letter = section.trim().toUpperCase();
  return Object.hasOwn(ATECO_SECTIONS, letter) ? ATECO_SECTIONS[letter] : undefined;
}
