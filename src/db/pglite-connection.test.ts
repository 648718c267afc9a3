import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pglitePoolConfig } from './pglite-connection.js';

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

  it('runs several statements of one simple query', async () => {
    await sql.raw(`UPDATE t SET label = 'x' WHERE id = 1; UPDATE t SET label = 'y' WHERE id = 2`).execute(db);
    const labels = (await db.selectFrom('t').select('label').where('id', 'in', [1, 2]).orderBy('id').execute()).map((r) => r.label);
    expect(labels).toEqual(['x', 'y']);
  });
});
