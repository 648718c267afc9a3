import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MatchingRepository } from '../../src/features/matching/repository.js';
import { MatchingService } from '../../src/features/matching/service.js';
import { SYSTEM_ACTOR } from '../../src/platform/audit.js';
import { createNeed, createOffer, createOrganisation, REGION_VIEWER } from '../factories/offers.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { DB_MODES } from '../support/database.js';
import { signedInClient } from '../support/session.js';

/**
 * A small fixed corpus: English and Italian offers from research and companies, one shared with
 * the members of the cosmetics cluster only, one with the aerospace cluster only, one expired and
 * one archived. The matcher must cross languages and never show what the reader may not see.
 */
describe.each(DB_MODES)('matchmaking (%s)', (mode) => {
  let t: TestApp;
  const ids = {} as Record<'cosmeticsMember' | 'aerospaceMember' | 'cosmeticsPeer' | 'preservatives' | 'irrigation' | 'maintenance' | 'membersOnly' | 'aerospaceOnly' | 'expired' | 'archived' | 'need' | 'archivedNeed', string>;

  beforeAll(async () => {
    t = await createTestApp(mode);
    const app = t.app;
    const spinoff = await createOrganisation(app, 'FermaCos S.r.l.', { type: 'spin_off', provinceCode: 'PV' });
    const lab = await createOrganisation(app, 'IdroSense S.r.l.', { type: 'spin_off', provinceCode: 'CR' });
    const factory = await createOrganisation(app, 'Meccanica Predittiva S.p.A.', { type: 'company', provinceCode: 'BG' });
    ids.cosmeticsMember = await createOrganisation(app, 'Crema Beauty S.r.l.', { type: 'company', clusterSlug: 'cosmetica', provinceCode: 'CR' });
    ids.aerospaceMember = await createOrganisation(app, 'Avio Parts S.r.l.', { type: 'company', clusterSlug: 'aerospazio', provinceCode: 'VA' });
    ids.cosmeticsPeer = await createOrganisation(app, 'Lodi Cosmetics S.r.l.', { type: 'company', clusterSlug: 'cosmetica', provinceCode: 'LO' });
    ids.preservatives = await createOffer(app, spinoff, {
      titleEn: 'Natural preservatives from fermentation',
      summaryEn: 'Preservation systems for cosmetic creams and serums based on fermented plant extracts.',
      descriptionEn: 'We design natural preservatives and run challenge tests for skin care products.',
      trl: 7,
    });
    ids.irrigation = await createOffer(app, lab, {
      titleIt: 'Sensori per l’irrigazione di precisione',
      descriptionIt: 'Sonde che misurano l’umidità del suolo e lo stato idrico delle colture in tempo reale, con un’app per programmare l’irrigazione.',
      trl: 6,
    });
    ids.maintenance = await createOffer(app, factory, {
      titleEn: 'Predictive maintenance for machine tools',
      descriptionEn: 'IoT vibration sensors and machine learning to forecast failures of CNC milling machines.',
      trl: 8,
    });
    ids.membersOnly = await createOffer(app, ids.cosmeticsMember, {
      titleIt: 'Dosatori airless in plastica riciclata',
      descriptionIt: 'Dosatori airless e flaconi riciclabili per creme cosmetiche.',
      visibility: 'members',
    });
    ids.aerospaceOnly = await createOffer(app, ids.aerospaceMember, {
      titleEn: 'Airless dispensers for cosmetic creams',
      descriptionEn: 'Recyclable airless pumps and bottles for creams, shared with the aerospace cluster only.',
      visibility: 'clusters',
      clusters: ['aerospazio'],
    });
    ids.expired = await createOffer(app, spinoff, { titleEn: 'Expired preservative service', descriptionEn: 'Natural preservatives testing, no longer offered.' });
    await t.database.db.updateTable('technology_offers').set({ expires_on: '2020-01-01' }).where('id', '=', ids.expired).execute();
    await app.services.matching.refreshItem('offer', ids.expired);
    ids.archived = await createOffer(app, spinoff, { titleEn: 'Archived preservatives', descriptionEn: 'Natural preservatives, archived.' });
    await app.services.offers.transition('offer', ids.archived, 'archive', REGION_VIEWER, SYSTEM_ACTOR);
    ids.need = await createNeed(app, ids.cosmeticsPeer, { titleIt: 'Dosatori per creme', descriptionIt: 'Cerchiamo dosatori airless riciclabili per le nostre creme cosmetiche.', trlMin: 6, trlMax: 9 });
    ids.archivedNeed = await createNeed(app, ids.cosmeticsPeer, { titleIt: 'Vecchio fabbisogno', descriptionIt: 'Non più attuale.' });
    await app.services.offers.transition('need', ids.archivedNeed, 'archive', REGION_VIEWER, SYSTEM_ACTOR);
  });
  afterAll(async () => {
    await t?.close();
  });

  const match = (payload: Record<string, unknown>, query = '') => t.app.inject({ method: 'POST', url: `/api/v1/match${query}`, payload });
  const refs = (body: { results: { offer: { id: string } }[] }) => body.results.map((r) => r.offer.id);

  it('answers an Italian need with the English offer, and says why in Italian', async () => {
    const res = await match({ text: 'Cerchiamo conservanti naturali per una linea di creme viso' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.lang).toBe('it');
    expect(body.results[0].offer.id).toBe(ids.preservatives);
    expect(body.results[0].organisation.name).toBe('FermaCos S.r.l.');
    const reasons = body.results[0].reasons as { type: string; text: string; terms?: { query: string; match: string; via: string }[] }[];
    expect(reasons.find((r) => r.type === 'concepts')!.text).toContain('conservanti');
    expect(reasons.find((r) => r.type === 'terms')!.terms).toContainEqual({ query: 'conservanti', match: 'preservatives', via: 'translation' });
    expect(reasons.some((r) => r.type === 'trl' && r.text.includes('TRL 7'))).toBe(true);
  });

  it('answers an English need with the Italian offer, and explains it in the reader’s language', async () => {
    const res = await match({ text: 'We need soil moisture sensors for precision irrigation of vineyards', lang: 'en' }, '?lang=en');
    const body = res.json();
    expect(body.results[0].offer.id).toBe(ids.irrigation);
    const concepts = body.results[0].reasons.find((r: { type: string }) => r.type === 'concepts');
    expect(concepts.text).toMatch(/^Shared concepts: /);
    expect(concepts.text).toContain('irrigation');
  });

  it('finds the English maintenance offer for an Italian need written like a workshop writes it', async () => {
    const res = await match({ text: 'Officina meccanica cerca manutenzione predittiva per le macchine utensili con sensori IoT' });
    expect(res.json().results[0].offer.id).toBe(ids.maintenance);
  });

  it('never shows members-only, other clusters’, expired or archived offers to the public', async () => {
    const found = refs((await match({ text: 'dosatori airless riciclabili per creme cosmetiche conservanti naturali', limit: 50 })).json());
    expect(found).toContain(ids.preservatives);
    for (const hidden of ['membersOnly', 'aerospaceOnly', 'expired', 'archived'] as const) expect(found, hidden).not.toContain(ids[hidden]);
  });

  it('shows a members-only offer to a member of the same cluster, never to another cluster', async () => {
    const peer = await signedInClient(t.app, 'org_admin', { organisationId: ids.cosmeticsPeer });
    const peerMatches = (await peer.client.get(`/api/v1/needs/${ids.need}/matches?limit=20`)).json();
    expect(refs(peerMatches)).toContain(ids.membersOnly);
    expect(refs(peerMatches)).not.toContain(ids.aerospaceOnly);

    const other = await signedInClient(t.app, 'org_admin', { organisationId: ids.aerospaceMember });
    const otherOffer = await other.client.get(`/api/v1/offers/${ids.membersOnly}`);
    expect(otherOffer.statusCode).toBe(404);
    const anonymousNeed = await t.app.inject({ method: 'GET', url: `/api/v1/needs/${ids.need}/matches?limit=20` });
    expect(refs(anonymousNeed.json())).not.toContain(ids.membersOnly);
    expect(refs(anonymousNeed.json())).not.toContain(ids.aerospaceOnly);
  });

  it('matches a stored need with the TRL window, and an offer with its potential adopters', async () => {
    const peer = await signedInClient(t.app, 'org_admin', { organisationId: ids.cosmeticsPeer });
    const body = (await peer.client.get(`/api/v1/needs/${ids.need}/matches`)).json();
    const members = body.results.find((r: { offer: { id: string } }) => r.offer.id === ids.membersOnly);
    expect(members.reasons.some((r: { type: string }) => r.type === 'geography' || r.type === 'concepts')).toBe(true);
    const adopters = (await t.app.inject({ method: 'GET', url: `/api/v1/offers/${ids.maintenance}/matches` })).json();
    expect(adopters.results).toEqual([]);
  });

  it('refuses bad input with stable codes in Italian and English, changing nothing', async () => {
    const before = await t.database.db.selectFrom('match_documents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const empty = await match({ text: '   ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error).toMatchObject({ code: 'match.text_empty', message: expect.stringContaining('Scrivi il testo') });
    const emptyEn = await match({ text: '' }, '?lang=en');
    expect(emptyEn.json().error.message).toContain('Write the text of the need');
    const long = await match({ text: 'sensori, '.repeat(2222) + 'ok' });
    expect(long.statusCode).toBe(400);
    expect(long.json().error).toMatchObject({ code: 'match.text_too_long', message: expect.stringContaining('(20000 caratteri): al massimo 10000') });
    const lang = await match({ text: 'capteurs', lang: 'fr' }, '?lang=en');
    expect(lang.statusCode).toBe(400);
    expect(lang.json().error).toMatchObject({ code: 'match.lang_unknown', message: expect.stringContaining('“fr” is not supported') });
    const limit = await match({ text: 'sensori', limit: 500 });
    expect(limit.statusCode).toBe(400);
    expect(limit.json().error.code).toBe('request.invalid');
    const archived = await t.app.inject({ method: 'GET', url: `/api/v1/needs/${ids.archivedNeed}/matches` });
    expect(archived.statusCode).toBe(404);
    const admin = await signedInClient(t.app, 'org_admin', { organisationId: ids.cosmeticsPeer });
    const inactive = await admin.client.get(`/api/v1/needs/${ids.archivedNeed}/matches?lang=en`);
    expect(inactive.statusCode).toBe(409);
    expect(inactive.json().error).toMatchObject({ code: 'item.inactive', message: expect.stringContaining('not active') });
    const after = await t.database.db.selectFrom('match_documents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toEqual(before.n);
  });

  it('refuses a non-numeric TRL from the API and from the form', async () => {
    const { client } = await signedInClient(t.app, 'org_admin', { organisationId: ids.cosmeticsPeer });
    const api = await client.sendJson('POST', '/api/v1/offers?lang=en', { organisationId: ids.cosmeticsPeer, titleIt: 'x', descriptionIt: 'y', trl: 'seven' });
    expect(api.statusCode).toBe(400);
    expect(api.json().error.code).toBe('request.invalid');
    expect(api.json().error.fields[0]).toMatchObject({ field: 'trl', message: 'must be an integer' });
    await client.get(`/organizzazioni/${ids.cosmeticsPeer}/offerte/nuovo`);
    const form = await client.postForm(`/organizzazioni/${ids.cosmeticsPeer}/offerte`, { titleIt: 'Test', descriptionIt: 'Descrizione', trl: 'sette', visibility: 'public' });
    expect(form.statusCode).toBe(400);
    expect(form.body).toContain('deve essere un numero intero da 1 a 9');
    const count = await t.database.db.selectFrom('technology_offers').select((eb) => eb.fn.countAll<number>().as('n')).where('organisation_id', '=', ids.cosmeticsPeer).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('builds missing documents in batches for items written in bulk (e.g. by the generator)', async () => {
    const org = await createOrganisation(t.app, 'Bulk Labs S.r.l.', { type: 'research_centre' });
    await t.database.db
      .insertInto('technology_offers')
      .values({ organisation_id: org, status: 'published', title_en: 'Hyperspectral drone imaging for vineyards', description_en: 'Drones with hyperspectral cameras map vine stress.', published_at: new Date() })
      .execute();
    expect(await t.app.services.matching.rebuildStale(1)).toBe(1);
    const res = await match({ text: 'droni con telecamere iperspettrali per i vigneti' });
    expect(res.json().results[0].organisation.name).toBe('Bulk Labs S.r.l.');
  });

  it('vacuums and analyses the match tables only when the postings changed much since the last time', async () => {
    const repo = new MatchingRepository(t.database.db);
    await repo.maintain();
    expect(await repo.needsMaintenance()).toBe(false);
    // A bulk load (as the generator or an import writes it): hundreds of new documents.
    const org = await createOrganisation(t.app, 'Carico Massivo S.r.l.', { type: 'company' });
    await t.database.db
      .insertInto('technology_offers')
      .values(Array.from({ length: 300 }, (_, i) => ({ organisation_id: org, status: 'published' as const, title_it: `Servizio di collaudo numero ${i} per componenti ${i % 2 ? 'aerospaziali' : 'automobilistici'}`, description_it: `Prove di fatica, vibrazione e corrosione su lotti di ${i} pezzi, con rapporto tecnico e certificazione del laboratorio.`, published_at: new Date() })))
      .execute();
    expect(await t.app.services.matching.rebuildStale()).toBe(300);
    expect(await repo.needsMaintenance()).toBe(true);
    await repo.maintain();
    expect(await repo.needsMaintenance()).toBe(false);
    await t.database.db.deleteFrom('organisations').where('id', '=', org).execute();
  });

  it('vacuums at the first match of a process only when documents were built or the postings grew since', async () => {
    const db = t.database.db;
    await new MatchingRepository(db).maintain();
    const vacuums = async () => Number((await sql<{ n: number }>`SELECT vacuum_count AS n FROM pg_stat_user_tables WHERE relname = 'match_postings'`.execute(db)).rows[0]!.n);
    const before = await vacuums();
    // A new process on an unchanged database (a restart): nothing to build, nothing to vacuum.
    await new MatchingService(db, t.app.services.offers).ready();
    expect(await vacuums()).toBe(before);
    // Items written in bulk behind the matcher's back: the next process builds and vacuums.
    const org = await createOrganisation(t.app, 'Ripartenza S.r.l.', { type: 'company' });
    await db
      .insertInto('technology_offers')
      .values(Array.from({ length: 20 }, (_, i) => ({ organisation_id: org, status: 'published' as const, title_it: `Saldatura laser di precisione, lotto ${i}`, description_it: 'Saldatura laser di lamiere sottili per l’automotive.', published_at: new Date() })))
      .execute();
    await new MatchingService(db, t.app.services.offers).ready();
    expect(await vacuums()).toBe(before + 1);
    await db.deleteFrom('organisations').where('id', '=', org).execute();
  });

  it('drops the profile of a search document that is gone, with its postings, and nothing else', async () => {
    const db = t.database.db;
    const profiles = await db.selectFrom('match_documents').select(['item_id', 'doc_id']).where('kind', '=', 'profile').execute();
    expect(profiles.length).toBeGreaterThan(1);
    const gone = profiles[0]!;
    await db.deleteFrom('search_documents').where('id', '=', gone.item_id).execute();
    await t.app.services.matching.rebuildProfiles();
    const left = await db.selectFrom('match_documents').select('item_id').where('kind', '=', 'profile').execute();
    expect(left.map((r) => r.item_id).sort()).toEqual(profiles.slice(1).map((r) => r.item_id).sort());
    const postings = await sql<{ n: number }>`SELECT count(*)::int AS n FROM match_postings WHERE doc_id = ${gone.doc_id}`.execute(db);
    expect(postings.rows[0]!.n).toBe(0);
    // The search writes its document again at its next sync; the profile follows.
    await t.app.services.search.rebuildAll();
    await t.app.services.matching.rebuildProfiles();
    expect(await db.selectFrom('match_documents').select('item_id').where('kind', '=', 'profile').where('item_id', '=', gone.item_id).executeTakeFirst()).toBeDefined();
  });

  it('keeps document frequencies, statistics and postings exact through inserts, updates, archiving and deletion', async () => {
    const db = t.database.db;
    // One more update and a deletion on top of what the other tests wrote.
    await t.app.services.offers.update('offer', ids.irrigation, { titleIt: 'Sensori per l’irrigazione di precisione dei vigneti', descriptionIt: 'Sonde di umidità del suolo.', trl: 6, visibility: 'public' }, REGION_VIEWER, SYSTEM_ACTOR);
    const gone = await createOrganisation(t.app, 'Chiusa S.r.l.', { type: 'company' });
    await createOffer(t.app, gone, { titleIt: 'Offerta che sparirà', descriptionIt: 'Stampa 3D di ricambi.' });
    await db.deleteFrom('organisations').where('id', '=', gone).execute();
    // The same document rewritten by several writers at once (an edit while a match refreshes it):
    // each waits for the other's postings, none fails on a duplicate posting.
    await expect(Promise.all([1, 2, 3].map(() => t.app.services.matching.refreshItem('offer', ids.maintenance)))).resolves.toHaveLength(3);
    const counted = await sql<{ kind: string; feature: string; n: number }>`
      SELECT d.kind, f.feature, count(*)::int AS n FROM match_documents d CROSS JOIN LATERAL match_document_features(d.payload) f
      WHERE d.active AND d.lengths IS NOT NULL GROUP BY 1, 2`.execute(db);
    const kept = await sql<{ kind: string; feature: string; df: number }>`SELECT kind, feature, df FROM match_features WHERE df <> 0`.execute(db);
    const asMap = (rows: { kind: string; feature: string; n?: number; df?: number }[]) => new Map(rows.map((r) => [`${r.kind} ${r.feature}`, Number(r.n ?? r.df)]));
    expect(asMap(kept.rows)).toEqual(asMap(counted.rows));
    const stats = await sql<{ kind: string; docs: number; total: number; kept_docs: number; kept_total: number }>`
      SELECT d.kind, count(*)::int AS docs, sum(d.lengths[1])::float8 AS total, s.docs AS kept_docs, s.total_length AS kept_total
      FROM match_documents d JOIN match_stats s ON s.kind = d.kind AND s.ranker = 'stems'
      WHERE d.active AND d.lengths IS NOT NULL GROUP BY d.kind, s.docs, s.total_length`.execute(db);
    for (const r of stats.rows) {
      expect(Number(r.kept_docs), r.kind).toBe(Number(r.docs));
      expect(Number(r.kept_total)).toBeCloseTo(Number(r.total), 3);
    }
    // Postings only for active documents, one for each of their features.
    const orphans = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM match_postings p LEFT JOIN match_documents d ON d.doc_id = p.doc_id WHERE d.doc_id IS NULL OR NOT d.active`.execute(db);
    expect(Number(orphans.rows[0]!.n)).toBe(0);
    const perDoc = await sql<{ doc_id: number; features: number; postings: number }>`
      SELECT d.doc_id, (SELECT count(*) FROM match_document_features(d.payload))::int AS features, (SELECT count(*) FROM match_postings p WHERE p.doc_id = d.doc_id)::int AS postings
      FROM match_documents d WHERE d.active`.execute(db);
    for (const r of perDoc.rows) expect(r.postings, String(r.doc_id)).toBe(r.features);
  });

  it('shows the match page with results and reasons a person can read', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/abbinamenti?testo=conservanti+naturali+per+creme' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Natural preservatives from fermentation');
    expect(page.body).toContain('Concetti in comune');
    const bad = await t.app.inject({ method: 'GET', url: '/abbinamenti?testo=%20' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Scrivi il testo del fabbisogno');
  });
});
