/**
 * Query plans of the hot pages, as the application really runs them: boots the app on the
 * database of DATABASE_URL (or DATA_DIR), requests each page once to capture its SQL through
 * Kysely's log hook, then prints EXPLAIN (ANALYZE, BUFFERS) of every query of the second request.
 * Used for docs/decisions/007-performance.md.
 *
 *   DATABASE_URL=… npx tsx bench/explain.ts [url …]
 */
import { CompiledQuery } from 'kysely';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';

const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
let capture: { sql: string; parameters: readonly unknown[]; ms: number }[] | null = null;
const database = await openDatabase({
  databaseUrl: config.databaseUrl,
  dataDir: config.dataDir,
  log: (event) => {
    if (capture && event.level === 'query') capture.push({ sql: event.query.sql, parameters: event.query.parameters, ms: event.queryDurationMillis });
  },
});
const app = await buildApp({ config, database, logger: false, responseCache: { store: false } });
await app.ready();
try {
  const org = await database.db.selectFrom('organisations').select('id').where('external_ref', 'like', 'gen:%').orderBy('external_ref').executeTakeFirst();
  const urls = process.argv.slice(2).length > 0 ? process.argv.slice(2) : [
    '/organizzazioni?type=company&province=MI',
    '/cluster/fabbrica-intelligente',
    `/organizzazioni/${org?.id}`,
    '/api/v1/search?q=conservanti+naturali&limit=20',
  ];
  for (const url of urls) {
    await app.inject({ url }); // warm: caches, taxonomy, prepared plans
    capture = [];
    const res = await app.inject({ url });
    const queries = capture;
    capture = null;
    console.log(`\n## GET ${url} → ${res.statusCode}, ${queries.length} queries\n`);
    for (const q of queries) {
      if (/^\s*(insert|update|delete|begin|commit)/i.test(q.sql)) continue;
      const plan = await database.db.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${q.sql}`, [...q.parameters]));
      console.log('```sql');
      console.log(q.sql.length > 600 ? `${q.sql.slice(0, 600)} …` : q.sql);
      console.log('```\n```');
      console.log(plan.rows.map((r) => r['QUERY PLAN']).join('\n'));
      console.log('```');
    }
  }
} finally {
  await app.close();
  await database.close();
}
