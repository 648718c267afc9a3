import { t, type Lang } from '../../platform/i18n.js';
import { om, sizeKey } from '../organisations/messages.js';
import type { DocumentPayload } from './indexer.js';
import { sm } from './messages.js';
import type { SearchResponseDto } from './schemas.js';
import type { FacetValue, SearchHit, SearchResult } from './service.js';

export function resultUrl(kind: SearchHit['kind'], id: string): string {
  return kind === 'organisation' ? `/organizzazioni/${id}` : kind === 'facility' ? `/strutture/${id}` : `/persone/${id}`;
}

/** Query string of a search page or API call (empty values dropped, stable order). */
export function searchQueryString(params: Record<string, string | undefined>): string {
  const out = new URLSearchParams();
  for (const key of ['q', 'kind', 'cluster', 'type', 'province', 'competence', 'size', 'cursor', 'lang']) {
    const value = params[key];
    if (value) out.set(key, value);
  }
  const qs = out.toString();
  return qs ? `?${qs}` : '';
}

function facetLabel(name: string, f: FacetValue, lang: Lang): string {
  if (name === 'type') return t(lang, `orgType.${f.value}` as Parameters<typeof t>[1]);
  if (name === 'size') return om(lang, sizeKey(f.value as 'micro'));
  if (name === 'kind') return sm(lang, `kind_${f.value}` as 'kind_organisation');
  return f.label;
}

export function presentFacets(result: SearchResult, lang: Lang): SearchResponseDto['facets'] {
  const out = {} as SearchResponseDto['facets'];
  for (const [name, values] of Object.entries(result.facets) as [keyof SearchResponseDto['facets'], FacetValue[]][]) {
    out[name] = values.map((f) => ({ value: f.value, label: facetLabel(name, f, lang), count: f.count }));
  }
  return out;
}

function description(p: DocumentPayload, lang: Lang): string | null {
  return lang === 'en' ? (p.descriptionEn ?? p.descriptionIt) : (p.descriptionIt ?? p.descriptionEn);
}

export function presentHit(h: SearchHit, lang: Lang): SearchResponseDto['items'][number] {
  const p = h.payload;
  return {
    kind: h.kind,
    id: h.id,
    title: p.name,
    url: resultUrl(h.kind, h.id),
    organisation: p.organisation ? { ...p.organisation, url: `/organizzazioni/${p.organisation.id}` } : null,
    orgType: p.orgType,
    city: p.city,
    provinceCode: p.provinceCode,
    countryCode: p.countryCode,
    sizeClass: p.sizeClass,
    clusters: p.clusters,
    description: description(p, lang),
    competences: p.competences
      .filter((c) => c.key)
      .slice(0, 12)
      .map((c) => ({ key: c.key, label: lang === 'en' ? (c.en ?? c.it) : c.it, level: c.level })),
    matchedCompetences: h.matchedCompetences,
    ...(p.facility ? { facility: { type: p.facility.type, accreditations: p.facility.accreditations } } : {}),
    ...(p.person ? { person: { headline: p.person.headline, orcid: p.person.orcid } } : {}),
    score: Math.round(h.score * 1e6) / 1e6,
    highlights: h.highlights,
  };
}

export function presentSearch(result: SearchResult, lang: Lang, base = '/cerca'): SearchResponseDto {
  return {
    q: result.q,
    total: result.total,
    items: result.items.map((h) => presentHit(h, lang)),
    facets: presentFacets(result, lang),
    approximate: result.approximate,
    totalApproximate: result.totalApproximate,
    nextCursor: result.nextCursor,
    relaxed: result.relaxed,
    corrections: result.corrections,
    expandedAreas: result.expandedAreas,
    ignored: result.ignored,
    suggestions: result.suggestions.map((s) => ({ kind: s.kind, label: s.label, url: `${base}${searchQueryString(s.query)}` })),
  };
}
