import { sql, type Kysely } from 'kysely';
import type { DB, ItemStatus } from '../../db/schema.js';
import { ANALYZER_VERSION } from './analyse.js';

/** What the matcher keeps beside each document to filter and present results without a query. */
export interface DocumentMeta {
  kind: 'offer' | 'need';
  id: string;
  organisationId: string;
  organisationName: string;
  organisationExternalRef: string | null;
  organisationType: string;
  provinceCode: string | null;
  countryCode: string;
  externalRef: string | null;
  titleIt: string | null;
  titleEn: string | null;
  status: ItemStatus;
  visibility: string;
  expiresOn: string | null;
  trl: number | null;
  trlMin: number | null;
  trlMax: number | null;
  partnerTypes: string[];
}

export class MatchingRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /** The item with its organisation, in the shape the analysis reads (offers and needs alike). */
  async itemForDocument(kind: 'offer' | 'need', id: string) {
    const org = ['o.legal_name as organisation_name', 'o.external_ref as organisation_external_ref', 'o.type as organisation_type', 'o.province_code', 'o.country_code'] as const;
    if (kind === 'offer') {
      const row = await this.db.selectFrom('technology_offers as i').innerJoin('organisations as o', 'o.id', 'i.organisation_id').selectAll('i').select(org).where('i.id', '=', id).executeTakeFirst();
      return row ? { ...row, trl_min: null, trl_max: null, partner_types: [] as string[] } : undefined;
    }
    const row = await this.db.selectFrom('technology_needs as i').innerJoin('organisations as o', 'o.id', 'i.organisation_id').selectAll('i').select(org).where('i.id', '=', id).executeTakeFirst();
    return row ? { ...row, trl: null, summary_it: null, summary_en: null, categories: [] as string[], tags: [] as string[] } : undefined;
  }

  /** Many items at once (rebuilding documents after a bulk load or an analyser change). */
  async itemsForDocuments(kind: 'offer' | 'need', ids: string[]) {
    if (ids.length === 0) return [];
    const org = ['o.legal_name as organisation_name', 'o.external_ref as organisation_external_ref', 'o.type as organisation_type', 'o.province_code', 'o.country_code'] as const;
    if (kind === 'offer') {
      const rows = await this.db.selectFrom('technology_offers as i').innerJoin('organisations as o', 'o.id', 'i.organisation_id').selectAll('i').select(org).where('i.id', 'in', ids).execute();
      return rows.map((row) => ({ ...row, trl_min: null, trl_max: null, partner_types: [] as string[] }));
    }
    const rows = await this.db.selectFrom('technology_needs as i').innerJoin('organisations as o', 'o.id', 'i.organisation_id').selectAll('i').select(org).where('i.id', 'in', ids).execute();
    return rows.map((row) => ({ ...row, trl: null, summary_it: null, summary_en: null, categories: [] as string[], tags: [] as string[] }));
  }

  async upsertDocuments(docs: { kind: 'offer' | 'need'; itemId: string; organisationId: string; active: boolean; payload: unknown }[]): Promise<void> {
    if (docs.length === 0) return;
    await this.db
      .insertInto('match_documents')
      .values(docs.map((d) => ({ kind: d.kind, item_id: d.itemId, organisation_id: d.organisationId, active: d.active, analyzer_version: ANALYZER_VERSION, payload: JSON.stringify(d.payload) })))
      .onConflict((oc) =>
        oc.columns(['kind', 'item_id']).doUpdateSet({
          organisation_id: sql`excluded.organisation_id`,
          active: sql`excluded.active`,
          analyzer_version: sql`excluded.analyzer_version`,
          payload: sql`excluded.payload`,
          revision: sql`nextval('match_documents_revision_seq')`,
          updated_at: new Date(),
        } as never),
      )
      .execute();
  }

  async upsertDocument(doc: { kind: 'offer' | 'need'; itemId: string; organisationId: string; active: boolean; payload: unknown }): Promise<void> {
    const payload = JSON.stringify(doc.payload);
    await this.db
      .insertInto('match_documents')
      .values({ kind: doc.kind, item_id: doc.itemId, organisation_id: doc.organisationId, active: doc.active, analyzer_version: ANALYZER_VERSION, payload })
      .onConflict((oc) =>
        oc.columns(['kind', 'item_id']).doUpdateSet({
          organisation_id: doc.organisationId,
          active: doc.active,
          analyzer_version: ANALYZER_VERSION,
          payload,
          revision: sql`nextval('match_documents_revision_seq')`,
          updated_at: new Date(),
        } as never),
      )
      .execute();
  }

  async deactivate(kind: 'offer' | 'need', itemId: string): Promise<void> {
    await this.db
      .updateTable('match_documents')
      .set({ active: false, revision: sql`nextval('match_documents_revision_seq')`, updated_at: new Date() } as never)
      .where('kind', '=', kind)
      .where('item_id', '=', itemId)
      .execute();
  }

  async latestRevision(): Promise<number> {
    const row = await this.db.selectFrom('match_documents').select((eb) => eb.fn.max('revision').as('r')).executeTakeFirst();
    return row?.r === null || row?.r === undefined ? -1 : Number(row.r);
  }

  documentsSince(revision: number) {
    return this.db
      .selectFrom('match_documents')
      .select(['kind', 'item_id', 'active', 'analyzer_version', 'revision', 'payload'])
      .where('revision', '>', revision as never)
      .orderBy('revision')
      .execute();
  }

  /** Items whose document is missing or was made by an older analyser. */
  async staleDocuments(version: number, limit = 1000) {
    const rows = await sql<{ kind: 'offer' | 'need'; item_id: string }>`
      SELECT 'offer' AS kind, i.id AS item_id FROM technology_offers i
        LEFT JOIN match_documents d ON d.kind = 'offer' AND d.item_id = i.id
        WHERE d.item_id IS NULL OR d.analyzer_version <> ${version}
      UNION ALL
      SELECT 'need' AS kind, i.id AS item_id FROM technology_needs i
        LEFT JOIN match_documents d ON d.kind = 'need' AND d.item_id = i.id
        WHERE d.item_id IS NULL OR d.analyzer_version <> ${version}
      LIMIT ${limit}
    `.execute(this.db);
    return rows.rows;
  }

  /** Earlier collaborations between one organisation and each of the others. */
  async collaborationCounts(organisationId: string, others: string[]): Promise<Map<string, number>> {
    const map = new Map<string, number>();
    if (others.length === 0) return map;
    const rows = await this.db
      .selectFrom('collaborations')
      .select(['initiator_organisation_id', 'partner_organisation_id'])
      .where((eb) =>
        eb.or([
          eb.and([eb('initiator_organisation_id', '=', organisationId), eb('partner_organisation_id', 'in', others)]),
          eb.and([eb('partner_organisation_id', '=', organisationId), eb('initiator_organisation_id', 'in', others)]),
        ]),
      )
      .execute();
    for (const r of rows) {
      const other = r.initiator_organisation_id === organisationId ? r.partner_organisation_id : r.initiator_organisation_id;
      map.set(other, (map.get(other) ?? 0) + 1);
    }
    return map;
  }

  /** Keys (`offer:<id>`, `need:<id>`) of items published after a moment. */
  async publishedSince(since: Date): Promise<string[]> {
    const offers = await this.db.selectFrom('technology_offers').select('id').where('status', '=', 'published').where('published_at', '>', since).execute();
    const needs = await this.db.selectFrom('technology_needs').select('id').where('status', '=', 'published').where('published_at', '>', since).execute();
    return [...offers.map((r) => `offer:${r.id}`), ...needs.map((r) => `need:${r.id}`)];
  }
}
