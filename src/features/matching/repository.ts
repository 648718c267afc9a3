import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, ItemStatus, MatchKind } from '../../db/schema.js';
import { ANALYZER_VERSION } from './analyse.js';
import { RANKERS, rankerBag, saturation, BM25, type DocumentBags, type Ranker } from './engine.js';

type Conn = Kysely<DB> | Transaction<DB>;
export type ItemKind = 'offer' | 'need';
/** A profile is one search document of the competence map: an organisation, a facility, a person. */
export type ProfileKind = 'organisation' | 'facility' | 'person';

/** What the matcher keeps beside each offer or need to filter and present results. */
export interface DocumentMeta {
  kind: ItemKind;
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

/** What the matcher keeps beside a profile (an organisation, a facility, a person's expertise). */
export interface ProfileMeta {
  kind: 'profile';
  profileKind: ProfileKind;
  id: string;
  name: string;
  organisationId: string;
  organisationName: string;
  organisationExternalRef: string | null;
  organisationType: string | null;
  provinceCode: string | null;
  countryCode: string | null;
  /** Competences (taxonomy key with IT/EN labels) the profile declares. */
  competences: { key: string; it: string; en: string | null }[];
}

export type AnyMeta = DocumentMeta | ProfileMeta;

/** The stored form of a document's analysis (match_documents.payload; meta and lengths are columns). */
export interface StoredPayload {
  doc: DocumentBags;
  /** The words as written for each feature (explanations only: read for the final results). */
  surface: Record<string, string>;
}

export interface DocumentWrite {
  kind: MatchKind;
  itemId: string;
  organisationId: string;
  active: boolean;
  payload: StoredPayload;
  lengths: Record<Ranker, number>;
  meta: AnyMeta;
}

/** A candidate as the search returns it: its BM25 score by ranker, what it shows. */
export interface CandidateRow {
  doc_id: number;
  kind: MatchKind;
  item_id: string;
  meta: AnyMeta;
  scores: Record<Ranker, number>;
}

export interface SearchTerm {
  id: number;
  ranker: Ranker;
  /** qtf × idf */
  weight: number;
}

export interface KindStats {
  docs: number;
  averageLength: Record<Ranker, number>;
}

export class MatchingRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /** The item with its organisation, in the shape the analysis reads (offers and needs alike). */
  async itemForDocument(kind: ItemKind, id: string) {
    return (await this.itemsForDocuments(kind, [id]))[0];
  }

  /** Many items at once (rebuilding documents after a bulk load or an analyser change). */
  async itemsForDocuments(kind: ItemKind, ids: string[]) {
    if (ids.length === 0) return [];
    const org = ['o.legal_name as organisation_name', 'o.external_ref as organisation_external_ref', 'o.type as organisation_type', 'o.province_code', 'o.country_code'] as const;
    if (kind === 'offer') {
      const rows = await this.db.selectFrom('technology_offers as i').innerJoin('organisations as o', 'o.id', 'i.organisation_id').selectAll('i').select(org).where('i.id', 'in', ids).execute();
      return rows.map((row) => ({ ...row, trl_min: null, trl_max: null, partner_types: [] as string[] }));
    }
    const rows = await this.db.selectFrom('technology_needs as i').innerJoin('organisations as o', 'o.id', 'i.organisation_id').selectAll('i').select(org).where('i.id', 'in', ids).execute();
    return rows.map((row) => ({ ...row, trl: null, summary_it: null, summary_en: null, categories: [] as string[], tags: [] as string[] }));
  }

  // ------------------------------------------------------------------ writing

