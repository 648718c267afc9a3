import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/platform/auth/principal.js';
import { SYSTEM_ACTOR } from '../../src/platform/audit.js';
import { FACET_NAMES } from '../../src/features/search/repository.js';
import { SearchService, type SearchInput, type SearchResult } from '../../src/features/search/service.js';
import { createDemoNetwork, createMember } from '../factories/competences.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { DB_MODES } from '../support/database.js';
import { createPerson } from '../support/session.js';

/**
 * Facet counts and totals come from three places (the pre-counted table, a bounded scan, the
 * candidates of a query): whichever answers, for every kind of caller, a count must equal the
 * total of the search with that value chosen, and the total the number of results one can page
 * through. Past the bound the counts are lower bounds, and the result says so.
 */
describe.each(DB_MODES)('search counts for every caller (%s)', (mode) => {
  let t: TestApp;
  let search: SearchService;
  const principals: Record<string, Principal | null> = { anonymous: null };

  const facility = (name: string, visibility: string, areas: string[] = []) =>
    ({ name, type: 'laboratory', descriptionIt: '', descriptionEn: 'Stability and microbiology testing.', accreditations: '', accessIt: '', accessEn: '', city: '', provinceCode: '', countryCode: 'IT', areas, visibility }) as never;
  const expertise = (organisationId: string, visibility: string, keywords: string) =>
    ({ organisationId, headline: 'Esperta di cosmetica', summaryIt: '', summaryEn: '', keywords, areas: ['cosmetica:TST.MICRO'], orcid: '', visibility }) as never;

  beforeAll(async () => {
    t = await createTestApp(mode);
    const { competences } = t.app.services;
    const ids = await createDemoNetwork(t.app);
    const aero = await createMember(t.app, { name: 'Aero Compositi S.r.l.', city: 'Bergamo', province: 'BG', clusters: ['aerospazio', 'cosmetica'], descriptionIt: 'Compositi per la cosmetica e per aerostrutture.' });
    const applicant = await createMember(t.app, { name: 'Candidata Cosmetica S.r.l.', city: 'Milano', province: 'MI', clusters: [], descriptionIt: 'Cosmetica in attesa di ammissione.' });
    await t.app.services.search.sync(true);
    const uni = ids['Università di Prova']!;
    await competences.createFacility(uni, facility('Camera climatica riservata', 'private', ['cosmetica:TST.STAB']), SYSTEM_ACTOR);
    await competences.createFacility(uni, facility('Sala prove consortile', 'members', ['cosmetica:TST.MICRO']), SYSTEM_ACTOR);
    await competences.createFacility(aero, facility('Galleria del vento cosmetica', 'members'), SYSTEM_ACTOR);
    await competences.createFacility(applicant, facility('Laboratorio della candidata', 'public'), SYSTEM_ACTOR);
    const people = {
      uniPublic: await createPerson(t.app, 'org_member', { organisationId: uni }),
      uniMembers: await createPerson(t.app, 'org_member', { organisationId: uni }),
      uniPrivate: await createPerson(t.app, 'org_member', { organisationId: uni }),
      aeroMember: await createPerson(t.app, 'org_member', { organisationId: aero }),
      applicantAdmin: await createPerson(t.app, 'org_admin', { organisationId: applicant }),
      manager: await createPerson(t.app, 'cluster_manager', { clusterSlug: 'cosmetica' }),
      region: await createPerson(t.app, 'region_admin'),
    };
    await competences.saveExpertise(people.uniPublic.id, expertise(uni, 'public', 'cosmetica microbiologia'), SYSTEM_ACTOR);
    await competences.saveExpertise(people.uniMembers.id, expertise(uni, 'members', 'cosmetica stabilita'), SYSTEM_ACTOR);
    await competences.saveExpertise(people.uniPrivate.id, expertise(uni, 'private', 'cosmetica riservata'), SYSTEM_ACTOR);
    await competences.saveExpertise(people.region.id, expertise('', 'private', 'cosmetica regionale'), SYSTEM_ACTOR);
    await t.app.services.search.sync(true);
    for (const [name, person] of Object.entries(people)) {
      const grants = await t.database.db.selectFrom('role_grants').select(['role', 'cluster_id', 'organisation_id']).where('person_id', '=', person.id).execute();
      principals[name] = {
        personId: person.id,
        email: person.email,
        displayName: name,
        lang: 'it',
        grants: grants.map((g) => ({ role: g.role, clusterId: g.cluster_id, organisationId: g.organisation_id })),
        sessionHash: '',
      };
    }
    search = new SearchService(t.database.db, { cacheSize: 0 });
  });
  afterAll(async () => {
    await t?.close();
  });

  async function all(input: SearchInput, principal: Principal | null): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page: SearchResult = await search.search({ ...input, limit: 50, cursor }, principal);
      ids.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return ids;
  }

  const BROWSE: Omit<SearchInput, 'lang'>[] = [
    {},
    { kind: 'facility' },
    { province: 'PV' },
    { cluster: 'cosmetica' },
    { kind: 'organisation', cluster: 'cosmetica' },
    { cluster: 'cosmetica', province: 'MI' },
    { kind: 'facility', cluster: 'cosmetica', competence: 'cosmetica:TST' },
    { cluster: 'cosmetica', province: 'PV', type: 'university' },
    { q: 'cosmetica' },
    { q: 'cosmetica', province: 'PV' },
    { q: 'cosmetica', kind: 'person', cluster: 'cosmetica', type: 'university' },
  ];

  it('counts, for every caller, what that caller can page through, facet by facet', { timeout: 180_000 }, async () => {
    // One caller of each kind of visibility (the others only repeat a kind).
    for (const who of ['anonymous', 'aeroMember', 'applicantAdmin', 'manager', 'region']) {
      const principal = principals[who]!;
      for (const input of BROWSE) {
        const label = `${who} ${JSON.stringify(input)}`;
        const result = await search.search({ ...input, lang: 'it' }, principal);
        expect(result.approximate, label).toBe(false);
        expect(result.total, label).toBe((await all({ ...input, lang: 'it' }, principal)).length);
        for (const name of FACET_NAMES) {
          for (const f of result.facets[name]) {
            const chosen = await search.search({ ...input, [name]: f.value, lang: 'it' }, principal);
            expect(chosen.total, `${label} ${name}=${f.value}`).toBe(f.count);
          }
        }
      }
    }
  });

  it('sees only what each caller may see', async () => {
    const titles = async (who: string, q: string) => (await search.search({ q, lang: 'it', limit: 50 }, principals[who]!)).items.map((i) => i.payload.name);
    expect(await titles('anonymous', 'camera climatica')).toEqual([]);
    expect(await titles('aeroMember', 'camera climatica')).toEqual([]);
    expect(await titles('uniPublic', 'camera climatica')).toEqual(['Camera climatica riservata']);
    expect(await titles('manager', 'camera climatica')).toEqual(['Camera climatica riservata']);
    expect(await titles('region', 'camera climatica')).toEqual(['Camera climatica riservata']);
    // Members-only: the members of the owner's clusters.
    expect(await titles('anonymous', 'consortile')).toEqual([]);
    expect(await titles('aeroMember', 'consortile')).toEqual(['Sala prove consortile']);
    expect(await titles('applicantAdmin', 'consortile')).toEqual([]);
    // A private person: that person only (the Region included, for its own).
    expect((await search.search({ q: 'riservata', kind: 'person', lang: 'it' }, principals.region!)).total).toBe(0);
    expect((await search.search({ q: 'riservata', kind: 'person', lang: 'it' }, principals.uniPrivate!)).total).toBe(1);
    expect((await search.search({ q: 'regionale', kind: 'person', lang: 'it' }, principals.region!)).total).toBe(1);
    expect((await search.search({ kind: 'person', lang: 'it' }, principals.region!)).total).toBe(3);
    // Not admitted anywhere: its own people see it, the public does not.
    expect(await titles('anonymous', 'candidata')).toEqual([]);
    expect((await titles('applicantAdmin', 'candidata')).sort()).toEqual(['Candidata Cosmetica S.r.l.', 'Laboratorio della candidata']);
  });

  it('keeps the pre-counted facets equal to a count from scratch after every write', async () => {
    const { competences } = t.app.services;
    const org = (await t.database.db.selectFrom('organisations').select('id').where('legal_name', '=', 'Crema Fragranze S.r.l.').executeTakeFirstOrThrow()).id;
    await competences.addCompetence(org, { area: 'cosmetica:TST.STAB', level: 'core', descriptionIt: '', descriptionEn: '' }, SYSTEM_ACTOR);
    await t.database.db.updateTable('organisations').set({ province_code: 'LO' }).where('id', '=', org).execute();
    await t.database.db.updateTable('memberships').set({ status: 'ended' }).where('organisation_id', '=', org).execute();
    await t.app.services.search.sync(true);
    const snapshot = async () =>
      (await sql<{ k: string }>`SELECT concat_ws('|', audience, ffacet, fvalue, kind, facet, value, n) AS k FROM search_facet_counts WHERE n <> 0 ORDER BY 1`.execute(t.database.db)).rows.map((r) => r.k);
    const kept = await snapshot();
    expect(kept.length).toBeGreaterThan(100);
    await sql`SELECT search_facet_counts_rebuild()`.execute(t.database.db);
    expect(await snapshot()).toEqual(kept);
  });

  it('past the bound, says the counts are approximate and keeps each a lower bound', { timeout: 120_000 }, async () => {
    const bounded = new SearchService(t.database.db, { cacheSize: 0, countCap: 3 });
    for (const [who, principal] of Object.entries(principals)) {
      for (const input of [{ q: 'cosmetica' }, { cluster: 'cosmetica', province: 'MI' }, { cluster: 'cosmetica', type: 'company', size: 'small' }] as Omit<SearchInput, 'lang'>[]) {
        const label = `${who} ${JSON.stringify(input)}`;
        const exact = await search.search({ ...input, lang: 'it' }, principal);
        const approx = await bounded.search({ ...input, lang: 'it' }, principal);
        expect(exact.approximate, label).toBe(false);
        if (exact.total > 3) expect(approx.approximate, label).toBe(true);
        expect(approx.totalApproximate, label).toBe(approx.approximate);
        if (!approx.approximate) expect(approx.facets, label).toEqual(exact.facets);
        expect(approx.total, label).toBeLessThanOrEqual(exact.total);
        for (const name of FACET_NAMES) {
          for (const f of approx.facets[name]) {
            expect(f.count, `${label} ${name}=${f.value}`).toBeLessThanOrEqual(exact.facets[name].find((e) => e.value === f.value)?.count ?? 0);
          }
        }
      }
    }
    expect((await bounded.search({ q: 'cosmetica', lang: 'it' }, null)).approximate).toBe(true);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/search?q=cosmetica' })).json()).toMatchObject({ approximate: false });
  });

  it('applies the filters before the bound: the filtered results and their total are whole, whatever else matched', { timeout: 120_000 }, async () => {
    // Words most documents have, and filters few of them pass: read in the order of the index,
    // the first three documents with the words would hold few of those, or none.
    const bounded = new SearchService(t.database.db, { cacheSize: 0, countCap: 3 });
    let checked = 0;
    let exactTotals = 0;
    for (const [who, principal] of Object.entries(principals)) {
      for (const input of [
        { q: 'cosmetica', province: 'PV' },
        { q: 'cosmetica', cluster: 'aerospazio' },
        { q: 'cosmetica', kind: 'person', type: 'university' },
        { q: 'cosmetica', competence: 'cosmetica:TST.STAB' },
      ] as Omit<SearchInput, 'lang'>[]) {
        const label = `${who} ${JSON.stringify(input)}`;
        const exact = await search.search({ ...input, lang: 'it', limit: 50 }, principal);
        const unfiltered = await search.search({ q: input.q, lang: 'it' }, principal);
        if (exact.total > 3 || unfiltered.total <= 3) continue;
        checked += 1;
        const approx = await bounded.search({ ...input, lang: 'it', limit: 50 }, principal);
        // The facets, counted over the first documents with the words, are lower bounds; the total
        // is exact unless more than the bound pass the filters (documents this caller cannot see included).
        expect(approx.approximate, label).toBe(true);
        if (approx.totalApproximate) {
          expect(approx.total, label).toBeLessThanOrEqual(exact.total);
          continue;
        }
        exactTotals += 1;
        expect(approx.total, label).toBe(exact.total);
        expect(approx.items.map((i) => i.id), label).toEqual(exact.items.map((i) => i.id));
      }
    }
    expect(checked).toBeGreaterThan(10);
    expect(exactTotals).toBeGreaterThan(checked / 2);
    // More than the bound pass the filters: the total is a lower bound, and says so.
    const many = { q: 'cosmetica', cluster: 'cosmetica', lang: 'it' as const };
    const exact = await search.search(many, principals.region!);
    expect(exact.total).toBeGreaterThan(3);
    const approx = await bounded.search(many, principals.region!);
    expect(approx).toMatchObject({ approximate: true, totalApproximate: true });
    expect(approx.total).toBeLessThanOrEqual(exact.total);
    expect(approx.total).toBeGreaterThan(0);
  });

  it('through the hash ranges (a large table) the two sets share the bound, and the result still says what is a lower bound', { timeout: 120_000 }, async () => {
    let checked = 0;
    let wholeTotals = 0;
    const provinces = ['PV', 'MI', 'BG', 'CR', 'LO'];
    const input = (province: string) => ({ q: 'cosmetica', province, lang: 'it' as const, limit: 50 });
    expect((await search.search({ q: 'cosmetica', lang: 'it' }, principals.region!)).total).toBeGreaterThan(3);
    // Read before the transaction: PGlite has one connection, which the transaction holds.
    const exacts = new Map<string, SearchResult>();
    for (const province of provinces) exacts.set(province, await search.search(input(province), principals.region!));
    await t.database.db.transaction().execute(async (trx) => {
      await sql`SELECT set_config('clusterhub.search_ranges', 'on', true)`.execute(trx);
      // A bound of 6: at most 4 documents with the words (one past half), then at most 4 passing the filters.
      const halved = new SearchService(trx, { cacheSize: 0, countCap: 6 });
      for (const province of provinces) {
        const exact = exacts.get(province)!;
        checked += 1;
        const approx = await halved.search(input(province), principals.region!);
        expect(approx.approximate, province).toBe(true);
        // The other provinces are counted over the first set only: at most its 4 documents.
        const others = approx.facets.province.filter((f) => f.value !== province).reduce((sum, f) => sum + f.count, 0);
        expect(others, province).toBeLessThanOrEqual(4);
        for (const f of approx.facets.province) expect(f.count).toBeLessThanOrEqual(exact.facets.province.find((e) => e.value === f.value)?.count ?? 0);
        if (exact.total <= 3) {
          wholeTotals += 1;
          expect(approx.totalApproximate, province).toBe(false);
          expect(approx.total, province).toBe(exact.total);
          expect(approx.items.map((i) => i.id), province).toEqual(exact.items.map((i) => i.id));
        } else {
          expect(approx.totalApproximate, province).toBe(true);
          expect(approx.total, province).toBeLessThanOrEqual(exact.total);
          expect(approx.total, province).toBeGreaterThan(0);
        }
      }
    });
    expect(checked).toBe(5);
    expect(wholeTotals).toBeGreaterThan(0);
    expect(wholeTotals).toBeLessThan(5);
  });
});
