import { ORGANISATION_TYPES, SIZE_CLASSES } from '../../db/schema.js';
import type { Lang } from '../../platform/i18n.js';
import type { OrganisationInput } from '../organisations/validation.js';

/**
 * The columns of the member file, in one place: the parser checks headers against them, the
 * service maps validation errors back to them, and the templates, the export and the import
 * page's documentation table are all generated from them.
 */
export interface ImportColumn {
  /** Header as written in the file's first row. */
  readonly name: string;
  /** The header must be present and every row must have a value. */
  readonly required: boolean;
  /** The organisation profile field this column feeds (validation reports errors by it). */
  readonly field?: keyof OrganisationInput;
  /** Digits the value always has: a number cell in a spreadsheet is padded back (leading zeros). */
  readonly digits?: number;
  readonly it: string;
  readonly en: string;
  readonly example: string;
}

export const IMPORT_COLUMNS = [
  {
    name: 'external_ref',
    required: true,
    it: 'Il vostro codice del socio (es. dal gestionale). Identifica il socio tra un’importazione e la successiva: reimportando lo stesso codice si aggiorna lo stesso socio.',
    en: 'Your own code for the member (e.g. from your CRM). It identifies the member across imports: importing the same code again updates the same member.',
    example: 'SOC-0042',
  },
  {
    name: 'legal_name',
    required: true,
    field: 'legalName',
    it: 'Ragione sociale o denominazione completa (max 200 caratteri).',
    en: 'Full legal name (max 200 characters).',
    example: 'Cosmetici Lombardi S.r.l.',
  },
  {
    name: 'short_name',
    required: false,
    field: 'shortName',
    it: 'Nome breve o sigla (max 80 caratteri).',
    en: 'Short name or acronym (max 80 characters).',
    example: 'CosLom',
  },
  {
    name: 'type',
    required: true,
    field: 'type',
    it: `Tipo di organizzazione, uno tra: ${ORGANISATION_TYPES.join(', ')}.`,
    en: `Type of organisation, one of: ${ORGANISATION_TYPES.join(', ')}.`,
    example: 'company',
  },
  {
    name: 'vat_number',
    required: false,
    field: 'vatNumber',
    digits: 11,
    it: 'Partita IVA italiana (11 cifre, con o senza prefisso IT). Deve essere unica nel file.',
    en: 'Italian VAT number (partita IVA, 11 digits, with or without the IT prefix). Must be unique in the file.',
    example: '00743110157',
  },
  {
    name: 'tax_code',
    required: false,
    field: 'taxCode',
    it: 'Codice fiscale (11 cifre o 16 caratteri).',
    en: 'Tax code (codice fiscale, 11 digits or 16 characters).',
    example: '00743110157',
  },
  {
    name: 'ateco_codes',
    required: false,
    field: 'atecoCodes',
    it: 'Codici ATECO 2025, separati da virgola.',
    en: 'ATECO 2025 codes, separated by commas.',
    example: '20.42, 46.45',
  },
  {
    name: 'country_code',
    required: false,
    field: 'countryCode',
    it: 'Paese della sede, codice di 2 lettere (vuoto = IT).',
    en: 'Country of the seat, 2-letter code (empty = IT).',
    example: 'IT',
  },
  {
    name: 'comune_istat',
    required: false,
    field: 'comuneIstat',
    digits: 6,
    it: 'Codice ISTAT del comune della sede (6 cifre); determina città e provincia.',
    en: 'ISTAT code of the municipality of the seat (6 digits); sets city and province.',
    example: '015146',
  },
  {
    name: 'city',
    required: false,
    field: 'city',
    it: 'Città della sede, se manca il codice ISTAT (max 120 caratteri).',
    en: 'City of the seat, when there is no ISTAT code (max 120 characters).',
    example: 'Milano',
  },
  {
    name: 'address',
    required: false,
    field: 'address',
    it: 'Indirizzo della sede (max 200 caratteri).',
    en: 'Street address of the seat (max 200 characters).',
    example: 'Via Roma 1',
  },
  {
    name: 'postcode',
    required: false,
    field: 'postcode',
    digits: 5,
    it: 'CAP della sede.',
    en: 'Postcode of the seat.',
    example: '20121',
  },
  {
    name: 'pec',
    required: false,
    field: 'pec',
    it: 'Indirizzo PEC.',
    en: 'Certified e-mail address (PEC).',
    example: 'cosmeticilombardi@pec.it',
  },
  {
    name: 'email',
    required: false,
    field: 'email',
    it: 'Indirizzo e-mail di contatto.',
    en: 'Contact e-mail address.',
    example: 'info@cosmeticilombardi.it',
  },
  {
    name: 'website',
    required: false,
    field: 'website',
    it: 'Sito web.',
    en: 'Website.',
    example: 'https://www.cosmeticilombardi.it',
  },
  {
    name: 'employees',
    required: false,
    field: 'employees',
    it: 'Numero di dipendenti (intero).',
    en: 'Number of employees (whole number).',
    example: '42',
  },
  {
    name: 'turnover_eur',
    required: false,
    field: 'turnover',
    it: 'Fatturato annuo in euro (es. 1250000 o 1.250.000,50).',
    en: 'Annual turnover in euro (e.g. 1250000 or 1,250,000.50).',
    example: '1250000',
  },
  {
    name: 'balance_sheet_eur',
    required: false,
    field: 'balanceSheet',
    it: 'Totale di bilancio in euro.',
    en: 'Balance-sheet total in euro.',
    example: '900000',
  },
  {
    name: 'size_class_declared',
    required: false,
    field: 'sizeClassDeclared',
    it: `Dimensione d’impresa dichiarata, una tra: ${SIZE_CLASSES.join(', ')}.`,
    en: `Declared enterprise size, one of: ${SIZE_CLASSES.join(', ')}.`,
    example: 'small',
  },
  {
    name: 'member_class',
    required: true,
    it: 'Codice della classe di adesione del socio (vedi «Classi di adesione» nella gestione del cluster).',
    en: 'Code of the member’s membership class (see “Membership classes” in the cluster management).',
    example: 'ordinario',
  },
  {
    name: 'admitted_on',
    required: false,
    it: 'Data di ammissione nel formato AAAA-MM-GG (vuoto = data dell’importazione).',
    en: 'Admission date in the form YYYY-MM-DD (empty = the date of the import).',
    example: '2026-01-15',
  },
  {
    name: 'description_it',
    required: false,
    field: 'descriptionIt',
    it: 'Descrizione dell’organizzazione in italiano (max 5000 caratteri).',
    en: 'Description of the organisation in Italian (max 5000 characters).',
    example: 'Produciamo cosmetici naturali dal 1985.',
  },
  {
    name: 'description_en',
    required: false,
    field: 'descriptionEn',
    it: 'Descrizione dell’organizzazione in inglese (max 5000 caratteri).',
    en: 'Description of the organisation in English (max 5000 characters).',
    example: 'We have made natural cosmetics since 1985.',
  },
] as const satisfies readonly ImportColumn[];

