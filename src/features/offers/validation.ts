import { COLLABORATION_TYPES, IP_STATUSES, ITEM_VISIBILITIES, ORGANISATION_TYPES, type IpStatus, type ItemVisibility } from '../../db/schema.js';
import { FieldErrors } from '../../platform/field-errors.js';

/** Raw input of an offer or a need, from a form (strings) or the API (typed); checked here. */
export interface ItemInput {
  titleIt?: string | null;
  titleEn?: string | null;
  summaryIt?: string | null;
  summaryEn?: string | null;
  descriptionIt?: string | null;
  descriptionEn?: string | null;
  taxonomyCodes?: string[];
  visibility?: string;
  /** Cluster slugs, for visibility `clusters`. */
  clusters?: string[];
  expiresOn?: string | null;
  // Offers
  trl?: string | number | null;
  ipStatus?: string | null;
  patentNumber?: string | null;
  collaborationTypes?: string[];
  categories?: string[];
  tags?: string[];
  lookingFor?: string[];
  // Needs
  trlMin?: string | number | null;
  trlMax?: string | number | null;
  budgetMin?: string | number | null;
  budgetMax?: string | number | null;
  deadline?: string | null;
  partnerTypes?: string[];
}

export const TITLE_MAX = 200;
export const SUMMARY_MAX = 1000;
export const DESCRIPTION_MAX = 10_000;
const TAXONOMY_CODE = /^[a-z0-9]+(?:-[a-z0-9]+)*:[A-Z0-9]+(?:\.[A-Z0-9]+)*$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function trimmed(value: string | null | undefined): string | null {
  const v = typeof value === 'string' ? value.trim() : '';
  return v === '' ? null : v;
}

function text(errors: FieldErrors, field: string, value: string | null | undefined, max: number): string | null {
  const v = trimmed(value);
  if (v && v.length > max) errors.add(field, 'too_long', { max });
  return v;
}

/** A TRL from a form or the API: a whole number 1–9, or empty. Refuses "7a", "tre", 10. */
export function parseTrl(errors: FieldErrors, field: string, value: string | number | null | undefined): number | null {
  if (value === null || value === undefined || (typeof value === 'string' && value.trim() === '')) return null;
  const n = typeof value === 'number' ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > 9) {
    errors.add(field, 'trl');
    return null;
  }
  return n;
}

function list(errors: FieldErrors, field: string, values: string[] | undefined, allowed: readonly string[] | null, max = 20): string[] {
  const out = [...new Set((values ?? []).map((v) => v.trim()).filter(Boolean))];
  if (out.length > max) errors.add(field, 'too_many', { max });
  if (allowed) {
    const wrong = out.filter((v) => !allowed.includes(v));
    if (wrong.length > 0) errors.add(field, 'one_of', { values: allowed.join(', ') });
  }
  return out.slice(0, max);
}

