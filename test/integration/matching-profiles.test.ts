import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/platform/audit.js';
import { createMember } from '../factories/competences.js';
import { createNeed, createOffer } from '../factories/offers.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { DB_MODES } from '../support/database.js';
import { createPerson, signedInClient } from '../support/session.js';

interface Profile {
  kind: string;
  id: string;
  name: string;
  score: number;
  organisation: { id: string; name: string };
  competences: string[];
  reasons: { type: string; text: string; concepts?: { id: string; label: string }[]; terms?: { query: string; match: string; via: string }[] }[];
}

/**
 * Organisations, facilities and people's expertise answer a need as offers do: an Italian need
 * reaches a research centre that describes its competence in English, with reasons in the
 * reader's language; members-only and private profiles, and organisations that are members of no
 * cluster, never reach who may not see them.
 */
describe.each(DB_MODES)('matchmaking with organisations, facilities and expertise (%s)', (mode) => {
  let t: TestApp;
  const ids = {} as Record<
    'crema' | 'fermentis' | 'packaging' | 'reserved' | 'unlisted' | 'aero' | 'lodi' | 'membersLab' | 'privateLab' | 'need' | 'offer' | 'privateExpert' | 'membersExpert',
    string
  >;

  beforeAll(async () => {
    t = await createTestApp(mode);
    const { competences, search } = t.app.services;
    ids.crema = await createMember(t.app, { name: 'Crema Beauty S.r.l.', province: 'CR', clusters: ['cosmetica'] });
    ids.fermentis = await createMember(t.app, {
      name: 'Fermentis Research',
      type: 'research_centre',
      province: 'PV',
      clusters: ['cosmetica'],
      descriptionEn: 'A research centre on fermentation of plant extracts.',
    });
    ids.packaging = await createMember(t.app, { name: 'Nord Packaging S.p.A.', province: 'BG', clusters: ['cosmetica'] });
    ids.reserved = await createMember(t.app, { name: 'Laboratori Riservati S.r.l.', province: 'MI', clusters: ['cosmetica'] });
    ids.unlisted = await createMember(t.app, { name: 'Unlisted Preservatives Ltd', clusters: [], descriptionEn: 'Natural preservatives for creams.' });
    ids.aero = await createMember(t.app, { name: 'Avio Parts S.r.l.', province: 'VA', clusters: ['aerospazio'] });
    ids.lodi = await createMember(t.app, { name: 'Laboratorio Cosmetico Lodigiano S.r.l.', province: 'LO', clusters: ['cosmetica'] });
    await search.sync(true);

    // What each declares: in English (the research centre), in Italian (the company of Lodi).
    await competences.addCompetence(
      ids.fermentis,
      { area: 'cosmetica:MPA.PRES', level: 'core', descriptionIt: '', descriptionEn: 'Natural preservatives from fermented botanicals, with challenge tests for face creams.' },
      SYSTEM_ACTOR,
    );
    await competences.addCompetence(ids.packaging, { area: 'cosmetica:PKG.RIG', level: 'core', descriptionIt: '', descriptionEn: 'Airless pumps and glass jars.' }, SYSTEM_ACTOR);
    await competences.addCompetence(ids.unlisted, { area: '', level: 'core', descriptionIt: 'Conservanti naturali per creme.', descriptionEn: 'Natural preservatives for creams.' }, SYSTEM_ACTOR);
    await competences.addCompetence(
      ids.lodi,
      { area: '', level: 'core', descriptionIt: 'Formuliamo creme viso e sieri per marchi terzi.', descriptionEn: '' },
      SYSTEM_ACTOR,
    );
    const facility = (name: string, visibility: string, descriptionEn: string) => ({
      name,
      type: 'laboratory',
      descriptionIt: '',
      descriptionEn,
      accreditations: '',
      accessIt: '',
      accessEn: '',
      city: '',
      provinceCode: 'MI',
      countryCode: 'IT',
      areas: [],
      visibility,
    });
    ids.membersLab = await competences.createFacility(ids.reserved, facility('Stability chamber', 'members', 'Stability and preservative efficacy testing of face creams.') as never, SYSTEM_ACTOR);
    ids.privateLab = await competences.createFacility(ids.reserved, facility('Challenge test room', 'private', 'Challenge tests of natural preservatives in creams.') as never, SYSTEM_ACTOR);
    const expert = (organisationId: string, visibility: string, keywords: string) => ({ organisationId, headline: 'Microbiologist', summaryIt: '', summaryEn: '', keywords, areas: [], orcid: '', visibility });
    ids.privateExpert = (await createPerson(t.app, 'org_member', { organisationId: ids.fermentis })).id;
    await competences.saveExpertise(ids.privateExpert, expert(ids.fermentis, 'private', 'natural preservatives, fermentation, face creams') as never, SYSTEM_ACTOR);
    ids.membersExpert = (await createPerson(t.app, 'org_member', { organisationId: ids.reserved })).id;
    await competences.saveExpertise(ids.membersExpert, expert(ids.reserved, 'members', 'preservative efficacy, stability of creams') as never, SYSTEM_ACTOR);
    await search.sync(true);

    ids.need = await createNeed(t.app, ids.crema, {
      titleIt: 'Conservanti naturali per creme viso',
      descriptionIt: 'Cerchiamo conservanti naturali e test di stabilità per una nuova linea di creme viso.',
      trlMin: 5,
      trlMax: 9,
    });
    ids.offer = await createOffer(t.app, ids.fermentis, { titleEn: 'Natural preservatives from fermentation', descriptionEn: 'Fermented plant extracts that preserve face creams and serums.', trl: 7 });
  });
  afterAll(async () => {
    await t?.close();
  });

  const profilesOf = async (res: { statusCode: number; json(): unknown }) => {
    expect(res.statusCode).toBe(200);
    return (res.json() as { organisations: Profile[] }).organisations;
  };
  const anonymous = (url: string) => t.app.inject({ method: 'GET', url });

  it('answers an Italian need with the research centre that describes its competence in English, and says why in Italian', async () => {
    const profiles = await profilesOf(await anonymous(`/api/v1/needs/${ids.need}/matches`));
    const first = profiles[0]!;
    expect(first).toMatchObject({ kind: 'organisation', id: ids.fermentis, name: 'Fermentis Research', organisation: { id: ids.fermentis } });
    expect(first.score).toBeGreaterThan(0);
    const concepts = first.reasons.find((r) => r.type === 'concepts')!;
    expect(concepts.text).toMatch(/^Concetti in comune: /);
    expect(concepts.concepts!.some((c) => /conservant/i.test(c.label))).toBe(true);
    // The Italian words met the English ones of its competence (the area's Italian label says "conservanti" too).
    expect(first.reasons.find((r) => r.type === 'terms')!.terms).toContainEqual({ query: 'creme viso', match: 'face creams', via: 'translation' });
    // Context: a company's need met by a research centre, both in Lombardy.
    expect(first.reasons.some((r) => r.type === 'complementarity')).toBe(true);
    expect(first.reasons.find((r) => r.type === 'geography')!.text).toBe('In Lombardia (PV)');
    // Its declared competence the need shares, with the taxonomy's Italian label.
    expect(first.competences).toEqual(['Sistemi conservanti']);
    // The owner of the need is no answer to itself; packaging is no answer at all.
    expect(profiles.map((p) => p.organisation.id)).not.toContain(ids.crema);
    expect(profiles.findIndex((p) => p.id === ids.packaging)).toBe(-1);
  });

  it('gives the same labels and reasons in English to an English reader', async () => {
    const profiles = await profilesOf(await anonymous(`/api/v1/needs/${ids.need}/matches?lang=en`));
    const first = profiles[0]!;
    expect(first.id).toBe(ids.fermentis);
    const concepts = first.reasons.find((r) => r.type === 'concepts')!;
    expect(concepts.text).toMatch(/^Shared concepts: /);
    expect(concepts.concepts!.some((c) => /preservative/i.test(c.label))).toBe(true);
    expect(first.reasons.find((r) => r.type === 'geography')!.text).toBe('In Lombardy (PV)');
    expect(first.competences).toEqual([expect.stringMatching(/preservati/i)]);
  });

  it('never shows members-only or private facilities, private expertise or non-members to the public', async () => {
    const found = (await profilesOf(await anonymous(`/api/v1/needs/${ids.need}/matches?limit=50`))).map((p) => p.id);
    for (const hidden of ['membersLab', 'privateLab', 'privateExpert', 'membersExpert', 'unlisted'] as const) expect(found, hidden).not.toContain(ids[hidden]);
  });

  it('shows members-only profiles to members of the same cluster only, and private ones to no one else', async () => {
    const member = await signedInClient(t.app, 'org_admin', { organisationId: ids.crema });
    const forMember = (await profilesOf(await member.client.get(`/api/v1/needs/${ids.need}/matches?limit=50`))).map((p) => p.id);
    expect(forMember).toContain(ids.membersLab);
    expect(forMember).toContain(ids.membersExpert);
    expect(forMember).not.toContain(ids.privateLab);
    expect(forMember).not.toContain(ids.privateExpert);

    // Another cluster's member sees the public need but none of the cosmetics members' restricted profiles.
    const other = await signedInClient(t.app, 'org_admin', { organisationId: ids.aero });
    const forOther = (await profilesOf(await other.client.get(`/api/v1/needs/${ids.need}/matches?limit=50`))).map((p) => p.id);
    expect(forOther).toContain(ids.fermentis);
    for (const hidden of ['membersLab', 'membersExpert', 'privateLab', 'privateExpert'] as const) expect(forOther, hidden).not.toContain(ids[hidden]);

    // The expert's own colleague does not see a private expertise either; the Region does not.
    const colleague = await signedInClient(t.app, 'org_member', { organisationId: ids.fermentis });
    expect((await profilesOf(await colleague.client.get(`/api/v1/needs/${ids.need}/matches?limit=50`))).map((p) => p.id)).not.toContain(ids.privateExpert);
    const region = await signedInClient(t.app, 'region_admin');
    const forRegion = (await profilesOf(await region.client.get(`/api/v1/needs/${ids.need}/matches?limit=50`))).map((p) => p.id);
    expect(forRegion).toContain(ids.privateLab);
    expect(forRegion).not.toContain(ids.privateExpert);
  });

  it('answers an English offer with its potential adopters, described in Italian', async () => {
    const profiles = await profilesOf(await anonymous(`/api/v1/offers/${ids.offer}/matches`));
    expect(profiles.map((p) => p.id)).toContain(ids.lodi);
    expect(profiles.map((p) => p.organisation.id)).not.toContain(ids.fermentis);
    const lodi = profiles.find((p) => p.id === ids.lodi)!;
    expect(lodi.reasons.find((r) => r.type === 'terms')!.terms!.some((x) => x.via === 'translation')).toBe(true);
  });

  it('follows a change of competences at once (same transaction as the write)', async () => {
    const before = (await profilesOf(await anonymous(`/api/v1/needs/${ids.need}/matches?limit=50`))).map((p) => p.id);
    expect(before).not.toContain(ids.aero);
    await t.app.services.competences.addCompetence(
      ids.aero,
      { area: '', level: 'emerging', descriptionIt: 'Test di stabilità e conservanti naturali per creme.', descriptionEn: '' },
      SYSTEM_ACTOR,
    );
    const after = (await profilesOf(await anonymous(`/api/v1/needs/${ids.need}/matches?limit=50`))).map((p) => p.id);
    expect(after).toContain(ids.aero);
  });

  it('shows them on the need’s match page, with the reasons', async () => {
    const page = await anonymous(`/fabbisogni/${ids.need}/abbinamenti`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('data-testid="profile-matches"');
    expect(page.body).toContain('Fermentis Research');
    expect(page.body).toContain('Concetti in comune');
    expect(page.body).not.toContain('Stability chamber');
  });
});
