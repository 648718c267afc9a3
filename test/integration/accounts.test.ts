import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { DB_MODES } from '../support/database.js';
import { Client, createPerson } from '../support/session.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';

function linkIn(text: string | undefined, path: string): string {
  const match = new RegExp(`https?://[^\\s]+${path}\\?token=[A-Za-z0-9_-]+`).exec(text ?? '');
  if (!match) throw new Error(`no ${path} link in mail:\n${text}`);
  return new URL(match[0]).pathname + new URL(match[0]).search;
}

describe.each(DB_MODES)('accounts on %s', (mode) => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await createTestApp(mode, { SMTP_URL: smtp.url });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('registers, mails a verification link through SMTP, and signs in only once verified', async () => {
    const client = new Client(t.app);
    await client.get('/registrati');
    const email = `nuova.${mode}@example.org`;
    const res = await client.postForm('/registrati', {
      displayName: 'Giulia Bianchi',
      email,
      password: 'conservanti naturali 2026',
      passwordRepeat: 'conservanti naturali 2026',
      consent: 'yes',
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Controlla la tua casella di posta');
    const mail = await smtp.waitForMail((m) => m.envelope.to.includes(email));
    expect(mail.subject).toBe('Conferma il tuo indirizzo e-mail – Clusterhub');

    await client.get('/accedi');
    const early = await client.postForm('/accedi', { email, password: 'conservanti naturali 2026' });
    expect(early.statusCode).toBe(403);
    expect(early.body).toContain('Devi prima confermare il tuo indirizzo e-mail');

    const verified = await client.get(linkIn(mail.text, '/verifica-email'));
    expect(verified.statusCode).toBe(200);
    expect(verified.body).toContain('Indirizzo confermato');
    const again = await client.get(linkIn(mail.text, '/verifica-email'));
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('non è valido o è già stato usato');

    const ok = await client.signIn(email, 'conservanti naturali 2026');
    expect(ok.headers.location).toBe('/');
    const me = await client.get('/api/v1/me');
    expect(me.json()).toMatchObject({ email, displayName: 'Giulia Bianchi', lang: 'it' });
    const consents = await t.database.db.selectFrom('consents').innerJoin('people', 'people.id', 'consents.person_id').select(['version']).where('people.email', '=', email).execute();
    expect(consents).toHaveLength(1);
  });

  it('refuses a registration with clear, field-by-field errors and creates nothing', async () => {
    const client = new Client(t.app);
    await client.get('/registrati?lang=en');
    const res = await client.postForm('/registrati', { displayName: '', email: 'not-an-email', password: 'short', passwordRepeat: 'other', consent: '' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('is not a valid e-mail address');
    expect(res.body).toContain('must have at least 10 characters');
    expect(res.body).toContain('you must accept the privacy notice');
    const people = await t.database.db.selectFrom('people').select('id').where('email', '=', 'not-an-email').execute();
    expect(people).toHaveLength(0);
  });

  it('sets an httpOnly, SameSite=Lax session cookie and a new session id at every sign-in', async () => {
    const person = await createPerson(t.app, null);
    const client = new Client(t.app);
    const first = await client.signIn(person.email, person.password);
    const sid1 = first.cookies.find((c) => c.name === 'sid');
    expect(sid1).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(sid1?.secure).toBeFalsy();
    const second = await client.signIn(person.email, person.password);
    const sid2 = second.cookies.find((c) => c.name === 'sid');
    expect(sid2?.value).not.toBe(sid1?.value);
    // The old session no longer works.
    const old = await t.app.inject({ url: '/api/v1/me', cookies: { sid: sid1!.value } });
    expect(old.statusCode).toBe(401);
  });

  it('refuses a form post without a CSRF token and changes nothing', async () => {
    const person = await createPerson(t.app, null);
    const client = new Client(t.app);
    await client.signIn(person.email, person.password);
    const res = await client.postForm('/profilo', { displayName: 'Hacked', lang: 'en' }, { csrf: false });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('Il modulo è scaduto o non proviene da questo sito');
    const row = await t.database.db.selectFrom('people').select('display_name').where('id', '=', person.id).executeTakeFirstOrThrow();
    expect(row.display_name).not.toBe('Hacked');
    const forged = await client.request({
      method: 'POST',
      url: '/profilo',
      payload: 'displayName=Hacked&lang=en&_csrf=forged-token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(forged.statusCode).toBe(403);
  });

  it('limits failed sign-ins per account with a clear message, and per address', async () => {
    const person = await createPerson(t.app, null);
    const client = new Client(t.app);
    await client.get('/accedi');
    for (let i = 0; i < 5; i++) {
      const res = await client.postForm('/accedi', { email: person.email, password: 'wrong password' });
      expect(res.statusCode).toBe(401);
      expect(res.body).toContain('E-mail o password non corretti');
    }
    const limited = await client.postForm('/accedi', { email: person.email, password: person.password });
    expect(limited.statusCode).toBe(429);
    expect(limited.body).toMatch(/Troppi tentativi di accesso non riusciti\. Riprova tra \d+ minuti/);

    // 20 failures from one address, spread over many accounts, block that address too.
    const other = new Client(t.app);
    await other.get('/accedi');
    const headers = { 'x-forwarded-for': '203.0.113.9' };
    let last = 0;
    for (let i = 0; i < 21; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/accedi',
        remoteAddress: '203.0.113.9',
        cookies: other.cookies,
        headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: other.csrfToken, email: `nobody${i}@example.org`, password: 'x' }).toString(),
      });
      last = res.statusCode;
    }
    expect(last).toBe(429);
  });

  it('resets a password through a single-use mailed link and closes every session', async () => {
    const person = await createPerson(t.app, null);
    const signedIn = new Client(t.app);
    await signedIn.signIn(person.email, person.password);

    const client = new Client(t.app);
    await client.get('/password-dimenticata');
    const res = await client.postForm('/password-dimenticata', { email: person.email });
    expect(res.body).toContain('Richiesta ricevuta');
    const mail = await smtp.waitForMail((m) => m.envelope.to.includes(person.email) && m.subject === 'Nuova password – Clusterhub');
    const link = linkIn(mail.text, '/reimposta-password');
    const form = await client.get(link);
    expect(form.statusCode).toBe(200);
    const token = new URL(link, 'http://x').searchParams.get('token')!;
    const done = await client.postForm('/reimposta-password', { token, password: 'una nuova frase segreta', passwordRepeat: 'una nuova frase segreta' });
    expect(done.body).toContain('Password aggiornata');

    expect((await signedIn.get('/api/v1/me')).statusCode).toBe(401);
    const reused = await client.postForm('/reimposta-password', { token, password: 'ancora un’altra frase', passwordRepeat: 'ancora un’altra frase' });
    expect(reused.statusCode).toBe(400);
    expect(reused.body).toContain('non è valido o è già stato usato');
    await new Client(t.app).signIn(person.email, 'una nuova frase segreta');
  });

  it('answers a reset request for an unknown address like any other (no account enumeration)', async () => {
    const client = new Client(t.app);
    await client.get('/password-dimenticata');
    const res = await client.postForm('/password-dimenticata', { email: 'ghost@example.org' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Richiesta ricevuta');
  });

  it('logs out everywhere', async () => {
    const person = await createPerson(t.app, null);
    const phone = new Client(t.app);
    const laptop = new Client(t.app);
    await phone.signIn(person.email, person.password);
    await laptop.signIn(person.email, person.password);
    const res = await laptop.postForm('/esci-ovunque', {});
    expect(res.statusCode).toBe(303);
    expect((await phone.get('/api/v1/me')).statusCode).toBe(401);
    expect((await laptop.get('/api/v1/me')).statusCode).toBe(401);
  });

  it('refuses an expired invitation with a clear message', async () => {
    const org = await t.database.db.selectFrom('organisations').select(['id', 'legal_name']).where('external_ref', '=', 'seed:lumson').executeTakeFirstOrThrow();
    const inviter = await createPerson(t.app, 'org_admin', { organisationId: org.id });
    const client = new Client(t.app);
    await client.signIn(inviter.email, inviter.password);
    await client.get(`/organizzazioni/${org.id}`);
    const sent = await client.postForm(`/organizzazioni/${org.id}/inviti`, { email: `invited.${mode}@example.org`, role: 'org_member' });
    expect(sent.body).toContain(`Invito inviato a invited.${mode}@example.org`);
    const mail = await smtp.waitForMail((m) => m.envelope.to.includes(`invited.${mode}@example.org`));
    const link = linkIn(mail.text, '/invito');
    await t.database.db.updateTable('auth_tokens').set({ expires_at: new Date(Date.now() - 1000) }).where('purpose', '=', 'invitation').execute();
    const res = await new Client(t.app).get(link);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Il collegamento è scaduto');
  });

  it('accepts an invitation by creating a verified account with the role', async () => {
    const org = await t.database.db.selectFrom('organisations').select(['id']).where('external_ref', '=', 'seed:regi').executeTakeFirstOrThrow();
    await t.app.services.accounts.invite(
      { email: `welcome.${mode}@example.org`, payload: { organisationId: org.id, organisationName: 'Regi S.r.l.', role: 'org_admin', invitedBy: 'Test', lang: 'en' } },
      { personId: null, label: 'test' },
    );
    const mail = await smtp.waitForMail((m) => m.envelope.to.includes(`welcome.${mode}@example.org`));
    expect(mail.subject).toBe('Invitation to join Regi S.r.l. on Clusterhub');
    const client = new Client(t.app);
    const link = linkIn(mail.text, '/invito');
    await client.get(link);
    const token = new URL(link, 'http://x').searchParams.get('token')!;
    const res = await client.postForm('/invito', { token, displayName: 'Welcome Person', password: 'a long enough password', passwordRepeat: 'a long enough password', consent: 'yes' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/organizzazioni/${org.id}`);
    const me = await client.get('/api/v1/me');
    expect(me.json().roles).toEqual([{ role: 'org_admin', clusterId: null, organisationId: org.id }]);
  });

  it('exports a person’s data and erases it on request, keeping the audit anonymised', async () => {
    const person = await createPerson(t.app, null);
    const client = new Client(t.app);
    await client.signIn(person.email, person.password);
    await client.get('/profilo');
    await client.postForm('/profilo', { displayName: 'Mario Verdi', lang: 'it' });
    const data = await client.get('/profilo/dati.json');
    expect(data.headers['content-disposition']).toContain('attachment');
    expect(data.json().person).toMatchObject({ email: person.email, displayName: 'Mario Verdi' });
    expect(data.json().activity.map((a: { action: string }) => a.action)).toContain('person.updated');

    await client.get('/profilo');
    const wrong = await client.postForm('/profilo/elimina', { confirmEmail: 'someone.else@example.org' });
    expect(wrong.statusCode).toBe(400);
    const res = await client.postForm('/profilo/elimina', { confirmEmail: person.email });
    expect(res.body).toContain('Account eliminato');

    const row = await t.database.db.selectFrom('people').selectAll().where('id', '=', person.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ email: null, password_hash: null });
    expect(row.deleted_at).not.toBeNull();
    const audit = await t.database.db.selectFrom('audit_log').select(['actor_label', 'after']).where('actor_person_id', '=', person.id).execute();
    expect(audit.length).toBeGreaterThan(0);
    for (const entry of audit) {
      expect(entry.actor_label).toBe('deleted-account');
      expect(JSON.stringify(entry.after ?? '')).not.toContain(person.email);
    }
    await expect(new Client(t.app).signIn(person.email, person.password)).rejects.toThrow(/401/);
  });

  it('marks the session cookie Secure when the site is served over https', async () => {
    const secure = await createTestApp(mode, { BASE_URL: 'https://clusterhub.example.org' });
    try {
      const person = await createPerson(secure.app, null);
      const res = await new Client(secure.app).signIn(person.email, person.password);
      expect(res.cookies.find((c) => c.name === 'sid')?.secure).toBe(true);
    } finally {
      await secure.close();
    }
  });
});
