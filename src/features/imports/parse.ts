import type ExcelJS from 'exceljs';
import { COLUMN_NAMES, columnByName, CSV_DOC_MARKER, REQUIRED_COLUMNS, type ColumnName } from './columns.js';
import { CsvSyntaxError, parseCsvRecords } from './csv.js';

export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_ROWS = 20_000;

/** Why a whole file is refused (messages in messages.ts, `file.<code>`). */
export type FileProblemCode =
  | 'empty'
  | 'too_large'
  | 'too_many_rows'
  | 'format'
  | 'encoding'
  | 'unreadable'
  | 'unknown_headers'
  | 'missing_headers'
  | 'duplicate_headers';

export interface FileProblem {
  code: FileProblemCode;
  params?: Record<string, string | number>;
}

export interface ParsedRow {
  /** Row number as a spreadsheet shows it: the header is row 1. */
  row: number;
  /** Cell text by column name; columns missing from the file are absent. */
  cells: Partial<Record<ColumnName, string>>;
  /** Values found to the right of the last named column. */
  extraCells: boolean;
}

export interface ParsedFile {
  format: 'csv' | 'xlsx';
  headers: ColumnName[];
  rows: ParsedRow[];
  problems: FileProblem[];
}

const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]);

/** Read a member file (CSV or XLSX, told apart by content, not by name) into rows of strings. */
export async function parseMemberFile(filename: string, data: Buffer): Promise<ParsedFile> {
  const isXlsx = data.subarray(0, 4).equals(ZIP);
  const format = isXlsx || /\.xlsx$/i.test(filename) ? 'xlsx' : 'csv';
  const fail = (problem: FileProblem): ParsedFile => ({ format, headers: [], rows: [], problems: [problem] });
  if (data.length === 0) return fail({ code: 'empty' });
  if (data.length > MAX_FILE_BYTES) return fail({ code: 'too_large', params: { max: MAX_FILE_BYTES / 1024 / 1024 } });
  if (data.subarray(0, 4).equals(OLE) || /\.(xls|ods|numbers)$/i.test(filename)) return fail({ code: 'format' });
  if (isXlsx) return readXlsx(data);
  if (format === 'xlsx') return fail({ code: 'unreadable' });
  return readCsv(data);
}

/** The raw grid (header first), row numbers included, before header checks. */
interface Grid {
  lines: { row: number; values: string[] }[];
}

function readCsv(data: Buffer): ParsedFile {
  let text: string;
  try {
    // Strict UTF-8; a leading BOM is dropped by the decoder.
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return { format: 'csv', headers: [], rows: [], problems: [{ code: 'encoding' }] };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const delimiter = detectDelimiter(text);
  let records: string[][];
  try {
    records = parseCsvRecords(text, delimiter);
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    return { format: 'csv', headers: [], rows: [], problems: [{ code: 'unreadable', params: { line: error.line } }] };
  }
  const grid: Grid = { lines: [] };
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    if ((record[0] ?? '').trim() === CSV_DOC_MARKER) break;
    // Empty lines are records too: the record count is the row a spreadsheet shows.
    grid.lines.push({ row: i + 1, values: record });
  }
  return fromGrid('csv', grid);
}

/** `;` (Italian Excel) or `,`: whichever appears more often in the header line, outside quotes. */
export function detectDelimiter(text: string): ';' | ',' {
  let semicolons = 0;
  let commas = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch === ';') semicolons++;
    else if (!quoted && ch === ',') commas++;
  }
  return semicolons > commas ? ';' : ',';
}

