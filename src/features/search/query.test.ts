import { describe, expect, it } from 'vitest';
import { LruCache } from './lru.js';
import { buildExpansionIndex, buildQuery, type TokenAnalysis } from './query.js';
import { editDistance, highlight, matchesAny, normalise, queryTokens, rankCorrections } from './text.js';

const token = (t: string, it: string[], en: string[], corrections: TokenAnalysis['corrections'] = []): TokenAnalysis => ({ token: t, it, en, known: corrections.length === 0, corrections });

// MPA.PRES: "conservanti" (it) / "preservatives" (en); a concept links it to a chemistry area.
const index = buildExpansionIndex(
  [
    { areaKey: 'cosmetica:MPA.PRES', words: [['conserv', 'conservanti']] },
    { areaKey: 'cosmetica:MPA.PRES', words: [['preservatives', 'preserv']] },
    { areaKey: 'cosmetica:MPA.PRES', words: [['sistem', 'sistemi'], ['conserv', 'conservanti']] },
    { areaKey: 'chimica-verde:BIO', words: [['bioraffiner', 'bioraffineri']] },
    { areaKey: 'chimica-verde:BIO', words: [['green'], ['chemistr', 'chemistry']] },
  ],
  new Map([
    ['cosmetica:MPA.PRES', ['cosmetica:MPA.PRES', 'chimica-verde:BIO', 'concept:x']],
    ['chimica-verde:BIO', ['chimica-verde:BIO', 'cosmetica:MPA.PRES', 'concept:x']],
  ]),
);

describe('query building', () => {
  it('requires every word, each standing for its stems in both languages', () => {
    const q = buildQuery([token('naturali', ['natural'], ['naturali']), token('creme', ['crem'], ['creme'])], index);
    expect(q.strict).toBe("('natural' | 'naturali') & ('crem' | 'creme')");
    expect(q.relaxed).toBe("('natural' | 'naturali') | ('crem' | 'creme')");
    expect(q.rank).toBe("'natural' | 'naturali' | 'crem' | 'creme'");
  });

  it('expands a word naming an area with every label and synonym of it and of its concept siblings', () => {
    const q = buildQuery([token('preservatives', ['preservatives'], ['preserv'])], index);
    expect(q.strict).toContain("'conserv'");
    expect(q.strict).toContain("'bioraffiner'");
    expect(q.strict).toContain("('green' & ('chemistr' | 'chemistry'))");
    expect(q.areaKeys.sort()).toEqual(['chimica-verde:BIO', 'concept:x', 'cosmetica:MPA.PRES']);
  });

  it('leaves out a term of several words when one of its words is already an alternative (a | (a & b) is a)', () => {
    // "sistemi conservanti" matches no document that "conservanti" alone does not: the index
    // would read every "sistemi" for nothing.
    const q = buildQuery([token('preservatives', ['preservatives'], ['preserv'])], index);
    expect(q.strict).not.toContain("'sistem'");
    expect(q.lexemes).toContain('sistem');
    // A term none of whose words is all there as single alternatives stays.
    expect(q.strict).toContain("('green' & ('chemistr' | 'chemistry'))");
  });

  it('requires a group once when another word gives the same alternatives or fewer (A & (A | b) is A)', () => {
    // Both words name MPA.PRES: the same group twice.
    const twice = buildQuery([token('conservanti', ['conserv'], ['conservanti']), token('preservatives', ['preservatives'], ['preserv'])], index);
    const group = twice.strict!;
    expect(group.split("'bioraffiner'")).toHaveLength(2); // once
    expect(group).toContain("'conserv'");
    expect(group).toContain("'preserv'");
    expect(twice.relaxed).toBeNull(); // a second try with any of the words would find nothing more
    // "naturali" is not implied by the area's group, nor the other way round: both stay required.
    const two = buildQuery([token('conservanti', ['conserv'], ['conservanti']), token('naturali', ['natural'], ['naturali'])], index);
    expect(two.strict).toBe(`${group} & ('natural' | 'naturali')`);
    // A word whose stems are among another group's alternatives is the narrower one: it stays.
    const narrower = buildQuery([token('naturali', ['natural'], ['naturali']), token('natural', ['natural'], ['natural'])], index);
    expect(narrower.strict).toBe("'natural'");
    expect(narrower.relaxed).toBe("('natural' | 'naturali') | 'natural'");
  });

  it('leaves out stop words, unless nothing else is left', () => {
    const q = buildQuery([token('per', [], ['per']), token('creme', ['crem'], ['creme'])], index);
    expect(q.ignored).toEqual(['per']);
    expect(q.strict).toBe("('crem' | 'creme')");
    expect(buildQuery([token('its', ['its'], [])], index).strict).toBe("'its'");
    expect(buildQuery([token('the', [], [])], index).strict).toBeNull();
  });

  it('adds the stems of likely corrections of an unknown word', () => {
    const q = buildQuery([token('natrale', ['natral'], ['natral'], [{ word: 'naturali', stems: ['natural', 'naturali'] }])], index);
    expect(q.strict).toBe("('natral' | 'natural' | 'naturali')");
    expect(q.corrections).toEqual([{ from: 'natrale', to: 'naturali' }]);
  });
});

