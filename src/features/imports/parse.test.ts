import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { COLUMN_NAMES } from './columns.js';
import { templateCsv, templateXlsx } from './files.js';
import { cellText, detectDelimiter, MAX_FILE_BYTES, MAX_ROWS, parseMemberFile } from './parse.js';

const csv = (text: string) => Buffer.from(text, 'utf8');

async function xlsx(rows: ExcelJS.CellValue[][], extraSheet = false): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Soci');
  for (const row of rows) sheet.addRow(row);
  if (extraSheet) workbook.addWorksheet('Altro').addRow(['not', 'read']);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describe('parseMemberFile – CSV', () => {
  it('reads a file separated by semicolons, keyed by header, numbering rows as a spreadsheet does', async () => {
    const parsed = await parseMemberFile(
      'soci.csv',
      csv('external_ref;legal_name;type;member_class\nA1;Alfa S.r.l.;company;ordinario\nA2;"Beta; Gamma S.p.A.";company;ordinario\n'),
    );
    expect(parsed.problems).toEqual([]);
    expect(parsed.format).toBe('csv');
    expect(parsed.headers).toEqual(['external_ref', 'legal_name', 'type', 'member_class']);
    expect(parsed.rows).toEqual([
      { row: 2, cells: { external_ref: 'A1', legal_name: 'Alfa S.r.l.', type: 'company', member_class: 'ordinario' }, extraCells: false },
      { row: 3, cells: { external_ref: 'A2', legal_name: 'Beta; Gamma S.p.A.', type: 'company', member_class: 'ordinario' }, extraCells: false },
    ]);
  });

  it('reads a file separated by commas, with quoted commas and line breaks in a cell', async () => {
    const parsed = await parseMemberFile(
      'soci.csv',
      csv('external_ref,legal_name,type,member_class,description_it\r\nA1,"Alfa, Beta S.r.l.",company,ordinario,"Riga uno\r\nriga due"\r\nA2,Gamma,company,ordinario,\r\n'),
    );
    expect(parsed.problems).toEqual([]);
    expect(parsed.rows.map((r) => r.cells.legal_name)).toEqual(['Alfa, Beta S.r.l.', 'Gamma']);
    expect(parsed.rows[0]!.cells.description_it).toBe('Riga uno\r\nriga due');
    // A line break inside a cell stays in one spreadsheet row.
    expect(parsed.rows.map((r) => r.row)).toEqual([2, 3]);
  });

  it('accepts UTF-8 with a byte-order mark and keeps accented letters', async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const parsed = await parseMemberFile('soci.csv', Buffer.concat([bom, csv('external_ref;legal_name;type;member_class\nA1;Società Àlfa;company;ordinario\n')]));
    expect(parsed.problems).toEqual([]);
    expect(parsed.headers[0]).toBe('external_ref');
    expect(parsed.rows[0]!.cells.legal_name).toBe('Società Àlfa');
  });

  it('refuses a CSV that is not UTF-8 (e.g. saved as Windows-1252)', async () => {
    const latin1 = Buffer.from('external_ref;legal_name;type;member_class\nA1;Societ\xe0;company;ordinario\n', 'latin1');
    const parsed = await parseMemberFile('soci.csv', latin1);
    expect(parsed.problems).toEqual([{ code: 'encoding' }]);
  });

  it('skips empty lines but keeps counting them, so row numbers match the spreadsheet', async () => {
    const parsed = await parseMemberFile('soci.csv', csv('external_ref;legal_name;type;member_class\nA1;Alfa;company;x\n\n;;;\nA2;Beta;company;x\n'));
    expect(parsed.rows.map((r) => [r.row, r.cells.external_ref])).toEqual([
      [2, 'A1'],
      [5, 'A2'],
    ]);
  });

  it('accepts headers in any case and order, trimmed', async () => {
    const parsed = await parseMemberFile('soci.csv', csv(' Member_Class ;TYPE;legal_name;External_Ref\nx;company;Alfa;A1\n'));
    expect(parsed.problems).toEqual([]);
    expect(parsed.rows[0]!.cells).toEqual({ member_class: 'x', type: 'company', legal_name: 'Alfa', external_ref: 'A1' });
  });

  it('reports unknown, missing required and repeated headers as file-level problems', async () => {
    const parsed = await parseMemberFile('soci.csv', csv('external_ref;ragione_sociale;type;type;colore\nA1;Alfa;company;company;blu\n'));
    expect(parsed.problems).toEqual([
      { code: 'unknown_headers', params: { names: 'ragione_sociale, colore', count: 2 } },
      { code: 'duplicate_headers', params: { names: 'type' } },
      { code: 'missing_headers', params: { names: 'legal_name, member_class', count: 2 } },
    ]);
  });

  it('flags values to the right of the last named column', async () => {
    const parsed = await parseMemberFile('soci.csv', csv('external_ref;legal_name;type;member_class\nA1;Alfa;company;x;surprise\nA2;Beta;company;x;\n'));
    expect(parsed.rows.map((r) => r.extraCells)).toEqual([true, false]);
  });

  it('reports an empty file, an unreadable CSV and an old XLS file', async () => {
    expect((await parseMemberFile('soci.csv', Buffer.alloc(0))).problems).toEqual([{ code: 'empty' }]);
    expect((await parseMemberFile('soci.csv', csv('\n\n'))).problems).toEqual([{ code: 'empty' }]);
    expect((await parseMemberFile('soci.csv', csv('external_ref;legal_name\n"A1;Alfa\n'))).problems[0]?.code).toBe('unreadable');
    expect((await parseMemberFile('soci.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0]))).problems).toEqual([{ code: 'format' }]);
    expect((await parseMemberFile('soci.xlsx', csv('not a zip'))).problems).toEqual([{ code: 'unreadable' }]);
  });

  it(`refuses more than ${MAX_ROWS} rows and more than 10 MB`, async () => {
    const lines = ['external_ref;legal_name;type;member_class'];
    for (let i = 0; i <= MAX_ROWS; i++) lines.push(`R${i};Org ${i};company;x`);
    const tooMany = await parseMemberFile('soci.csv', csv(lines.join('\n')));
    expect(tooMany.problems).toEqual([{ code: 'too_many_rows', params: { max: MAX_ROWS } }]);
    const tooLarge = await parseMemberFile('soci.csv', Buffer.alloc(MAX_FILE_BYTES + 1, 'a'));
    expect(tooLarge.problems).toEqual([{ code: 'too_large', params: { max: 10 } }]);
  });

  it('picks the delimiter that appears more in the header line, ignoring quoted text', () => {
    expect(detectDelimiter('a;b;c\n1,2,3')).toBe(';');
    expect(detectDelimiter('a,b,"c;d;e"\n')).toBe(',');
    expect(detectDelimiter('single\n')).toBe(',');
  });
});

describe('parseMemberFile – XLSX', () => {
  it('reads the first sheet of a workbook, with numbers, dates and codes as text', async () => {
    const data = await xlsx(
      [
        ['external_ref', 'legal_name', 'type', 'vat_number', 'comune_istat', 'employees', 'turnover_eur', 'admitted_on', 'member_class'],
        ['A1', 'Alfa S.r.l.', 'company', 743110157, 15146, 42, 1250000.5, new Date(Date.UTC(2026, 0, 15)), 'ordinario'],
        [],
        [{ richText: [{ text: 'A' }, { text: '2' }] }, { formula: '"Be"&"ta"', result: 'Beta' }, 'company', '00743110157', '015146', null, null, '2026-02-01', 'ordinario'],
      ],
      true,
    );
    const parsed = await parseMemberFile('soci.xlsx', data);
    expect(parsed.problems).toEqual([]);
    expect(parsed.format).toBe('xlsx');
    expect(parsed.rows).toEqual([
      {
        row: 2,
        cells: {
          external_ref: 'A1',
          legal_name: 'Alfa S.r.l.',
          type: 'company',
          vat_number: '00743110157',
          comune_istat: '015146',
          employees: '42',
          turnover_eur: '1250000.5',
          admitted_on: '2026-01-15',
          member_class: 'ordinario',
        },
        extraCells: false,
      },
      {
        row: 4,
        cells: {
          external_ref: 'A2',
          legal_name: 'Beta',
          type: 'company',
          vat_number: '00743110157',
          comune_istat: '015146',
          employees: '',
          turnover_eur: '',
          admitted_on: '2026-02-01',
          member_class: 'ordinario',
        },
        extraCells: false,
      },
    ]);
  });

  it('detects XLSX by its content even when the name says .csv', async () => {
    const data = await xlsx([
      ['external_ref', 'legal_name', 'type', 'member_class'],
      ['A1', 'Alfa', 'company', 'x'],
    ]);
    const parsed = await parseMemberFile('soci.csv', data);
    expect(parsed.format).toBe('xlsx');
    expect(parsed.rows).toHaveLength(1);
  });

  it('reports header problems in a workbook too', async () => {
    const parsed = await parseMemberFile('soci.xlsx', await xlsx([['legal_name', 'tipo'], ['Alfa', 'company']]));
    expect(parsed.problems.map((p) => p.code)).toEqual(['unknown_headers', 'missing_headers']);
  });

  it('turns any cell value into text', () => {
    expect(cellText(null)).toBe('');
    expect(cellText(true)).toBe('TRUE');
    expect(cellText(12, 5)).toBe('00012');
    expect(cellText(1.5, 5)).toBe('1.5');
    expect(cellText({ text: 'sito', hyperlink: 'https://example.it' })).toBe('sito');
    expect(cellText({ error: '#N/A' })).toBe('');
  });
});

describe('templates', () => {
  it('the CSV template has every column in the header and documentation the parser does not read as rows', async () => {
    const text = templateCsv();
    expect(text.startsWith('\uFEFFexternal_ref;legal_name;')).toBe(true);
    expect(text).toContain('Partita IVA italiana');
    expect(text).toContain('Italian VAT number');
    const parsed = await parseMemberFile('modello-soci.csv', Buffer.from(text, 'utf8'));
    expect(parsed.problems).toEqual([]);
    expect(parsed.headers).toEqual(COLUMN_NAMES);
    expect(parsed.rows).toEqual([]);
  });

  it('the XLSX template has the header on the first sheet and the column documentation on the second', async () => {
    const data = await templateXlsx();
    const parsed = await parseMemberFile('modello-soci.xlsx', data);
    expect(parsed.problems).toEqual([]);
    expect(parsed.headers).toEqual(COLUMN_NAMES);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(data as unknown as ArrayBuffer);
    expect(workbook.worksheets).toHaveLength(2);
    const docs = workbook.worksheets[1]!;
    expect(docs.rowCount).toBe(COLUMN_NAMES.length + 1);
    expect(docs.getRow(2).getCell(1).value).toBe('external_ref');
    expect(String(docs.getRow(2).getCell(4).value)).toContain('identifies the member');
  });
});
