import type { CompetenceLevel, FacilityType, OrganisationType, SearchKind, SizeClass, Visibility } from '../../db/schema.js';
import { LEVEL_ORDER, type TaxonomySnapshot } from './taxonomy.js';
import { normalise, vocabularyWords } from './text.js';

/**
 * Search documents from source rows, with no database access: what is searched (text by weight),
 * what is filtered and counted (facet columns) and what a result shows (payload).
 * Weights: A names and core competences; B other competences, facility names, keywords;
 * C descriptions; D places, parent areas and the owner's name.
 */

export interface SourceOrganisation {
  id: string;
  legal_name: string;
  short_name: string | null;
  type: OrganisationType;
  city: string | null;
  province_code: string | null;
  country_code: string;
  size_class: SizeClass | null;
  description_it: string | null;
  description_en: string | null;
  /** Clusters where it is an admitted member. */
  cluster_ids: string[];
}

export interface SourceCompetence {
  organisation_id: string;
  area_id: string | null;
  level: CompetenceLevel;
  description_it: string | null;
  description_en: string | null;
}

export interface SourceFacility {
  id: string;
  organisation_id: string;
  name: string;
  type: FacilityType;
  description_it: string | null;
  description_en: string | null;
  accreditations: string[];
  access_conditions_it: string | null;
  access_conditions_en: string | null;
  city: string | null;
  province_code: string | null;
  country_code: string;
  area_ids: string[];
  visibility: Visibility;
}

export interface SourceExpertise {
  person_id: string;
  display_name: string;
  /** Null when the person has no (longer a) tie with an organisation. */
  organisation_id: string | null;
  headline: string | null;
  summary_it: string | null;
  summary_en: string | null;
  keywords: string[];
  area_ids: string[];
  orcid: string | null;
  visibility: Visibility;
}

/** A published, public technology offer: part of its organisation's document. */
export interface SourceOffer {
  organisation_id: string;
  title_it: string | null;
  title_en: string | null;
  summary_it: string | null;
  summary_en: string | null;
  description_it: string | null;
  description_en: string | null;
  tags: string[];
  categories: string[];
}

export interface PayloadCompetence {
  key: string;
  code: string;
  it: string;
  en: string | null;
  level: CompetenceLevel | null;
  textIt: string | null;
  textEn: string | null;
}

/** What a result shows; stored with the document. */
export interface DocumentPayload {
  name: string;
  shortName: string | null;
  organisation: { id: string; name: string } | null;
  orgType: OrganisationType | null;
  city: string | null;
  provinceCode: string | null;
  countryCode: string | null;
  sizeClass: SizeClass | null;
  clusters: { slug: string; name: string }[];
  descriptionIt: string | null;
  descriptionEn: string | null;
  competences: PayloadCompetence[];
  facilities?: string[];
  /** Titles of the organisation's public technology offers. */
  offers?: string[];
  facility?: { type: FacilityType; accreditations: string[]; accessIt: string | null; accessEn: string | null };
  person?: { headline: string | null; orcid: string | null; keywords: string[] };
}

export interface DocumentRow {
  id: string;
  kind: SearchKind;
  organisation_id: string | null;
  person_id: string | null;
  title: string;
  sort_key: string;
  org_type: string | null;
  province_code: string | null;
  country_code: string | null;
  size_class: string | null;
  cluster_ids: string[];
  listed: boolean;
  area_keys: string[];
  area_top: string[];
  visibility: Visibility;
  /** Text by weight, indexed in both the Italian and the English configuration. */
  text: { A: string; B: string; C: string; D: string };
  trgm_text: string;
  payload: DocumentPayload;
}

const FACILITY_WORDS: Record<FacilityType, string> = {
  laboratory: 'laboratorio laboratory lab',
  pilot_plant: 'impianto pilota pilot plant',
  instrument: 'strumento strumentazione instrument instrumentation',
  testing_service: 'servizio di prova analisi testing service',
  other: '',
};

const DESCRIPTION_MAX = 600;

function clip(text: string | null): string | null {
  if (!text) return null;
  return text.length <= DESCRIPTION_MAX ? text : `${text.slice(0, DESCRIPTION_MAX - 1).replace(/\s+\S*$/, '')}…`;
}

function join(parts: (string | null | undefined)[]): string {
  return parts.filter((p): p is string => !!p && p.trim().length > 0).join(' \n ');
}

