import type { OrganisationRecord } from './service.js';
import { centsToEuros } from './validation.js';
import type { OrganisationPrivateDto, OrganisationPublicDto } from './schemas.js';

export interface ClusterLink {
  slug: string;
  short_name: string;
  class_it: string | null;
  class_en: string | null;
}

/** What anyone may see of an organisation, field by field. */
export function presentOrganisation(o: OrganisationRecord, clusters: ClusterLink[], lang: 'it' | 'en' = 'it'): OrganisationPublicDto {
  return {
    id: o.id,
    name: o.legal_name,
    shortName: o.short_name,
    type: o.type,
    website: o.website,
    countryCode: o.country_code,
    city: o.city,
    provinceCode: o.province_code,
    comuneIstat: o.comune_istat,
    vatNumber: o.vat_number,
    pec: o.pec,
    atecoCodes: o.ateco_codes,
    sizeClass: o.size_class_computed ?? o.size_class_declared,
    sizeClassDeclared: o.size_class_declared,
    description: { it: o.description_it, en: o.description_en },
    logoUrl: o.logo_mime ? `/organizzazioni/${o.id}/logo?v=${o.logo_updated_at?.getTime() ?? 0}` : null,
    clusters: clusters.map((c) => ({ slug: c.slug, name: c.short_name, memberClass: (lang === 'en' ? (c.class_en ?? c.class_it) : c.class_it) ?? null })),
    url: `/organizzazioni/${o.id}`,
  };
}

/** Adds the fields reserved to the organisation's people, its clusters' managers and the Region. */
export function presentOrganisationPrivate(o: OrganisationRecord, clusters: ClusterLink[], lang: 'it' | 'en' = 'it'): OrganisationPrivateDto {
  return {
    ...presentOrganisation(o, clusters, lang),
    taxCode: o.tax_code,
    email: o.email,
    address: o.address,
    postcode: o.postcode,
    employees: o.employees,
    turnoverCents: o.turnover_cents === null ? null : Number(o.turnover_cents),
    balanceSheetCents: o.balance_sheet_cents === null ? null : Number(o.balance_sheet_cents),
  };
}

/** The stored profile fields that the edit form and the member export show as text. */
export interface ProfileColumns {
  legal_name: string;
  short_name: string | null;
  type: string;
  vat_number: string | null;
  tax_code: string | null;
  ateco_codes: string[];
  country_code: string;
  comune_istat: string | null;
  city: string | null;
  address: string | null;
  postcode: string | null;
  pec: string | null;
  email: string | null;
  website: string | null;
  employees: number | null;
  turnover_cents: number | string | null;
  balance_sheet_cents: number | string | null;
  size_class_declared: string | null;
  description_it: string | null;
  description_en: string | null;
}

/** A stored profile as the strings of the profile form (field names as in OrganisationInput). */
export function profileFormValues(o: ProfileColumns): Record<string, string> {
  return {
    legalName: o.legal_name,
    shortName: o.short_name ?? '',
    type: o.type,
    vatNumber: o.vat_number ?? '',
    taxCode: o.tax_code ?? '',
    atecoCodes: o.ateco_codes.join(', '),
    countryCode: o.country_code,
    comuneIstat: o.comune_istat ?? '',
    city: o.city ?? '',
    address: o.address ?? '',
    postcode: o.postcode ?? '',
    pec: o.pec ?? '',
    email: o.email ?? '',
    website: o.website ?? '',
    employees: o.employees === null ? '' : String(o.employees),
    turnover: centsToEuros(o.turnover_cents),
    balanceSheet: centsToEuros(o.balance_sheet_cents),
    sizeClassDeclared: o.size_class_declared ?? '',
    descriptionIt: o.description_it ?? '',
    descriptionEn: o.description_en ?? '',
  };
}
