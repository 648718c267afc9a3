import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
// The names branch of search_matches (a name typed wrong, 2026-11-26T1800 onwards) kept the first
// documents whose text passed the word-similarity threshold, at most least(cap, 200), in whatever
// order the trigram index gave them: with more names passing than that, the name typed could be
// left out while names sharing only one of its words were kept ("laboratorio verdy" and two hundred
// other laboratories). Now the closest are kept: at most 2,000 that pass are read, ordered by their
// word similarity (then id), and the first least(cap, 200) kept. The rest of the function is as
// 2026-11-27T1000 left it, so only that clause of its text is replaced (it is in both branches).

const BEFORE = 'FROM search_documents d WHERE names IS NOT NULL AND names <% d.trgm_text LIMIT least(w_cap, 200)';
const AFTER =
  'FROM (SELECT * FROM search_documents s WHERE names IS NOT NULL AND names <% s.trgm_text LIMIT 2000) d ' +
  'ORDER BY word_similarity(names, d.trgm_text) DESC, d.id LIMIT least(w_cap, 200)';

async function replaceClause(db: Kysely<any>, from: string, to: string): Promise<void> {
  const { rows } = await sql<{ def: string }>`SELECT pg_get_functiondef('search_matches'::regproc) AS def`.execute(db);
  const def = rows[0]!.def;
  // Once in each branch of the function (small table, hash ranges).
  const count = def.split(from).length - 1;
  if (count !== 2) throw new Error(`search_matches: expected the names clause twice, found it ${count} times: ${from}`);
  await sql.raw(def.replaceAll(from, to)).execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  await replaceClause(db, BEFORE, AFTER);
}

export async function down(db: Kysely<any>): Promise<void> {
  await replaceClause(db, AFTER, BEFORE);
}
