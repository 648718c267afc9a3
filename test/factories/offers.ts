import type { FastifyInstance } from 'fastify';
import type { OrganisationType } from '../../src/db/schema.js';
import { SYSTEM_ACTOR } from '../../src/platform/audit.js';
import type { Viewer } from '../../src/features/offers/repository.js';
import type { ItemInput } from '../../src/features/offers/validation.js';

/** Sees and edits everything: the factories act as the Region. */
export const REGION_VIEWER: Viewer = { personId: null, organisationIds: [], adminOf: [], clusterIds: [], managedClusterIds: [], region: true };

let serial = 0;

/** An organisation of the given type (optionally an admitted member of a cluster). */
export async function createOrganisation(app: FastifyInstance, name: string, options: { type?: OrganisationType; clusterSlug?: string; provinceCode?: string } = {}): Promise<string> {
  serial += 1;
  const db = app.database.db;
  const row = await db
    .insertInto('organisations')
    .values({ legal_name: name, type: options.type ?? 'company', province_code: options.provinceCode ?? null, external_ref: `test:${serial}-${Math.random().toString(36).slice(2, 8)}` })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (options.clusterSlug) {
    const clusterId = (await app.services.clusters.idBySlug(options.clusterSlug))!;
    await db.insertInto('memberships').values({ cluster_id: clusterId, organisation_id: row.id, status: 'admitted', admitted_at: new Date() }).execute();
  }
  return row.id;
}

/** A published offer (or a draft with publish: false). */
export async function createOffer(app: FastifyInstance, organisationId: string, input: ItemInput, options: { publish?: boolean } = {}): Promise<string> {
  const id = await app.services.offers.create('offer', organisationId, { visibility: 'public', ...input }, REGION_VIEWER, SYSTEM_ACTOR);
  if (options.publish !== false) await app.services.offers.transition('offer', id, 'publish', REGION_VIEWER, SYSTEM_ACTOR);
  return id;
}

export async function createNeed(app: FastifyInstance, organisationId: string, input: ItemInput, options: { publish?: boolean } = {}): Promise<string> {
  const id = await app.services.offers.create('need', organisationId, { visibility: 'public', ...input }, REGION_VIEWER, SYSTEM_ACTOR);
  if (options.publish !== false) await app.services.offers.transition('need', id, 'publish', REGION_VIEWER, SYSTEM_ACTOR);
  return id;
}

/**
 * Data for the access matrix: an offer and a need of `organisationId`, an offer to archive, and an
 * interest from `organisationId` to another organisation accepted into a collaboration.
 */
export async function tradeFixtures(app: FastifyInstance, organisationId: string): Promise<Record<string, string>> {
  const partner = await createOrganisation(app, 'Laboratorio Partner S.r.l.', { type: 'research_centre' });
  const offer = await createOffer(app, organisationId, { titleIt: 'Dosatori airless riciclabili', descriptionIt: 'Dosatori airless in plastica riciclata per cosmetici.', trl: 7 });
  const need = await createNeed(app, organisationId, { titleIt: 'Conservanti naturali', descriptionIt: 'Cerchiamo conservanti naturali per creme.', trlMin: 5, trlMax: 8 });
  const offerArchive = await createOffer(app, organisationId, { titleIt: 'Offerta da archiviare', descriptionIt: 'Serve al test degli accessi.' });
  const needArchive = await createNeed(app, organisationId, { titleIt: 'Fabbisogno da archiviare', descriptionIt: 'Serve al test degli accessi.' });
  const partnerOffer = await createOffer(app, partner, { titleEn: 'Natural preservatives', descriptionEn: 'Fermentation-based natural preservatives for cosmetics.' });
  const db = app.database.db;
  const interest = await db
    .insertInto('interests')
    .values({ from_organisation_id: organisationId, to_organisation_id: partner, offer_id: partnerOffer, message: 'Ci interessa.' })
    .returning('id')
    .executeTakeFirstOrThrow();
  // A second interest, received by organisationId, left waiting for a decision.
  const received = await db
    .insertInto('interests')
    .values({ from_organisation_id: partner, to_organisation_id: organisationId, offer_id: offer, message: 'Interested.' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await app.services.collaborations.decide({ organisationId: partner, interestId: interest.id, action: 'accept' }, null, SYSTEM_ACTOR);
  const collaboration = await db.selectFrom('collaborations').select('id').where('interest_id', '=', interest.id).executeTakeFirstOrThrow();
  return { offer, need, offerArchive, needArchive, partnerOffer, interest: received.id, collaboration: collaboration.id };
}
