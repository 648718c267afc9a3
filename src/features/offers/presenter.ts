import type { IpStatus, TechnologyNeedRow, TechnologyOfferRow } from '../../db/schema.js';
import type { ItemKind } from './repository.js';
import type { NeedDto, OfferDto } from './schemas.js';
import { isActive } from './service.js';

type WithOrg = { organisation_name: string; organisation_external_ref: string | null };

export function itemPath(kind: ItemKind, id: string): string {
  return kind === 'offer' ? `/offerte/${id}` : `/fabbisogni/${id}`;
}

/** A title in the reader's language, falling back to the other one. */
export function itemTitle(item: { title_it: string | null; title_en: string | null }, lang: 'it' | 'en'): string {
  return (lang === 'en' ? (item.title_en ?? item.title_it) : (item.title_it ?? item.title_en)) ?? '';
}

function common(kind: ItemKind, row: (TechnologyOfferRow | TechnologyNeedRow) & WithOrg, clusterSlugs: string[]) {
  return {
    id: row.id,
    externalRef: row.external_ref,
    status: row.status,
    active: isActive(row),
    title: { it: row.title_it, en: row.title_en },
    description: { it: row.description_it, en: row.description_en },
    taxonomyCodes: row.taxonomy_codes,
    visibility: row.visibility,
    clusters: clusterSlugs,
    expiresOn: row.expires_on,
    publishedAt: row.published_at ? row.published_at.toISOString() : null,
    organisation: { id: row.organisation_id, name: row.organisation_name, externalRef: row.organisation_external_ref },
    url: itemPath(kind, row.id),
  };
}

export function presentOffer(row: TechnologyOfferRow & WithOrg, clusterSlugs: string[] = []): OfferDto {
  return {
    ...common('offer', row, clusterSlugs),
    summary: { it: row.summary_it, en: row.summary_en },
    trl: row.trl,
    ipStatus: row.ip_status as IpStatus | null,
    patentNumber: row.patent_number,
    collaborationTypes: row.collaboration_types,
    categories: row.categories,
    tags: row.tags,
    lookingFor: row.looking_for,
  };
}

export function presentNeed(row: TechnologyNeedRow & WithOrg, clusterSlugs: string[] = []): NeedDto {
  return {
    ...common('need', row, clusterSlugs),
    trlMin: row.trl_min,
    trlMax: row.trl_max,
    budget: {
      minCents: row.budget_min_cents === null ? null : Number(row.budget_min_cents),
      maxCents: row.budget_max_cents === null ? null : Number(row.budget_max_cents),
      currency: row.currency,
    },
    deadline: row.deadline,
    partnerTypes: row.partner_types,
  };
}
