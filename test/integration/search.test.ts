import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { SYSTEM_ACTOR } from '../../src/platform/audit.js';
import { createMember } from '../factories/competences.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { DB_MODES, withMigrationsUndone } from '../support/database.js';
import { Client, createPerson, signedInClient } from '../support/session.js';

interface Item {
  id: string;
  kind: string;
  title: string;
  highlights: { field: string; text: string; ranges: number[][] }[];
  matchedCompetences: string[];
}
interface Body {
  total: number;
  items: Item[];
  facets: Record<string, { value: string; count: number }[]>;
  nextCursor: string | null;
  relaxed: boolean;
  corrections: { from: string; to: string }[];
  expandedAreas: { key: string }[];
  suggestions: { kind: string; url: string }[];
}

const FIELD_AREAS = {
  area: '',
  level: 'core',
  descriptionIt: '',
  descriptionEn: '',
};

describe.each(DB_MODES)('search and competence map on %s', (mode) => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  const people: Record<string, { id: string; email: string; password: string }> = {};

  async function api(query: string, client?: Client): Promise<Body> {
    const res = client ? await client.get(`/api/v1/search?${query}`) : await t.app.inject({ method: 'GET', url: `/api/v1/search?${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Body;
  }
  const titles = (b: Body) => b.items.map((i) => i.title);
  const top = (b: Body, n: number) => titles(b).slice(0, n).sort();

  beforeAll(async () => {
    t = await createTestApp(mode);
    const app = t.app;
    const { competences, search } = app.services;
    ids.verdi = await createMember(app, {
      name: 'Laboratorio Verdi S.r.l.',
      city: 'Crema',
      province: 'CR',
      size: 'small',
      descriptionIt: 'Formuliamo creme viso con conservanti naturali, senza parabeni.',
    });
    ids.greenlab = await createMember(app, {
      name: 'Greenlab Research',
      type: 'research_centre',
      city: 'Milano',
      province: 'MI',
      descriptionEn: 'We develop natural preservatives for cosmetic emulsions.',
    });
    ids.pack = await createMember(app, {
      name: 'Packaging Lodigiano S.p.A.',
      city: 'Lodi',
      province: 'LO',
      size: 'medium',
      descriptionIt: 'Flaconi airless e vasetti in vetro riciclabile.',
    });
    ids.uni = await createMember(app, {
      name: 'Università di Prova',
      type: 'university',
      city: 'Pavia',
      province: 'PV',
      descriptionEn: 'Microbiology and stability testing for the cosmetic industry.',
    });
    ids.antimicrobici = await createMember(app, {
      name: 'Biochimica Bresciana S.r.l.',
      city: 'Brescia',
      province: 'BS',
      size: 'micro',
      descriptionIt: 'Sviluppiamo antimicrobici per la cosmetica.',
    });
    ids.torino = await createMember(app, { name: 'Cosmetica Torinese S.r.l.', city: 'Torino', province: 'TO', descriptionIt: 'Trucco e rossetti.' });
    ids.aero = await createMember(app, {
      name: 'Aero Compositi S.r.l.',
      city: 'Bergamo',
      province: 'BG',
      clusters: ['aerospazio'],
      descriptionIt: 'Materiali compositi per aerostrutture.',
    });
    ids.hidden = await createMember(app, {
      name: 'Conservanti Nascosti S.r.l.',
      city: 'Milano',
      province: 'MI',
      clusters: [],
      descriptionIt: 'Conservanti naturali per creme.',
    });
    await search.sync(true);

    await competences.addCompetence(ids.verdi!, { ...FIELD_AREAS, area: 'cosmetica:MPA.PRES' }, SYSTEM_ACTOR);
    await competences.addCompetence(ids.verdi!, { ...FIELD_AREAS, area: 'cosmetica:FOR.SKIN', level: 'experienced' }, SYSTEM_ACTOR);
    await competences.addCompetence(ids.pack!, { ...FIELD_AREAS, area: 'cosmetica:PKG.RIG' }, SYSTEM_ACTOR);
    await competences.addCompetence(ids.pack!, { ...FIELD_AREAS, area: 'cosmetica:PKG.ECO', level: 'emerging' }, SYSTEM_ACTOR);
    await competences.addCompetence(ids.uni!, { ...FIELD_AREAS, area: 'cosmetica:TST.MICRO' }, SYSTEM_ACTOR);
    const facility = (name: string, visibility: string, extra: Partial<Record<string, string | string[]>> = {}) => ({
      name,
      type: 'laboratory',
      descriptionIt: '',
      descriptionEn: '',
      accreditations: '',
      accessIt: '',
      accessEn: '',
      city: '',
      provinceCode: '',
      countryCode: 'IT',
      areas: [] as string[],
      visibility,
      ...extra,
    });
    ids.microLab = await competences.createFacility(
      ids.uni!,
      facility('Laboratorio di microbiologia', 'public', { accreditations: 'ISO 17025', areas: ['cosmetica:TST.MICRO'], accessEn: 'Open to member companies on request.' }) as never,
      SYSTEM_ACTOR,
    );
    ids.secretLab = await competences.createFacility(ids.uni!, facility('Camera bianca riservatissima', 'private') as never, SYSTEM_ACTOR);
    ids.windTunnel = await competences.createFacility(ids.aero!, facility('Galleria del vento ipersonica', 'members', { type: 'pilot_plant' }) as never, SYSTEM_ACTOR);

    // People: grants first (they are what ties a person to an organisation).
    people.verdiExpert = await createPerson(app, 'org_member', { organisationId: ids.verdi });
    people.uniPrivate = await createPerson(app, 'org_member', { organisationId: ids.uni });
    people.uniColleague = await createPerson(app, 'org_member', { organisationId: ids.uni });
    people.greenlabAdmin = await createPerson(app, 'org_admin', { organisationId: ids.greenlab });
    people.aeroMember = await createPerson(app, 'org_member', { organisationId: ids.aero });
    people.cosmeticaManager = await createPerson(app, 'cluster_manager', { clusterSlug: 'cosmetica' });
    const expertise = (organisationId: string, visibility: string, extra: Record<string, unknown> = {}) => ({
      organisationId,
      headline: '',
      summaryIt: '',
      summaryEn: '',
      keywords: '',
      areas: [],
      orcid: '',
      visibility,
      ...extra,
    });
    await competences.saveExpertise(
      people.verdiExpert.id,
      expertise(ids.verdi!, 'public', { headline: 'Formulatrice senior', summaryEn: 'Expert in natural preservatives and emulsions.', orcid: '0000-0002-1825-0097' }) as never,
      SYSTEM_ACTOR,
    );
    await competences.saveExpertise(people.uniPrivate.id, expertise(ids.uni!, 'private', { keywords: 'criomicroscopia riservata' }) as never, SYSTEM_ACTOR);
    await search.sync(true);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('an Italian query finds a member described only in English, and the reverse', async () => {
    const it = await api('q=conservanti%20naturali');
    expect(titles(it)).toContain('Greenlab Research');
    expect(titles(it)).toContain('Laboratorio Verdi S.r.l.');
    const en = await api('q=natural%20preservatives');
    expect(titles(en)).toContain('Laboratorio Verdi S.r.l.');
    expect(titles(en)).toContain('Greenlab Research');
  });

  it('accented, upper-case and misspelt variants return the same top results', async () => {
    const reference = top(await api('q=conservanti%20naturali&kind=organisation'), 2);
    expect(reference).toEqual(['Greenlab Research', 'Laboratorio Verdi S.r.l.']);
    for (const q of ['CONSERVANTI NATURALI', 'conservànti naturàli', 'conservante natrale', 'natural preservatives', 'natural preservativs']) {
      const body = await api(`q=${encodeURIComponent(q)}&kind=organisation`);
      expect(top(body, 2), q).toEqual(reference);
    }
    const typo = await api('q=conservante%20natrale');
    expect(typo.corrections.map((c) => c.from)).toContain('natrale');
    expect(typo.relaxed).toBe(false);
  });

  it('corrects two swapped letters to the word one edit away, not to the one with more trigrams in common', async () => {
    // Dictionary words as the indexer keeps them; "sense" shares more trigrams with "sensro" than "sensor" does.
    const db = t.database.db;
    const added = (
      await sql<{ word: string }>`INSERT INTO search_vocabulary (word) SELECT w FROM unnest(${['sense', 'sensor', 'sensori']}::text[]) w ON CONFLICT DO NOTHING RETURNING word`.execute(db)
    ).rows.map((r) => r.word);
    try {
      const body = await api('q=sensro');
      expect(body.corrections).toEqual([{ from: 'sensro', to: 'sensor' }]);
      const page = await t.app.inject({ url: '/cerca?q=sensro' });
      expect(page.body).toContain('Abbiamo cercato anche: «sensor».');
      const english = await t.app.inject({ url: '/cerca?q=sensro&lang=en' });
      expect(english.body).toContain('We also searched for: “sensor”.');
    } finally {
      await sql`DELETE FROM search_vocabulary WHERE word = ANY(${added}::text[])`.execute(db);
    }
  });

  it('finds an organisation by its name typed wrong, and by its name typed right', async () => {
    for (const [q, name] of [
      ['Laboratorio Verdy', 'Laboratorio Verdi S.r.l.'],
      ['greenlab reserch', 'Greenlab Research'],
      ['Greenlab Research', 'Greenlab Research'],
      ['laboratorio verdi', 'Laboratorio Verdi S.r.l.'],
    ]) {
      const body = await api(`q=${encodeURIComponent(q!)}`);
      expect(titles(body)[0], q).toBe(name);
    }
  });

  it('finds the same candidates with search_matches in PL/pgSQL (plans kept) as with the SQL function it replaced', async () => {
    const migration = await import('../../src/db/migrations/2026-11-26T1800-search-matches-plpgsql.js');
    const db = t.database.db;
    const language = async () =>
      (await sql<{ lanname: string }>`SELECT l.lanname FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang WHERE p.proname = 'search_matches'`.execute(db)).rows.map((r) => r.lanname);
    // Words, a name typed wrong (the trigram branch), and a filter: more than five calls each, so
    // that PL/pgSQL's generic plan (after five) answers too.
    const calls: [string | null, string | null, string | null][] = [
      ["('conserv' | 'preserv') & 'natural'", null, null],
      [null, 'laboratorio verdy', null],
      ["'conserv' | 'formul'", null, 'CR'],
    ];
    const run = async () => {
      const out: unknown[] = [];
      for (let i = 0; i < 7; i += 1) {
        for (const [q, names, province] of calls) {
          const { rows } = await sql`SELECT id, by_name, rank, name_similarity FROM search_matches(${q}::tsquery, ${names}::text, 2001, ${q}::tsquery, NULL, NULL, NULL, ${province}::text, NULL, NULL) ORDER BY id`.execute(db);
          out.push(rows);
        }
      }
      return out;
    };
    // Later migrations replaced the function again: taken back to where this one left it.
    await withMigrationsUndone(db, '2026-11-26T2300-search-shards', async () => {
      expect(await language()).toEqual(['plpgsql']);
      const prepared = await run();
      expect((prepared[0] as unknown[]).length).toBeGreaterThan(0);
      expect((prepared[1] as unknown[]).length).toBeGreaterThan(0);
      await migration.down(db);
      try {
        expect(await language()).toEqual(['sql']);
        expect(await run()).toEqual(prepared);
      } finally {
        await migration.up(db);
      }
      expect(await language()).toEqual(['plpgsql']);
      expect(await run()).toEqual(prepared);
    });
  });

  it('keeps no unused search function: search_candidates is dropped, and the migration down restores it', async () => {
    const migration = await import('../../src/db/migrations/2026-11-26T2000-drop-search-candidates.js');
    const db = t.database.db;
    const exists = async () => (await sql<{ f: string | null }>`SELECT to_regprocedure('search_candidates(tsquery, text)')::text AS f`.execute(db)).rows[0]!.f !== null;
    expect(await exists()).toBe(false);
    await migration.down(db);
    try {
      expect(await exists()).toBe(true);
      const { rows } = await sql<{ id: string }>`SELECT search_candidates(${"'conserv' & 'natural'"}::tsquery, NULL) AS id`.execute(db);
      expect(rows.length).toBeGreaterThan(0);
    } finally {
      await migration.up(db);
    }
    expect(await exists()).toBe(false);
  });

  it('expands a query with the taxonomy synonyms of the other language', async () => {
    // "preservatives" is an English synonym of MPA.PRES, whose Italian synonyms include "antimicrobici":
    // the Brescia company writes only that word, in Italian, and declares nothing.
    const body = await api('q=preservatives');
    expect(titles(body)).toContain('Biochimica Bresciana S.r.l.');
    expect(body.expandedAreas.map((a) => a.key)).toContain('cosmetica:MPA.PRES');
    // And a declared area brings its labels in both languages: "airless bottles" → PKG.RIG.
    expect(titles(await api('q=plastic%20bottles'))).toContain('Packaging Lodigiano S.p.A.');
  });

  it('highlights the words that matched, field by field', async () => {
    const body = await api('q=natural%20preservatives&kind=organisation');
    const greenlab = body.items.find((i) => i.title === 'Greenlab Research')!;
    const description = greenlab.highlights.find((h) => h.field === 'description')!;
    const marked = description.ranges.map(([s, e]) => description.text.slice(s, e).toLowerCase());
    expect(marked).toEqual(expect.arrayContaining(['natural', 'preservatives']));
  });

  it('names each matched competence once, even when two read alike', async () => {
    const { competences } = t.app.services;
    for (const descriptionIt of ['Liofilizzazione di estratti vegetali', 'Liofilizzazione di estratti vegetali']) {
      await competences.addCompetence(ids.verdi!, { area: '', level: 'emerging', descriptionIt, descriptionEn: '' }, SYSTEM_ACTOR);
    }
    await t.app.services.search.sync(true);
    const verdi = (await api('q=liofilizzazione')).items.find((i) => i.title === 'Laboratorio Verdi S.r.l.')!;
    expect(verdi.matchedCompetences).toEqual(['Liofilizzazione di estratti vegetali']);
  });

  it('facet counts equal the totals of the filtered searches', async () => {
    for (const q of ['', 'q=conservanti', 'q=cosmetica']) {
      const base = await api(q);
      for (const [facet, values] of Object.entries(base.facets)) {
        for (const v of values) {
          const filtered = await api(`${q}&${facet}=${encodeURIComponent(v.value)}`);
          expect(filtered.total, `${q} ${facet}=${v.value}`).toBe(v.count);
        }
      }
      // Two filters at once: each facet's counts apply every other filter.
      const both = await api(`${q}&kind=organisation&cluster=cosmetica`);
      for (const v of both.facets.province ?? []) {
        const filtered = await api(`${q}&kind=organisation&cluster=cosmetica&province=${v.value}`);
        expect(filtered.total).toBe(v.count);
      }
    }
  });

  it('filters by competence area, sub-areas included, with the facet counting top-level areas', async () => {
    const byTop = await api('competence=cosmetica:MPA');
    expect(titles(byTop).sort()).toEqual(['Laboratorio Verdi S.r.l.']);
    expect((await api('competence=MPA.PRES')).total).toBe(1);
    const facet = (await api('')).facets.competence!.find((f) => f.value === 'cosmetica:TST')!;
    // The university and its public lab.
    expect(facet.count).toBe(2);
  });

  it('pages with a cursor: no result twice, none missed', async () => {
    const all = await api('q=cosmetica&limit=50');
    expect(all.total).toBeGreaterThan(3);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Body = await api(`q=cosmetica&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.items.map((i) => i.id));
    // A cursor of another search is refused, naming the parameter.
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/search?q=creme&cursor=${encodeURIComponent((await api('q=cosmetica&limit=1')).nextCursor!)}` });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[0].field).toBe('cursor');
  });

  it('never shows private facilities and people to the public or to other organisations', async () => {
    const secret = 'q=camera%20bianca%20riservatissima';
    const person = 'q=criomicroscopia';
    expect((await api(secret)).total).toBe(0);
    expect((await api(person)).total).toBe(0);
    // Not an admitted member anywhere: never listed.
    expect(titles(await api('q=nascosti'))).toEqual([]);

    const other = new Client(t.app);
    await other.signIn(people.greenlabAdmin!.email, people.greenlabAdmin!.password);
    expect((await api(secret, other)).total).toBe(0);
    expect((await api(person, other)).total).toBe(0);
    expect((await other.get(`/strutture/${ids.secretLab}`)).statusCode).toBe(404);
    expect((await other.get(`/api/v1/facilities/${ids.secretLab}`)).statusCode).toBe(404);
    expect((await other.get(`/persone/${people.uniPrivate!.id}`)).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/strutture/${ids.secretLab}` })).statusCode).toBe(404);

    // Its own organisation sees the private facility; a colleague still does not see a private person.
    const colleague = new Client(t.app);
    await colleague.signIn(people.uniColleague!.email, people.uniColleague!.password);
    expect(titles(await api(secret, colleague))).toEqual(['Camera bianca riservatissima']);
    expect((await api(person, colleague)).total).toBe(0);
    // The person sees their own expertise.
    const self = new Client(t.app);
    await self.signIn(people.uniPrivate!.email, people.uniPrivate!.password);
    expect((await api(person, self)).total).toBe(1);
    // The managers of its cluster curate: they see the private facility.
    const manager = new Client(t.app);
    await manager.signIn(people.cosmeticaManager!.email, people.cosmeticaManager!.password);
    expect((await api(secret, manager)).total).toBe(1);
    expect((await api(person, manager)).total).toBe(0);
  });

  it('shows members-only facilities to the members of the same clusters only', async () => {
    const q = 'q=galleria%20del%20vento';
    expect((await api(q)).total).toBe(0);
    const cosmetics = new Client(t.app);
    await cosmetics.signIn(people.greenlabAdmin!.email, people.greenlabAdmin!.password);
    expect((await api(q, cosmetics)).total).toBe(0);
    const aero = new Client(t.app);
    await aero.signIn(people.aeroMember!.email, people.aeroMember!.password);
    expect(titles(await api(q, aero))).toEqual(['Galleria del vento ipersonica']);
  });

  it('finds a public person and a public facility, linking to their pages', async () => {
    const body = await api('q=formulatrice&kind=person');
    expect(body.items[0]).toMatchObject({ kind: 'person', url: `/persone/${people.verdiExpert!.id}` });
    const page = await t.app.inject({ method: 'GET', url: `/persone/${people.verdiExpert!.id}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('0000-0002-1825-0097');
    const lab = await api('q=ISO%2017025');
    expect(lab.items[0]).toMatchObject({ kind: 'facility', url: `/strutture/${ids.microLab}` });
    expect((await t.app.inject({ method: 'GET', url: `/strutture/${ids.microLab}` })).statusCode).toBe(200);
  });

  it('re-indexes what other features change (profile edits, membership changes)', async () => {
    await t.app.database.db.updateTable('organisations').set({ description_it: 'Ora facciamo anche saponi solidi artigianali.' }).where('id', '=', ids.pack!).execute();
    await t.app.services.search.sync(true);
    expect(titles(await api('q=saponi'))).toEqual(['Packaging Lodigiano S.p.A.']);
    await t.app.database.db.updateTable('memberships').set({ status: 'ended' }).where('organisation_id', '=', ids.pack!).execute();
    await t.app.services.search.sync(true);
    expect((await api('q=saponi')).total).toBe(0);
    await t.app.database.db.updateTable('memberships').set({ status: 'admitted' }).where('organisation_id', '=', ids.pack!).execute();
    await t.app.services.search.sync(true);
    expect((await api('q=saponi')).total).toBe(1);
  });

  it('caches anonymous searches and drops the cache on a write', async () => {
    const search = t.app.services.search;
    await search.search({ q: 'vetro', lang: 'it' }, null);
    expect((await search.search({ q: 'vetro', lang: 'it' }, null)).cached).toBe(true);
    await t.app.services.competences.addCompetence(ids.pack!, { ...FIELD_AREAS, area: 'cosmetica:PKG.GLM' }, SYSTEM_ACTOR);
    const after = await search.search({ q: 'vetro', lang: 'it' }, null);
    expect(after.cached).toBe(false);
  });

  it('maps a network concept across clusters, so one search spans both', async () => {
    const manager = await signedInClient(t.app, 'region_admin');
    const c = manager.client;
    expect((await c.sendJson('POST', '/api/v1/concepts', { code: 'green-chemistry', labelIt: 'Chimica verde', labelEn: 'Green chemistry' })).statusCode).toBe(201);
    const gc = await c.sendJson('POST', '/api/v1/clusters/chimica-verde/taxonomy', {
      code: 'BIO',
      labelIt: 'Bioraffinerie',
      labelEn: 'Biorefineries',
      synonymsIt: ['bioraffineria'],
      concept: 'green-chemistry',
    });
    expect(gc.statusCode, gc.body).toBe(201);
    expect((await c.sendJson('PATCH', '/api/v1/clusters/cosmetica/taxonomy/SUS.GREEN', { concept: 'green-chemistry' })).statusCode).toBe(200);
    const chem = await createMember(t.app, { name: 'Bioraffineria Mantovana S.r.l.', city: 'Mantova', province: 'MN', clusters: ['chimica-verde'], descriptionIt: 'Impianti.' });
    await t.app.services.search.sync(true);
    await t.app.services.competences.addCompetence(chem, { ...FIELD_AREAS, area: 'chimica-verde:BIO' }, SYSTEM_ACTOR);
    // "bio-based" names the cosmetics area SUS.GREEN only; the concept brings the chemistry area along.
    expect(titles(await api('q=bio-based'))).toContain('Bioraffineria Mantovana S.r.l.');
    expect(titles(await api('competence=concept:green-chemistry'))).toEqual(['Bioraffineria Mantovana S.r.l.']);
  });

  it('manages the taxonomy: rename and move re-index, retire keeps the code resolvable, all audited', async () => {
    const { client } = await signedInClient(t.app, 'cluster_manager', { clusterSlug: 'cosmetica' });
    const renamed = await client.sendJson('PATCH', '/api/v1/clusters/cosmetica/taxonomy/FOR.SKIN', { labelIt: 'Cura della cute', synonymsEn: ['dermatology products'] });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(titles(await api('q=dermatology%20products'))).toContain('Laboratorio Verdi S.r.l.');
    const moved = await client.sendJson('PATCH', '/api/v1/clusters/cosmetica/taxonomy/FOR.SKIN', { parentCode: 'HCF' });
    expect(moved.json()).toMatchObject({ code: 'FOR.SKIN', parentCode: 'HCF' });
    expect(titles(await api('competence=cosmetica:HCF'))).toContain('Laboratorio Verdi S.r.l.');
    const cycle = await client.sendJson('PATCH', '/api/v1/clusters/cosmetica/taxonomy/HCF', { parentCode: 'FOR.SKIN' });
    expect(cycle.statusCode).toBe(400);
    expect(cycle.json().error.fields[0].field).toBe('parentCode');

    expect((await client.sendJson('PATCH', '/api/v1/clusters/cosmetica/taxonomy/FOR.SUN', { retired: true })).json()).toMatchObject({ retired: true });
    const resolved = await t.app.inject({ method: 'GET', url: '/api/v1/clusters/cosmetica/taxonomy/FOR.SUN' });
    expect(resolved.json()).toMatchObject({ code: 'FOR.SUN', retired: true });
    const refused = await client.sendJson('PUT', `/api/v1/organisations/${ids.greenlab}/competences`, { items: [{ area: 'cosmetica:FOR.SUN', level: 'core' }] });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.fields[0].field).toBe('competences.0.area');
    const actions = await t.app.database.db.selectFrom('audit_log').select('action').where('entity_type', '=', 'competence_area').execute();
    expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(['competence_area.updated', 'competence_area.moved', 'competence_area.retired']));
  });

  it('shows coverage per area with the gaps, as a page and as CSV', async () => {
    const { client } = await signedInClient(t.app, 'cluster_manager', { clusterSlug: 'cosmetica' });
    const res = await client.get('/api/v1/clusters/cosmetica/coverage');
    expect(res.statusCode).toBe(200);
    const body = res.json() as { areas: { code: string; core: number; members: number; gap: boolean }[] };
    expect(body.areas.find((a) => a.code === 'MPA.PRES')).toMatchObject({ core: 1, members: 1, gap: false });
    expect(body.areas.find((a) => a.code === 'DIG.DPP')).toMatchObject({ members: 0, gap: true });
    const csv = await client.get('/cluster/cosmetica/gestione/copertura.csv');
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('DIG.DPP,Passaporto digitale di prodotto,Digital product passport,1,0,0,0,0,0,yes,active');
    const page = await client.get('/cluster/cosmetica/gestione/copertura?lang=en');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Competence coverage');
  });

  it('counts members per province for the map, and lists those outside Lombardy', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/map?cluster=cosmetica' });
    const map = res.json() as { provinces: { code: string; count: number }[]; outside: { items: { name: string }[] } };
    expect(map.provinces).toHaveLength(12);
    expect(map.provinces.find((p) => p.code === 'CR')!.count).toBeGreaterThanOrEqual(1);
    expect(map.provinces.find((p) => p.code === 'BG')!.count).toBe(0);
    expect(map.outside.items.map((i) => i.name)).toContain('Cosmetica Torinese S.r.l.');
    const aero = (await t.app.inject({ method: 'GET', url: '/api/v1/map?cluster=aerospazio' })).json() as typeof map;
    expect(aero.provinces.find((p) => p.code === 'BG')!.count).toBe(1);
    const page = await t.app.inject({ method: 'GET', url: '/mappa?cluster=cosmetica&competence=' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('data-testid="map-table"');
    // The real outlines, inline (no request leaves the page), with the data's credit and licence.
    expect(page.body.match(/<a [^>]*class="ch-map-province"[^>]*><path d="M[\d. LMZ]+"/g)).toHaveLength(12);
    // Each label's halo is its own province's fill, so its contrast (map.test.ts) holds where it overhangs.
    const fills = new Map([...page.body.matchAll(/data-province="([A-Z]{2})"[^>]*><path d="[^"]+" fill="(#[0-9a-f]{6})"/g)].map((m) => [m[1], m[2]]));
    const halos = new Map([...page.body.matchAll(/<g data-province="([A-Z]{2})" fill="#[0-9a-f]{6}" stroke="(#[0-9a-f]{6})"/g)].map((m) => [m[1], m[2]]));
    expect(fills.size).toBe(12);
    expect(halos).toEqual(fills);
    expect(page.body).toContain('Confini: ISTAT, elaborazione openpolis (CC BY 4.0), semplificati');
    const en = await t.app.inject({ method: 'GET', url: '/mappa?lang=en' });
    expect(en.body).toContain('Boundaries: ISTAT, processed by openpolis (CC BY 4.0), simplified');
  });

  it('validates ORCID iDs by their check digit', async () => {
    const { client } = await signedInClient(t.app, 'org_member', { organisationId: ids.greenlab });
    const bad = await client.sendJson('PUT', '/api/v1/me/expertise', { orcid: '0000-0002-1825-0098', visibility: 'public' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0].field).toBe('orcid');
    const good = await client.sendJson('PUT', '/api/v1/me/expertise', { orcid: 'https://orcid.org/0000-0001-5109-3700', visibility: 'public', keywords: ['reologia'] });
    expect(good.json()).toMatchObject({ orcid: '0000-0001-5109-3700', organisation: null });
    expect((await client.request({ method: 'DELETE', url: '/api/v1/me/expertise', headers: { 'x-csrf-token': client.csrfToken } })).statusCode).toBe(204);
  });

  it('serves the search page with facets, canonical URL and an empty-result page with suggestions', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/cerca?q=conservanti&kind=&cluster=cosmetica' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<link rel="canonical" href="http://localhost:3000/cerca?cluster=cosmetica&amp;q=conservanti"');
    expect(page.body).toContain('data-facet="province"');
    expect(page.body).toContain('<mark>');
    const empty = await t.app.inject({ method: 'GET', url: '/cerca?q=zzzqqq%20xxyyzz&province=CR' });
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toContain('data-testid="no-results"');
    expect(empty.body).toContain('/cerca?q=zzzqqq+xxyyzz');
    const directory = await t.app.inject({ method: 'GET', url: '/organizzazioni?type=company&lang=en' });
    expect(directory.body).toContain('<link rel="canonical" href="http://localhost:3000/organizzazioni?type=company&amp;lang=en"');
  });

  // Last: it adds members.
  it('does not put a name merely close to the words first: "digital twin" is not "Digital Ticino"', async () => {
    const twin = await createMember(t.app, { name: 'Officina Gemella S.r.l.', descriptionEn: 'We build digital twins of production lines.' });
    await createMember(t.app, { name: 'Digital Ticino S.r.l.', descriptionIt: 'Consulenza informatica per le imprese.' });
    await t.app.services.search.sync(true);
    // "twin" is in no document as written ("twins" might be): the dictionary corrects it, so the
    // words are searched, not names close to them.
    const body = await api('q=digital%20twin');
    expect(body.items[0]?.id).toBe(twin);
    expect(titles(body)).not.toContain('Digital Ticino S.r.l.');
    // A word the dictionary can neither find nor correct ("tcnx") makes the search look at names
    // close to the query: this one is found with every word asked for, not by the relaxed query
    // that any document with "digital" would answer.
    const close = await api('q=digital%20tcnx');
    expect(titles(close)[0]).toBe('Digital Ticino S.r.l.');
    expect(close.relaxed).toBe(false);
    // Short words and numbers are never in the dictionary: they do not send a query to the names.
    const short = await api('q=digital%20tic');
    expect(short.relaxed).toBe(true);
  });
});