export type ColumnName = (typeof IMPORT_COLUMNS)[number]['name'];

export const COLUMN_NAMES: readonly ColumnName[] = IMPORT_COLUMNS.map((c) => c.name);
export const REQUIRED_COLUMNS: readonly ColumnName[] = IMPORT_COLUMNS.filter((c) => c.required).map((c) => c.name);

const BY_NAME = new Map<string, ImportColumn>(IMPORT_COLUMNS.map((c) => [c.name, c]));
const BY_FIELD = new Map<string, ColumnName>(
  IMPORT_COLUMNS.flatMap((c): [string, ColumnName][] => ('field' in c ? [[c.field, c.name]] : [])),
);

export function columnByName(name: string): ImportColumn | undefined {
  return BY_NAME.get(name);
}

/** The column of an organisation profile field (for validation errors); the field itself otherwise. */
export function columnOfField(field: string): string {
  return BY_FIELD.get(field) ?? field;
}

export function columnDescription(column: ImportColumn, lang: Lang): string {
  return lang === 'en' ? column.en : column.it;
}

/**
 * Marks where a CSV template's documentation section starts: the parser reads no further.
 * A marker rather than comment lines, so that a data row starting with `#` is never skipped.
 */
export const CSV_DOC_MARKER = '### Documentazione delle colonne / Column documentation ###';

/** Headers of the documentation table (second sheet, CSV section), both languages in each. */
export const DOC_HEADERS = ['Colonna / Column', 'Obbligatoria / Required', 'Descrizione (italiano)', 'Description (English)', 'Esempio / Example'];

export function docRows(): string[][] {
  return IMPORT_COLUMNS.map((c) => [c.name, c.required ? 'sì / yes' : 'no', c.it, c.en, c.example]);
}
