import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
// Search speed (docs/decisions/005-search.md, "Speed"):
//  - search_facet_counts: facet counts per value, pre-aggregated for the two audiences whose
//    visibility does not depend on who asks (the public; the Region), for no filter and for each
//    single filter value, per kind. Kept exact on every write by statement triggers on
//    search_documents (transition tables: one aggregated upsert per statement).
//  - search_matches(): the candidates of a query from the GIN indexes, bounded, with the columns
//    that visibility, filters and facets need (one visit of each heap row instead of two).
//  - an index for browsing in name order, and one for the documents not open to the public.
//  - public, published technology offers are part of their organisation's document: their
//    changes queue the organisation for re-indexing.

export async function up(db: Kysely<any>): Promise<void> {
  // Keep a document's tsvector in its row. A search ranks every candidate it reads, in the same
  // visit; a tsvector moved out of line (the default past ~2 kB of row: names, competences and
  // descriptions of an organisation and its payload easily make that) costs a TOAST index and
  // heap read per candidate, which at the Europe scale was most of a query's time. Rows up to
  // ~4 kB now stay whole; longer ones give up their payload first (EXTENDED), the tsvector last.
  await sql`ALTER TABLE search_documents SET (toast_tuple_target = 4080)`.execute(db);
  await sql`ALTER TABLE search_documents ALTER COLUMN tsv SET STORAGE MAIN`.execute(db);
  // Rewrite the rows that were long enough to be toasted (a new value is stored afresh).
  await sql`UPDATE search_documents SET tsv = tsv || ''::tsvector WHERE pg_column_size(tsv) + pg_column_size(payload) > 1700`.execute(db);
  await sql`
    CREATE TABLE search_facet_counts (
      audience text NOT NULL CHECK (audience IN ('public', 'region')),
      -- The one filter these counts apply ('' = none) and its value.
      ffacet text NOT NULL,
      fvalue text NOT NULL,
      kind text NOT NULL,
      -- The facet counted ('#' = the documents themselves) and its value.
      facet text NOT NULL,
      value text NOT NULL,
      n integer NOT NULL,
      PRIMARY KEY (audience, ffacet, fvalue, kind, facet, value)
    )
  `.execute(db);

  // What one document adds to the counts: every (filter value, facet value) pair of it, the
  // filter's own facet left out (a facet is counted with every filter but its own).
  await sql`
    CREATE FUNCTION search_facet_keys(cluster_ids uuid[], org_type text, province text, size text, area_keys text[], area_top text[])
    RETURNS TABLE (ffacet text, fvalue text, facet text, value text)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      WITH f(ffacet, fvalue) AS (
        SELECT '', ''
        UNION ALL SELECT 'cluster', c::text FROM unnest(cluster_ids) c
        UNION ALL SELECT 'type', org_type WHERE org_type IS NOT NULL
        UNION ALL SELECT 'province', province WHERE province IS NOT NULL
        UNION ALL SELECT 'size', size WHERE size IS NOT NULL
        UNION ALL SELECT DISTINCT 'competence', k FROM unnest(area_keys) k
      ), v(facet, value) AS (
        SELECT '#', ''
        UNION ALL SELECT 'cluster', c::text FROM unnest(cluster_ids) c
        UNION ALL SELECT 'type', org_type WHERE org_type IS NOT NULL
        UNION ALL SELECT 'province', province WHERE province IS NOT NULL
        UNION ALL SELECT 'size', size WHERE size IS NOT NULL
        UNION ALL SELECT DISTINCT 'competence', t FROM unnest(area_top) t
      )
      SELECT f.ffacet, f.fvalue, v.facet, v.value FROM f CROSS JOIN v WHERE f.ffacet <> v.facet
    $$
  `.execute(db);
  // The audiences a document is counted for: the public (anonymous visitors) and the Region.
  await sql`
    CREATE FUNCTION search_facet_audiences(kind text, listed boolean, visibility text)
    RETURNS SETOF text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT 'public' WHERE listed AND visibility = 'public'
      UNION ALL
      SELECT 'region' WHERE NOT (kind = 'person' AND visibility = 'private')
    $$
  `.execute(db);
  // The counts from scratch (after a bulk rebuild, or to recover).
  await sql`
    CREATE FUNCTION search_facet_counts_rebuild() RETURNS void LANGUAGE sql AS $$
      DELETE FROM search_facet_counts;
      INSERT INTO search_facet_counts (audience, ffacet, fvalue, kind, facet, value, n)
      SELECT a.a, k.ffacet, k.fvalue, d.kind, k.facet, k.value, count(*)::int
      FROM search_documents d
      CROSS JOIN LATERAL search_facet_audiences(d.kind, d.listed, d.visibility) a(a)
      CROSS JOIN LATERAL search_facet_keys(d.cluster_ids, d.org_type, d.province_code, d.size_class, d.area_keys, d.area_top) k
      GROUP BY 1, 2, 3, 4, 5, 6;
    $$
  `.execute(db);
  // Deltas of one statement, in key order (concurrent writers lock the rows in the same order).
  // A bulk rebuild defers them (clusterhub.search_facets = 'deferred' in its transactions) and
  // rebuilds the counts once at the end.
  await sql`
    CREATE FUNCTION search_facet_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF coalesce(current_setting('clusterhub.search_facets', true), '') = 'deferred' THEN
        RETURN NULL;
      END IF;
      IF TG_OP = 'INSERT' THEN
        INSERT INTO search_facet_counts AS c (audience, ffacet, fvalue, kind, facet, value, n)
        SELECT a.a, k.ffacet, k.fvalue, d.kind, k.facet, k.value, count(*)::int
        FROM new_rows d
        CROSS JOIN LATERAL search_facet_audiences(d.kind, d.listed, d.visibility) a(a)
        CROSS JOIN LATERAL search_facet_keys(d.cluster_ids, d.org_type, d.province_code, d.size_class, d.area_keys, d.area_top) k
        GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
        ON CONFLICT (audience, ffacet, fvalue, kind, facet, value) DO UPDATE SET n = c.n + excluded.n;
      ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO search_facet_counts AS c (audience, ffacet, fvalue, kind, facet, value, n)
        SELECT a.a, k.ffacet, k.fvalue, d.kind, k.facet, k.value, -count(*)::int
        FROM old_rows d
        CROSS JOIN LATERAL search_facet_audiences(d.kind, d.listed, d.visibility) a(a)
        CROSS JOIN LATERAL search_facet_keys(d.cluster_ids, d.org_type, d.province_code, d.size_class, d.area_keys, d.area_top) k
        GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
        ON CONFLICT (audience, ffacet, fvalue, kind, facet, value) DO UPDATE SET n = c.n + excluded.n;
      ELSE
        INSERT INTO search_facet_counts AS c (audience, ffacet, fvalue, kind, facet, value, n)
        SELECT a.a, k.ffacet, k.fvalue, d.kind, k.facet, k.value, sum(d.sign)::int
        FROM (SELECT 1 AS sign, * FROM new_rows UNION ALL SELECT -1 AS sign, * FROM old_rows) d
        CROSS JOIN LATERAL search_facet_audiences(d.kind, d.listed, d.visibility) a(a)
        CROSS JOIN LATERAL search_facet_keys(d.cluster_ids, d.org_type, d.province_code, d.size_class, d.area_keys, d.area_top) k
        GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(d.sign) <> 0 ORDER BY 1, 2, 3, 4, 5, 6
        ON CONFLICT (audience, ffacet, fvalue, kind, facet, value) DO UPDATE SET n = c.n + excluded.n;
      END IF;
      RETURN NULL;
    END $$
  `.execute(db);
  await sql`CREATE TRIGGER search_facet_counts_insert AFTER INSERT ON search_documents REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_facet_counts_apply()`.execute(db);
  await sql`CREATE TRIGGER search_facet_counts_update AFTER UPDATE ON search_documents REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_facet_counts_apply()`.execute(db);
  await sql`CREATE TRIGGER search_facet_counts_delete AFTER DELETE ON search_documents REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_facet_counts_apply()`.execute(db);
  await sql`SELECT search_facet_counts_rebuild()`.execute(db);

  // The candidates of a query: from the GIN indexes only (names by trigrams first, then words,
  // each document once), at most `cap` rows, with what visibility, filters and facets need and
  // with their rank: ts_rank against the query's own words `rq`, and for names found by trigrams
  // their similarity. Ranked in the same visit of the row (reading a candidate again to rank it
  // costs more than ranking it), and only those that pass the filters (f_*, null = none: the
  // others are only counted). See 2026-11-25T1400 for why the sequential scan is off inside.
  await sql`
    CREATE FUNCTION search_matches(q tsquery, names text, cap integer, rq tsquery,
                                   f_kind text, f_cluster uuid, f_type text, f_province text, f_size text, f_competence text)
    RETURNS TABLE (id uuid, by_name boolean, kind text, organisation_id uuid, person_id uuid, org_type text, province_code text,
                   size_class text, cluster_ids uuid[], listed boolean, visibility text, area_keys text[], area_top text[], sort_key text,
                   rank real, name_similarity real)
    LANGUAGE sql STABLE ROWS 500 SET enable_seqscan = off AS $$
      WITH n AS MATERIALIZED (
        SELECT d.id, true AS by_name, d.kind, d.organisation_id, d.person_id, d.org_type, d.province_code, d.size_class, d.cluster_ids,
               d.listed, d.visibility, d.area_keys, d.area_top, d.sort_key, d.tsv, word_similarity(names, d.trgm_text) AS name_similarity
        FROM search_documents d WHERE names IS NOT NULL AND names <% d.trgm_text LIMIT cap
      ),
      w AS (
        SELECT * FROM n
        UNION ALL
        (SELECT d.id, false, d.kind, d.organisation_id, d.person_id, d.org_type, d.province_code, d.size_class, d.cluster_ids, d.listed,
                d.visibility, d.area_keys, d.area_top, d.sort_key, d.tsv, 0::real
         FROM search_documents d WHERE q IS NOT NULL AND d.tsv @@ q AND d.id NOT IN (SELECT n.id FROM n)
         LIMIT greatest(cap - (SELECT count(*) FROM n), 0))
      )
      SELECT w.id, w.by_name, w.kind, w.organisation_id, w.person_id, w.org_type, w.province_code, w.size_class, w.cluster_ids, w.listed,
             w.visibility, w.area_keys, w.area_top, w.sort_key,
             CASE WHEN rq IS NOT NULL
                   AND (f_kind IS NULL OR w.kind = f_kind) AND (f_cluster IS NULL OR w.cluster_ids @> ARRAY[f_cluster])
                   AND (f_type IS NULL OR w.org_type = f_type) AND (f_province IS NULL OR w.province_code = f_province)
                   AND (f_size IS NULL OR w.size_class = f_size) AND (f_competence IS NULL OR w.area_keys @> ARRAY[f_competence])
                  THEN ts_rank(w.tsv, rq, 1) ELSE 0 END::real,
             w.name_similarity
      FROM w
    $$
  `.execute(db);

  // Browsing without words pages in name order.
  await sql`CREATE INDEX search_documents_sort_idx ON search_documents (sort_key, id)`.execute(db);
  // The most selective of the plain filters, for browsing a province.
  await sql`CREATE INDEX search_documents_province_idx ON search_documents (province_code)`.execute(db);
  // What a signed-in person sees beyond the public: a small part of the documents.
  await sql`CREATE INDEX search_documents_restricted_idx ON search_documents (kind, visibility) WHERE NOT (listed AND visibility = 'public')`.execute(db);

  // Offers are part of their organisation's document.
  await sql`
    CREATE FUNCTION search_queue_offer() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'INSERT' THEN
        INSERT INTO search_reindex_queue (kind, entity_id) VALUES ('organisation', OLD.organisation_id) ON CONFLICT DO NOTHING;
      END IF;
      IF TG_OP <> 'DELETE' THEN
        INSERT INTO search_reindex_queue (kind, entity_id) VALUES ('organisation', NEW.organisation_id) ON CONFLICT DO NOTHING;
      END IF;
      RETURN NULL;
    END $$
  `.execute(db);
  await sql`CREATE TRIGGER technology_offers_search_queue AFTER INSERT OR DELETE OR UPDATE OF organisation_id, status, visibility, expires_on, title_it, title_en, summary_it, summary_en, description_it, description_en, tags, categories ON technology_offers FOR EACH ROW EXECUTE FUNCTION search_queue_offer()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE search_documents RESET (toast_tuple_target)`.execute(db);
  await sql`ALTER TABLE search_documents ALTER COLUMN tsv SET STORAGE EXTENDED`.execute(db);
  await sql`DROP TRIGGER technology_offers_search_queue ON technology_offers`.execute(db);
  await sql`DROP FUNCTION search_queue_offer()`.execute(db);
  await sql`DROP INDEX search_documents_restricted_idx`.execute(db);
  await sql`DROP INDEX search_documents_province_idx`.execute(db);
  await sql`DROP INDEX search_documents_sort_idx`.execute(db);
  await sql`DROP FUNCTION search_matches(tsquery, text, integer, tsquery, text, uuid, text, text, text, text)`.execute(db);
  await sql`DROP TRIGGER search_facet_counts_delete ON search_documents`.execute(db);
  await sql`DROP TRIGGER search_facet_counts_update ON search_documents`.execute(db);
  await sql`DROP TRIGGER search_facet_counts_insert ON search_documents`.execute(db);
  await sql`DROP FUNCTION search_facet_counts_apply()`.execute(db);
  await sql`DROP FUNCTION search_facet_counts_rebuild()`.execute(db);
  await sql`DROP FUNCTION search_facet_audiences(text, boolean, text)`.execute(db);
  await sql`DROP FUNCTION search_facet_keys(uuid[], text, text, text, text[], text[])`.execute(db);
  await sql`DROP TABLE search_facet_counts`.execute(db);
}
