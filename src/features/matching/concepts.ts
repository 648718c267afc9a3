import { nextTurn } from '../../platform/turns.js';
import { LEXICON_SOURCE } from './lexicon.js';
import { stem, tokenize, type TextLang } from './text.js';

/** A language-neutral concept with its words in both languages (lexicon entry or taxonomy code). */
export interface Concept {
  /** `lex:<id>` for the domain lexicon, `tax:<code>` for a cluster taxonomy code. */
  id: string;
  labelIt: string;
  labelEn: string;
  termsIt: string[];
  termsEn: string[];
}

/**
 * Where taxonomy concepts come from (the competence taxonomy of each cluster, issue 5). The
 * matcher only needs codes with their IT/EN labels and synonyms.
 */
export interface ConceptSource {
  concepts(): Promise<{ code: string; labelIt: string; labelEn: string; synonymsIt: string[]; synonymsEn: string[] }[]>;
}

/** The lexicon parsed into concepts; the first term of each language is its label. */
export function lexiconConcepts(source = LEXICON_SOURCE): Concept[] {
  const concepts: Concept[] = [];
  for (const raw of source.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [id, en, it] = line.split('|').map((part) => part.trim());
    if (!id || !en || !it) throw new Error(`Malformed lexicon line: ${line}`);
    const termsEn = en.split(';').map((t) => t.trim()).filter(Boolean);
    const termsIt = it.split(';').map((t) => t.trim()).filter(Boolean);
    concepts.push({ id: `lex:${id}`, labelEn: termsEn[0]!.replace(/^=/, ''), labelIt: termsIt[0]!.replace(/^=/, ''), termsEn, termsIt });
  }
  return concepts;
}

export function taxonomyConcepts(rows: Awaited<ReturnType<ConceptSource['concepts']>>): Concept[] {
  return rows.map((r) => ({
    id: `tax:${r.code}`,
    labelIt: r.labelIt,
    labelEn: r.labelEn,
    termsIt: [r.labelIt, ...r.synonymsIt],
    termsEn: [r.labelEn, ...r.synonymsEn],
  }));
}

interface TrieNode {
  next: Map<string, TrieNode>;
  concepts: string[];
}

/** One mention of a concept in a text: where, and the words as written. */
export interface ConceptHit {
  concept: string;
  start: number;
  end: number;
}

/**
 * Finds concept mentions in a token sequence: a trie over the stemmed words of every term, one
 * per language, matched greedily (longest term first) so "machine learning" wins over "machine".
 */
export class ConceptMatcher {
  private readonly roots: Record<TextLang, TrieNode> = { it: newNode(), en: newNode() };
  private readonly concepts = new Map<string, Concept>();
  /**
   * The concepts given to the constructor, until first used: stemming every term of the lexicon
   * takes a tenth of a second, which processes that never match (CLI commands, most test apps)
   * no longer spend, and a server spends in its background warm-up (MatchingService.ready).
   */
  private initial: Concept[] | null;
  /** How many of `initial` are in the trie already (prepare adds them a slice at a time). */
  private initialAdded = 0;

  constructor(concepts: Concept[]) {
    this.initial = concepts;
  }

  private built(): this {
    const initial = this.initial;
    if (initial) {
      this.initial = null;
      for (let i = this.initialAdded; i < initial.length; i += 1) this.insert(initial[i]!);
    }
    return this;
  }

  /**
   * Build the lexicon as the first use would, a slice of `sliceMs` at a time with a turn of the
   * event loop between slices: a server's warm-up, so that requests are read meanwhile.
   */
  async prepare(sliceMs = 10): Promise<void> {
    for (;;) {
      const initial = this.initial;
      if (!initial) return;
      const until = performance.now() + sliceMs;
      // At least one concept per slice, however short the slice.
      do {
        this.insert(initial[this.initialAdded]!);
        this.initialAdded += 1;
      } while (this.initialAdded < initial.length && performance.now() < until);
      if (this.initialAdded >= initial.length) {
        this.initial = null;
        return;
      }
      await nextTurn();
    }
  }

  get byId(): ReadonlyMap<string, Concept> {
    return this.built().concepts;
  }

  add(concept: Concept): void {
    this.built();
    this.insert(concept);
  }

  private insert(concept: Concept): void {
    this.concepts.set(concept.id, concept);
    for (const [lang, terms] of [
      ['it', concept.termsIt],
      ['en', concept.termsEn],
    ] as const) {
      for (const term of terms) {
        // `=word`: that word as written (folded), not its stem.
        const exact = term.startsWith('=');
        const stems = tokenize(term).map((t) => (exact ? `=${t}` : stem(lang, t)));
        if (stems.length === 0) continue;
        let node = this.roots[lang];
        for (const s of stems) {
          let child = node.next.get(s);
          if (!child) {
            child = newNode();
            node.next.set(s, child);
          }
          node = child;
        }
        if (!node.concepts.includes(concept.id)) node.concepts.push(concept.id);
      }
    }
  }

  /**
   * Concept mentions in a text already split into stems of `lang` (and, for the terms that must
   * match a word exactly, into its folded tokens).
   */
  match(stems: string[], lang: TextLang, tokens?: string[]): ConceptHit[] {
    const hits: ConceptHit[] = [];
    const root = this.built().roots[lang];
    let i = 0;
    while (i < stems.length) {
      let nodes: TrieNode[] = [root];
      let best: { end: number; concepts: string[] } | undefined;
      for (let j = i; j < stems.length && nodes.length > 0; j++) {
        const next: TrieNode[] = [];
        for (const node of nodes) {
          const byStem = node.next.get(stems[j]!);
          if (byStem) next.push(byStem);
          const byWord = tokens ? node.next.get(`=${tokens[j]}`) : undefined;
          if (byWord) next.push(byWord);
        }
        nodes = next;
        const found = nodes.find((n) => n.concepts.length > 0);
        if (found) best = { end: j + 1, concepts: [...new Set(nodes.flatMap((n) => n.concepts))] };
      }
      if (best) {
        for (const concept of best.concepts) hits.push({ concept, start: i, end: best.end });
        i = best.end;
      } else {
        i++;
      }
    }
    return hits;
  }

  label(id: string, lang: 'it' | 'en'): string {
    const concept = this.byId.get(id);
    if (!concept) return id;
    return lang === 'it' ? concept.labelIt : concept.labelEn;
  }
}

function newNode(): TrieNode {
  return { next: new Map(), concepts: [] };
}
