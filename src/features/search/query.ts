import { quoteLexeme } from './text.js';

/**
 * From query words to a tsquery, with no database access (the analysis comes in):
 *  - each word stands for its Italian stem, its English stem and, when the word is unknown, the
 *    stems of the dictionary words it is a likely typo of (trigram similarity);
 *  - a word that names a taxonomy area (label or synonym, in either language) also stands for
 *    every other label and synonym of that area and of the areas mapped to the same network
 *    concept, in both languages: "conservanti" reaches "preservatives";
 *  - all words are required (AND); `relaxed` joins them with OR, for the second try.
 */

export interface TokenAnalysis {
  token: string;
  /** Stems in the Italian and English configurations (empty when a stop word there). */
  it: string[];
  en: string[];
  /** The word is in the dictionary (search_vocabulary: every word of every document). */
  known: boolean;
  /** Dictionary words this unknown word is probably a typo of, with their stems. */
  corrections: { word: string; stems: string[] }[];
}

/** One label or synonym of an area, as groups of stems: one group per word. */
export interface TaxonomyTerm {
  areaKey: string;
  words: string[][];
}

export interface ExpansionIndex {
  terms: TaxonomyTerm[];
  /** Stem → indexes into `terms` of the terms containing a word with that stem. */
  byStem: Map<string, number[]>;
  /** Area key → the area keys searched with it (itself, and those sharing its network concept). */
  related: Map<string, string[]>;
  /** Area key → indexes of its terms. */
  termsOfArea: Map<string, number[]>;
}

export function buildExpansionIndex(terms: TaxonomyTerm[], related: Map<string, string[]>): ExpansionIndex {
  const byStem = new Map<string, number[]>();
  const termsOfArea = new Map<string, number[]>();
  terms.forEach((term, i) => {
    termsOfArea.set(term.areaKey, [...(termsOfArea.get(term.areaKey) ?? []), i]);
    for (const stems of term.words) {
      for (const stem of stems) {
        const list = byStem.get(stem);
        if (!list) byStem.set(stem, [i]);
        else if (list[list.length - 1] !== i) list.push(i);
      }
    }
  });
  return { terms, byStem, related, termsOfArea };
}

export interface BuiltQuery {
  /** All words required; null when no word carries meaning (only stop words). */
  strict: string | null;
  /** Any word suffices (same groups joined by OR). */
  relaxed: string | null;
  /** The query's own words (stems and corrections, no synonyms), any of them: what ranking weighs. */
  rank: string | null;
  /** Every lexeme the query may match, for highlighting. */
  lexemes: string[];
  /** Area keys the query named (and their concept siblings): documents declaring them rank higher. */
  areaKeys: string[];
  /** Corrections applied: typed word → dictionary word. */
  corrections: { from: string; to: string }[];
  /** Words left out as stop words. */
  ignored: string[];
}

const MAX_ALTERNATIVES = 32;

/** A word that is a stop word in neither language. */
export function carriesMeaning(a: TokenAnalysis): boolean {
  return a.it.length > 0 && a.en.length > 0;
}

