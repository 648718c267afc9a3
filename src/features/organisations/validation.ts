import { ORGANISATION_TYPES, SIZE_CLASSES, type OrganisationType, type SizeClass } from '../../db/schema.js';
import type { FieldErrors } from '../../platform/field-errors.js';
import {
  computeSizeClass,
  findComune,
  validateAteco,
  validateCodiceFiscale,
  validatePartitaIva,
} from '../../platform/identifiers/index.js';

/** An organisation profile as typed in a form, an API body or an import row (all strings allowed). */
export interface OrganisationInput {
  legalName?: string | undefined;
  shortName?: string | undefined;
  type?: string | undefined;
  vatNumber?: string | undefined;
  taxCode?: string | undefined;
  /** Comma, semicolon or space separated, or a list. */
  atecoCodes?: string | string[] | undefined;
  employees?: string | number | undefined;
  /** Euro, e.g. "1.250.000,50" or 1250000.5. */
  turnover?: string | number | undefined;
  balanceSheet?: string | number | undefined;
  sizeClassDeclared?: string | undefined;
  countryCode?: string | undefined;
  comuneIstat?: string | undefined;
  city?: string | undefined;
  address?: string | undefined;
  postcode?: string | undefined;
  pec?: string | undefined;
  email?: string | undefined;
  website?: string | undefined;
  descriptionIt?: string | undefined;
  descriptionEn?: string | undefined;
}