function areaText(taxonomy: TaxonomySnapshot, areaId: string, withSynonyms: boolean): string {
  const area = taxonomy.byId.get(areaId);
  if (!area) return '';
  return join([area.labelIt, area.labelEn, ...(withSynonyms ? [...area.synonymsIt, ...area.synonymsEn] : [])]);
}

function ancestorText(taxonomy: TaxonomySnapshot, areaIds: string[]): string {
  const labels = new Set<string>();
  for (const id of areaIds) {
    const area = taxonomy.byId.get(id);
    if (!area) continue;
    for (const a of taxonomy.lineage(area).slice(1)) {
      labels.add(a.labelIt);
      if (a.labelEn) labels.add(a.labelEn);
    }
  }
  return [...labels].join(' \n ');
}

function payloadCompetence(taxonomy: TaxonomySnapshot, areaId: string, level: CompetenceLevel | null, textIt: string | null, textEn: string | null): PayloadCompetence | null {
  const area = taxonomy.byId.get(areaId);
  if (!area) return null;
  return { key: area.key, code: area.code, it: area.labelIt, en: area.labelEn, level, textIt, textEn };
}

function clustersOf(taxonomy: TaxonomySnapshot, ids: string[]) {
  return ids
    .map((id) => taxonomy.clustersById.get(id))
    .filter((c) => !!c)
    .sort((a, b) => a!.number - b!.number)
    .map((c) => ({ slug: c!.slug, name: c!.name }));
}

/** Offer text indexed per offer (a description can be long; the start says what it is). */
const OFFER_TEXT_MAX = 4000;

export function organisationDocument(
  org: SourceOrganisation,
  competences: SourceCompetence[],
  facilities: SourceFacility[],
  taxonomy: TaxonomySnapshot,
  offers: SourceOffer[] = [],
): DocumentRow {
  const sorted = [...competences].sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level]);
  const areaIds = sorted.map((c) => c.area_id).filter((id): id is string => !!id);
  const { keys, top } = taxonomy.keysFor(areaIds);
  const core = sorted.filter((c) => c.level === 'core');
  const other = sorted.filter((c) => c.level !== 'core');
  const publicFacilities = facilities.filter((f) => f.visibility === 'public');
  const payloadCompetences = sorted
    .map((c) =>
      c.area_id
        ? payloadCompetence(taxonomy, c.area_id, c.level, c.description_it, c.description_en)
        : { key: '', code: '', it: c.description_it ?? '', en: c.description_en, level: c.level, textIt: null, textEn: null },
    )
    .filter((c): c is PayloadCompetence => !!c);
  return {
    id: org.id,
    kind: 'organisation',
    organisation_id: org.id,
    person_id: null,
    title: org.legal_name,
    sort_key: normalise(org.legal_name),
    org_type: org.type,
    province_code: org.province_code,
    country_code: org.country_code,
    size_class: org.size_class,
    cluster_ids: org.cluster_ids,
    // Listed: an admitted member somewhere, or an organisation that published a public offer (its
    // page and its offer are public already, e.g. the university spin-offs of Knowledge Share).
    listed: org.cluster_ids.length > 0 || offers.length > 0,
    area_keys: keys,
    area_top: top,
    visibility: 'public',
    text: {
      A: join([org.legal_name, org.short_name, ...core.map((c) => (c.area_id ? areaText(taxonomy, c.area_id, true) : null))]),
      B: join([
        ...other.map((c) => (c.area_id ? areaText(taxonomy, c.area_id, true) : null)),
        ...sorted.flatMap((c) => [c.description_it, c.description_en]),
        // Only public facilities lend their names to the organisation (the others have documents of their own).
        ...publicFacilities.map((f) => f.name),
        // What it offers: titles, categories and tags of its public offers.
        ...offers.flatMap((o) => [o.title_it, o.title_en, ...o.categories, ...o.tags]),
      ]),
      C: join([
        org.description_it,
        org.description_en,
        ...offers.flatMap((o) => [o.summary_it, o.summary_en, o.description_it?.slice(0, OFFER_TEXT_MAX), o.description_en?.slice(0, OFFER_TEXT_MAX)]),
      ]),
      D: join([org.city, ancestorText(taxonomy, areaIds)]),
    },
    trgm_text: normalise(join([org.legal_name, org.short_name])),
    payload: {
      name: org.legal_name,
      shortName: org.short_name,
      organisation: null,
      orgType: org.type,
      city: org.city,
      provinceCode: org.province_code,
      countryCode: org.country_code,
      sizeClass: org.size_class,
      clusters: clustersOf(taxonomy, org.cluster_ids),
      descriptionIt: clip(org.description_it),
      descriptionEn: clip(org.description_en),
      competences: payloadCompetences.slice(0, 40),
      facilities: publicFacilities.map((f) => f.name).slice(0, 20),
      ...(offers.length > 0 ? { offers: offers.map((o) => o.title_it ?? o.title_en ?? '').filter(Boolean).slice(0, 10) } : {}),
    },
  };
}

