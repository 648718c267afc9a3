import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../schema.js';
import { SEED_CLUSTERS, SEED_ORGANISATIONS } from './registry-data.js';

/**
 * Each seed runs once per database, recorded in `seed_runs`: a later edit or deletion by a
 * manager is never overwritten by a restart. New reference data ships as a new seed key.
 */
export const REGISTRY_SEED_KEY = 'registry-2026-02-17';

/**
 * Run `work` once per database: in one transaction, claim `key` in `seed_runs` and do the work,
 * or do nothing when the key was claimed before. Returns whether the work ran. Inside `work`,
 * an early `return` still counts as run (the key stays claimed).
 */
export async function runSeedOnce(db: Kysely<DB>, key: string, work: (trx: Transaction<DB>) => Promise<unknown>): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const claimed = await trx
      .insertInto('seed_runs')
      .values({ key })
      .onConflict((oc) => oc.column('key').doNothing())
      .returning('key')
      .executeTakeFirst();
    if (!claimed) return false;
    await work(trx);
    return true;
  });
}

export async function seedRegistry(db: Kysely<DB>): Promise<boolean> {
  return runSeedOnce(db, REGISTRY_SEED_KEY, async (trx) => {

    const orgIds = new Map<string, string>();
    for (const org of SEED_ORGANISATIONS) {
      const row = await trx
        .insertInto('organisations')
        .values({
          external_ref: org.ref,
          legal_name: org.legalName,
          short_name: org.shortName,
          type: org.type,
          website: org.website,
          city: org.city,
          province_code: org.provinceCode,
        })
        .onConflict((oc) => oc.column('external_ref').doUpdateSet({ external_ref: org.ref }))
        .returning('id')
        .executeTakeFirstOrThrow();
      orgIds.set(org.ref, row.id);
    }

    for (const c of SEED_CLUSTERS) {
      const cluster = await trx
        .insertInto('clusters')
        .values({
          slug: c.slug,
          number: c.number,
          name_it: c.nameIt,
          name_en: c.nameEn,
          short_name: c.shortName,
          area_it: c.areaIt,
          area_en: c.areaEn,
          managing_body: c.managingBody,
          legal_form: c.legalForm,
          website: c.website,
          description_it: c.descriptionIt,
          description_en: c.descriptionEn,
          territory_it: c.territoryIt,
          territory_en: c.territoryEn,
        })
        .onConflict((oc) => oc.column('slug').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!cluster) continue; // created by hand before the seed: leave it as it is
      await trx
        .insertInto('cluster_recognition_steps')
        .values(
          c.steps.map((s) => ({
            cluster_id: cluster.id,
            step: s.step,
            occurred_on: s.occurredOn,
            act_reference: s.act,
            note_it: s.noteIt ?? null,
            note_en: s.noteEn ?? null,
          })),
        )
        .execute();
      const links = (c.organisations ?? []).flatMap((o) =>
        o.roles.map((role) => ({
          cluster_id: cluster.id,
          organisation_id: orgIds.get(o.ref)!,
          role,
        })),
      );
      if (links.length > 0) await trx.insertInto('cluster_organisation_roles').values(links).execute();
    }
    return;
  });
}

export const FOUNDERS_SEED_KEY = 'cosmetics-founders-2026-11-25';

/**
 * The founding members of the cosmetics cluster as admitted members, in a member class
 * "founding member" (the fee is not public, so it is left unstated). Runs once, like every seed.
 */
export async function seedFoundingMemberships(db: Kysely<DB>): Promise<boolean> {
  return runSeedOnce(db, FOUNDERS_SEED_KEY, async (trx) => {
    const cluster = await trx.selectFrom('clusters').select('id').where('slug', '=', 'cosmetica').executeTakeFirst();
    if (!cluster) return;
    const cls = await trx
      .insertInto('member_classes')
      .values({
        cluster_id: cluster.id,
        code: 'fondatore',
        name_it: 'Socio fondatore',
        name_en: 'Founding member',
        voting: true,
        annual_fee_cents: null,
        position: 0,
      })
      .onConflict((oc) => oc.columns(['cluster_id', 'code']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!cls) return;
    const founders = await trx
      .selectFrom('cluster_organisation_roles')
      .select('organisation_id')
      .where('cluster_id', '=', cluster.id)
      .where('role', '=', 'founder')
      .execute();
    for (const f of founders) {
      const membership = await trx
        .insertInto('memberships')
        .values({
          cluster_id: cluster.id,
          organisation_id: f.organisation_id,
          member_class_id: cls.id,
          status: 'admitted',
          applied_at: new Date('2025-12-15T12:00:00Z'),
          admitted_at: new Date('2025-12-15T12:00:00Z'),
          application_verified_at: new Date('2025-12-15T12:00:00Z'),
        })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!membership) continue;
      await trx
        .insertInto('membership_events')
        .values({
          membership_id: membership.id,
          action: 'seed',
          from_status: null,
          to_status: 'admitted',
          reason: 'Socio fondatore: atto costitutivo del 15/12/2025 (comunicato di Regione Lombardia del 17/02/2026)',
          actor_person_id: null,
          at: new Date('2025-12-15T12:00:00Z'),
        })
        .execute();
    }
    return;
  });
}

export const BOARD_SEED_KEY = 'cosmetics-board-2026-01-16';

/**
 * What is public about the cosmetics cluster's board: that it exists and has been in office since
 * 16 January 2026. Its members are not public, so no seat holder is seeded: the public board page
 * says so rather than showing invented people. Runs once, like every seed.
 */
export async function seedCosmeticsBoard(db: Kysely<DB>): Promise<boolean> {
  return runSeedOnce(db, BOARD_SEED_KEY, async (trx) => {
    const cluster = await trx.selectFrom('clusters').select('id').where('slug', '=', 'cosmetica').executeTakeFirst();
    if (!cluster) return;
    await trx
      .insertInto('boards')
      .values({
        cluster_id: cluster.id,
        in_office_since: '2026-01-16',
        source_it: 'Regione Lombardia, comunicato del 17 febbraio 2026 sulla presa d’atto della costituzione del cluster',
        source_en: 'Regione Lombardia, press release of 17 February 2026 on taking note of the cluster’s constitution',
      })
      .onConflict((oc) => oc.column('cluster_id').doNothing())
      .execute();
    return;
  });
}

/** Every seed, in order. Each runs once per database; adding reference data means adding a seed. */
export async function seedAll(db: Kysely<DB>): Promise<string[]> {
  const { seedCosmeticsTaxonomy, COSMETICS_TAXONOMY_SEED_KEY } = await import('./taxonomy.js');
  const seeds: [string, (db: Kysely<DB>) => Promise<boolean>][] = [
    [REGISTRY_SEED_KEY, seedRegistry],
    [FOUNDERS_SEED_KEY, seedFoundingMemberships],
    [BOARD_SEED_KEY, seedCosmeticsBoard],
    [COSMETICS_TAXONOMY_SEED_KEY, seedCosmeticsTaxonomy],
  ];
  // Every start after the first: one query, not a transaction per seed (docs/decisions/007-performance.md).
  const done = await db.selectFrom('seed_runs').select('key').where('key', 'in', seeds.map(([key]) => key)).execute();
  if (done.length === seeds.length) return [];
  const ran: string[] = [];
  for (const [key, seed] of seeds) if (await seed(db)) ran.push(key);
  return ran;
}
