/**
 * Text handling shared by the indexer and the query side: the same normalisation (lower case,
 * accents dropped) on both sides, so that "università", "Universita" and "UNIVERSITÀ" are one word.
 */

const ASCII = /^[\x00-\x7f]*$/;

/** Lower case, accents removed. */
export function normalise(text: string): string {
  // Plain ASCII has nothing to decompose (most words of a page): the Unicode pass is most of the
  // cost of highlighting a page of results.
  if (ASCII.test(text)) return text.toLowerCase();
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Words of a text, normalised; anything that is not a letter or a digit separates words. */
export function words(text: string): string[] {
  return normalise(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/** Query words: at most `max`, each 2–40 characters (longer runs are not words anyone types). */
export function queryTokens(text: string, max = 12): string[] {
  const seen = new Set<string>();
  for (const w of words(text)) {
    if (w.length < 2 || w.length > 40) continue;
    seen.add(w);
    if (seen.size >= max) break;
  }
  return [...seen];
}

/** Words the dictionary is asked to correct when it does not hold them: four letters or more, not a number. */
export function correctable(word: string): boolean {
  return word.length >= 4 && !/^\d+$/.test(word);
}

/** Words worth keeping in the typo-correction dictionary. */
export function vocabularyWords(text: string): string[] {
  return words(text).filter((w) => w.length >= 3 && w.length <= 40 && !/^\d+$/.test(w));
}

/** A tsquery lexeme, quoted (lexemes from our tokens hold only letters and digits, but be safe). */
export function quoteLexeme(lexeme: string): string {
  return `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

export interface Highlight {
  /** The text shown, possibly an excerpt of the field. */
  text: string;
  /** [start, end) character ranges of `text` that matched the query. */
  ranges: [number, number][];
}

/**
 * Mark the words of `text` that match one of the query's lexemes (stems and expansions), the way
 * the database matched them: a word matches a stem it starts with once both are normalised.
 * Returns null when nothing matches. Long texts are cut to an excerpt around the first match.
 */
export function highlight(text: string, lexemes: string[], excerpt = 180): Highlight | null {
  const useful = usefulLexemes(lexemes);
  if (useful.length === 0 || !text) return null;
  const ranges = matchRanges(text, useful, false);
  if (ranges.length === 0) return null;
  if (text.length <= excerpt) return { text, ranges };
  const first = ranges[0]![0];
  let start = Math.max(0, first - Math.floor(excerpt / 3));
  // Start at a word boundary.
  if (start > 0) {
    const space = text.indexOf(' ', start);
    if (space !== -1 && space < first) start = space + 1;
  }
  let end = Math.min(text.length, start + excerpt);
  if (end < text.length) {
    const space = text.lastIndexOf(' ', end);
    if (space > Math.max(first, start)) end = space;
  }
  const prefix = start > 0 ? '… ' : '';
  const suffix = end < text.length ? ' …' : '';
  const shift = prefix.length - start;
  return {
    text: `${prefix}${text.slice(start, end)}${suffix}`,
    ranges: ranges.filter(([s, e]) => s >= start && e <= end).map(([s, e]) => [s + shift, e + shift] as [number, number]),
  };
}

/** The lexemes a word can be matched against (short stems match too much). */
function usefulLexemes(lexemes: string[]): string[] {
  return lexemes.filter((l) => l.length >= 3 || /^\d+$/.test(l));
}

/** Combining marks, and the Greek capital sigma (its lower case depends on what follows it). */
const UNALIGNED = /[\p{M}\u03a3]/u;

/**
 * Ranges of the words of `text` matching one of `useful` (the first only, when `first`). A word
 * matches a lexeme when, normalised, it starts with it (or is a prefix of it of four or more
 * characters), so it holds the lexeme's first four characters: a text whose normalised form holds
 * none of them has no match. Normalising the whole text equals normalising each word (both work
 * character by character) except for the Greek capital sigma, whose lower case depends on what
 * follows: such texts are always read word by word. When every character of the text normalises
 * to exactly one character (no combining marks, same length: "università" → "universita"), a
 * word's normalised form is read from the normalised text at the same place instead of being
 * normalised again.
 */
function matchRanges(text: string, useful: string[], first: boolean): [number, number][] {
  const ranges: [number, number][] = [];
  const whole = normalise(text);
  const sigma = text.includes('\u03a3');
  if (!sigma && !useful.some((l) => whole.includes(l.slice(0, 4)))) return ranges;
  const aligned = whole.length === text.length && !UNALIGNED.test(text);
  const re = /[\p{L}\p{N}]+/gu;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const word = aligned ? whole.slice(m.index, m.index + m[0].length) : normalise(m[0]);
    if (useful.some((l) => word.startsWith(l) || (word.length >= 4 && l.startsWith(word)))) {
      ranges.push([m.index, m.index + m[0].length]);
      if (first) break;
    }
  }
  return ranges;
}

/** Whether `highlight` would mark anything in `text` (without building the highlight). */
export function matchesAny(text: string, lexemes: string[]): boolean {
  const useful = usefulLexemes(lexemes);
  return useful.length > 0 && !!text && matchRanges(text, useful, true).length > 0;
}