describe('text', () => {
  it('counts edits, an adjacent swap as one', () => {
    expect(editDistance('sensro', 'sensor')).toBe(1);
    expect(editDistance('sensro', 'sense')).toBe(2);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('esnsor', 'sensor')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abc', '')).toBe(3);
    expect(editDistance('natrale', 'natrale')).toBe(0);
    // Optimal string alignment: a swapped pair is not edited again ("ca" → "abc" is 3, not 2).
    expect(editDistance('ca', 'abc')).toBe(3);
    expect(editDistance('conservante', 'preservatives')).toBe(editDistance('preservatives', 'conservante'));
  });

  it('counts edits as the full matrix does, on random words of any length', () => {
    const osa = (a: string, b: string) => {
      const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
      for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
          const cost = a[i - 1] === b[j - 1] ? 0 : 1;
          d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
          if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
        }
      }
      return d[a.length]![b.length]!;
    };
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const word = () => Array.from({ length: Math.floor(random() * 12) }, () => 'abcde'[Math.floor(random() * 5)]).join('');
    for (let n = 0; n < 2_000; n++) {
      const [a, b] = [word(), word()];
      expect(editDistance(a, b), `${a} → ${b}`).toBe(osa(a, b));
    }
  });

  it('ranks corrections by edits, then shared trigrams, then alphabetically', () => {
    const ranked = rankCorrections('sensro', [
      { word: 'sense', similarity: 0.44 },
      { word: 'sensori', similarity: 0.36 },
      { word: 'sensor', similarity: 0.4 },
      { word: 'sensi', similarity: 0.36 },
    ]);
    expect(ranked.map((c) => c.word)).toEqual(['sensor', 'sense', 'sensi', 'sensori']);
    // sense, sensi and sensori are two edits away: more trigrams first, then the alphabet.
    expect(rankCorrections('abcd', [{ word: 'abce', similarity: 0.3 }, { word: 'abcf', similarity: 0.3 }]).map((c) => c.word)).toEqual(['abce', 'abcf']);
  });

  it('normalises accents and case, and splits query words', () => {
    expect(normalise('Università CÀFFÈ')).toBe('universita caffe');
    expect(queryTokens("  L'università, di   MILANO!! ")).toEqual(['universita', 'di', 'milano']);
    expect(queryTokens('a '.repeat(50) + 'x'.repeat(41))).toEqual([]);
  });

  it('marks the words that start with a matched stem, and cuts long texts around the first one', () => {
    const h = highlight('Sviluppiamo conservanti naturali per creme.', ['conserv', 'natural'])!;
    expect(h.ranges.map(([s, e]) => h.text.slice(s, e))).toEqual(['conservanti', 'naturali']);
    const long = `${'parola '.repeat(60)}conservanti ${'altro '.repeat(60)}`;
    const cut = highlight(long, ['conserv'], 100)!;
    expect(cut.text.length).toBeLessThanOrEqual(104);
    expect(cut.text.startsWith('… ')).toBe(true);
    expect(cut.ranges.map(([s, e]) => cut.text.slice(s, e))).toEqual(['conservanti']);
    expect(highlight('nulla da segnare', ['conserv'])).toBeNull();
  });

  it('normalises plain ASCII on its fast path exactly as the Unicode path does', () => {
    const slow = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    for (const text of ['Conservanti NATURALI', 'ISO 17025:2017 (lab)', '', 'tab\tand\nnew line', 'Università', 'Ǆ ﬁ Å Ω', 'naïve café']) {
      expect(normalise(text)).toBe(slow(text));
    }
  });

  it('says whether a text has a match exactly when highlight marks one', () => {
    const texts = ['Sviluppiamo conservanti naturali', 'nulla da segnare', '', 'Conservazione · Università', 'ISO 17025 e 9001', 'con'];
    for (const lexemes of [['conserv', 'natural'], ['univers'], ['17025'], ['co'], [], ['conservazione']]) {
      for (const text of texts) expect(matchesAny(text, lexemes)).toBe(highlight(text, lexemes) !== null);
    }
  });

  it('marks the same words with or without its quick check of the whole text', () => {
    // The word-by-word rule, as highlight applied it to every text before the quick check.
    const reference = (text: string, lexemes: string[]) => {
      const useful = lexemes.filter((l) => l.length >= 3 || /^\d+$/.test(l));
      const ranges: [number, number][] = [];
      for (const m of text.matchAll(/[\p{L}\p{N}]+/gu)) {
        const word = normalise(m[0]);
        if (useful.some((l) => word.startsWith(l) || (word.length >= 4 && l.startsWith(word)))) ranges.push([m.index, m.index + m[0].length]);
      }
      return ranges;
    };
    // Accented letters, a combining accent on its own, letters whose normal form is longer (İ,
    // a Hangul syllable) or depends on what follows (Σ), separators and digits.
    const alphabet = ['a', 'à', 'E', 'È', 'o', 'n', 's', 'c', 'r', 'v', 'Σ', 'ς', 'σ', '1', '7', ' ', '-', "'", '.', 'ı', 'İ', 'ß', 'ﬁ', '\u0301', '한', '·'];
    let seed = 7;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
    const lexemeSets = [['conserv'], ['cons', 'nav'], ['ace', '17'], ['σος'], ['ass', 'fi'], ['i̇s'], ['ras', 'cara'], ['한']];
    const ascii = alphabet.filter((c) => c.charCodeAt(0) < 128);
    for (let i = 0; i < 4000; i += 1) {
      // Every fourth text plain ASCII, as most texts are.
      const letters = i % 4 === 0 ? ascii : alphabet;
      const text = Array.from({ length: 1 + random(40) }, () => letters[random(letters.length)]).join('');
      const lexemes = lexemeSets[random(lexemeSets.length)]!;
      expect(highlight(text, lexemes)?.ranges ?? []).toEqual(reference(text, lexemes));
    }
    // A syllable that normalises to three letters and two combining accents that normalise to
    // none: the same length, but the words are no longer at the same place in the normal form.
    for (const text of ['한 conserva\u0301\u0301', '\u0301\u0301 conserva 한', 'ΣΣ conservaΣ']) {
      expect(highlight(text, ['conserv'])?.ranges ?? []).toEqual(reference(text, ['conserv']));
    }
    expect(highlight('한 conserva\u0301\u0301', ['conserv'])?.ranges).toEqual([[2, 10]]);
  });
});

describe('LRU cache', () => {
  it('evicts the least recently used entry', () => {
    const c = new LruCache<string, number>(2);
    c.set('a', 1);
    c.set('b', 2);
    expect(c.get('a')).toBe(1);
    c.set('c', 3);
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')).toBe(1);
    expect(c.size).toBe(2);
  });
});
