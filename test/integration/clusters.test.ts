import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { DB_MODES } from '../support/database.js';

describe.each(DB_MODES)('cluster registry on %s', (mode) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(mode);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lists the ten clusters of the network in registry order', async () => {
    const res = await t.app.inject({ url: '/api/v1/clusters' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.total).toBe(10);
    expect(body.items.map((c: { number: number }) => c.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(body.items.map((c: { slug: string }) => c.slug)).toContain('cosmetica');
  });

  it('gives each recognised cluster its current status from the latest step', async () => {
    const body = (await t.app.inject({ url: '/api/v1/clusters' })).json();
    const cosmetics = body.items.find((c: { slug: string }) => c.slug === 'cosmetica');
    expect(cosmetics).toMatchObject({ status: 'presa_d_atto', statusSince: '2026-02-17', url: '/cluster/cosmetica' });
    const afil = body.items.find((c: { slug: string }) => c.slug === 'fabbrica-intelligente');
    expect(afil.status).toBe('operativo');
  });

  it('filters by status and pages with limit and offset', async () => {
    const byStatus = (await t.app.inject({ url: '/api/v1/clusters?status=presa_d_atto' })).json();
    expect(byStatus.total).toBe(1);
    expect(byStatus.items[0].slug).toBe('cosmetica');

    const page = (await t.app.inject({ url: '/api/v1/clusters?limit=3&offset=3' })).json();
    expect(page).toMatchObject({ total: 10, limit: 3, offset: 3 });
    expect(page.items.map((c: { number: number }) => c.number)).toEqual([4, 5, 6]);

    const beyond = (await t.app.inject({ url: '/api/v1/clusters?offset=50' })).json();
    expect(beyond).toMatchObject({ items: [], total: 10 });
  });

  it('describes the cosmetics cluster with its recognition steps, coordinator, founders and partners', async () => {
    const res = await t.app.inject({ url: '/api/v1/clusters/cosmetica' });
    expect(res.statusCode).toBe(200);
    const c = res.json();
    expect(c.recognition.map((s: { step: string; date: string }) => [s.step, s.date])).toEqual([
      ['costituito', '2025-12-15'],
      ['presa_d_atto', '2026-02-17'],
    ]);
    const roles = (role: string) =>
      c.organisations.filter((o: { roles: string[] }) => o.roles.includes(role)).map((o: { name: string }) => o.name);
    expect(roles('coordinator')).toEqual(['REI Reindustria Innovazione']);
    expect(roles('founder').sort()).toEqual(
      [
        'Ancorotti Cosmetics S.p.A.',
        'Lumson S.p.A.',
        'Politecnico di Milano',
        'REI Reindustria Innovazione',
        'Regi S.r.l.',
        'Università degli Studi di Milano',
        'Università degli Studi di Milano-Bicocca',
      ].sort(),
    );
    expect(roles('partner')).toEqual(['ITS Academy Nuove Tecnologie della Vita «Giulio Natta»']);
    expect(c.territory.it).toContain('Crema');
  });

  it('sends only the fields of the response schema (allow-list), never raw columns', async () => {
    const c = (await t.app.inject({ url: '/api/v1/clusters/cosmetica' })).json();
    expect(c).not.toHaveProperty('id');
    expect(c).not.toHaveProperty('created_at');
    expect(c).not.toHaveProperty('name_it');
    expect(Object.keys(c).sort()).toEqual(
      [
        'area',
        'description',
        'legalForm',
        'managingBody',
        'name',
        'number',
        'organisations',
        'recognition',
        'shortName',
        'slug',
        'status',
        'statusSince',
        'territory',
        'url',
        'website',
      ].sort(),
    );
  });

  it('answers an unknown slug with 404 and a stable code, in the caller language', async () => {
    const it_ = await t.app.inject({ url: '/api/v1/clusters/atlantide' });
    expect(it_.statusCode).toBe(404);
    expect(it_.json().error).toMatchObject({ code: 'cluster.not_found', message: 'Nessun cluster con identificativo «atlantide».' });
    expect(it_.json().error.requestId).toBe(it_.headers['x-request-id']);

    const en = await t.app.inject({ url: '/api/v1/clusters/atlantide', headers: { 'accept-language': 'en-GB' } });
    expect(en.json().error.message).toBe('No cluster with identifier “atlantide”.');
    const query = await t.app.inject({ url: '/api/v1/clusters/atlantide?lang=en' });
    expect(query.json().error.message).toContain('No cluster');
  });

  it.each([
    ['limit=abc', 'limit', 'deve essere di tipo numero intero'],
    ['limit=0', 'limit', 'deve essere almeno 1'],
    ['limit=101', 'limit', 'deve essere al massimo 100'],
    ['offset=-1', 'offset', 'deve essere almeno 0'],
    ['status=approved', 'status', 'deve essere uno tra'],
    ['lang=fr', 'lang', 'deve essere uno tra: it oppure en'],
  ])('refuses the malformed query %s with 400 naming the field', async (query, field, message) => {
    const res = await t.app.inject({ url: `/api/v1/clusters?${query}` });
    expect(res.statusCode).toBe(400);
    const error = res.json().error;
    expect(error.code).toBe('request.invalid');
    expect(error.fields[0]).toMatchObject({ in: 'query', field });
    expect(error.fields[0].message).toContain(message);
  });

  it('names the field in English when asked', async () => {
    const res = await t.app.inject({ url: '/api/v1/clusters?limit=500', headers: { 'accept-language': 'en' } });
    expect(res.json().error).toMatchObject({
      message: 'The request contains invalid values.',
      fields: [{ in: 'query', field: 'limit', message: 'must be at most 100' }],
    });
  });
});
