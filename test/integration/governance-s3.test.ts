import fs from 'node:fs';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { S3_PREFIX, S3DocumentStorage } from '../../src/features/governance/documents-s3.js';
import { addRules, buildBoard, convene, TINY_PDF, uploadDocument, type BoardMember } from '../factories/governance.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { DB_MODES } from '../support/database.js';
import { startS3Server, type TestS3Server } from '../support/s3.js';
import { Client, signedInClient } from '../support/session.js';

const ACTOR = { personId: null, label: 'test' };

// Meeting documents in an S3-compatible bucket (S3_* configured), through the real routes, against
// a real S3 server on this machine: the same behaviour as on the local disk.
describe.each(DB_MODES)('meeting documents in an S3 bucket on %s', (mode) => {
  let s3: TestS3Server;
  let t: TestApp;
  let clusterId: string;
  let manager: Client;
  let holder: Client;
  let members: BoardMember[];

  const codeOf = (res: LightMyRequestResponse) => /data-error-code="([^"]+)"/.exec(res.body)?.[1];

  /** What a refused upload must leave as it was: the bucket, the rows and the audit log. */
  async function snapshot() {
    const db = t.database.db;
    const count = async (table: 'board_documents' | 'audit_log') => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    return { keys: await s3.keys(), documents: await count('board_documents'), audit: await count('audit_log') };
  }

  beforeAll(async () => {
    s3 = await startS3Server();
    t = await createTestApp(mode, s3.env);
    clusterId = (await t.app.services.clusters.idBySlug('cosmetica'))!;
    await addRules(t.app, clusterId);
    ({ members } = await buildBoard(t.app, 'cosmetica', { voting: 2, nonVoting: 1 }));
    ({ client: manager } = await signedInClient(t.app, 'cluster_manager', { clusterSlug: 'cosmetica' }));
    holder = new Client(t.app);
    await holder.signIn(members[2]!.email, members[2]!.password);
  });
  afterAll(async () => {
    await t?.close();
    await s3?.close();
  });

  it('is configured from S3_* and keeps nothing on the local disk', () => {
    expect(t.config.s3).toMatchObject({ endpoint: s3.endpoint, bucket: s3.bucket, forcePathStyle: true });
    expect(t.app.services.governance.documents.storage.kind).toBe('s3');
  });

  it('stores an uploaded PDF in the bucket and serves the same bytes back through the download route', async () => {
    const { meetingId } = await convene(t.app, clusterId);
    await manager.get(`/cluster/cosmetica/consiglio/riunioni/${meetingId}`);
    const data = Buffer.concat([TINY_PDF, Buffer.from([0, 159, 255])]);
    const res = await uploadDocument(manager, 'cosmetica', meetingId, 'Bilancio preventivo 2027.pdf', data);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(303);
    const doc = await t.database.db.selectFrom('board_documents').selectAll().where('meeting_id', '=', meetingId).executeTakeFirstOrThrow();
    expect(doc).toMatchObject({ filename: 'Bilancio preventivo 2027.pdf', size_bytes: data.length, mime: 'application/pdf' });
    // The object is in the bucket, under the documents/ prefix, byte for byte.
    expect(await s3.keys()).toContain(`documents/${doc.storage_key}`);
    expect((await s3.object(`documents/${doc.storage_key}`)).equals(data)).toBe(true);
    // A board member downloads it through the application (the bucket itself stays private).
    const download = await holder.get(`/cluster/cosmetica/consiglio/riunioni/${meetingId}/documenti/${doc.id}`);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['cache-control']).toBe('private, no-store');
    expect(download.rawPayload.equals(data)).toBe(true);
    // Nobody else does.
    expect((await new Client(t.app).get(`/cluster/cosmetica/consiglio/riunioni/${meetingId}/documenti/${doc.id}`)).statusCode).toBe(303);
    expect(fs.existsSync(path.join(t.config.dataDir, 'documents'))).toBe(false);
  });

  it('refuses an oversized or non-PDF attachment with nothing written to the bucket', async () => {
    const { meetingId } = await convene(t.app, clusterId);
    await manager.get(`/cluster/cosmetica/consiglio/riunioni/${meetingId}`);
    const before = await snapshot();
    const notPdf = await uploadDocument(manager, 'cosmetica', meetingId, 'finto.pdf', Buffer.from('<html>not a pdf</html>'));
    expect(notPdf.statusCode).toBe(415);
    expect(codeOf(notPdf)).toBe('governance.document_not_pdf');
    const big = await uploadDocument(manager, 'cosmetica', meetingId, 'grande.pdf', Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(11 * 1024 * 1024, 0x20)]));
    expect(big.statusCode).toBe(413);
    expect(codeOf(big)).toBe('governance.document_too_large');
    expect(await snapshot()).toEqual(before);
  });

  it('removes the object again when the row cannot be written, as on disk', async () => {
    const { meetingId, agendaItemId } = await convene(t.app, clusterId);
    const before = await snapshot();
    // The database fails inside the transaction, after the bytes went to the bucket.
    const spy = vi.spyOn(t.app.services.governance.repo, 'agenda').mockRejectedValueOnce(new Error('database went away'));
    try {
      await expect(t.app.services.governance.addDocument(clusterId, meetingId, { filename: 'a.pdf', data: TINY_PDF, truncated: false, agendaItemId }, ACTOR)).rejects.toThrow('database went away');
      expect(spy).toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
    expect(await snapshot()).toEqual(before);
    // A document on a closed meeting is refused before anything is stored.
    await t.app.services.governance.closeMeeting(clusterId, meetingId, ACTOR);
    const closed = await snapshot();
    await expect(t.app.services.governance.addDocument(clusterId, meetingId, { filename: 'a.pdf', data: TINY_PDF, truncated: false }, ACTOR)).rejects.toMatchObject({ code: 'governance.meeting_closed' });
    expect(await snapshot()).toEqual(closed);
  });

  it('refuses a document whose object was replaced in the bucket, as on disk', async () => {
    const { meetingId } = await convene(t.app, clusterId);
    const id = await t.app.services.governance.addDocument(clusterId, meetingId, { filename: 'bilancio.pdf', data: TINY_PDF, truncated: false }, ACTOR);
    const doc = await t.database.db.selectFrom('board_documents').select('storage_key').where('id', '=', id).executeTakeFirstOrThrow();
    const url = `/cluster/cosmetica/consiglio/riunioni/${meetingId}/documenti/${id}`;
    expect((await holder.get(url)).rawPayload.equals(TINY_PDF)).toBe(true);
    // Someone with access to the bucket writes other bytes under the same object.
    const direct = new S3DocumentStorage(t.config.s3!);
    await direct.client.send(new PutObjectCommand({ Bucket: direct.bucket, Key: `${S3_PREFIX}${doc.storage_key}`, Body: Buffer.concat([TINY_PDF, Buffer.from('%% appended\n')]) }));
    const res = await holder.get(`${url}?lang=en`);
    expect(res.statusCode).toBe(500);
    expect(codeOf(res)).toBe('governance.document_corrupt');
    expect(res.body).toContain('The stored document does not match the one uploaded');
    direct.client.destroy();
  });

  it('answers 404 for a document whose object is gone, as on disk', async () => {
    const { meetingId } = await convene(t.app, clusterId);
    const id = await t.app.services.governance.addDocument(clusterId, meetingId, { filename: 'perso.pdf', data: TINY_PDF, truncated: false }, ACTOR);
    const doc = await t.database.db.selectFrom('board_documents').select('storage_key').where('id', '=', id).executeTakeFirstOrThrow();
    await t.app.services.governance.documents.remove(doc.storage_key);
    expect(await s3.keys()).not.toContain(`documents/${doc.storage_key}`);
    const res = await holder.get(`/cluster/cosmetica/consiglio/riunioni/${meetingId}/documenti/${id}`);
    expect(res.statusCode).toBe(404);
  });
});
