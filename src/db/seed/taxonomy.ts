import type { Kysely } from 'kysely';
import type { DB } from '../schema.js';
import { runSeedOnce } from './seed.js';
import { COSMETICS_TAXONOMY, type SeedArea } from './taxonomy-data.js';

/** Runs once per database (seed_runs); a manager's later edits are never overwritten. */
export const COSMETICS_TAXONOMY_SEED_KEY = 'cosmetics-taxonomy-2026-11-25';

/** The cosmetics starter taxonomy (DOMAIN.md §6). Other clusters start with an empty taxonomy. */
export async function seedCosmeticsTaxonomy(db: Kysely<DB>): Promise<boolean> {
  return runSeedOnce(db, COSMETICS_TAXONOMY_SEED_KEY, async (trx) => {
    const cluster = await trx.selectFrom('clusters').select('id').where('slug', '=', 'cosmetica').executeTakeFirst();
    if (!cluster) return;
    const insert = async (area: SeedArea, parentId: string | null, position: number): Promise<void> => {
      const row = await trx
        .insertInto('competence_areas')
        .values({
          cluster_id: cluster.id,
          code: area.code,
          parent_id: parentId,
          label_it: area.it,
          label_en: area.en,
          synonyms_it: area.synIt ?? [],
          synonyms_en: area.synEn ?? [],
          position,
        })
        .onConflict((oc) => oc.columns(['cluster_id', 'code']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!row) return; // created by hand before the seed: leave it as it is
      for (const [i, child] of (area.children ?? []).entries()) await insert(child, row.id, i);
    };
    for (const [i, area] of COSMETICS_TAXONOMY.entries()) await insert(area, null, i);
    return;
  });
}
