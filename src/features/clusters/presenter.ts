import type { ClusterRole } from '../../db/schema.js';
import type { ClusterWithStatus } from './repository.js';
import type { ClusterDetail } from './service.js';
import type { ClusterDetailDto, ClusterSummaryDto } from './schemas.js';

/** What leaves the server about a cluster, field by field (never a raw row). */
export function presentClusterSummary(c: ClusterWithStatus): ClusterSummaryDto {
  return {
    slug: c.slug,
    number: c.number,
    name: { it: c.name_it, en: c.name_en },
    shortName: c.short_name,
    area: { it: c.area_it, en: c.area_en },
    managingBody: c.managing_body,
    legalForm: c.legal_form,
    website: c.website,
    status: c.status,
    statusSince: c.status_since,
    url: `/cluster/${c.slug}`,
  };
}

const ROLE_ORDER: ClusterRole[] = ['coordinator', 'founder', 'partner'];

export function presentClusterDetail(detail: ClusterDetail): ClusterDetailDto {
  const { cluster: c, steps, organisations } = detail;
  const byOrg = new Map<string, ClusterDetailDto['organisations'][number]>();
  for (const link of organisations) {
    const existing = byOrg.get(link.organisation_id);
    if (existing) {
      existing.roles.push(link.role);
      continue;
    }
    byOrg.set(link.organisation_id, {
      id: link.organisation_id,
      name: link.legal_name,
      shortName: link.short_name,
      type: link.type,
      city: link.city,
      provinceCode: link.province_code,
      website: link.website,
      roles: [link.role],
    });
  }
  for (const org of byOrg.values()) org.roles.sort((a, b) => ROLE_ORDER.indexOf(a) - ROLE_ORDER.indexOf(b));
  return {
    ...presentClusterSummary(c),
    description: { it: c.description_it, en: c.description_en },
    territory: { it: c.territory_it, en: c.territory_en },
    recognition: steps.map((s) => ({
      step: s.step,
      date: s.occurred_on,
      actReference: s.act_reference,
      note: s.note_it ? { it: s.note_it, en: s.note_en } : null,
    })),
    organisations: [...byOrg.values()],
  };
}
