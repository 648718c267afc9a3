import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importKnowledgeShare } from '../../src/features/offers/importer.js';
import { SYSTEM_ACTOR } from '../../src/platform/audit.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { DB_MODES } from '../support/database.js';

interface Body {
  total: number;
  approximate: boolean;
  items: { id: string; kind: string; title: string; url: string; highlights: { field: string }[] }[];
}

/**
 * University spin-offs imported from a Knowledge Share export are found by the one search, in
 * Italian and English, through what their public offers say (the abstract alone often does not
 * name the technology). A small corpus written here, in the export's format.
 */
const CORPUS = [
  {
    id: 9101,
    payoff: 'A nature designed platform for mucosal therapies',
    abstract: 'MucoLab is a spin-off working on mucosal formulations.',
    description: '<p>A <b>drug delivery</b> platform based on mucoadhesive nanoparticles for ocular and nasal therapies.</p>',
    enablingTechnologies: 'Mucoadhesive polymers; nanoparticle engineering',
    mainApplications: 'Ophthalmology, nasal vaccines',
    targetCustomers: 'Pharmaceutical companies',
    competitiveAdvantages: '',
    categories: [{ id: 1, group: 80, name: 'Pharma' }],
    tags: [{ id: 2, name: 'Nanomedicine' }],
    lookingFor: [{ label: 'Industrial partner', value: 'industrial partner' }],
    owners: [{ id: 601, name: 'Università del Lario di Prova', organizationType: 'research_body' }],
    trl: { label: '4', value: 4 },
  },
  {
    id: 9102,
    payoff: 'Ingredients from fermentation for clean beauty',
    abstract: 'FermaBio develops fermented plant extracts for creams and serums.',
    description: 'FermaBio designs preservation systems: natural preservatives obtained by fermentation, free of parabens.',
    enablingTechnologies: 'Fermentation, downstream processing',
    mainApplications: 'Skin care, hair care',
    targetCustomers: 'Cosmetic brands',
    competitiveAdvantages: '',
    categories: [{ id: 3, group: 79, name: 'Novel Ingredients' }],
    tags: [{ id: 4, name: 'Sustainability' }],
    lookingFor: [{ label: 'Funding', value: 'funding' }],
    owners: [{ id: 602, name: 'Università del Ticino di Prova', organizationType: 'research_body' }],
    trl: { label: '6', value: 6 },
  },
  {
    id: 9103,
    payoff: 'Sicurezza alimentare in tempo reale',
    abstract: 'SensAlimenta è uno spin-off che lavora per la sicurezza degli alimenti.',
    description: 'SensAlimenta sviluppa biosensori elettrochimici per rilevare il glutine e le tossine negli alimenti, direttamente in linea.',
    enablingTechnologies: 'Elettrochimica, microfluidica',
    mainApplications: 'Industria alimentare',
    targetCustomers: 'Produttori di alimenti',
    competitiveAdvantages: '',
    categories: [{ id: 5, group: 81, name: 'Food' }],
    tags: [{ id: 6, name: 'Food safety' }],
    lookingFor: [{ label: 'Industrial partner', value: 'industrial partner' }],
    owners: [{ id: 603, name: 'Politecnico delle Prove', organizationType: 'research_body' }],
    trl: { label: '5', value: 5 },
  },
];

describe.each(DB_MODES)('search over imported university spin-offs (%s)', (mode) => {
  let t: TestApp;
  const api = async (query: string): Promise<Body> => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/search?${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Body;
  };
  const titles = (b: Body) => b.items.map((i) => i.title);

  beforeAll(async () => {
    t = await createTestApp(mode);
    const report = await importKnowledgeShare(CORPUS, { offers: t.app.services.offers, organisations: t.app.services.organisations }, SYSTEM_ACTOR);
    expect(report).toMatchObject({ aborted: false, organisations: { created: 3 }, offers: { created: 3 } });
    // The import queued its organisations (offers are part of their documents): index them now.
    await t.app.services.search.sync(true);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function spinOff(ref: number) {
    return t.database.db.selectFrom('organisations').select(['id', 'legal_name']).where('external_ref', '=', `ks:${ref}`).executeTakeFirstOrThrow();
  }

  it('finds a spin-off by what its public offer says, not only by its abstract', async () => {
    const mucoLab = await spinOff(9101);
    const body = await api('q=drug%20delivery');
    expect(titles(body)).toEqual([mucoLab.legal_name]);
    expect(body.items[0]).toMatchObject({ kind: 'organisation', url: `/organizzazioni/${mucoLab.id}` });
    expect(body.approximate).toBe(false);
    // The university that owns it offers nothing and is no cluster member: not listed.
    expect((await api('q=Lario%20di%20Prova')).total).toBe(0);
  });

  it('answers the Italian and the English query, with accents and typos, alike', async () => {
    const fermaBio = await spinOff(9102);
    for (const q of ['conservanti naturali', 'natural preservatives', 'conservante natrale']) {
      expect(titles(await api(`q=${encodeURIComponent(q)}`)), q).toContain(fermaBio.legal_name);
    }
    const sens = await spinOff(9103);
    for (const q of ['biosensori', 'biosensore', 'glutine']) {
      expect(titles(await api(`q=${encodeURIComponent(q)}`)), q).toContain(sens.legal_name);
    }
  });

  it('stops searching an offer that is no longer public', async () => {
    const mucoLab = await spinOff(9101);
    await t.database.db.updateTable('technology_offers').set({ visibility: 'members' }).where('organisation_id', '=', mucoLab.id).execute();
    await t.app.services.search.sync(true);
    expect((await api('q=mucoadhesive')).total).toBe(0);
    // Its organisation is no longer listed either (no public offer, no cluster).
    expect((await api('q=mucolab')).total).toBe(0);
    await t.database.db.updateTable('technology_offers').set({ visibility: 'public' }).where('organisation_id', '=', mucoLab.id).execute();
    await t.app.services.search.sync(true);
    expect(titles(await api('q=mucoadhesive'))).toEqual([mucoLab.legal_name]);
  });
});
