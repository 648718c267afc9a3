import { partitaIvaCheckDigit } from '../../src/platform/identifiers/index.js';

let serial = 1000;

/** A valid, unused P.IVA: ten digits and the check digit. */
export function validPartitaIva(seed = serial++): string {
  const first10 = String(7_000_000_000 + seed).padStart(10, '0').slice(-10);
  return `${first10}${partitaIvaCheckDigit(first10)}`;
}

/** Flip the check digit of a valid P.IVA. */
export function wrongCheckDigit(piva: string): string {
  const last = Number(piva[10]);
  return `${piva.slice(0, 10)}${(last + 1) % 10}`;
}

/** Form fields of a valid organisation profile (names as in the forms), with overrides. */
export function organisationForm(overrides: Record<string, string> = {}, prefix = ''): Record<string, string> {
  const fields: Record<string, string> = {
    legalName: `Cosmetica Test ${serial} S.r.l.`,
    type: 'company',
    vatNumber: validPartitaIva(),
    atecoCodes: '20.42',
    countryCode: 'IT',
    comuneIstat: '019035',
    employees: '12',
    turnover: '1.500.000',
    balanceSheet: '900000',
    pec: 'cosmetica.test@pec.example.org',
    descriptionIt: 'Laboratorio conto terzi di formulazione cosmetica: creme, sieri e conservanti naturali.',
    descriptionEn: 'Contract cosmetic formulation lab: creams, serums and natural preservatives.',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [`${prefix}${k}`, v]));
}
