import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { COLUMN_NAMES } from './columns.js';
import { exportCsv, exportXlsx, neutralise, type MemberRecord } from './files.js';
import { parseMemberFile } from './parse.js';
import { parseIsoDate, romeDate } from './service.js';

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

const member = (overrides: Partial<MemberRecord> = {}): MemberRecord => ({
  external_ref: 'A1',
  admitted_at: new Date('2026-01-15T12:00:00Z'),
  class_code: 'ordinario',
  legal_name: 'Alfa S.r.l.',
  short_name: null,
  type: 'company',
  vat_number: '00743110157',
  tax_code: null,
  ateco_codes: ['20.42', '46.45'],
  country_code: 'IT',
  comune_istat: '015146',
  city: 'Milano',
  address: null,
  postcode: null,
  pec: null,
  email: null,
  website: null,
  employees: 42,
  turnover_cents: 125000050,
  balance_sheet_cents: 90000000,
  size_class_declared: null,
  description_it: null,
  description_en: null,
  ...overrides,
});

describe('neutralise', () => {
  it('prefixes a quote to cells a spreadsheet would run as a formula', () => {
    for (const bad of ['=1+1', '+39 02', '-2', '@SUM(A1)', '\tx', '\rx']) expect(neutralise(bad)).toBe(`'${bad}`);
    for (const ok of ['Alfa', '', '20.42', "l'Oréal"]) expect(neutralise(ok)).toBe(ok);
  });
});

describe('exports', () => {
  it('writes the members as CSV with the import columns, neutralising formulas, and reads back the same values', async () => {
    const data = await collect(exportCsv([member(), member({ external_ref: 'A2', legal_name: '=HYPERLINK("http://evil")', vat_number: null, turnover_cents: 100 })]));
    const text = data.toString('utf8');
    expect(text.startsWith('\uFEFFexternal_ref;legal_name;')).toBe(true);
    expect(text).toContain(`'=HYPERLINK(""http://evil"")`);
    const parsed = await parseMemberFile('soci.csv', data);
    expect(parsed.problems).toEqual([]);
    expect(parsed.headers).toEqual(COLUMN_NAMES);
    expect(parsed.rows[0]!.cells).toMatchObject({
      external_ref: 'A1',
      vat_number: '00743110157',
      ateco_codes: '20.42, 46.45',
      turnover_eur: '1250000.50',
      balance_sheet_eur: '900000',
      admitted_on: '2026-01-15',
      member_class: 'ordinario',
    });
    expect(parsed.rows[1]!.cells).toMatchObject({ legal_name: `'=HYPERLINK("http://evil")`, turnover_eur: '1' });
  });

  it('writes the members as XLSX, figures as numbers and text never as formulas', async () => {
    const data = await collect(exportXlsx([member({ legal_name: '+cmd' })]));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(data as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).getCell(1).value).toBe('external_ref');
    const row = sheet.getRow(2);
    expect(row.getCell(COLUMN_NAMES.indexOf('legal_name') + 1).value).toBe("'+cmd");
    expect(row.getCell(COLUMN_NAMES.indexOf('employees') + 1).value).toBe(42);
    expect(row.getCell(COLUMN_NAMES.indexOf('vat_number') + 1).value).toBe('00743110157');
    const parsed = await parseMemberFile('soci.xlsx', data);
    expect(parsed.rows[0]!.cells.turnover_eur).toBe('1250000.5');
  });
});

describe('dates', () => {
  it('parses calendar dates strictly and reads instants as days in Europe/Rome', () => {
    expect(parseIsoDate('2026-01-15')?.toISOString()).toBe('2026-01-15T12:00:00.000Z');
    expect(parseIsoDate('2026-02-30')).toBeNull();
    expect(parseIsoDate('15/01/2026')).toBeNull();
    expect(romeDate(new Date('2026-06-30T22:30:00Z'))).toBe('2026-07-01');
  });
});