export function buildQuery(analysis: TokenAnalysis[], index: ExpansionIndex): BuiltQuery {
  // Stop words in either language carry no meaning, unless nothing else is left ("ITS", "IT").
  let active = analysis.filter(carriesMeaning);
  if (active.length === 0) active = analysis.filter((a) => a.it.length + a.en.length + a.corrections.length > 0);
  const ignored = analysis.filter((a) => !active.includes(a)).map((a) => a.token);
  if (active.length === 0) return { strict: null, relaxed: null, rank: null, lexemes: [], areaKeys: [], corrections: [], ignored };

  const stemSets = active.map((a) => new Set([...a.it, ...a.en, ...a.corrections.flatMap((c) => c.stems)]));
  // Each query word's group of alternatives: single lexemes, and terms of several words (each
  // word one or more stems), at most MAX_ALTERNATIVES in all.
  const groups = stemSets.map((set) => ({ singles: new Set(set), conjunctions: new Map<string, string[][]>(), size: set.size }));
  const lexemes = new Set<string>(stemSets.flatMap((s) => [...s]));
  const areaKeys = new Set<string>();

  // Taxonomy terms whose every word is matched by some query word.
  const candidates = new Set<number>();
  for (const set of stemSets) for (const stem of set) for (const i of index.byStem.get(stem) ?? []) candidates.add(i);
  for (const i of candidates) {
    const term = index.terms[i]!;
    const covering = new Set<number>();
    const complete = term.words.every((stems) => {
      const t = stemSets.findIndex((set) => stems.some((s) => set.has(s)));
      if (t === -1) return false;
      stemSets.forEach((set, j) => {
        if (stems.some((s) => set.has(s))) covering.add(j);
      });
      return true;
    });
    if (!complete) continue;
    for (const key of index.related.get(term.areaKey) ?? [term.areaKey]) {
      areaKeys.add(key);
      for (const ti of index.termsOfArea.get(key) ?? []) {
        const other = index.terms[ti]!;
        const words = other.words.map((stems) => [...new Set(stems)]);
        for (const stems of words) for (const s of stems) lexemes.add(s);
        const conjunction = words.length === 1 ? null : words.map((stems) => (stems.length === 1 ? quoteLexeme(stems[0]!) : `(${stems.map(quoteLexeme).join(' | ')})`)).join(' & ');
        for (const j of covering) {
          const group = groups[j]!;
          if (group.size >= MAX_ALTERNATIVES) continue;
          if (conjunction === null) {
            const before = group.singles.size;
            for (const s of words[0]!) group.singles.add(s);
            if (group.singles.size === before) continue;
          } else if (!group.conjunctions.has(conjunction)) {
            group.conjunctions.set(conjunction, words);
          } else continue;
          group.size += 1;
        }
      }
    }
  }

  // A term of several words is left out of a group that already has, as single alternatives, every
  // stem of one of its words (a | (a & b) is a): it would match no other document, and its other
  // words are often the commonest of the corpus ("sistemi conservanti": every "sistemi"), whose
  // posting lists the index would read in full for nothing.
  const alternatives = groups.map((group) => [
    ...[...group.singles].map(quoteLexeme),
    ...[...group.conjunctions].filter(([, words]) => !words.some((stems) => stems.every((s) => group.singles.has(s)))).map(([text]) => `(${text})`),
  ]);
  const joined = alternatives.map((list) => (list.length === 1 ? list[0]! : `(${list.join(' | ')})`));
  const corrections = active.flatMap((a) => a.corrections.slice(0, 1).map((c) => ({ from: a.token, to: c.word })));
  const own = [...new Set(stemSets.flatMap((set) => [...set]))].map(quoteLexeme);
  // A group whose alternatives include all of another's is implied by it (A & (A | b) is A): left
  // out of the query that requires every word. Two words of one area ("tracciabilità filiera")
  // gave the index the same group twice, and the documents twice its alternatives to check.
  const sets = alternatives.map((list) => new Set(list));
  const within = (a: Set<string>, b: Set<string>) => [...a].every((x) => b.has(x));
  // j's alternatives are all among i's: fewer of them, or the same ones and j comes first.
  const implies = (j: number, i: number) => j !== i && within(sets[j]!, sets[i]!) && (sets[j]!.size < sets[i]!.size || j < i);
  const required = joined.filter((_, i) => !sets.some((_, j) => implies(j, i)));
  // The second try (any word) needs each distinct group once: a repeated one adds nothing.
  const distinct = joined.filter((_, i) => !sets.some((other, j) => j < i && other.size === sets[i]!.size && within(other, sets[i]!)));
  return {
    strict: required.join(' & '),
    rank: own.join(' | '),
    relaxed: distinct.length > 1 ? distinct.join(' | ') : null,
    lexemes: [...lexemes],
    areaKeys: [...areaKeys],
    corrections,
    ignored,
  };
}
