import type { Lang } from '../../platform/i18n.js';
import type { AreaDto, ExpertiseDto, FacilityDto } from './schemas.js';
import type { AreaRow, CompetenceService } from './service.js';

type CompetenceRow = Awaited<ReturnType<CompetenceService['competences']>>[number];
type FacilityRow = Awaited<ReturnType<CompetenceService['facilities']>>[number];
type ExpertiseRow = NonNullable<Awaited<ReturnType<CompetenceService['expertise']>>>;
type CoverageResult = Awaited<ReturnType<CompetenceService['coverage']>>;

export function presentArea(a: AreaRow, all: AreaRow[], slug: string): AreaDto {
  return {
    code: a.code,
    key: `${slug}:${a.code}`,
    parentCode: a.parent_id ? (all.find((p) => p.id === a.parent_id)?.code ?? null) : null,
    label: { it: a.label_it, en: a.label_en },
    synonyms: { it: a.synonyms_it, en: a.synonyms_en },
    concept: a.concept_code,
    retired: a.retired_at !== null,
  };
}

export function presentCompetence(c: CompetenceRow, lang: Lang) {
  return {
    id: c.id,
    area:
      c.area_id && c.code && c.cluster_slug
        ? {
            key: `${c.cluster_slug}:${c.code}`,
            code: c.code,
            cluster: c.cluster_slug,
            label: (lang === 'en' ? c.label_en : null) ?? c.label_it ?? c.code,
            retired: c.retired_at !== null,
          }
        : null,
    level: c.level,
    description: { it: c.description_it, en: c.description_en },
  };
}

export function presentFacility(f: FacilityRow, areaKeys: Map<string, string>): FacilityDto {
  return {
    id: f.id,
    organisation: { id: f.organisation_id, url: `/organizzazioni/${f.organisation_id}` },
    name: f.name,
    type: f.type,
    description: { it: f.description_it, en: f.description_en },
    accreditations: f.accreditations,
    accessConditions: { it: f.access_conditions_it, en: f.access_conditions_en },
    city: f.city,
    provinceCode: f.province_code,
    countryCode: f.country_code,
    areas: f.area_ids.map((id) => areaKeys.get(id)).filter((k): k is string => !!k),
    visibility: f.visibility,
    url: `/strutture/${f.id}`,
  };
}

export function presentExpertise(e: ExpertiseRow, areaKeys: Map<string, string>): ExpertiseDto {
  return {
    person: { id: e.person_id, name: e.display_name, url: `/persone/${e.person_id}` },
    organisation: e.organisation_id && e.organisation_name ? { id: e.organisation_id, name: e.organisation_name, url: `/organizzazioni/${e.organisation_id}` } : null,
    headline: e.headline,
    summary: { it: e.summary_it, en: e.summary_en },
    keywords: e.keywords,
    areas: e.area_ids.map((id) => areaKeys.get(id)).filter((k): k is string => !!k),
    orcid: e.orcid,
    visibility: e.visibility,
  };
}

export function presentCoverage(result: CoverageResult, slug: string) {
  return {
    cluster: slug,
    members: result.memberCount,
    areas: result.rows.map((r) => ({
      code: r.area.code,
      label: { it: r.area.label_it, en: r.area.label_en },
      depth: r.depth,
      retired: r.area.retired_at !== null,
      core: r.core,
      experienced: r.experienced,
      emerging: r.emerging,
      members: r.members,
      network: r.network,
      gap: r.members === 0,
    })),
  };
}
