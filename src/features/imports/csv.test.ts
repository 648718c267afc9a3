import { parse as csvParse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, parseCsvRecords } from './csv.js';

/** What csv-parse made of the same text with the options the import used before, or `error`. */
function reference(text: string, delimiter: ',' | ';'): string[][] | 'error' {
  try {
    return csvParse(text, { delimiter, relax_column_count: true, skip_empty_lines: false }) as string[][];
  } catch {
    return 'error';
  }
}

function ours(text: string, delimiter: ',' | ';'): string[][] | 'error' {
  try {
    return parseCsvRecords(text, delimiter);
  } catch (error) {
    if (error instanceof CsvSyntaxError) return 'error';
    throw error;
  }
}

describe('parseCsvRecords', () => {
  it('splits records and fields, with quoted delimiters, quotes and line breaks', () => {
    expect(parseCsvRecords('a;b;c\r\n1;"x; ""y""";\r\n"riga\r\ndue";;3\r\n', ';')).toEqual([
      ['a', 'b', 'c'],
      ['1', 'x; "y"', ''],
      ['riga\r\ndue', '', '3'],
    ]);
  });

  it('keeps empty lines as records and drops only the end after the last line break', () => {
    expect(parseCsvRecords('a,b\n\n1,2\n', ',')).toEqual([['a', 'b'], [''], ['1', '2']]);
    expect(parseCsvRecords('a,b\n1,', ',')).toEqual([['a', 'b'], ['1', '']]);
    expect(parseCsvRecords('a\n""', ',')).toEqual([['a'], ['']]);
    expect(parseCsvRecords('', ',')).toEqual([]);
  });

  it('uses the first line ending outside quotes for the whole text', () => {
    expect(parseCsvRecords('"x\ny",a\r\nb\nc\r\n', ',')).toEqual([['x\ny', 'a'], ['b\nc']]);
    expect(parseCsvRecords('a\rb\rc', ',')).toEqual([['a'], ['b'], ['c']]);
  });

  it('refuses a quote inside an unquoted field, text after a closing quote and an open quote, with the line', () => {
    expect(() => parseCsvRecords('a;b\nx"y;z\n', ';')).toThrow(expect.objectContaining({ reason: 'invalid_opening_quote', line: 2 }));
    expect(() => parseCsvRecords('a;b\n"x"y;z\n', ';')).toThrow(expect.objectContaining({ reason: 'invalid_closing_quote', line: 2 }));
    expect(() => parseCsvRecords('a;b\n\n"x;z\n', ';')).toThrow(expect.objectContaining({ reason: 'quote_not_closed', line: 3 }));
  });

  it('reads any text exactly as csv-parse did', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'é', ' ', ',', ';', '"', '\n', '\r', '\r\n', '""'), maxLength: 40 });
    fc.assert(
      fc.property(text, fc.constantFrom<',' | ';'>(',', ';'), (input, delimiter) => {
        expect(ours(input, delimiter)).toEqual(reference(input, delimiter));
      }),
      { numRuns: 20_000 },
    );
  });

  it('reads well-formed files of many rows as csv-parse did', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'Z', '1', ' ', ',', ';', '"', '\n', '\r\n', 'è'), maxLength: 8 });
    const quote = (v: string) => (/[",;\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    const file = fc.tuple(
      fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 20 }),
      fc.constantFrom<',' | ';'>(',', ';'),
      fc.constantFrom('\n', '\r\n', '\r'),
      fc.boolean(),
    );
    fc.assert(
      fc.property(file, ([rows, delimiter, eol, finalBreak]) => {
        const text = rows.map((r) => r.map(quote).join(delimiter)).join(eol) + (finalBreak ? eol : '');
        expect(ours(text, delimiter)).toEqual(reference(text, delimiter));
      }),
      { numRuns: 2_000 },
    );
  });
});
