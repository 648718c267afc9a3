import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
// Matching at scale (docs/decisions/006-matchmaking.md, "Speed at 200,000 offers"): candidates come
// from PostgreSQL, not from an index held in every app instance.
//  - match_documents also holds profiles (organisations, facilities, people's expertise: kind 'profile', built from
//    their search documents) and gets a small integer doc_id for the postings.
//  - match_features: every feature (stem, concept, cognate key, word form) of the active documents
//    of each kind, with its document frequency; word forms have a trigram index (typos).
//  - match_postings: feature → document with the document's BM25 weight for it (impact), read
//    best first, a bounded number per feature of the query.
//  - match_stats: documents and total feature weight per kind and ranker (BM25's average length).
//  Document frequencies and statistics are kept by statement triggers from the documents (the
//  feature bags in payload.doc, their sums in lengths), set-based, so a bulk rebuild costs one
//  upsert per batch; postings are written by the application with the documents.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE match_documents DROP CONSTRAINT IF EXISTS match_documents_kind_check`.execute(db);
  await sql`ALTER TABLE match_documents ADD CONSTRAINT match_documents_kind_check CHECK (kind IN ('offer', 'need', 'profile'))`.execute(db);
  await sql`CREATE SEQUENCE match_documents_doc_id_seq`.execute(db);
  await sql`ALTER TABLE match_documents ADD COLUMN doc_id integer NOT NULL DEFAULT nextval('match_documents_doc_id_seq')`.execute(db);
  await sql`CREATE UNIQUE INDEX match_documents_doc_id_idx ON match_documents (doc_id)`.execute(db);
  // Read for every candidate, so kept apart from the payload (large, compressed, read whole):
  // what a result shows and is filtered by, and the length of each ranker's bag (BM25).
  await sql`ALTER TABLE match_documents ADD COLUMN meta jsonb`.execute(db);
  await sql`ALTER TABLE match_documents ADD COLUMN lengths real[]`.execute(db);
  await sql`CREATE INDEX match_documents_organisation_idx ON match_documents (organisation_id, kind)`.execute(db);

  await sql`
    CREATE TABLE match_features (
      id serial PRIMARY KEY,
      kind text NOT NULL,
      feature text NOT NULL,
      df integer NOT NULL DEFAULT 0,
      UNIQUE (kind, feature)
    )
  `.execute(db);
  await sql`CREATE INDEX match_features_forms_trgm_idx ON match_features USING gin ((substr(feature, 3)) gin_trgm_ops) WITH (fastupdate = off) WHERE feature LIKE 'f:%'`.execute(db);
  await sql`
    CREATE TABLE match_postings (
      doc_id integer NOT NULL,
      feature_id integer NOT NULL,
      -- The document's weight for the feature, its ranker's length, and BM25's saturation of it
      -- against the average when written (the order postings are read in).
      tf real NOT NULL,
      len real NOT NULL,
      impact real NOT NULL,
      PRIMARY KEY (doc_id, feature_id)
    )
  `.execute(db);
  // Best first, everything the score needs in the index itself (index-only scans).
  await sql`CREATE INDEX match_postings_impact_idx ON match_postings (feature_id, impact DESC) INCLUDE (doc_id, tf, len)`.execute(db);
  await sql`
    CREATE TABLE match_stats (
      kind text NOT NULL,
      ranker text NOT NULL,
      docs integer NOT NULL DEFAULT 0,
      total_length double precision NOT NULL DEFAULT 0,
      PRIMARY KEY (kind, ranker)
    )
  `.execute(db);

  // The features of documents (payload.doc bags) with a sign: +1 for new active rows, -1 for old.
  await sql`
    CREATE FUNCTION match_document_features(payload jsonb)
    RETURNS TABLE (feature text) LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT jsonb_object_keys(payload->'doc'->'stems')
      UNION ALL SELECT jsonb_object_keys(payload->'doc'->'concepts')
      UNION ALL SELECT jsonb_object_keys(payload->'doc'->'cognates')
      UNION ALL SELECT jsonb_object_keys(payload->'doc'->'forms')
    $$
  `.execute(db);
  // The rows a statement changed, with a sign: +1 for the new active rows, -1 for the old ones.
  const changed = (rows: ('new' | 'old')[]) =>
    rows.map((r) => `SELECT ${r === 'new' ? 1 : -1} AS sign, kind, payload, lengths FROM ${r}_rows WHERE active AND lengths IS NOT NULL`).join(' UNION ALL ');
  // In key order: concurrent writers lock the rows in the same order.
  const counts = (rows: ('new' | 'old')[]) => `
        INSERT INTO match_features AS m (kind, feature, df)
        SELECT c.kind, f.feature, sum(c.sign)::int
        FROM (${changed(rows)}) c CROSS JOIN LATERAL match_document_features(c.payload) f
        GROUP BY 1, 2 HAVING sum(c.sign) <> 0 ORDER BY 1, 2
        ON CONFLICT (kind, feature) DO UPDATE SET df = m.df + excluded.df;
        INSERT INTO match_stats AS s (kind, ranker, docs, total_length)
        SELECT c.kind, l.ranker, sum(c.sign)::int, sum(c.sign * l.length)
        FROM (${changed(rows)}) c CROSS JOIN LATERAL unnest(ARRAY['stems', 'concepts', 'cognates', 'fuzzy'], c.lengths) AS l(ranker, length)
        GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (kind, ranker) DO UPDATE SET docs = s.docs + excluded.docs, total_length = s.total_length + excluded.total_length;`;
  await sql
    .raw(
      `
    CREATE FUNCTION match_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN${counts(['new'])}
      ELSE
        -- A removed or replaced document loses its postings (a new version writes its own).
        DELETE FROM match_postings p USING old_rows o WHERE p.doc_id = o.doc_id;
        IF TG_OP = 'UPDATE' THEN${counts(['new', 'old'])}
        ELSE${counts(['old'])}
        END IF;
      END IF;
      RETURN NULL;
    END $$`,
    )
    .execute(db);
  await sql`CREATE TRIGGER match_documents_counts_insert AFTER INSERT ON match_documents REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION match_counts_apply()`.execute(db);
  await sql`CREATE TRIGGER match_documents_counts_update AFTER UPDATE ON match_documents REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION match_counts_apply()`.execute(db);
  await sql`CREATE TRIGGER match_documents_counts_delete AFTER DELETE ON match_documents REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION match_counts_apply()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TRIGGER match_documents_counts_delete ON match_documents`.execute(db);
  await sql`DROP TRIGGER match_documents_counts_update ON match_documents`.execute(db);
  await sql`DROP TRIGGER match_documents_counts_insert ON match_documents`.execute(db);
  await sql`DROP FUNCTION match_counts_apply()`.execute(db);
  await sql`DROP FUNCTION match_document_features(jsonb)`.execute(db);
  await sql`DROP TABLE match_stats`.execute(db);
  await sql`DROP TABLE match_postings`.execute(db);
  await sql`DROP TABLE match_features`.execute(db);
  await sql`DROP INDEX match_documents_organisation_idx`.execute(db);
  await sql`DROP INDEX match_documents_doc_id_idx`.execute(db);
  await sql`ALTER TABLE match_documents DROP COLUMN lengths`.execute(db);
  await sql`ALTER TABLE match_documents DROP COLUMN meta`.execute(db);
  await sql`ALTER TABLE match_documents DROP COLUMN doc_id`.execute(db);
  await sql`DROP SEQUENCE match_documents_doc_id_seq`.execute(db);
  await sql`DELETE FROM match_documents WHERE kind = 'profile'`.execute(db);
  await sql`ALTER TABLE match_documents DROP CONSTRAINT match_documents_kind_check`.execute(db);
  await sql`ALTER TABLE match_documents ADD CONSTRAINT match_documents_kind_check CHECK (kind IN ('offer', 'need'))`.execute(db);
}
