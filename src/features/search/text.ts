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

/**
 * Edits (insert, delete, replace a character, or swap two adjacent ones) that turn `a` into `b`:
 * the optimal-string-alignment distance. A swap is the commonest slip of typing, and the trigram
 * similarity that finds correction candidates ranks it badly: "sensro" shares more trigrams with
 * "sense" (two edits) than with "sensor" (one swap). Words are at most 40 characters, so two rows
 * of the matrix are enough. Written here because the npm packages for it were unmaintained or
 * gave wrong answers for words that differ by more than four edits.
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let before = new Array<number>(b.length + 1).fill(0); // row i - 2
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j); // row i - 1
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, before[j - 2]! + 1);
      current[j] = best;
    }
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length]!;
}

/**
 * Correction candidates of a word, best first: fewest edits, then most trigrams in common, then
 * alphabetical (so the order never depends on the database's).
 */
export function rankCorrections<T extends { word: string; similarity: number }>(word: string, candidates: readonly T[]): T[] {
  return candidates
    .map((c) => ({ c, edits: editDistance(word, c.word) }))
    .sort((x, y) => x.edits - y.edits || y.c.similarity - x.c.similarity || (x.c.word < y.c.word ? -1 : x.c.word > y.c.word ? 1 : 0))
    .map((x) => x.c);
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
