import { PassThrough, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { stringify as stringifySync } from 'csv-stringify/sync';
import type ExcelJS from 'exceljs';
import { COLUMN_NAMES, CSV_DOC_MARKER, DOC_HEADERS, docRows, IMPORT_COLUMNS, type ColumnName } from './columns.js';
import { profileFormValues, type ProfileColumns } from '../organisations/presenter.js';
import { romeDate } from './service.js';

/** CSV for Italian spreadsheets: `;` separated, UTF-8 with a BOM so Excel reads accents right. */
const CSV_OPTIONS = { delimiter: ';', record_delimiter: 'windows' } as const;
const NUMERIC: ReadonlySet<ColumnName> = new Set(['employees', 'turnover_eur', 'balance_sheet_eur']);

/**
 * A spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return) as a formula:
 * an exported value typed by someone else must never do that (CSV/formula injection).
 */
export function neutralise(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** The CSV template: the header row, then (after a marker the parser stops at) the column documentation. */
export function templateCsv(): string {
  const header = stringifySync([COLUMN_NAMES as string[]], CSV_OPTIONS);
  const docs = stringifySync([[CSV_DOC_MARKER], DOC_HEADERS, ...docRows()], CSV_OPTIONS);
  return `\uFEFF${header}\r\n${docs}`;
}

function addDocSheet(workbook: ExcelJS.Workbook): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet('Colonne - Columns');
  sheet.columns = [{ width: 22 }, { width: 14 }, { width: 60 }, { width: 60 }, { width: 30 }];
  sheet.addRow(DOC_HEADERS).font = { bold: true };
  for (const row of docRows()) {
    const added = sheet.addRow(row);
    added.alignment = { wrapText: true, vertical: 'top' };
  }
  return sheet;
}

/** The header row stays in view while scrolling. */
const DATA_SHEET = { name: 'Soci - Members', options: { views: [{ state: 'frozen' as const, ySplit: 1 }] } };

function styleDataSheet(sheet: ExcelJS.Worksheet): void {
  sheet.columns = IMPORT_COLUMNS.map((c) => ({
    key: c.name,
    width: Math.max(12, c.name.length + 4),
    // Codes with leading zeros stay text when someone types them.
    ...('digits' in c ? { style: { numFmt: '@' } } : {}),
  }));
}

/**
 * exceljs (with its zip and stream stack, the heaviest dependency) is loaded on the first
 * spreadsheet, not at start-up: docs/decisions/007-performance.md.
 */
async function loadExcel(): Promise<typeof ExcelJS> {
  return (await import('exceljs')).default;
}

/** The XLSX template: a "Soci" sheet with the header row and a sheet documenting every column. */
export async function templateXlsx(): Promise<Buffer> {
  const excel = await loadExcel();
  const workbook = new excel.Workbook();
  workbook.creator = 'Clusterhub';
  const sheet = workbook.addWorksheet(DATA_SHEET.name, DATA_SHEET.options);
  styleDataSheet(sheet);
  sheet.addRow(COLUMN_NAMES as string[]).font = { bold: true };
  addDocSheet(workbook);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A member as the export writes it (the fields MembershipService.members returns). */
export interface MemberRecord extends ProfileColumns {
  external_ref: string | null;
  admitted_at: Date | null;
  class_code: string | null;
}

/** One member as the import columns, so an export can be corrected and imported again. */
export function memberCells(m: MemberRecord): Record<ColumnName, string> {
  const profile = profileFormValues(m);
  const cells = Object.fromEntries(
    IMPORT_COLUMNS.map((c) => [c.name, 'field' in c && c.field ? (profile[c.field] ?? '') : '']),
  ) as Record<ColumnName, string>;
  cells.external_ref = m.external_ref ?? '';
  cells.member_class = m.class_code ?? '';
  cells.admitted_on = m.admitted_at ? romeDate(m.admitted_at) : '';
  return cells;
}

function exportLine(m: MemberRecord): string[] {
  const cells = memberCells(m);
  return COLUMN_NAMES.map((c) => neutralise(cells[c]));
}

/** The members as CSV, streamed. */
export function exportCsv(members: Iterable<MemberRecord>): Readable {
  function* lines() {
    yield COLUMN_NAMES as string[];
    for (const m of members) yield exportLine(m);
  }
  return Readable.from(lines()).pipe(stringify({ ...CSV_OPTIONS, bom: true }));
}

/** The members as XLSX, streamed: rows are committed as they are written. */
export function exportXlsx(members: Iterable<MemberRecord>): Readable {
  const out = new PassThrough();
  (async () => {
    const excel = await loadExcel();
    const workbook = new excel.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    const sheet = workbook.addWorksheet(DATA_SHEET.name, DATA_SHEET.options);
    styleDataSheet(sheet);
    const header = sheet.addRow(COLUMN_NAMES as string[]);
    header.font = { bold: true };
    header.commit();
    for (const m of members) {
      const line = exportLine(m);
      // Figures stay numbers in the spreadsheet; everything else is text, never a formula.
      const row = sheet.addRow(COLUMN_NAMES.map((c, i) => (NUMERIC.has(c) && line[i] !== '' ? Number(line[i]) : line[i])));
      row.commit();
    }
    sheet.commit();
    const docs = addDocSheet(workbook);
    docs.commit();
    await workbook.commit();
  })().catch((error: unknown) => out.destroy(error as Error));
  return out;
}