  /**
   * Store documents and their postings. The statement triggers keep the document frequencies and
   * the statistics and drop the postings of the versions replaced; the postings of the new active
   * versions are written here, each with its BM25 impact against the kind's current averages.
   * Only inside a transaction: the document and its postings land together, and a concurrent
   * writer of the same document waits on its row until this one's postings are committed.
   */
  async writeDocuments(conn: Transaction<DB>, docs: DocumentWrite[]): Promise<void> {
    if (docs.length === 0) return;
    const lengths = (d: DocumentWrite) => RANKERS.map((r) => d.lengths[r]);
    const written = await conn
      .insertInto('match_documents')
      .values(
        docs.map((d) => ({
          kind: d.kind,
          item_id: d.itemId,
          organisation_id: d.organisationId,
          active: d.active,
          analyzer_version: ANALYZER_VERSION,
          payload: JSON.stringify(d.payload),
          meta: JSON.stringify(d.meta),
          lengths: lengths(d),
        })),
      )
      .onConflict((oc) =>
        oc.columns(['kind', 'item_id']).doUpdateSet({
          organisation_id: sql`excluded.organisation_id`,
          active: sql`excluded.active`,
          analyzer_version: sql`excluded.analyzer_version`,
          payload: sql`excluded.payload`,
          meta: sql`excluded.meta`,
          lengths: sql`excluded.lengths`,
          revision: sql`nextval('match_documents_revision_seq')`,
          updated_at: new Date(),
        } as never),
      )
      .returning(['doc_id', 'kind', 'item_id'])
      .execute();
    const docIdOf = new Map(written.map((w) => [`${w.kind}:${w.item_id}`, w.doc_id]));
    const active = docs.filter((d) => d.active);
    for (const kind of new Set(active.map((d) => d.kind))) {
      const ofKind = active.filter((d) => d.kind === kind);
      const stats = await this.stats(kind, conn);
      const features = new Set<string>();
      for (const d of ofKind) for (const r of RANKERS) for (const f of Object.keys(rankerBag(d.payload.doc, r))) features.add(f);
      const ids = await this.featureIds(conn, kind, [...features]);
      const columns = { doc: [] as number[], feature: [] as number[], tf: [] as number[], len: [] as number[], impact: [] as number[] };
      for (const d of ofKind) {
        const docId = docIdOf.get(`${d.kind}:${d.itemId}`)!;
        for (const ranker of RANKERS) {
          for (const [feature, tf] of Object.entries(rankerBag(d.payload.doc, ranker))) {
            const id = ids.get(feature);
            if (id === undefined || !(tf > 0)) continue;
            columns.doc.push(docId);
            columns.feature.push(id);
            columns.tf.push(tf);
            columns.len.push(d.lengths[ranker]);
            columns.impact.push(saturation(tf, d.lengths[ranker], stats.averageLength[ranker], BM25[ranker]));
          }
        }
      }
      // A plain insert: a new document's id is new, and the statement trigger of the upsert above has
      // already removed the postings of a replaced one (a concurrent writer of the same document waits
      // on its row until this transaction commits, then removes ours). Half the cost of ON CONFLICT,
      // which checks every row first.
      for (let i = 0; i < columns.doc.length; i += 50_000) {
        const slice = (a: number[]) => a.slice(i, i + 50_000);
        await sql`
          INSERT INTO match_postings (doc_id, feature_id, tf, len, impact)
          SELECT * FROM unnest(${slice(columns.doc)}::int[], ${slice(columns.feature)}::int[], ${slice(columns.tf)}::real[], ${slice(columns.len)}::real[], ${slice(columns.impact)}::real[])
        `.execute(conn);
      }
    }
  }

  private async featureIds(conn: Conn, kind: MatchKind, features: string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (let i = 0; i < features.length; i += 20_000) {
      const rows = await sql<{ id: number; feature: string }>`
        SELECT id, feature FROM match_features WHERE kind = ${kind} AND feature = ANY(${features.slice(i, i + 20_000)}::text[])
      `.execute(conn);
      for (const r of rows.rows) out.set(r.feature, r.id);
    }
    return out;
  }

  async deactivate(kind: ItemKind, itemId: string): Promise<void> {
    await this.db
      .updateTable('match_documents')
      .set({ active: false, revision: sql`nextval('match_documents_revision_seq')`, updated_at: new Date() } as never)
      .where('kind', '=', kind)
      .where('item_id', '=', itemId)
      .execute();
  }

  /** Drop the profiles of these organisations and people (their search documents are being rewritten). */
  async deleteProfiles(conn: Conn, owners: { organisationIds: string[]; personIds: string[] }): Promise<void> {
    if (owners.organisationIds.length > 0) {
      await conn.deleteFrom('match_documents').where('kind', '=', 'profile').where('organisation_id', 'in', owners.organisationIds).execute();
    }
    if (owners.personIds.length > 0) {
      await conn.deleteFrom('match_documents').where('kind', '=', 'profile').where('item_id', 'in', owners.personIds).execute();
    }
  }

