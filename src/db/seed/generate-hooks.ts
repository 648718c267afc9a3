import { sql } from 'kysely';
import type { Database } from '../database.js';
import { existingTables } from './generate.js';

/** A service that keeps derived data (search documents, match documents) and can rebuild it all. */
interface Rebuildable {
  rebuildAll(): Promise<unknown>;
}

/**
 * After a bulk load that bypassed the services: let every service that keeps derived data rebuild
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
  for (const [name, service] of rebuildables) {
    const started = performance.now();
    const result = await service.rebuildAll();
    log(`rebuilt ${name} (${typeof result === 'number' ? `${result} items, ` : ''}${((performance.now() - started) / 1000).toFixed(1)} s)`);
    rebuilt.push(name);
  }
  return rebuilt;
}
