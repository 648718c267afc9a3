// EU SME size class, Commission Recommendation 2003/361/EC, Annex Art. 2 (DOMAIN.md §4): the staff
// headcount ceiling must be respected, plus EITHER the turnover OR the balance-sheet ceiling.
//
// This computes the class from one year's figures of one enterprise. It does not apply the rule that a
// status changes only after two consecutive years over or under a ceiling, nor add partner and linked
// enterprises: that is why organisations keep a declared class beside the computed one.

export type SizeClass = 'micro' | 'small' | 'medium' | 'large';

/**
 * Which figures the class rests on, besides headcount:
 * - `complete`: turnover and balance sheet;
 * - `turnover-only` / `balance-sheet-only`: the other financial figure was missing;
 * - `headcount-only`: no financial figure, classified on staff alone.
 */
export type SizeClassBasis = 'complete' | 'turnover-only' | 'balance-sheet-only' | 'headcount-only';

export interface SizeClassInput {
  /** Staff headcount in annual work units (may be fractional); null or undefined when unknown. */
  readonly employees: number | null | undefined;
  /** Annual turnover in integer euro cents. */
  readonly turnoverCents?: number | null | undefined;
  /** Annual balance-sheet total in integer euro cents. */
  readonly balanceSheetCents?: number | null | undefined;
}

export interface SizeClassResult {
  readonly sizeClass: SizeClass;
  readonly basis: SizeClassBasis;
}

const EURO = 100; // cents
const MILLION_EURO = 1_000_000 * EURO;

interface Ceiling {
  readonly sizeClass: Exclude<SizeClass, 'large'>;
  /** Headcount must be strictly below this. */
  readonly staffBelow: number;
  /** Turnover must be at most this (cents)… */
  readonly turnoverAtMost: number;
  /** …or balance-sheet total at most this (cents). */
  readonly balanceSheetAtMost: number;
}

/** The ceilings of Art. 2 of the Annex, smallest class first. */
export const SME_CEILINGS: readonly Ceiling[] = Object.freeze([
  { sizeClass: 'micro', staffBelow: 10, turnoverAtMost: 2 * MILLION_EURO, balanceSheetAtMost: 2 * MILLION_EURO },
  { sizeClass: 'small', staffBelow: 50, turnoverAtMost: 10 * MILLION_EURO, balanceSheetAtMost: 10 * MILLION_EURO },
  { sizeClass: 'medium', staffBelow: 250, turnoverAtMost: 50 * MILLION_EURO, balanceSheetAtMost: 43 * MILLION_EURO },
]);

function isMissing(value: number | null | undefined): value is null | undefined {
  return value === null || value === undefined;
}

function checkCents(name: string, value: number | null | undefined): void {
  if (!isMissing(value) && !(Number.isSafeInteger(value) && value >= 0)) {
    throw new RangeError(`${name} must be a non-negative whole number of cents, got ${value}`);
  }
}

/**
 * Size class of an enterprise, or `undefined` when the headcount is unknown (it is the one figure the
 * definition always requires). A missing financial figure cannot satisfy its ceiling, so the class then
 * rests on the other one; with neither, on headcount alone, which can understate the class of a
 * high-revenue firm with few staff — `basis` says so.
 */
export function computeSizeClass(input: SizeClassInput & { readonly employees: number }): SizeClassResult;
export function computeSizeClass(input: SizeClassInput): SizeClassResult | undefined;
export function computeSizeClass(input: SizeClassInput): SizeClassResult | undefined {
  const { employees, turnoverCents, balanceSheetCents } = input;
  if (isMissing(employees)) return undefined;
  if (!(Number.isFinite(employees) && employees >= 0)) {
    throw new RangeError(`employees must be a non-negative number, got ${employees}`);
  }
  checkCents('turnoverCents', turnoverCents);
  checkCents('balanceSheetCents', balanceSheetCents);

  const hasTurnover = !isMissing(turnoverCents);
  const hasBalanceSheet = !isMissing(balanceSheetCents);
  const basis: SizeClassBasis =
    hasTurnover && hasBalanceSheet
      ? 'complete'
      : hasTurnover
        ? 'turnover-only'
        : hasBalanceSheet
          ? 'balance-sheet-only'
          : 'headcount-only';

  for (const ceiling of SME_CEILINGS) {
    if (employees >= ceiling.staffBelow) continue;
    const withinFinancials =
      basis === 'headcount-only' ||
      (hasTurnover && turnoverCents <= ceiling.turnoverAtMost) ||
      (hasBalanceSheet && balanceSheetCents <= ceiling.balanceSheetAtMost);
    if (withinFinancials) return { sizeClass: ceiling.sizeClass, basis };
  }
  return { sizeClass: 'large', basis };
}

/** Whether a class is an SME (micro, small or medium). */
export function isSme(sizeClass: SizeClass): boolean {
  return sizeClass !== 'large';
}
