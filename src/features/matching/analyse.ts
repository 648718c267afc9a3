import type { FeatureBag } from './bm25.js';
import type { ConceptMatcher } from './concepts.js';
import { cognateForm, cognateKey, contentTokens, detectLanguage, isStopword, stem, tokenize, words, type TextLang } from './text.js';

/** Bumped whenever analysis changes (lexicon, stemming, weights): stored documents are then rebuilt. */
export const ANALYZER_VERSION = 6;

export interface FieldText {
  text: string | null | undefined;
  /** Language of the field when known (bilingual records); detected otherwise. */
  lang?: TextLang | undefined;
  /** How much the field counts (title and categories more than long descriptions). */
  weight: number;
}

/**
 * The language-neutral representation of a text, one feature bag per ranker, plus what is needed
 * to explain a match to a person: the words as written for every stem, concept and cognate.
 */
export interface Analysed {
  lang: TextLang;
  /** Language-tagged Snowball stems: `en:preserv`, `it:conserv`. */
  stems: FeatureBag;
  /** Concept ids (lexicon and taxonomy). */
  concepts: FeatureBag;
  /** Cognate keys (six letters of the shared spelling). */
  cognates: FeatureBag;
  /** Full cognate forms, for fuzzy (trigram) matching. */
  forms: FeatureBag;
  /** A word as written for each stem, cognate key or form, and the phrase for each concept. */
  surface: Record<string, string>;
}

function bump(bag: FeatureBag, key: string, by: number): void {
  bag[key] = (bag[key] ?? 0) + by;
}

export function analyse(fields: FieldText[], matcher: ConceptMatcher): Analysed {
  const out: Analysed = { lang: 'it', stems: {}, concepts: {}, cognates: {}, forms: {}, surface: {} };
  const langWeight: Record<TextLang, number> = { it: 0, en: 0 };
  for (const field of fields) {
    const text = field.text?.trim();
    if (!text) continue;
    const lang = field.lang ?? detectLanguage(text);
    const spelled = words(text);
    const tokens = spelled.map((w) => w.token);
    const originals = spelled.map((w) => w.original);
    langWeight[lang] += tokens.length;
    const w = field.weight;
    // Concepts over every token (terms may contain function words: "gestione del rischio").
    const stems = tokens.map((t) => stem(lang, t));
    for (const hit of matcher.match(stems, lang, tokens)) {
      if (hit.concept.startsWith('lex:_')) continue;
      bump(out.concepts, hit.concept, w);
      out.surface[hit.concept] ??= originals.slice(hit.start, hit.end).join(' ');
    }
    tokens.forEach((token, i) => {
      if (token.length < 2 || isStopword(lang, token) || /^\d+$/.test(token)) return;
      const s = `${lang}:${stems[i]}`;
      bump(out.stems, s, w);
      out.surface[s] ??= originals[i]!;
      const key = cognateKey(token);
      if (key) {
        bump(out.cognates, `c:${key}`, w);
        out.surface[`c:${key}`] ??= originals[i]!;
      }
      const form = cognateForm(token);
      if (form) {
        bump(out.forms, `f:${form}`, w);
        out.surface[`f:${form}`] ??= originals[i]!;
      }
    });
  }
  out.lang = langWeight.en > langWeight.it ? 'en' : 'it';
  return out;
}

/** A query (a need written by a person): one field, language given or detected. */
export function analyseQuery(text: string, lang: TextLang | undefined, matcher: ConceptMatcher): Analysed {
  return analyse([{ text, lang: lang ?? detectLanguage(text), weight: 1 }], matcher);
}

/**
 * Translate a query's concepts into stems of the other language (and synonyms of its own): the
 * "translated terms" the stem ranker also looks for. Words shared by several terms of a concept
 * weigh more than a word of one term only (`preserv` over `system` for "preservation systems").
 */
export function translatedStems(query: Analysed, matcher: ConceptMatcher, weights = { other: 0.6, same: 0.25 }): FeatureBag {
  const bag: FeatureBag = {};
  for (const [id, qtf] of Object.entries(query.concepts)) {
    const concept = matcher.byId.get(id);
    if (!concept) continue;
    for (const [lang, terms] of [
      ['it', concept.termsIt],
      ['en', concept.termsEn],
    ] as const) {
      const factor = lang === query.lang ? weights.same : weights.other;
      if (factor <= 0) continue;
      const counts = new Map<string, number>();
      for (const term of terms) {
        for (const token of new Set(contentTokens(tokenize(term), lang))) {
          const key = `${lang}:${stem(lang, token)}`;
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
      }
      const max = Math.max(1, ...counts.values());
      for (const [key, n] of counts) {
        if (lang === query.lang && query.stems[key]) continue;
        bump(bag, key, (factor * qtf * n) / max);
      }
    }
  }
  return bag;
}
