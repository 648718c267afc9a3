import { describe, expect, it } from 'vitest';
import { choresDue, type TableActivity } from './embedded-maintenance.js';

/** A table of 1,000 rows on 10 pages, analysed and unchanged since. */
const table = (over: Partial<TableActivity> = {}): TableActivity => ({
  table: 't',
  reltuples: 1_000,
  relpages: 10,
  pages: 10,
  deadRows: 0,
  insertedSinceVacuum: 0,
  modifiedSinceAnalyze: 0,
  ...over,
});

describe('embedded database maintenance: what is due', () => {
  it('leaves alone a table that has not changed, and an empty table never analysed', () => {
    expect(choresDue([table(), table({ table: 'empty', reltuples: -1, relpages: 0, pages: 0, deadRows: null, insertedSinceVacuum: null, modifiedSinceAnalyze: null })])).toEqual([]);
  });

  it("applies PostgreSQL's autovacuum thresholds: just at one is not due, one row past it is", () => {
    // 1,000 rows: vacuum at 50 + 200 dead rows, 1,000 + 200 inserted rows; analysis at 50 + 100 changed rows.
    expect(choresDue([table({ deadRows: 250, modifiedSinceAnalyze: 150 })])).toEqual([]);
    expect(choresDue([table({ deadRows: 251 })])).toMatchObject([{ action: 'vacuum', reason: 'dead_rows' }]);
    expect(choresDue([table({ insertedSinceVacuum: 1_200 })])).toEqual([]);
    expect(choresDue([table({ insertedSinceVacuum: 1_201 })])).toMatchObject([{ action: 'vacuum', reason: 'inserted_rows' }]);
    expect(choresDue([table({ modifiedSinceAnalyze: 151 })])).toMatchObject([{ action: 'analyze', reason: 'modified_rows' }]);
  });

  it('vacuums a table never analysed that has pages, and one that grew by more than a tenth since its last analysis', () => {
    expect(choresDue([table({ reltuples: -1, relpages: 0, pages: 1 })])).toMatchObject([{ action: 'vacuum', reason: 'never_analysed' }]);
    // 10 pages analysed: due beyond 10 × 1.1 + 8 = 19 pages (what a restart's forgotten counters cannot tell).
    expect(choresDue([table({ pages: 19, deadRows: null, insertedSinceVacuum: null, modifiedSinceAnalyze: null })])).toEqual([]);
    expect(choresDue([table({ pages: 20, deadRows: null, insertedSinceVacuum: null, modifiedSinceAnalyze: null })])).toMatchObject([{ action: 'vacuum', reason: 'grew' }]);
  });

  it('gives a table one chore, a vacuum when any rule asks for one, and the most overdue tables first', () => {
    const chores = choresDue([
      table({ table: 'a', modifiedSinceAnalyze: 1_000 }), // analysis, 1000 / 150 = 6.7× its threshold
      table({ table: 'b', deadRows: 500, modifiedSinceAnalyze: 3_000 }), // vacuum (2×), not the analysis (20×)
      table({ table: 'c', reltuples: -1, pages: 3 }),
      table({ table: 'd', deadRows: 2_500 }), // vacuum, 10×
    ]);
    expect(chores.map((c) => [c.table, c.action, c.reason])).toEqual([
      ['c', 'vacuum', 'never_analysed'],
      ['d', 'vacuum', 'dead_rows'],
      ['a', 'analyze', 'modified_rows'],
      ['b', 'vacuum', 'dead_rows'],
    ]);
  });
});