async function readXlsx(data: Buffer): Promise<ParsedFile> {
  // Loaded on the first spreadsheet, not at start-up (docs/decisions/007-performance.md).
  const { default: excel } = await import('exceljs');
  const workbook = new excel.Workbook();
  try {
    await workbook.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    return { format: 'xlsx', headers: [], rows: [], problems: [{ code: 'unreadable' }] };
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return { format: 'xlsx', headers: [], rows: [], problems: [{ code: 'empty' }] };
  if (sheet.actualRowCount - 1 > MAX_ROWS) {
    return { format: 'xlsx', headers: [], rows: [], problems: [{ code: 'too_many_rows', params: { max: MAX_ROWS } }] };
  }
  const grid: Grid = { lines: [] };
  let digits: (number | undefined)[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values: string[] = [];
    const count = row.cellCount;
    for (let col = 1; col <= count; col++) values.push(cellText(row.getCell(col).value, digits[col - 1]));
    if (grid.lines.length === 0) {
      digits = values.map((h) => columnByName(normaliseHeader(h))?.digits);
    }
    grid.lines.push({ row: rowNumber, values });
  });
  return fromGrid('xlsx', grid);
}

/** A cell as text: numbers as typed, dates as YYYY-MM-DD, the result of a formula, codes with their leading zeros. */
export function cellText(value: ExcelJS.CellValue, digits?: number): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    const s = Number.isInteger(value) ? value.toFixed(0) : String(value);
    // A spreadsheet turns 015146 into the number 15146: put the zeros back for fixed-length codes.
    return digits && Number.isInteger(value) && value >= 0 && s.length < digits ? s.padStart(digits, '0') : s;
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('hyperlink' in value) return typeof value.text === 'string' ? value.text : cellText(value.text as ExcelJS.CellValue);
  if ('formula' in value || 'sharedFormula' in value) return cellText((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue, digits);
  return '';
}

function normaliseHeader(header: string): string {
  return header.replace(/^\uFEFF/, '').trim().toLowerCase();
}

function fromGrid(format: 'csv' | 'xlsx', grid: Grid): ParsedFile {
  const isEmpty = (values: string[]) => values.every((v) => v.trim() === '');
  const firstIndex = grid.lines.findIndex((l) => !isEmpty(l.values));
  if (firstIndex < 0) return { format, headers: [], rows: [], problems: [{ code: 'empty' }] };
  const headerLine = grid.lines[firstIndex]!;
  const names = headerLine.values.map(normaliseHeader);

  const problems: FileProblem[] = [];
  const unknown = names.filter((n) => n !== '' && !(COLUMN_NAMES as readonly string[]).includes(n));
  if (unknown.length > 0) problems.push({ code: 'unknown_headers', params: { names: unknown.join(', '), count: unknown.length } });
  const duplicates = names.filter((n, i) => n !== '' && names.indexOf(n) !== i);
  if (duplicates.length > 0) problems.push({ code: 'duplicate_headers', params: { names: [...new Set(duplicates)].join(', ') } });
  const missing = REQUIRED_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length > 0) problems.push({ code: 'missing_headers', params: { names: missing.join(', '), count: missing.length } });

  const headers = names.filter((n): n is ColumnName => (COLUMN_NAMES as readonly string[]).includes(n));
  const lastNamed = names.reduce((last, n, i) => (n !== '' ? i : last), -1);
  // The column each position feeds, worked out once rather than for every cell of every row.
  const columnAt = names.map((n) => ((COLUMN_NAMES as readonly string[]).includes(n) ? (n as ColumnName) : undefined));
  const rows: ParsedRow[] = [];
  for (let l = firstIndex + 1; l < grid.lines.length; l++) {
    const { row, values } = grid.lines[l]!;
    const cells: Partial<Record<ColumnName, string>> = {};
    let empty = true;
    let extraCells = false;
    for (let i = 0; i < Math.max(values.length, columnAt.length); i++) {
      const value = (values[i] ?? '').trim();
      if (value !== '') {
        empty = false;
        if (i > lastNamed || names[i] === '') extraCells = true;
      }
      const column = columnAt[i];
      if (column) cells[column] = value;
    }
    if (empty) continue;
    if (rows.length >= MAX_ROWS) {
      problems.push({ code: 'too_many_rows', params: { max: MAX_ROWS } });
      break;
    }
    rows.push({ row, cells, extraCells });
  }
  return { format, headers, rows, problems };
}
