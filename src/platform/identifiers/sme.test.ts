import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeSizeClass, isSme, type SizeClass } from './sme.js';

const M = 100_000_000; // one million euro, in cents
const RANK: Record<SizeClass, number> = { micro: 0, small: 1, medium: 2, large: 3 };

function sizeOf(employees: number, turnoverMillions?: number, balanceSheetMillions?: number): SizeClass | undefined {
  return computeSizeClass({
    employees,
    turnoverCents: turnoverMillions === undefined ? undefined : Math.round(turnoverMillions * M),
    balanceSheetCents: balanceSheetMillions === undefined ? undefined : Math.round(balanceSheetMillions * M),
  })?.sizeClass;
}

const staff = fc.integer({ min: 0, max: 1000 });
// Any amount up to 100 M€, with the ceilings and one cent above them drawn often.
const cents = fc.oneof(
  fc.integer({ min: 0, max: 100 * M }),
  fc.constantFrom(...[2, 10, 43, 50].flatMap((millions) => [millions * M, millions * M + 1])),
);
const maybeCents = fc.option(cents, { nil: undefined });

describe('computeSizeClass', () => {
  it('classifies on the Recommendation 2003/361 ceilings', () => {
    expect(sizeOf(9, 2, 2)).toBe('micro');
    expect(sizeOf(10, 2, 2)).toBe('small');
    expect(sizeOf(49, 10, 10)).toBe('small');
    expect(sizeOf(50, 10, 10)).toBe('medium');
    expect(sizeOf(249, 50, 43)).toBe('medium');
    expect(sizeOf(250, 1, 1)).toBe('large');
  });

  it('needs only one of the two financial ceilings', () => {
    expect(sizeOf(9, 2.01, 2)).toBe('micro');
    expect(sizeOf(9, 2, 2.01)).toBe('micro');
    expect(sizeOf(9, 2.01, 2.01)).toBe('small');
    expect(sizeOf(49, 10, 500)).toBe('small');
    expect(sizeOf(49, 11, 11)).toBe('medium');
    expect(sizeOf(249, 50, 100)).toBe('medium');
    expect(sizeOf(249, 100, 43)).toBe('medium');
    expect(sizeOf(249, 50.01, 43.01)).toBe('large');
  });

  it('treats each ceiling as inclusive to the cent', () => {
    const classOf = (employees: number, turnoverCents: number, balanceSheetCents: number) =>
      computeSizeClass({ employees, turnoverCents, balanceSheetCents }).sizeClass;
    expect(classOf(5, 2 * M, 2 * M + 1)).toBe('micro');
    expect(classOf(5, 2 * M + 1, 2 * M + 1)).toBe('small');
    expect(classOf(100, 50 * M + 1, 43 * M)).toBe('medium');
    expect(classOf(100, 50 * M + 1, 43 * M + 1)).toBe('large');
  });

  it('returns nothing without a headcount', () => {
    expect(computeSizeClass({ employees: undefined, turnoverCents: M, balanceSheetCents: M })).toBeUndefined();
    expect(computeSizeClass({ employees: null, turnoverCents: M, balanceSheetCents: M })).toBeUndefined();
  });

  it('uses the other figure when one is missing, and says so', () => {
    expect(computeSizeClass({ employees: 5, turnoverCents: 3 * M })).toEqual({
      sizeClass: 'small',
      basis: 'turnover-only',
    });
    expect(computeSizeClass({ employees: 5, turnoverCents: null, balanceSheetCents: M })).toEqual({
      sizeClass: 'micro',
      basis: 'balance-sheet-only',
    });
    expect(computeSizeClass({ employees: 5, turnoverCents: M, balanceSheetCents: 3 * M })).toEqual({
      sizeClass: 'micro',
      basis: 'complete',
    });
  });

  it('classifies on headcount alone when both figures are missing, and flags it', () => {
    expect(computeSizeClass({ employees: 5 })).toEqual({ sizeClass: 'micro', basis: 'headcount-only' });
    expect(computeSizeClass({ employees: 30, turnoverCents: null, balanceSheetCents: null })).toEqual({
      sizeClass: 'small',
      basis: 'headcount-only',
    });
    expect(computeSizeClass({ employees: 200 })).toEqual({ sizeClass: 'medium', basis: 'headcount-only' });
    expect(computeSizeClass({ employees: 300 })).toEqual({ sizeClass: 'large', basis: 'headcount-only' });
  });

  it('accepts a headcount in annual work units with a fraction', () => {
    expect(sizeOf(9.5, 1, 1)).toBe('micro');
    expect(sizeOf(249.9, 1, 1)).toBe('medium');
  });

  it('refuses negative or non-finite headcounts and money that is not whole non-negative cents', () => {
    expect(() => computeSizeClass({ employees: -1 })).toThrow(RangeError);
    expect(() => computeSizeClass({ employees: Number.NaN })).toThrow(RangeError);
    expect(() => computeSizeClass({ employees: Number.POSITIVE_INFINITY })).toThrow(RangeError);
    expect(() => computeSizeClass({ employees: 5, turnoverCents: 10.5 })).toThrow(RangeError);
    expect(() => computeSizeClass({ employees: 5, balanceSheetCents: -100 })).toThrow(RangeError);
  });

  it('never gives a smaller class to more employees at fixed finances', () => {
    fc.assert(
      fc.property(staff, staff, maybeCents, maybeCents, (a, b, turnoverCents, balanceSheetCents) => {
        const [fewer, more] = a <= b ? [a, b] : [b, a];
        const small = computeSizeClass({ employees: fewer, turnoverCents, balanceSheetCents });
        const large = computeSizeClass({ employees: more, turnoverCents, balanceSheetCents });
        expect(RANK[large.sizeClass]).toBeGreaterThanOrEqual(RANK[small.sizeClass]);
      }),
    );
  });

  it('never gives a smaller class to a larger turnover or balance sheet', () => {
    fc.assert(
      fc.property(staff, cents, cents, cents, (employees, x, y, other) => {
        const [low, high] = x <= y ? [x, y] : [y, x];
        const rank = (turnoverCents: number, balanceSheetCents: number) =>
          RANK[computeSizeClass({ employees, turnoverCents, balanceSheetCents }).sizeClass];
        expect(rank(high, other)).toBeGreaterThanOrEqual(rank(low, other));
        expect(rank(other, high)).toBeGreaterThanOrEqual(rank(other, low));
      }),
    );
  });

  it('never places an enterprise below the class its headcount alone gives', () => {
    fc.assert(
      fc.property(staff, maybeCents, maybeCents, (employees, turnoverCents, balanceSheetCents) => {
        const withFigures = computeSizeClass({ employees, turnoverCents, balanceSheetCents });
        const headcountOnly = computeSizeClass({ employees });
        expect(RANK[withFigures.sizeClass]).toBeGreaterThanOrEqual(RANK[headcountOnly.sizeClass]);
      }),
    );
  });

  it('gives the same class whichever of the two figures is under its ceiling', () => {
    // Below 10 M€ both ceilings of micro and small are equal, so swapping the figures changes nothing.
    const upTo10M = fc.integer({ min: 0, max: 10 * M + 10 });
    fc.assert(
      fc.property(staff, upTo10M, upTo10M, (employees, x, y) => {
        expect(computeSizeClass({ employees, turnoverCents: x, balanceSheetCents: y })).toEqual(
          computeSizeClass({ employees, turnoverCents: y, balanceSheetCents: x }),
        );
      }),
    );
  });
});

describe('isSme', () => {
  it('counts micro, small and medium enterprises as SMEs', () => {
    expect(['micro', 'small', 'medium', 'large'].map((c) => isSme(c as SizeClass))).toEqual([true, true, true, false]);
  });
});
