/**
 * Context of a match beyond the words: TRL fit, complementarity of the two sides, geography and
 * earlier collaboration. Each gives a factor that multiplies the text score (1 = neutral) and, when
 * it says something, a reason a person can check.
 */
export type ContextReason =
  | { type: 'trl'; fit: 'inside' | 'near' | 'far'; trl: number; min: number | null; max: number | null }
  | { type: 'complementarity'; from: string; to: string }
  | { type: 'geography'; scope: 'province' | 'lombardy' | 'country'; province: string | null; country: string }
  | { type: 'collaboration'; count: number }
  | { type: 'partner_type'; organisationType: string };

export interface Side {
  organisationId?: string | null;
  organisationType?: string | null;
  provinceCode?: string | null;
  countryCode?: string | null;
}

const RESEARCH = new Set(['university', 'research_centre', 'spin_off', 'its_academy']);
const INDUSTRY = new Set(['company']);
export const LOMBARDY = new Set(['VA', 'CO', 'SO', 'MI', 'BG', 'BS', 'PV', 'CR', 'MN', 'LC', 'LO', 'MB']);

/** How an offer's TRL sits in a need's window: inside, one level off, or further. */
export function trlFit(offerTrl: number | null, min: number | null, max: number | null): { factor: number; reason?: ContextReason } {
  if (offerTrl === null || (min === null && max === null)) return { factor: 1 };
  const lo = min ?? 1;
  const hi = max ?? 9;
  const distance = offerTrl < lo ? lo - offerTrl : offerTrl > hi ? offerTrl - hi : 0;
  const fit = distance === 0 ? 'inside' : distance === 1 ? 'near' : 'far';
  const factor = distance === 0 ? 1.1 : distance === 1 ? 0.95 : Math.max(0.6, 0.95 - 0.1 * (distance - 1));
  return { factor, reason: { type: 'trl', fit, trl: offerTrl, min, max } };
}

/** A company's need met by research (or the reverse) is the transfer the clusters exist for. */
export function complementarity(a: Side, b: Side): { factor: number; reason?: ContextReason } {
  const ta = a.organisationType ?? '';
  const tb = b.organisationType ?? '';
  if ((INDUSTRY.has(ta) && RESEARCH.has(tb)) || (RESEARCH.has(ta) && INDUSTRY.has(tb))) {
    return { factor: 1.05, reason: { type: 'complementarity', from: ta, to: tb } };
  }
  return { factor: 1 };
}

/** Same province, both in Lombardy, or the same country: closer partners meet more easily. */
export function geography(a: Side, b: Side): { factor: number; reason?: ContextReason } {
  const country = b.countryCode ?? 'IT';
  if (a.provinceCode && b.provinceCode && a.provinceCode === b.provinceCode) {
    return { factor: 1.04, reason: { type: 'geography', scope: 'province', province: b.provinceCode, country } };
  }
  if (a.provinceCode && b.provinceCode && LOMBARDY.has(a.provinceCode) && LOMBARDY.has(b.provinceCode)) {
    return { factor: 1.02, reason: { type: 'geography', scope: 'lombardy', province: b.provinceCode, country } };
  }
  if (!a.provinceCode && b.provinceCode && LOMBARDY.has(b.provinceCode)) {
    return { factor: 1, reason: { type: 'geography', scope: 'lombardy', province: b.provinceCode, country } };
  }
  return { factor: 1 };
}

export function history(count: number): { factor: number; reason?: ContextReason } {
  return count > 0 ? { factor: 1.05, reason: { type: 'collaboration', count } } : { factor: 1 };
}

export function partnerPreference(preferred: string[], candidateType: string | null | undefined): { factor: number; reason?: ContextReason } {
  return candidateType && preferred.includes(candidateType)
    ? { factor: 1.05, reason: { type: 'partner_type', organisationType: candidateType } }
    : { factor: 1 };
}
