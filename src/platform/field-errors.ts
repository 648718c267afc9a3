import { AppError, type FieldError } from './errors.js';
import { defineMessages, type Lang } from './i18n.js';

/** Reasons a form field or an imported cell is refused, with IT/EN texts. */
export const fieldMessage = defineMessages(
  {
    required: 'è obbligatorio',
    too_long: 'può avere al massimo {max} caratteri',
    too_short: 'deve avere almeno {min} caratteri',
    email: 'non è un indirizzo e-mail valido',
    url: 'non è un indirizzo web valido (deve iniziare con https:// o http://)',
    password_short: 'deve avere almeno {min} caratteri',
    password_mismatch: 'le due password non coincidono',
    password_is_email: 'non può coincidere con l’indirizzo e-mail',
    consent_required: 'devi accettare l’informativa sulla privacy per continuare',
    vat_format: 'la partita IVA deve avere 11 cifre',
    vat_checksum: 'la partita IVA non è valida (cifra di controllo errata)',
    vat_zeros: 'la partita IVA non può essere composta da soli zeri',
    vat_taken: 'esiste già un’organizzazione con questa partita IVA: {name}',
    tax_code_format: 'il codice fiscale deve avere 11 cifre o 16 caratteri',
    tax_code_checksum: 'il codice fiscale non è valido (carattere di controllo errato)',
    ateco_format: 'il codice ATECO «{code}» non ha un formato valido (es. 20.42)',
    ateco_unknown: 'il codice ATECO «{code}» non esiste nella classificazione ATECO 2025',
    comune_unknown: 'il codice ISTAT del comune «{code}» non esiste',
    integer: 'deve essere un numero intero non negativo',
    amount: 'deve essere un importo in euro non negativo (es. 1250000 o 1.250.000,50)',
    one_of: 'deve essere uno tra: {values}',
    logo_too_large: 'il logo può pesare al massimo 1 MB',
    logo_type: 'il logo deve essere un’immagine PNG, JPEG o WebP (SVG non ammesso)',
    duplicate_in_file: 'compare più volte nel file (anche alla riga {row})',
    member_class_unknown: 'la classe di adesione «{code}» non esiste per questo cluster',
    country: 'deve essere un codice paese di 2 lettere (es. IT, FR)',
    date: 'deve essere una data nel formato AAAA-MM-GG',
    trl: 'deve essere un numero intero da 1 a 9 (livello di maturità tecnologica)',
    trl_window: 'il TRL minimo non può superare il massimo',
    budget_order: 'il budget minimo non può superare il massimo',
    date_past: 'deve essere una data futura',
    cluster_choice: 'scegli almeno un cluster che può vedere l’elemento',
    patent_number: 'indica il numero di brevetto (solo per lo stato «brevetto»)',
    title_any: 'indica un titolo in italiano o in inglese',
    description_any: 'descrivi l’elemento in italiano o in inglese',
    code_format: 'il codice va scritto in maiuscolo, con le parti separate da punti (es. FOR.SKIN)',
    code_taken: 'esiste già un’area con il codice «{code}»',
    parent_unknown: 'l’area superiore «{code}» non esiste in questa tassonomia',
    parent_cycle: 'un’area non può stare sotto sé stessa o sotto una sua sottoarea',
    area_unknown: 'l’area di competenza «{code}» non esiste',
    area_retired: 'l’area «{code}» è stata ritirata: scegline un’altra',
    orcid: 'non è un ORCID iD valido (es. 0000-0002-1825-0097): controlla le cifre',
    concept_unknown: 'il concetto di rete «{code}» non esiste',
    concept_format: 'il codice va scritto in minuscolo, con cifre e trattini (es. chimica-verde)',
    concept_taken: 'esiste già un concetto con il codice «{code}»',
    competence_what: 'indica un’area della tassonomia oppure una descrizione',
    affiliation: 'non fai parte di questa organizzazione',
    too_many: 'al massimo {max} elementi',
    time: 'deve essere un orario nel formato HH:MM',
    end_before_start: 'deve essere successivo all’inizio',
    place_or_link: 'indica un luogo o un collegamento per la videoconferenza',
  },
  {
    required: 'is required',
    too_long: 'may have at most {max} characters',
    too_short: 'must have at least {min} characters',
    email: 'is not a valid e-mail address',
    url: 'is not a valid web address (it must start with https:// or http://)',
    password_short: 'must have at least {min} characters',
    password_mismatch: 'the two passwords do not match',
    password_is_email: 'cannot be the same as the e-mail address',
    consent_required: 'you must accept the privacy notice to continue',
    vat_format: 'the VAT number (partita IVA) must have 11 digits',
    vat_checksum: 'the VAT number (partita IVA) is not valid (wrong check digit)',
    vat_zeros: 'the VAT number (partita IVA) cannot be all zeros',
    vat_taken: 'an organisation with this VAT number already exists: {name}',
    tax_code_format: 'the tax code (codice fiscale) must have 11 digits or 16 characters',
    tax_code_checksum: 'the tax code (codice fiscale) is not valid (wrong check character)',
    ateco_format: 'the ATECO code “{code}” is not well formed (e.g. 20.42)',
    ateco_unknown: 'the ATECO code “{code}” does not exist in the ATECO 2025 classification',
    comune_unknown: 'the ISTAT municipality code “{code}” does not exist',
    integer: 'must be a non-negative whole number',
    amount: 'must be a non-negative amount in euro (e.g. 1250000 or 1,250,000.50)',
    one_of: 'must be one of: {values}',
    logo_too_large: 'the logo may be at most 1 MB',
    logo_type: 'the logo must be a PNG, JPEG or WebP image (SVG is not accepted)',
    duplicate_in_file: 'appears more than once in the file (also on row {row})',
    member_class_unknown: 'the membership class “{code}” does not exist for this cluster',
    country: 'must be a 2-letter country code (e.g. IT, FR)',
    date: 'must be a date in the form YYYY-MM-DD',
    trl: 'must be a whole number from 1 to 9 (technology readiness level)',
    trl_window: 'the minimum TRL cannot exceed the maximum',
    budget_order: 'the minimum budget cannot exceed the maximum',
    date_past: 'must be a date in the future',
    cluster_choice: 'choose at least one cluster that may see the item',
    patent_number: 'give the patent number (only for the “patent” status)',
    title_any: 'give a title in Italian or in English',
    description_any: 'describe the item in Italian or in English',
    code_format: 'the code must be upper case, with parts separated by dots (e.g. FOR.SKIN)',
    code_taken: 'an area with the code “{code}” already exists',
    parent_unknown: 'the parent area “{code}” does not exist in this taxonomy',
    parent_cycle: 'an area cannot sit under itself or under one of its sub-areas',
    area_unknown: 'the competence area “{code}” does not exist',
    area_retired: 'the area “{code}” has been retired: choose another one',
    orcid: 'is not a valid ORCID iD (e.g. 0000-0002-1825-0097): check the digits',
    concept_unknown: 'the network concept “{code}” does not exist',
    concept_format: 'the code must be lower case, with digits and hyphens (e.g. green-chemistry)',
    concept_taken: 'a concept with the code “{code}” already exists',
    competence_what: 'give a taxonomy area or a description',
    affiliation: 'you do not belong to this organisation',
    too_many: 'at most {max} items',
    time: 'must be a time in the form HH:MM',
    end_before_start: 'must be after the start',
    place_or_link: 'give a place or a video-conference link',
  },
);