function date(errors: FieldErrors, field: string, value: string | null | undefined, today: string): string | null {
  const v = trimmed(value);
  if (!v) return null;
  if (!DATE.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`))) {
    errors.add(field, 'date');
    return null;
  }
  if (v < today) errors.add(field, 'date_past');
  return v;
}

function euroCents(errors: FieldErrors, field: string, value: string | number | null | undefined): number | null {
  if (value === null || value === undefined || (typeof value === 'string' && value.trim() === '')) return null;
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) errors.add(field, 'amount');
    return Math.round(value * 100);
  }
  const normalised = value.trim().replace(/\s|€/g, '').replace(/\.(?=\d{3}(\D|$))/g, '').replace(',', '.');
  const n = Number(normalised);
  if (!/^\d+(\.\d{1,2})?$/.test(normalised) || !Number.isFinite(n)) {
    errors.add(field, 'amount');
    return null;
  }
  return Math.round(n * 100);
}

export interface CommonValues {
  title_it: string | null;
  title_en: string | null;
  description_it: string | null;
  description_en: string | null;
  taxonomy_codes: string[];
  visibility: ItemVisibility;
  expires_on: string | null;
  clusterSlugs: string[];
}

function common(input: ItemInput, errors: FieldErrors, today: string): CommonValues {
  const title_it = text(errors, 'titleIt', input.titleIt, TITLE_MAX);
  const title_en = text(errors, 'titleEn', input.titleEn, TITLE_MAX);
  if (!title_it && !title_en && !errors.has('titleIt')) errors.add('titleIt', 'title_any');
  const description_it = text(errors, 'descriptionIt', input.descriptionIt, DESCRIPTION_MAX);
  const description_en = text(errors, 'descriptionEn', input.descriptionEn, DESCRIPTION_MAX);
  if (!description_it && !description_en && !errors.has('descriptionIt')) errors.add('descriptionIt', 'description_any');
  const taxonomy_codes = list(errors, 'taxonomyCodes', input.taxonomyCodes, null, 30);
  const badCode = taxonomy_codes.find((c) => !TAXONOMY_CODE.test(c));
  if (badCode) errors.add('taxonomyCodes', 'area_unknown', { code: badCode });
  const visibility = (input.visibility ?? 'public') as ItemVisibility;
  if (!(ITEM_VISIBILITIES as readonly string[]).includes(visibility)) errors.add('visibility', 'one_of', { values: ITEM_VISIBILITIES.join(', ') });
  const clusterSlugs = list(errors, 'clusters', input.clusters, null, 20);
  if (visibility === 'clusters' && clusterSlugs.length === 0) errors.add('clusters', 'cluster_choice');
  return {
    title_it,
    title_en,
    description_it,
    description_en,
    taxonomy_codes,
    visibility,
    expires_on: date(errors, 'expiresOn', input.expiresOn, today),
    clusterSlugs: visibility === 'clusters' ? clusterSlugs : [],
  };
}

export interface OfferValues extends CommonValues {
  summary_it: string | null;
  summary_en: string | null;
  trl: number | null;
  ip_status: IpStatus | null;
  patent_number: string | null;
  collaboration_types: string[];
  categories: string[];
  tags: string[];
  looking_for: string[];
}

export function validateOffer(input: ItemInput, errors: FieldErrors, today: string): OfferValues {
  const values = common(input, errors, today);
  const ip = trimmed(input.ipStatus ?? null);
  if (ip && !(IP_STATUSES as readonly string[]).includes(ip)) errors.add('ipStatus', 'one_of', { values: IP_STATUSES.join(', ') });
  const patent = text(errors, 'patentNumber', input.patentNumber, 60);
  if (patent && ip !== 'patent') errors.add('patentNumber', 'patent_number');
  return {
    ...values,
    summary_it: text(errors, 'summaryIt', input.summaryIt, SUMMARY_MAX),
    summary_en: text(errors, 'summaryEn', input.summaryEn, SUMMARY_MAX),
    trl: parseTrl(errors, 'trl', input.trl),
    ip_status: (ip as IpStatus | null) ?? null,
    patent_number: patent,
    collaboration_types: list(errors, 'collaborationTypes', input.collaborationTypes, COLLABORATION_TYPES),
    categories: list(errors, 'categories', input.categories, null),
    tags: list(errors, 'tags', input.tags, null, 40),
    looking_for: list(errors, 'lookingFor', input.lookingFor, null),
  };
}

export interface NeedValues extends CommonValues {
  trl_min: number | null;
  trl_max: number | null;
  budget_min_cents: number | null;
  budget_max_cents: number | null;
  deadline: string | null;
  partner_types: string[];
}

export function validateNeed(input: ItemInput, errors: FieldErrors, today: string): NeedValues {
  const values = common(input, errors, today);
  const trl_min = parseTrl(errors, 'trlMin', input.trlMin);
  const trl_max = parseTrl(errors, 'trlMax', input.trlMax);
  if (trl_min !== null && trl_max !== null && trl_min > trl_max) errors.add('trlMax', 'trl_window');
  const budget_min_cents = euroCents(errors, 'budgetMin', input.budgetMin);
  const budget_max_cents = euroCents(errors, 'budgetMax', input.budgetMax);
  if (budget_min_cents !== null && budget_max_cents !== null && budget_min_cents > budget_max_cents) errors.add('budgetMax', 'budget_order');
  return {
    ...values,
    trl_min,
    trl_max,
    budget_min_cents,
    budget_max_cents,
    deadline: date(errors, 'deadline', input.deadline, today),
    partner_types: list(errors, 'partnerTypes', input.partnerTypes, ORGANISATION_TYPES),
  };
}
