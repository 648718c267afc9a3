import net from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pglitePoolConfig, SLICE_MS } from './pglite-connection.js';

describe('node-postgres over PGlite, one call per exchange', () => {
  let pglite: PGlite;
  let db: Kysely<any>;
  beforeAll(async () => {
    pglite = await PGlite.create('memory://');
    db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool(pglitePoolConfig(pglite) as unknown as pg.PoolConfig) }) });
    await sql`CREATE TABLE t (id int PRIMARY KEY, label text NOT NULL, tags text[] NOT NULL DEFAULT '{}', doc jsonb)`.execute(db);
  });
  afterAll(async () => {
    await db.destroy();
    await pglite.close();
  });

  it('answers queries with parameters, typed values and many rows', async () => {
    await db.insertInto('t').values([1, 2, 3].map((id) => ({ id, label: `n${id}`, tags: sql`${[`a${id}`, 'b']}::text[]`, doc: JSON.stringify({ id }) }))).execute();
    const rows = await db.selectFrom('t').selectAll().where('id', '>=', 2).orderBy('id').execute();
    expect(rows).toEqual([
      { id: 2, label: 'n2', tags: ['a2', 'b'], doc: { id: 2 } },
      { id: 3, label: 'n3', tags: ['a3', 'b'], doc: { id: 3 } },
    ]);
    const many = await sql<{ g: number }>`SELECT g FROM generate_series(1, ${5000}::int) g`.execute(db);
    expect(many.rows).toHaveLength(5000);
  });

  it('sends large text, JSON and binary parameters byte for byte (multi-byte characters included)', async () => {
    // Parameters are serialised with node-postgres's own protocol writer: each text value's length
    // prefix is its UTF-8 byte length, so a character of 2, 3 or 4 bytes must not shift what follows.
    const text = `${'è€𝄞a'.repeat(50_000)}end`;
    const doc = Array.from({ length: 2_000 }, (_, i) => ({ i, name: `Società ${i} — «prova» 🧪` }));
    const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 31) % 256));
    const { rows } = await sql<{ chars: number; octets: number; tail: string; n: number; last: string; b: Buffer }>`
      SELECT length(${text}::text)::int AS chars, octet_length(${text}::text)::int AS octets, right(${text}::text, 4) AS tail,
        (SELECT count(*)::int FROM json_to_recordset(${JSON.stringify(doc)}::json) AS r(i int, name text)) AS n,
        (SELECT name FROM json_to_recordset(${JSON.stringify(doc)}::json) AS r(i int, name text) WHERE i = 1999) AS last,
        ${bytes}::bytea AS b`.execute(db);
    expect(rows[0]!.chars).toBe(text.length - 50_000); // '𝄞' is two UTF-16 units, one character
    expect(rows[0]!.octets).toBe(Buffer.byteLength(text));
    expect(rows[0]!.tail).toBe('aend');
    expect(rows[0]!.n).toBe(2_000);
    expect(rows[0]!.last).toBe('Società 1999 — «prova» 🧪');
    expect(Buffer.compare(rows[0]!.b, bytes)).toBe(0);
  });

  it('reports an error of one exchange and answers the next one normally', async () => {
    await expect(sql`SELECT * FROM missing WHERE id = ${1}`.execute(db)).rejects.toThrow(/relation "missing" does not exist/);
    await expect(sql`SELECT 1 / ${0}::int`.execute(db)).rejects.toThrow(/division by zero/);
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM t WHERE id < ${10}`.execute(db);
    expect(rows).toEqual([{ n: 3 }]);
  });

  it('commits and rolls back transactions', async () => {
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('t').values({ id: 10, label: 'kept' }).execute();
    });
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('t').values({ id: 11, label: 'dropped' }).execute();
        await trx.insertInto('t').values({ id: 10, label: 'duplicate' }).execute();
      }),
    ).rejects.toThrow(/duplicate key/);
    const ids = (await db.selectFrom('t').select('id').where('id', '>=', 10).execute()).map((r) => r.id);
    expect(ids).toEqual([10]);
  });

  it('lets the event loop turn during a long chain of statements, so it does not hold I/O and timers', async () => {
    // The engine runs on this thread: statements that follow one another only through promises
    // would let nothing else run (no connection accepted, no request read) until the last one.
    // A chain of statements lasting well beyond SLICE_MS, each a few milliseconds of work.
    const order: string[] = [];
    const timer = new Promise<void>((resolve) => setTimeout(() => resolve(void order.push('timer')), 0));
    // A connection made before the chain starts is accepted (the poll phase) before it ends.
    const server = net.createServer((socket) => {
      order.push('connection');
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
    client.on('error', () => {});
    const started = performance.now();
    let n = 0;
    while (performance.now() - started < 6 * SLICE_MS && n < 1_000) {
      await sql`SELECT count(*) FROM generate_series(1, ${20_000 + n}::int)`.execute(db);
      order.push(`statement ${(n += 1)}`);
    }
    await timer;
    client.destroy();
    await new Promise((resolve) => server.close(resolve));
    expect(n).toBeGreaterThan(1);
    expect(order.indexOf('timer')).toBeLessThan(order.indexOf(`statement ${n}`));
    expect(order.indexOf('connection')).toBeGreaterThanOrEqual(0);
    expect(order.indexOf('connection')).toBeLessThan(order.indexOf(`statement ${n}`));
  });

  it('runs several statements of one simple query', async () => {
    await sql.raw(`UPDATE t SET label = 'x' WHERE id = 1; UPDATE t SET label = 'y' WHERE id = 2`).execute(db);
    const labels = (await db.selectFrom('t').select('label').where('id', 'in', [1, 2]).orderBy('id').execute()).map((r) => r.label);
    expect(labels).toEqual(['x', 'y']);
  });

  describe('statements kept by the session', () => {
    const prepared = async () =>
      (await pglite.query<{ name: string; statement: string }>(`SELECT name, statement FROM pg_prepared_statements WHERE name LIKE 'clusterhub_%' ORDER BY name`)).rows;

    it('parses a statement once and binds it again with other values', async () => {
      for (const id of [1, 2, 3, 2]) {
        const row = await db.selectFrom('t').select(['id', 'label']).where('id', '=', id).executeTakeFirstOrThrow();
        expect(row.id).toBe(id);
      }
      const same = (await prepared()).filter((p) => p.statement.includes('select "id", "label" from "t" where "id" = $1'));
      expect(same).toHaveLength(1);
    });

    it('forgets the statements of a failed exchange, then prepares them again', async () => {
      const insert = (id: number) => db.insertInto('t').values({ id, label: `i${id}` }).execute();
      await insert(20);
      await expect(insert(20)).rejects.toThrow(/duplicate key/);
      await insert(21);
      await expect(insert(21)).rejects.toThrow(/duplicate key/);
      await insert(22);
      expect((await db.selectFrom('t').select('id').where('id', 'in', [20, 21, 22]).execute()).map((r) => r.id).sort()).toEqual([20, 21, 22]);
      // A statement first parsed in a transaction that aborts, used again afterwards.
      await expect(
        db.transaction().execute(async (trx) => {
          await trx.selectFrom('t').select('label').where('id', '=', 22).execute();
          await sql`SELECT 1 / ${0}::int`.execute(trx);
        }),
      ).rejects.toThrow(/division by zero/);
      expect(await db.selectFrom('t').select('label').where('id', '=', 22).executeTakeFirst()).toEqual({ label: 'i22' });
      // Inside an aborted transaction nothing can be prepared: the next use prepares it again.
      await expect(
        db.transaction().execute(async (trx) => {
          await sql`SELECT 1 / ${0}::int`.execute(trx);
        }),
      ).rejects.toThrow();
      await expect(
        db.transaction().execute(async (trx) => {
          await sql`SELECT nope FROM t WHERE id = ${1}`.execute(trx);
        }),
      ).rejects.toThrow(/column "nope"/);
      expect(await db.selectFrom('t').select('id').where('label', '=', 'i22').execute()).toEqual([{ id: 22 }]);
    });

    it('forgets every statement on a schema change, so a changed table is read with its new columns', async () => {
      const all = () => db.selectFrom('t').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
      expect(Object.keys(await all())).toEqual(['id', 'label', 'tags', 'doc']);
      expect((await prepared()).length).toBeGreaterThan(0);
      await sql`ALTER TABLE t ADD COLUMN extra int NOT NULL DEFAULT 7`.execute(db);
      expect(await all()).toMatchObject({ id: 1, extra: 7 });
      await sql`ALTER TABLE t DROP COLUMN extra`.execute(db);
      expect(Object.keys(await all())).toEqual(['id', 'label', 'tags', 'doc']);
    });

    it('keeps at most its bound of statements, closing the least recently used', async () => {
      const own = await PGlite.create('memory://');
      const small = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool(pglitePoolConfig(own, 3) as unknown as pg.PoolConfig) }) });
      try {
        await sql`CREATE TABLE u (id int PRIMARY KEY)`.execute(small);
        await sql`INSERT INTO u VALUES (1), (2)`.execute(small);
        for (let n = 1; n <= 10; n += 1) {
          // Lists of different lengths: different statements.
          const ids = [1, ...Array.from({ length: n }, (_, i) => -i - 1)];
          expect(await small.selectFrom('u').select('id').where('id', 'in', ids).execute()).toEqual([{ id: 1 }]);
        }
        // The last evictions are closed with the next exchange.
        await small.selectFrom('u').select('id').where('id', '=', 2).execute();
        const kept = await own.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name LIKE 'clusterhub_%'`);
        expect(kept.rows[0]!.n).toBeLessThanOrEqual(3);
        expect(kept.rows[0]!.n).toBeGreaterThan(0);
      } finally {
        await small.destroy();
        await own.close();
      }
    });
  });
});
