import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { addRules, buildBoard, convene, TINY_PDF, uploadDocument, type BoardMember } from '../factories/governance.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { DB_MODES } from '../support/database.js';
import { Client, signedInClient } from '../support/session.js';

const ACTOR = { personId: null, label: 'test' };

// A meeting document is served only if its bytes are the ones uploaded (the SHA-256 recorded with
// the row), and bytes a failed upload could not remove are reported to the operator.
describe.each(DB_MODES)('meeting documents kept whole on %s', (mode) => {
  let t: TestApp;
  let clusterId: string;
  let manager: Client;
  let holder: Client;
  let members: BoardMember[];

  const codeOf = (body: string) => /data-error-code="([^"]+)"/.exec(body)?.[1];
  const fileOf = (key: string) => path.join(t.config.dataDir, 'documents', key);

  beforeAll(async () => {
    t = await createTestApp(mode);
    clusterId = (await t.app.services.clusters.idBySlug('cosmetica'))!;
    await addRules(t.app, clusterId);
    ({ members } = await buildBoard(t.app, 'cosmetica', { voting: 2, nonVoting: 0 }));
    ({ client: manager } = await signedInClient(t.app, 'cluster_manager', { clusterSlug: 'cosmetica' }));
    holder = new Client(t.app);
    await holder.signIn(members[1]!.email, members[1]!.password);
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await t?.close();
  });

  it('refuses, with a stable code in both languages and a log entry, a document whose bytes changed on disk', async () => {
    const { meetingId } = await convene(t.app, clusterId);
    await manager.get(`/cluster/cosmetica/consiglio/riunioni/${meetingId}`);
    const res = await uploadDocument(manager, 'cosmetica', meetingId, 'Bilancio.pdf', TINY_PDF);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(303);
    const doc = await t.database.db.selectFrom('board_documents').selectAll().where('meeting_id', '=', meetingId).executeTakeFirstOrThrow();
    const url = `/cluster/cosmetica/consiglio/riunioni/${meetingId}/documenti/${doc.id}`;
    const intact = await holder.get(url);
    expect(intact.statusCode).toBe(200);
    expect(intact.rawPayload.equals(TINY_PDF)).toBe(true);

    // One byte changed behind the application's back, same length (a PDF still, to a content sniffer).
    const damaged = Buffer.from(TINY_PDF);
    damaged[damaged.length - 3] = 'X'.charCodeAt(0);
    fs.writeFileSync(fileOf(doc.storage_key), damaged);
    const error = vi.spyOn(t.app.log, 'error');
    try {
      const it = await holder.get(url);
      expect(it.statusCode).toBe(500);
      expect(it.headers['content-type']).toMatch(/^text\/html/);
      expect(it.rawPayload.includes(damaged)).toBe(false);
      expect(codeOf(it.body)).toBe('governance.document_corrupt');
      expect(it.body).toContain('Il documento archiviato non corrisponde a quello caricato (la sua impronta SHA-256 è diversa) e non viene scaricato.');
      const en = await holder.get(`${url}?lang=en`);
      expect(en.statusCode).toBe(500);
      expect(en.body).toContain('The stored document does not match the one uploaded (its SHA-256 fingerprint differs) and is not downloaded.');
      // Logged with what an operator needs to find it.
      const entry = error.mock.calls.find(([, msg]) => typeof msg === 'string' && msg.includes('does not match the SHA-256'));
      expect(entry?.[0]).toMatchObject({ documentId: doc.id, meetingId, storageKey: doc.storage_key, storage: 'disk', expectedSha256: doc.sha256, bytes: TINY_PDF.length });
      expect((entry?.[0] as { actualSha256: string }).actualSha256).not.toBe(doc.sha256);
    } finally {
      error.mockRestore();
    }

    // A truncated file is refused the same way.
    fs.writeFileSync(fileOf(doc.storage_key), TINY_PDF.subarray(0, 20));
    const truncated = await holder.get(url);
    expect(truncated.statusCode).toBe(500);
    expect(codeOf(truncated.body)).toBe('governance.document_corrupt');
    // Put back as uploaded, it is served again.
    fs.writeFileSync(fileOf(doc.storage_key), TINY_PDF);
    expect((await holder.get(url)).rawPayload.equals(TINY_PDF)).toBe(true);
  });

  it('logs the key of bytes a failed upload could not remove', async () => {
    const { meetingId, agendaItemId } = await convene(t.app, clusterId);
    const governance = t.app.services.governance;
    const files = () => (fs.existsSync(path.join(t.config.dataDir, 'documents', meetingId)) ? fs.readdirSync(path.join(t.config.dataDir, 'documents', meetingId)) : []);
    // The database fails inside the transaction after the bytes were written, and so does their removal.
    const agenda = vi.spyOn(governance.repo, 'agenda').mockRejectedValueOnce(new Error('database went away'));
    const remove = vi.spyOn(governance.documents.storage, 'delete').mockRejectedValueOnce(Object.assign(new Error('EIO: i/o error, unlink'), { code: 'EIO' }));
    const warn = vi.spyOn(t.app.log, 'warn');
    try {
      await expect(governance.addDocument(clusterId, meetingId, { filename: 'a.pdf', data: TINY_PDF, truncated: false, agendaItemId }, ACTOR)).rejects.toThrow('database went away');
      expect(remove).toHaveBeenCalledTimes(1);
      const key = remove.mock.calls[0]![0];
      expect(warn).toHaveBeenCalledWith(
        expect.objectContaining({ storageKey: key, storage: 'disk', meetingId, cause: 'database went away', err: expect.objectContaining({ code: 'EIO' }) }),
        expect.stringContaining('remove it by hand'),
      );
      // The bytes are still there, under the key logged, and no row points to them.
      expect(files()).toEqual([path.basename(key)]);
      expect(await t.database.db.selectFrom('board_documents').select('id').where('meeting_id', '=', meetingId).execute()).toEqual([]);
      // What the operator does: remove them by the key.
      await governance.documents.remove(key);
      expect(files()).toEqual([]);
    } finally {
      agenda.mockRestore();
      remove.mockRestore();
      warn.mockRestore();
    }
  });
});
