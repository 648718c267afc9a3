import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { openDatabase, type DatabaseMode } from '../../src/db/database.js';
import type { MotionType } from '../../src/db/schema.js';
import { SYSTEM_ACTOR } from '../../src/platform/audit.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { Client, createPerson } from '../support/session.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';

const ACTOR = { personId: null, label: 'test' };

/** A day n days from today (yyyy-mm-dd, Rome). */
export function dayFromNow(days: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(new Date(Date.now() + days * 24 * 3600 * 1000));
}

export interface RulesOverrides {
  validFrom?: string;
  quorumKind?: 'majority_of_voting_seats' | 'fixed';
  quorumFixed?: string;
  majority?: Partial<Record<MotionType, string>>;
  abstentions?: 'excluded' | 'counted';
  proxiesAllowed?: boolean;
  maxProxies?: string;
  managerMayAdmit?: boolean;
}

export async function addRules(app: FastifyInstance, clusterId: string, o: RulesOverrides = {}) {
  return app.services.governance.addRuleVersion(
    clusterId,
    {
      validFrom: o.validFrom ?? '2026-01-16',
      quorumKind: o.quorumKind ?? 'majority_of_voting_seats',
      quorumFixed: o.quorumFixed ?? '',
      majorities: { ordinary: 'simple', admission: 'simple', minutes_approval: 'simple', budget: 'absolute', statute: 'two_thirds', ...o.majority },
      abstentions: o.abstentions ?? 'excluded',
      proxiesAllowed: o.proxiesAllowed ?? true,
      maxProxies: o.maxProxies ?? '1',
      managerMayAdmit: o.managerMayAdmit ?? false,
      actReference: 'Statuto, art. 12',
    },
    ACTOR,
  );
}

export interface BoardMember {
  email: string;
  password: string;
  id: string;
  seatId: string;
  holdingId: string;
}

/**
 * A board of `voting` voting seats and `nonVoting` non-voting seats, each held by a new person on
 * behalf of a founding member, in office from 2026-01-16 for three years. The first holder is the
 * president, the second the secretary.
 */
export async function buildBoard(app: FastifyInstance, slug: string, { voting = 3, nonVoting = 1 } = {}) {
  const clusterId = (await app.services.clusters.idBySlug(slug))!;
  const governance = app.services.governance;
  const code = `c${Math.random().toString(36).slice(2, 8)}`;
  const constituency = await governance.addConstituency(clusterId, { code, nameIt: 'Soci fondatori', nameEn: 'Founding members', maxSeats: String(voting + nonVoting) }, ACTOR);
  const orgs = await app.services.memberships.admittedOrganisations(clusterId);
  const members: BoardMember[] = [];
  for (let i = 0; i < voting + nonVoting; i += 1) {
    const seatId = await governance.addSeat(clusterId, { constituencyId: constituency, voting: i < voting }, ACTOR);
    const person = await createPerson(app, null);
    const holdingId = await governance.appoint(
      clusterId,
      seatId,
      { email: person.email, organisationId: orgs[i % orgs.length]!.id, role: i === 0 ? 'president' : i === 1 ? 'secretary' : 'member', termStart: '2026-01-16', termEnd: '2029-01-15' },
      SYSTEM_ACTOR,
    );
    members.push({ ...person, seatId, holdingId });
  }
  return { clusterId, members, organisations: orgs };
}

/** Convene a meeting `days` from now, with one agenda item; returns its id and the item. */
export async function convene(app: FastifyInstance, clusterId: string, days = 7) {
  const governance = app.services.governance;
  const meetingId = await governance.convene(
    clusterId,
    { title: 'Riunione ordinaria', date: dayFromNow(days), time: '10:00', endTime: '12:00', place: 'Crema, sede del cluster', videoUrl: 'https://meet.example.org/cd', agenda: 'Ammissione di nuovi soci\nVarie ed eventuali' },
    ACTOR,
  );
  const view = await governance.meetingView(clusterId, meetingId);
  return { meetingId, agendaItemId: view.agenda[0]!.id };
}

/** A small but real PDF (file-type recognises it by its header). */
export const TINY_PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

/** Upload a file to a meeting through its page's multipart form, as a browser does. */
export function uploadDocument(client: Client, slug: string, meetingId: string, name: string, data: Buffer, type = 'application/pdf') {
  const boundary = '----chboundary';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${client.csrfToken}\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="document"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return client.request({ method: 'POST', url: `/cluster/${slug}/consiglio/riunioni/${meetingId}/documenti`, payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
}

/**
 * The setting of the written-procedure tests: a real SMTP server, the application and a second
 * instance of it on the same database (as behind a load balancer; PGlite lives in this process so
 * the second shares it, PostgreSQL gets a pool of its own), and a board of the cosmetics cluster
 * whose holders are signed in. `prepare` runs before the board is built (rules, member classes).
 */
export interface WrittenProcedureSetting {
  t: TestApp;
  smtp: TestSmtpServer;
  second: FastifyInstance;
  clusterId: string;
  members: BoardMember[];
  holders: Client[];
  /** Holder i votes on a motion through the API. */
  vote(i: number, motionId: string, choice: 'for' | 'against' | 'abstain'): ReturnType<Client['sendJson']>;
  /** Time passes: the motion's window ended a minute ago. */
  endWindow(motionId: string): Promise<void>;
  close(): Promise<void>;
}

export async function writtenProcedureSetting(
  mode: DatabaseMode,
  board: { voting: number; nonVoting: number },
  prepare?: (app: FastifyInstance, clusterId: string) => Promise<void>,
): Promise<WrittenProcedureSetting> {
  const smtp = await startSmtpServer();
  const opened: (() => Promise<unknown>)[] = [() => smtp.close()];
  const closeAll = async () => {
    for (const close of opened.reverse()) await close().catch(() => undefined);
  };
  try {
    const t = await createTestApp(mode, { SMTP_URL: smtp.url });
    opened.push(() => t.close());
    const clusterId = (await t.app.services.clusters.idBySlug('cosmetica'))!;
    await prepare?.(t.app, clusterId);
    const { members } = await buildBoard(t.app, 'cosmetica', board);
    const holders: Client[] = [];
    for (const m of members) {
      const c = new Client(t.app);
      await c.signIn(m.email, m.password);
      holders.push(c);
    }
    const secondDatabase = mode === 'postgresql' ? await openDatabase({ databaseUrl: t.database.url!, poolSize: 4 }) : undefined;
    if (secondDatabase) opened.push(() => secondDatabase.close());
    const second = await buildApp({ config: t.config, database: secondDatabase ?? t.database, logger: false });
    opened.push(() => second.close());
    await second.ready();
    return setting(t, smtp, second, clusterId, members, holders, closeAll);
  } catch (error) {
    // A set-up that fails half-way closes what it opened, so the run fails instead of hanging.
    await closeAll();
    throw error;
  }
}

function setting(t: TestApp, smtp: TestSmtpServer, second: FastifyInstance, clusterId: string, members: BoardMember[], holders: Client[], close: () => Promise<void>): WrittenProcedureSetting {
  return {
    t,
    smtp,
    second,
    clusterId,
    members,
    holders,
    vote: (i, motionId, choice) => holders[i]!.sendJson('POST', `/api/v1/clusters/cosmetica/motions/${motionId}/votes`, { choice }),
    async endWindow(motionId) {
      const now = Date.now();
      await t.database.db
        .updateTable('board_motions')
        .set({ voting_opens_at: new Date(now - 2 * 3600_000), voting_closes_at: new Date(now - 60_000) })
        .where('id', '=', motionId)
        .execute();
    },
    close,
  };
}
