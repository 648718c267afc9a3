import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importKnowledgeShare } from '../../src/features/offers/importer.js';
import { SYSTEM_ACTOR } from '../../src/platform/audit.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { DB_MODES } from '../support/database.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => path.join(here, '..', 'fixtures', 'knowledge-share', name);
const read = (name: string) => JSON.parse(fs.readFileSync(fixture(name), 'utf8')) as unknown;

describe.each(DB_MODES)('Knowledge Share import (%s)', (mode) => {
  let t: TestApp;
  const run = (name: string, skipInvalid = false) =>
    importKnowledgeShare(read(name), { offers: t.app.services.offers, organisations: t.app.services.organisations }, SYSTEM_ACTOR, { skipInvalid });

  beforeAll(async () => {
    t = await createTestApp(mode);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function counts() {
    const db = t.database.db;
    const [orgs, offers, relations] = await Promise.all([
      db.selectFrom('organisations').select((eb) => eb.fn.countAll<number>().as('n')).where('external_ref', 'like', 'ks%').executeTakeFirstOrThrow(),
      db.selectFrom('technology_offers').select((eb) => eb.fn.countAll<number>().as('n')).where('external_ref', 'like', 'ks:%').executeTakeFirstOrThrow(),
      db.selectFrom('organisation_relations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { orgs: Number(orgs.n), offers: Number(offers.n), relations: Number(relations.n) };
  }

  it('imports nothing from a file with a malformed entry, and names each one by id', async () => {
    const report = await run('malformed.json');
    expect(report.aborted).toBe(true);
    expect(report.problems.map((p) => p.id)).toEqual(['9004', '9005']);
    expect(report.problems[0]!.messages).toEqual(['payoff is missing', 'trl.value must be an integer from 1 to 9']);
    expect(await counts()).toEqual({ orgs: 0, offers: 0, relations: 0 });
  });

  it('imports spin-offs linked to their universities, each with one public offer, both ks:<id>', async () => {
    const report = await run('valid.json');
    expect(report).toMatchObject({ aborted: false, problems: [], organisations: { created: 3, existing: 0 }, universities: { created: 3, existing: 0 }, offers: { created: 3, updated: 0 } });
    const db = t.database.db;
    const org = await db.selectFrom('organisations').selectAll().where('external_ref', '=', 'ks:9001').executeTakeFirstOrThrow();
    expect(org).toMatchObject({ legal_name: 'FermaCos S.r.l.', type: 'spin_off' });
    const offer = await db.selectFrom('technology_offers').selectAll().where('external_ref', '=', 'ks:9001').executeTakeFirstOrThrow();
    expect(offer).toMatchObject({ organisation_id: org.id, status: 'published', visibility: 'public', trl: 6, title_en: 'Natural preservatives for clean beauty', categories: ['Novel Ingredients'], tags: ['Sustainability'], looking_for: ['Industrial partner'] });
    // HTML cleaned: no tags, entities decoded, list items kept as bullets.
    expect(offer.description_en).toContain('• challenge tests');
    expect(offer.description_en).toContain('Fermentation & downstream processing');
    expect(offer.description_en).not.toMatch(/<\/?[a-z]/);
    // The name comes from the description when it states it, else the payoff.
    const second = await db.selectFrom('organisations').select(['legal_name']).where('external_ref', '=', 'ks:9002').executeTakeFirstOrThrow();
    expect(second.legal_name).toBe('Predictive maintenance for machine tools');
    const italian = await db.selectFrom('technology_offers').selectAll().where('external_ref', '=', 'ks:9003').executeTakeFirstOrThrow();
    expect(italian).toMatchObject({ title_it: "Sensori per l'irrigazione di precisione", title_en: null });
    const owners = await db
      .selectFrom('organisation_relations as r')
      .innerJoin('organisations as u', 'u.id', 'r.related_organisation_id')
      .innerJoin('organisations as s', 's.id', 'r.organisation_id')
      .select(['u.legal_name', 'u.type'])
      .where('s.external_ref', '=', 'ks:9002')
      .orderBy('u.legal_name')
      .execute();
    expect(owners).toEqual([
      { legal_name: 'Politecnico di Milano', type: 'university' },
      { legal_name: 'Università degli Studi di Pavia', type: 'university' },
    ]);
    expect(await counts()).toEqual({ orgs: 6, offers: 3, relations: 4 });
  });

  it("shows a spin-off's description, given only in English, on its page in both languages (marked as English on the Italian one)", async () => {
    const org = await t.database.db.selectFrom('organisations').select(['id', 'description_it', 'description_en']).where('external_ref', '=', 'ks:9001').executeTakeFirstOrThrow();
    expect(org.description_it ?? '').toBe('');
    expect(org.description_en).toBeTruthy();
    const it = await t.app.inject({ url: `/organizzazioni/${org.id}?lang=it` });
    expect(it.statusCode).toBe(200);
    expect(it.body).not.toContain('non indicato');
    expect(it.body).toContain('Descrizione disponibile solo in inglese.');
    const marked = /<p lang="en">([^<]*)<\/p>/.exec(it.body);
    expect(marked?.[1]?.length).toBeGreaterThan(20);
    expect(org.description_en).toContain(marked![1]!.replace(/&amp;/g, '&').slice(0, 20));
    const en = await t.app.inject({ url: `/organizzazioni/${org.id}?lang=en` });
    expect(en.body).not.toContain('Description available');
    expect(en.body).not.toContain('>not given<');
    expect(en.body).toContain(marked![1]!);
    // An abstract written in Italian is filed as the Italian description.
    const italian = await t.database.db.selectFrom('organisations').select(['id', 'description_it', 'description_en']).where('external_ref', '=', 'ks:9003').executeTakeFirstOrThrow();
    expect(italian.description_it).toContain('IdroSense sviluppa sensori');
    expect(italian.description_en).toBeNull();
    const italianEn = await t.app.inject({ url: `/organizzazioni/${italian.id}?lang=en` });
    expect(italianEn.body).toContain('Description available in Italian only.');
    expect(italianEn.body).toContain('<p lang="it">IdroSense sviluppa sensori');
  });

  it('is idempotent: a second run finds everything and duplicates nothing', async () => {
    const before = await counts();
    const report = await run('valid.json');
    expect(report).toMatchObject({ organisations: { created: 0, existing: 3 }, universities: { created: 0, existing: 3 }, offers: { created: 0, updated: 3 } });
    expect(await counts()).toEqual(before);
  });

  it('with --skip-invalid imports the valid entries and reports the others', async () => {
    const report = await run('malformed.json', true);
    expect(report.aborted).toBe(false);
    expect(report.problems.map((p) => p.id)).toEqual(['9004', '9005']);
    expect(report.offers).toEqual({ created: 0, updated: 1 });
  });

  it('makes the imported offers searchable at once by the matcher', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/match', payload: { text: 'Cerchiamo conservanti naturali per creme' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().results[0]).toMatchObject({ offer: { externalRef: 'ks:9001' }, organisation: { externalRef: 'ks:9001' } });
  });
});

describe('clusterhub import knowledge-share (command line)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterhub-cli-'));
  const cli = (...args: string[]) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(here, '..', '..', 'src', 'cli.ts'), ...args], {
      env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent', NODE_ENV: 'test', DATABASE_URL: '', BASE_URL: 'http://localhost:3000' },
    }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('refuses a file with malformed entries (exit 1), imports with --skip-invalid, and again without duplicates', { timeout: 120_000 }, async () => {
    const refused = await cli('import', 'knowledge-share', fixture('malformed.json'));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('entry 9004: payoff is missing');
    expect(refused.stderr).toContain('nothing imported');
    const skipped = await cli('import', 'knowledge-share', fixture('malformed.json'), '--skip-invalid');
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).toContain('offers 1 created, 0 updated');
    const again = await cli('import', 'knowledge-share', fixture('valid.json'));
    expect(again.stdout).toContain('offers 2 created, 1 updated');
    const usage = await cli('import', 'nonsense');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('import knowledge-share FILE');
  });
});