export type FieldCode = Parameters<typeof fieldMessage>[1];

export interface FieldProblem {
  field: string;
  code: FieldCode;
  params?: Record<string, string | number>;
  /** Optional link shown with the message (e.g. the existing organisation). */
  href?: string;
}

/** Collects field problems; `throwIfAny` raises one request.invalid error naming them all. */
export class FieldErrors {
  readonly problems: FieldProblem[] = [];

  add(field: string, code: FieldCode, params?: Record<string, string | number>, href?: string): void {
    this.problems.push({ field, code, ...(params ? { params } : {}), ...(href ? { href } : {}) });
  }

  has(field: string): boolean {
    return this.problems.some((p) => p.field === field);
  }

  get empty(): boolean {
    return this.problems.length === 0;
  }

  throwIfAny(): void {
    if (!this.empty) throw new FormError(this.problems);
  }
}

/** A form (or API body) refused: the fields and reasons, translated when shown. */
export class FormError extends AppError {
  constructor(readonly problems: FieldProblem[]) {
    super('request.invalid');
    this.name = 'FormError';
  }

  localise(lang: Lang, place = 'body'): FieldError[] {
    return this.problems.map((p) => ({ in: place, field: p.field, message: fieldMessage(lang, p.code, p.params) }));
  }
}

export function fieldErrorMap(problems: FieldProblem[], lang: Lang): Record<string, string> {
  const map: Record<string, string> = {};
  for (const p of problems) map[p.field] ??= fieldMessage(lang, p.code, p.params);
  return map;
}