  /** Offers and needs whose document is missing or was made by an older analyser. */
  async staleDocuments(version: number, limit = 1000) {
    const rows = await sql<{ kind: ItemKind; item_id: string }>`
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

  /** Organisations whose profiles (from their search documents) are missing or outdated. */
  async staleProfileOwners(version: number, limit = 500): Promise<string[]> {
    const rows = await sql<{ organisation_id: string }>`
      SELECT DISTINCT s.organisation_id FROM search_documents s
        LEFT JOIN match_documents d ON d.kind = 'profile' AND d.item_id = s.id
        WHERE s.organisation_id IS NOT NULL AND (d.item_id IS NULL OR d.analyzer_version <> ${version})
      LIMIT ${limit}
    `.execute(this.db);
    return rows.rows.map((r) => r.organisation_id);
  }

  /** Profiles whose search document is gone (the search rewrote or removed it). */
  async deleteOrphanProfiles(): Promise<number> {
    // Found first, from the covering indexes: a DELETE that removes nothing still runs the
    // statement trigger, which plans a join of the postings with the (empty) removed rows.
    const orphans = await sql<{ item_id: string }>`
      SELECT d.item_id FROM match_documents d WHERE d.kind = 'profile'
        AND NOT EXISTS (SELECT 1 FROM search_documents s WHERE s.id = d.item_id AND s.organisation_id = d.organisation_id)
    `.execute(this.db);
    if (orphans.rows.length === 0) return 0;
    const result = await sql`
      DELETE FROM match_documents d WHERE d.kind = 'profile' AND d.item_id = ANY(${orphans.rows.map((r) => r.item_id)}::uuid[])
        AND NOT EXISTS (SELECT 1 FROM search_documents s WHERE s.id = d.item_id AND s.organisation_id = d.organisation_id)
    `.execute(this.db);
    return Number(result.numAffectedRows ?? 0);
  }

  /** The search documents of these organisations (the source of their profiles). */
  profileSources(conn: Conn, organisationIds: string[]) {
    if (organisationIds.length === 0) return Promise.resolve([]);
    return conn
      .selectFrom('search_documents')
      .select(['id', 'kind', 'organisation_id', 'person_id', 'title', 'payload'])
      .where('organisation_id', 'in', organisationIds)
      .execute();
  }

  // ------------------------------------------------------------------ reading

  /** Documents and average length per ranker of the active documents of a kind. */
  async stats(kind: MatchKind, conn: Conn = this.db): Promise<KindStats> {
    const rows = await sql<{ ranker: Ranker; docs: number; total_length: number }>`SELECT ranker, docs, total_length FROM match_stats WHERE kind = ${kind}`.execute(conn);
    const averageLength = { stems: 0, concepts: 0, cognates: 0, fuzzy: 0 } as Record<Ranker, number>;
    let docs = 0;
    for (const r of rows.rows) {
      if (!(RANKERS as readonly string[]).includes(r.ranker)) continue;
      docs = Math.max(docs, Number(r.docs));
      averageLength[r.ranker] = Number(r.docs) > 0 ? Number(r.total_length) / Number(r.docs) : 0;
    }
    return { docs, averageLength };
  }

  /** The id and document frequency of each of these features among a kind's active documents. */
  async features(kind: MatchKind, features: string[]): Promise<Map<string, { id: number; df: number }>> {
    const out = new Map<string, { id: number; df: number }>();
    if (features.length === 0) return out;
    const rows = await sql<{ id: number; feature: string; df: number }>`
      SELECT id, feature, df FROM match_features WHERE kind = ${kind} AND feature = ANY(${features}::text[]) AND df > 0
    `.execute(this.db);
    for (const r of rows.rows) out.set(r.feature, { id: r.id, df: Number(r.df) });
    return out;
  }

  /** Word forms of a kind's documents that share trigrams with each of these forms (typos, near-cognates). */
  async similarForms(kind: MatchKind, forms: string[]): Promise<Map<string, { id: number; feature: string; df: number }[]>> {
    const out = new Map<string, { id: number; feature: string; df: number }[]>();
    if (forms.length === 0) return out;
    const rows = await sql<{ form: string; id: number; feature: string; df: number }>`
      SELECT q.form, f.id, f.feature, f.df
      FROM unnest(${forms.map((f) => f.slice(2))}::text[]) AS q(form)
      CROSS JOIN LATERAL (
        SELECT m.id, m.feature, m.df FROM match_features m
        WHERE m.kind = ${kind} AND m.feature LIKE 'f:%' AND substr(m.feature, 3) % q.form AND m.df > 0
        LIMIT 50
      ) f
    `.execute(this.db);
    for (const r of rows.rows) {
      const key = `f:${r.form}`;
      out.set(key, [...(out.get(key) ?? []), { id: r.id, feature: r.feature, df: Number(r.df) }]);
    }
    return out;
  }

  /**
   * The candidates of a query and their exact BM25 score by ranker, in one statement: for each
   * query feature its `perFeature` postings of highest impact (a bounded read, whatever the size
   * of the collection), each scored against the current averages; summed per document and ranker;
   * the `limit` documents with the best fused estimate (each ranker's sum times `norm`).
   */
  async candidates(kind: MatchKind, terms: SearchTerm[], norm: Record<Ranker, number>, averageLength: Record<Ranker, number>, bounds: { perFeature: number; limit: number }): Promise<CandidateRow[]> {
    if (terms.length === 0) return [];
    const ranker = (r: Ranker) => RANKERS.indexOf(r) + 1;
    const k1 = RANKERS.map((r) => BM25[r].k1);
    const b = RANKERS.map((r) => BM25[r].b);
    const avg = RANKERS.map((r) => averageLength[r] || 1);
    const n = RANKERS.map((r) => norm[r]);
    // Each posting scored against the current averages: w · tf·(k1+1) / (tf + k1·(1 − b + b·len/avg)).
    const rows = await sql<{ doc_id: number; kind: MatchKind; item_id: string; meta: AnyMeta; s1: number; s2: number; s3: number; s4: number }>`
      WITH q AS (
        SELECT q.fid, q.w, k.k1, k.b, k.avg, q.r
        FROM unnest(${terms.map((t) => t.id)}::int[], ${terms.map((t) => ranker(t.ranker))}::int[], ${terms.map((t) => t.weight)}::float8[]) AS q(fid, r, w)
        JOIN unnest(${k1}::float8[], ${b}::float8[], ${avg}::float8[]) WITH ORDINALITY AS k(k1, b, avg, r) ON k.r = q.r
      ), hits AS (
        SELECT p.doc_id, q.r, q.w * p.tf * (q.k1 + 1) / (p.tf + q.k1 * (1 - q.b + q.b * p.len / q.avg)) AS s
        FROM q CROSS JOIN LATERAL (
          SELECT mp.doc_id, mp.tf, mp.len FROM match_postings mp WHERE mp.feature_id = q.fid ORDER BY mp.impact DESC LIMIT ${bounds.perFeature}
        ) p
      ), best AS (
        SELECT doc_id,
          coalesce(sum(s) FILTER (WHERE r = 1), 0) AS s1, coalesce(sum(s) FILTER (WHERE r = 2), 0) AS s2,
          coalesce(sum(s) FILTER (WHERE r = 3), 0) AS s3, coalesce(sum(s) FILTER (WHERE r = 4), 0) AS s4
        FROM hits GROUP BY doc_id
        ORDER BY coalesce(sum(s) FILTER (WHERE r = 1), 0) * ${n[0]}::float8 + coalesce(sum(s) FILTER (WHERE r = 2), 0) * ${n[1]}::float8
          + coalesce(sum(s) FILTER (WHERE r = 3), 0) * ${n[2]}::float8 + coalesce(sum(s) FILTER (WHERE r = 4), 0) * ${n[3]}::float8 DESC, doc_id
        LIMIT ${bounds.limit}
      )
      SELECT b.doc_id, d.kind, d.item_id, d.meta, b.s1, b.s2, b.s3, b.s4
      FROM best b JOIN match_documents d ON d.doc_id = b.doc_id
      WHERE d.active AND d.kind = ${kind} AND d.analyzer_version = ${ANALYZER_VERSION}
    `.execute(this.db);
    return rows.rows.map((r) => ({
      doc_id: r.doc_id,
      kind: r.kind,
      item_id: r.item_id,
      meta: r.meta,
      scores: { stems: Number(r.s1), concepts: Number(r.s2), cognates: Number(r.s3), fuzzy: Number(r.s4) },
    }));
  }

  /**
   * Of these documents, what an explanation needs about the query's features: which of them each
   * has (with its weight) and the words as written (not the whole analysis: it is large).
   */
  async explanations(docIds: number[], features: string[]): Promise<Map<number, { lang: 'it' | 'en'; weights: Record<string, number>; surface: Record<string, string> }>> {
    const out = new Map<number, { lang: 'it' | 'en'; weights: Record<string, number>; surface: Record<string, string> }>();
    if (docIds.length === 0) return out;
    // The payload is read (decompressed) once per document, then looked into (OFFSET 0 keeps it so).
    const rows = await sql<{ doc_id: number; lang: 'it' | 'en'; weights: Record<string, number> | null; surface: Record<string, string> | null }>`
      SELECT x.doc_id, x.doc->>'lang' AS lang, w.weights, w.surface
      FROM (SELECT doc_id, payload->'doc' AS doc, payload->'surface' AS surface FROM match_documents WHERE doc_id = ANY(${docIds}::int[]) OFFSET 0) x
      CROSS JOIN LATERAL (
        SELECT jsonb_object_agg(f.key, coalesce(x.doc->'stems'->f.key, x.doc->'concepts'->f.key, x.doc->'cognates'->f.key, x.doc->'forms'->f.key)) AS weights,
               jsonb_object_agg(f.key, x.surface->f.key) AS surface
        FROM unnest(${features}::text[]) AS f(key)
        WHERE x.surface ? f.key
      ) w
    `.execute(this.db);
    for (const r of rows.rows) out.set(r.doc_id, { lang: r.lang, weights: r.weights ?? {}, surface: r.surface ?? {} });
    return out;
  }

  /** A stored document whole (the query side of a stored need or offer), or undefined. */
  async document(kind: MatchKind, itemId: string): Promise<{ doc_id: number; active: boolean; analyzer_version: number; payload: StoredPayload; meta: AnyMeta } | undefined> {
    const row = await this.db.selectFrom('match_documents').select(['doc_id', 'active', 'analyzer_version', 'payload', 'meta']).where('kind', '=', kind).where('item_id', '=', itemId).executeTakeFirst();
    return row ? { ...row, payload: row.payload as StoredPayload, meta: row.meta as AnyMeta } : undefined;
  }

  /** An organisation's active offers and needs (the weekly digest matches each of them). */
  async activeItemsOf(organisationId: string): Promise<DocumentMeta[]> {
    const rows = await sql<{ meta: DocumentMeta }>`
      SELECT meta FROM match_documents
      WHERE organisation_id = ${organisationId} AND kind IN ('offer', 'need') AND active
    `.execute(this.db);
    return rows.rows.map((r) => r.meta);
  }

  /**
   * Fresh planner statistics, and the visibility map set: the candidate statement reads the
   * postings from their index alone only on pages known all-visible (after a bulk build, before
   * autovacuum comes, it read the heap for every posting: 70–160 ms instead of 5–18 at 200,000
   * offers). The embedded database has no autovacuum at all.
   */
  async maintain(): Promise<void> {
    // This session's activity counts are flushed to the shared statistics at most once a second:
    // flushed after the ANALYZE, writes made before it would count as changes since it, and the
    // next start (needsMaintenance) would vacuum again for nothing. Flush them first (at the end of
    // this statement, when the session is next idle).
    await sql`SELECT pg_stat_force_next_flush()`.execute(this.db);
    // search_documents too: the start-up checks read its covering index alone only on pages known all-visible.
    await sql`VACUUM (ANALYZE) match_postings, match_documents, match_features, match_stats, search_documents`.execute(this.db);
  }

  /**
   * Whether the postings were never analysed, grew by more than a tenth since (pages on disk
   * against the pages the last analysis counted: the catalogue survives a restart, while the
   * embedded database forgets its activity statistics and has no autovacuum to notice), or changed
   * much in this server's lifetime.
   */
  async needsMaintenance(): Promise<boolean> {
    const row = await sql<{ stale: boolean }>`
      SELECT c.reltuples < 0
          OR pg_relation_size(c.oid) > (c.relpages * 1.1 + 8) * current_setting('block_size')::bigint
          OR coalesce(s.n_mod_since_analyze > greatest(c.reltuples, 0) / 10 + 1000, false) AS stale
      FROM pg_class c LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
      WHERE c.oid = 'match_postings'::regclass
    `.execute(this.db);
    return row.rows[0]?.stale ?? true;
  }

  /** Active offers of a kind (for counts and the evaluation). */
  async activeCount(kind: MatchKind): Promise<number> {
    const row = await this.db.selectFrom('match_documents').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', '=', kind).where('active', '=', true).executeTakeFirstOrThrow();
    return Number(row.n);
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
