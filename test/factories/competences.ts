import type { FastifyInstance } from 'fastify';
import type { OrganisationType, SizeClass } from '../../src/db/schema.js';

let serial = 0;

export interface MemberSpec {
  name: string;
  type?: OrganisationType;
  city?: string | null;
  province?: string | null;
  country?: string;
  size?: SizeClass | null;
  descriptionIt?: string | null;
  descriptionEn?: string | null;
  /** Cluster slugs where the organisation is an admitted member ([] = not a member anywhere). */
  clusters?: string[];
}

/**
 * An organisation, admitted to the given clusters, written straight to the database (the search
 * picks it up from the re-index queue the triggers fill, as it does for imports and profiles).
 */
export async function createMember(app: FastifyInstance, spec: MemberSpec): Promise<string> {
  serial += 1;
  const db = app.database.db;
  const org = await db
    .insertInto('organisations')
    .values({
      external_ref: `test:member-${serial}-${Math.random().toString(36).slice(2, 8)}`,
      legal_name: spec.name,
      type: spec.type ?? 'company',
      city: spec.city ?? null,
      province_code: spec.province ?? null,
      country_code: spec.country ?? 'IT',
      size_class_declared: spec.size ?? null,
      description_it: spec.descriptionIt ?? null,
      description_en: spec.descriptionEn ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const slug of spec.clusters ?? ['cosmetica']) {
    const clusterId = await app.services.clusters.idBySlug(slug);
    if (!clusterId) throw new Error(`no cluster ${slug}`);
    await db
      .insertInto('memberships')
      .values({ cluster_id: clusterId, organisation_id: org.id, status: 'admitted', admitted_at: new Date(), application_verified_at: new Date() })
      .execute();
  }
  return org.id;
}

const DEMO: (MemberSpec & { areas: [string, 'core' | 'experienced' | 'emerging'][] })[] = [
  { name: 'Laboratorio Verdi S.r.l.', city: 'Crema', province: 'CR', size: 'small', descriptionIt: 'Formuliamo creme viso con conservanti naturali, senza parabeni.', areas: [['cosmetica:MPA.PRES', 'core'], ['cosmetica:FOR.SKIN', 'experienced']] },
  { name: 'Greenlab Research', type: 'research_centre', city: 'Milano', province: 'MI', descriptionEn: 'We develop natural preservatives and botanical extracts for cosmetic emulsions.', areas: [['cosmetica:MPA.BOT', 'core']] },
  { name: 'Packaging Lodigiano S.p.A.', city: 'Lodi', province: 'LO', size: 'medium', descriptionIt: 'Flaconi airless e vasetti in vetro riciclabile.', areas: [['cosmetica:PKG.RIG', 'core'], ['cosmetica:PKG.ECO', 'emerging']] },
  { name: 'Università di Prova', type: 'university', city: 'Pavia', province: 'PV', descriptionEn: 'Microbiology, challenge tests and stability testing for the cosmetic industry.', areas: [['cosmetica:TST.MICRO', 'core'], ['cosmetica:TST.STAB', 'core']] },
  { name: 'Terzista Brianza S.r.l.', city: 'Monza', province: 'MB', size: 'medium', descriptionIt: 'Produzione conto terzi di make-up, riempimento e confezionamento.', areas: [['cosmetica:PRD.CMO', 'core'], ['cosmetica:FOR.MKUP', 'core']] },
  { name: 'Bergamo Pigmenti S.p.A.', city: 'Bergamo', province: 'BG', size: 'large', descriptionIt: 'Pigmenti e polveri per cosmetici decorativi.', areas: [['cosmetica:MPA.PIG', 'core']] },
  { name: 'Biochimica Bresciana S.r.l.', city: 'Brescia', province: 'BS', size: 'micro', descriptionIt: 'Sviluppiamo antimicrobici e conservanti per la cosmetica.', areas: [['cosmetica:MPA.PRES', 'experienced']] },
  { name: 'Regolatorio Como S.r.l.', city: 'Como', province: 'CO', size: 'micro', descriptionIt: 'Valutazione della sicurezza, PIF e notifiche CPNP.', areas: [['cosmetica:REG.SAFE', 'core'], ['cosmetica:REG.CPNP', 'core']] },
  { name: 'Crema Fragranze S.r.l.', city: 'Crema', province: 'CR', size: 'small', descriptionIt: 'Profumi e deodoranti naturali.', areas: [['cosmetica:FOR.FRAG', 'core'], ['cosmetica:SUS.GREEN', 'emerging']] },
  { name: 'Varese Digital Lab', type: 'spin_off', city: 'Varese', province: 'VA', descriptionEn: 'AI-assisted formulation and digital product passport software.', areas: [['cosmetica:DIG.AI', 'core'], ['cosmetica:DIG.DPP', 'experienced']] },
  { name: 'Cosmetica Torinese S.r.l.', city: 'Torino', province: 'TO', descriptionIt: 'Trucco e rossetti.', areas: [['cosmetica:FOR.MKUP', 'experienced']] },
  { name: 'Beauté Lyon SAS', city: 'Lyon', country: 'FR', descriptionEn: 'Natural preservatives for organic cosmetics (COSMOS).', areas: [['cosmetica:SUS.CERT', 'core']] },
];

/** A small, realistic-looking network for journeys and screenshots: members across provinces with competences and a lab. */
export async function createDemoNetwork(app: FastifyInstance): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const m of DEMO) ids[m.name] = await createMember(app, m);
  await app.services.search.sync(true);
  const actor = { personId: null, label: 'system' };
  for (const m of DEMO) {
    for (const [area, level] of m.areas) await app.services.competences.addCompetence(ids[m.name]!, { area, level, descriptionIt: '', descriptionEn: '' }, actor);
  }
  await app.services.competences.createFacility(
    ids['Università di Prova']!,
    {
      name: 'Laboratorio di microbiologia cosmetica',
      type: 'laboratory',
      descriptionIt: 'Challenge test, carica microbica e stabilità.',
      descriptionEn: 'Challenge tests, microbial counts and stability.',
      accreditations: 'ISO 17025',
      accessIt: 'Aperto alle imprese socie su richiesta.',
      accessEn: 'Open to member companies on request.',
      city: 'Pavia',
      provinceCode: 'PV',
      countryCode: 'IT',
      areas: ['cosmetica:TST.MICRO'],
      visibility: 'public',
    },
    actor,
  );
  return ids;
}