export function facilityDocument(f: SourceFacility, org: SourceOrganisation, taxonomy: TaxonomySnapshot): DocumentRow {
  const { keys, top } = taxonomy.keysFor(f.area_ids);
  // A facility without its own province is placed where its organisation is (same country only).
  const province = f.province_code ?? (f.country_code === org.country_code ? org.province_code : null);
  return {
    id: f.id,
    kind: 'facility',
    organisation_id: org.id,
    person_id: null,
    title: f.name,
    sort_key: normalise(f.name),
    org_type: org.type,
    province_code: province,
    country_code: f.country_code,
    size_class: org.size_class,
    cluster_ids: org.cluster_ids,
    listed: org.cluster_ids.length > 0,
    area_keys: keys,
    area_top: top,
    visibility: f.visibility,
    text: {
      A: f.name,
      B: join([FACILITY_WORDS[f.type], ...f.accreditations, ...f.area_ids.map((id) => areaText(taxonomy, id, true))]),
      C: join([f.description_it, f.description_en, f.access_conditions_it, f.access_conditions_en]),
      D: join([org.legal_name, org.short_name, f.city, ancestorText(taxonomy, f.area_ids)]),
    },
    trgm_text: normalise(f.name),
    payload: {
      name: f.name,
      shortName: null,
      organisation: { id: org.id, name: org.legal_name },
      orgType: org.type,
      city: f.city ?? org.city,
      provinceCode: province,
      countryCode: f.country_code,
      sizeClass: org.size_class,
      clusters: clustersOf(taxonomy, org.cluster_ids),
      descriptionIt: clip(f.description_it),
      descriptionEn: clip(f.description_en),
      competences: f.area_ids.map((id) => payloadCompetence(taxonomy, id, null, null, null)).filter((c): c is PayloadCompetence => !!c),
      facility: { type: f.type, accreditations: f.accreditations, accessIt: clip(f.access_conditions_it), accessEn: clip(f.access_conditions_en) },
    },
  };
}

export function personDocument(p: SourceExpertise, org: SourceOrganisation | null, taxonomy: TaxonomySnapshot): DocumentRow {
  const { keys, top } = taxonomy.keysFor(p.area_ids);
  return {
    id: p.person_id,
    kind: 'person',
    organisation_id: org?.id ?? null,
    person_id: p.person_id,
    title: p.display_name,
    sort_key: normalise(p.display_name),
    org_type: org?.type ?? null,
    province_code: org?.province_code ?? null,
    country_code: org?.country_code ?? null,
    size_class: org?.size_class ?? null,
    cluster_ids: org?.cluster_ids ?? [],
    listed: !!org && org.cluster_ids.length > 0,
    area_keys: keys,
    area_top: top,
    visibility: p.visibility,
    text: {
      A: join([p.display_name, p.headline]),
      B: join([...p.keywords, ...p.area_ids.map((id) => areaText(taxonomy, id, true))]),
      C: join([p.summary_it, p.summary_en]),
      D: join([org?.legal_name, org?.short_name, ancestorText(taxonomy, p.area_ids)]),
    },
    trgm_text: normalise(p.display_name),
    payload: {
      name: p.display_name,
      shortName: null,
      organisation: org ? { id: org.id, name: org.legal_name } : null,
      orgType: org?.type ?? null,
      city: org?.city ?? null,
      provinceCode: org?.province_code ?? null,
      countryCode: org?.country_code ?? null,
      sizeClass: org?.size_class ?? null,
      clusters: clustersOf(taxonomy, org?.cluster_ids ?? []),
      descriptionIt: clip(p.summary_it),
      descriptionEn: clip(p.summary_en),
      competences: p.area_ids.map((id) => payloadCompetence(taxonomy, id, null, null, null)).filter((c): c is PayloadCompetence => !!c),
      person: { headline: p.headline, orcid: p.orcid, keywords: p.keywords },
    },
  };
}

/** Dictionary words of a document (for typo correction). */
export function documentWords(doc: DocumentRow): string[] {
  return [...new Set(vocabularyWords(`${doc.text.A} ${doc.text.B} ${doc.text.C} ${doc.text.D}`))];
}