/** Column values after validation and normalisation. */
export interface OrganisationValues {
  legal_name: string;
  short_name: string | null;
  type: OrganisationType;
  vat_number: string | null;
  tax_code: string | null;
  ateco_codes: string[];
  employees: number | null;
  turnover_cents: number | null;
  balance_sheet_cents: number | null;
  size_class_declared: SizeClass | null;
  size_class_computed: SizeClass | null;
  country_code: string;
  comune_istat: string | null;
  city: string | null;
  province_code: string | null;
  address: string | null;
  postcode: string | null;
  pec: string | null;
  email: string | null;
  website: string | null;
  description_it: string | null;
  description_en: string | null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function text(value: unknown): string {
  return value === undefined || value === null ? '' : String(value).trim();
}

/** Cents as the euro amount a form or a spreadsheet shows ("1500000" or "1500000.50"); the inverse of parseEuroCents. */
export function centsToEuros(cents: number | string | null): string {
  if (cents === null) return '';
  const n = Number(cents);
  const fraction = n % 100;
  return fraction === 0 ? String(Math.trunc(n / 100)) : `${Math.trunc(n / 100)}.${String(fraction).padStart(2, '0')}`;
}

/** Parse an amount in euro written the Italian or the English way; returns cents or null. */
export function parseEuroCents(raw: string | number): number | null {
  if (typeof raw === 'number') return Number.isFinite(raw) && raw >= 0 ? Math.round(raw * 100) : null;
  let s = raw.replace(/[\s€]/g, '').replace(/^EUR/i, '');
  if (!/^\d[\d.,]*$/.test(s)) return null;
  const lastDot = s.lastIndexOf('.');
  const lastComma = s.lastIndexOf(',');
  let decimalSep: '.' | ',' | null = null;
  if (lastDot >= 0 && lastComma >= 0) decimalSep = lastDot > lastComma ? '.' : ',';
  else {
    const sep = lastDot >= 0 ? '.' : lastComma >= 0 ? ',' : null;
    if (sep) {
      const parts = s.split(sep);
      // One separator followed by 1–2 digits is a decimal point; otherwise thousands.
      decimalSep = parts.length === 2 && parts[1]!.length <= 2 ? sep : null;
    }
  }
  let integer = s;
  let fraction = '';
  if (decimalSep) {
    const at = s.lastIndexOf(decimalSep);
    integer = s.slice(0, at);
    fraction = s.slice(at + 1);
  }
  integer = integer.replace(/[.,]/g, '');
  if (!/^\d+$/.test(integer) || !/^\d{0,2}$/.test(fraction)) return null;
  const cents = Number(integer) * 100 + Number(fraction.padEnd(2, '0') || '0');
  return Number.isSafeInteger(cents) ? cents : null;
}

function optionalLength(errors: FieldErrors, field: string, value: string, max: number): string | null {
  if (!value) return null;
  if (value.length > max) errors.add(field, 'too_long', { max });
  return value;
}

/**
 * Validate an organisation profile. Field names in `errors` are the input's names (prefixed for
 * nested forms), so a form or an import row can point at the exact field.
 */
export function validateOrganisation(
  input: OrganisationInput,
  errors: FieldErrors,
  options: { prefix?: string; requireDescription?: boolean } = {},
): OrganisationValues {
  const prefix = options.prefix ?? '';
  const f = (name: string) => `${prefix}${name}`;
  const legalName = text(input.legalName);
  if (!legalName) errors.add(f('legalName'), 'required');
  else if (legalName.length > 200) errors.add(f('legalName'), 'too_long', { max: 200 });

  const typeRaw = text(input.type);
  let type: OrganisationType = 'other';
  if (!typeRaw) errors.add(f('type'), 'required');
  else if (!(ORGANISATION_TYPES as readonly string[]).includes(typeRaw)) {
    errors.add(f('type'), 'one_of', { values: ORGANISATION_TYPES.join(', ') });
  } else type = typeRaw as OrganisationType;

  const countryRaw = text(input.countryCode).toUpperCase() || 'IT';
  if (!/^[A-Z]{2}$/.test(countryRaw)) errors.add(f('countryCode'), 'country');
  const italian = countryRaw === 'IT';

  let vat: string | null = null;
  const vatRaw = text(input.vatNumber);
  if (vatRaw) {
    if (italian || /^IT/i.test(vatRaw)) {
      const result = validatePartitaIva(vatRaw);
      if (result.ok) vat = result.value;
      else errors.add(f('vatNumber'), result.reason === 'format' ? 'vat_format' : result.reason === 'zeros' ? 'vat_zeros' : 'vat_checksum');
    } else {
      errors.add(f('vatNumber'), 'vat_format');
    }
  }

  let taxCode: string | null = null;
  const taxRaw = text(input.taxCode);
  if (taxRaw) {
    const result = validateCodiceFiscale(taxRaw);
    if (result.ok) taxCode = result.value;
    else errors.add(f('taxCode'), result.reason === 'format' ? 'tax_code_format' : 'tax_code_checksum');
  }

  const atecoList = (Array.isArray(input.atecoCodes) ? input.atecoCodes : text(input.atecoCodes).split(/[,;\s]+/))
    .map((c) => c.trim())
    .filter(Boolean);
  const ateco: string[] = [];
  for (const code of atecoList) {
    const result = validateAteco(code);
    if (result.ok) {
      if (!ateco.includes(result.value)) ateco.push(result.value);
    } else {
      errors.add(f('atecoCodes'), result.reason === 'format' ? 'ateco_format' : 'ateco_unknown', { code });
      break;
    }
  }

  const integerOrNull = (field: string, raw: string | number | undefined): number | null => {
    const s = text(raw);
    if (!s) return null;
    if (!/^\d{1,9}$/.test(s.replace(/[.\s]/g, ''))) {
      errors.add(f(field), 'integer');
      return null;
    }
    return Number(s.replace(/[.\s]/g, ''));
  };
  const amountOrNull = (field: string, raw: string | number | undefined): number | null => {
    if (raw === undefined || raw === null || text(raw) === '') return null;
    const cents = parseEuroCents(typeof raw === 'number' ? raw : text(raw));
    if (cents === null) errors.add(f(field), 'amount');
    return cents;
  };
  const employees = integerOrNull('employees', input.employees);
  const turnover = amountOrNull('turnover', input.turnover);
  const balance = amountOrNull('balanceSheet', input.balanceSheet);

  const declaredRaw = text(input.sizeClassDeclared);
  let declared: SizeClass | null = null;
  if (declaredRaw) {
    if ((SIZE_CLASSES as readonly string[]).includes(declaredRaw)) declared = declaredRaw as SizeClass;
    else errors.add(f('sizeClassDeclared'), 'one_of', { values: SIZE_CLASSES.join(', ') });
  }
  const computed =
    employees === null ? null : (computeSizeClass({ employees, turnoverCents: turnover ?? undefined, balanceSheetCents: balance ?? undefined }).sizeClass ?? null);

  let comune: string | null = null;
  let city: string | null = optionalLength(errors, f('city'), text(input.city), 120);
  let province: string | null = null;
  const comuneRaw = text(input.comuneIstat);
  if (comuneRaw) {
    const found = /^\d{6}$/.test(comuneRaw) ? findComune(comuneRaw) : undefined;
    if (!found) errors.add(f('comuneIstat'), 'comune_unknown', { code: comuneRaw });
    else {
      comune = found.istatCode;
      city = found.name;
      province = found.provinceCode;
    }
  }

  const pec = text(input.pec).toLowerCase() || null;
  if (pec && !EMAIL.test(pec)) errors.add(f('pec'), 'email');
  const email = text(input.email).toLowerCase() || null;
  if (email && !EMAIL.test(email)) errors.add(f('email'), 'email');

  let website: string | null = text(input.website) || null;
  if (website) {
    if (!/^https?:\/\//i.test(website)) website = `https://${website}`;
    try {
      const url = new URL(website);
      if (!['http:', 'https:'].includes(url.protocol) || !url.hostname.includes('.')) throw new Error('bad');
    } catch {
      errors.add(f('website'), 'url');
    }
  }

  const descriptionIt = text(input.descriptionIt);
  const descriptionEn = text(input.descriptionEn);
  // The Italian description is required on forms; member-list imports may leave it for later.
  if (!descriptionIt && options.requireDescription !== false) errors.add(f('descriptionIt'), 'required');
  return {
    legal_name: legalName,
    short_name: optionalLength(errors, f('shortName'), text(input.shortName), 80),
    type,
    vat_number: vat,
    tax_code: taxCode,
    ateco_codes: ateco,
    employees,
    turnover_cents: turnover,
    balance_sheet_cents: balance,
    size_class_declared: declared,
    size_class_computed: computed,
    country_code: /^[A-Z]{2}$/.test(countryRaw) ? countryRaw : 'IT',
    comune_istat: comune,
    city,
    province_code: province,
    address: optionalLength(errors, f('address'), text(input.address), 200),
    postcode: optionalLength(errors, f('postcode'), text(input.postcode), 12),
    pec,
    email,
    website,
    description_it: optionalLength(errors, f('descriptionIt'), descriptionIt, 5000),
    description_en: optionalLength(errors, f('descriptionEn'), descriptionEn, 5000),
  };
}
