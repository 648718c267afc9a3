import { sql } from 'kysely';
import type { Database } from '../database.js';
import { withDeferredIndexes, type DeferredIndexes } from '../deferred-indexes.js';
import { existingTables } from './generate.js';

/** A service that keeps derived data (search documents, match documents) and can rebuild it all. */
interface Rebuildable {
  rebuildAll(): Promise<unknown>;
}

/**
 * Indexes the rebuild would otherwise maintain row by row, built once at the end instead: the
 * inverted (GIN) indexes of the search documents and of the match features, and the impact-ordered
 * index of the match postings. The B-tree indexes the rebuild itself reads by (owner look-ups
 * before rewriting a document) and every unique index stay.
 */
const DEFERRED_INDEXES: DeferredIndexes = {
  search_documents: (index) => index.method === 'gin',
  match_features: (index) => index.method === 'gin',
  match_postings: () => true,
};

/**
 * After a bulk load that bypassed the services (`clusterhub generate`, on a database no one else
 * is using yet): let every service that keeps derived data rebuild
 * it (the convention is a `rebuildAll()` method), so the first request does not pay for it.
 * Duck-typed on purpose: features still being built join in by offering the method.
 */
export async function rebuildDerivedData(
  services: Record<string, unknown>,
  database: Database,
  log: (line: string) => void = () => {},
): Promise<string[]> {
  const rebuilt: string[] = [];
  const tables = await existingTables(database.db);
  const rebuildables = Object.entries(services).filter(
    (entry): entry is [string, Rebuildable] => typeof (entry[1] as Partial<Rebuildable> | null)?.rebuildAll === 'function',
  );
  // The insert triggers queued every organisation and person for re-indexing; a full rebuild covers
  // them all, so the queue is cleared first instead of being worked off again on the first search.
  if (tables.has('search_reindex_queue') && rebuildables.some(([name]) => name === 'search')) {
    await sql`DELETE FROM search_reindex_queue`.execute(database.db);
  }
  const deferred = Object.fromEntries(Object.entries(DEFERRED_INDEXES).filter(([table]) => tables.has(table)));
  const started = performance.now();
  const { rebuilt: indexes } = await withDeferredIndexes(database.db, deferred, async () => {
    for (const [name, service] of rebuildables) {
      const began = performance.now();
      const result = await service.rebuildAll();
      log(`rebuilt ${name} (${typeof result === 'number' ? `${result} items, ` : ''}${seconds(began)} s)`);
      rebuilt.push(name);
    }
  });
  if (indexes.length > 0) log(`built ${indexes.length} deferred indexes (${seconds(started)} s with the rebuilds)`);
  return rebuilt;
}

function seconds(since: number): string {
  return ((performance.now() - since) / 1000).toFixed(1);
}
