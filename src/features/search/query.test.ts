import { describe, expect, it } from 'vitest';
import { LruCache } from './lru.js';
import { buildExpansionIndex, buildQuery, type TokenAnalysis } from './query.js';
import { highlight, normalise, queryTokens } from './text.js';

const token = (t: string, it: string[], en: string[], corrections: TokenAnalysis['corrections'] = []): TokenAnalysis => ({ token: t, it, en, corrections });

// MPA.PRES: "conservanti" (it) / "preservatives" (en); a concept links it to a chemistry area.
const index = buildExpansionIndex(
  [
    { areaKey: 'cosmetica:MPA.PRES', words: [['conserv', 'conservanti']] },
    { areaKey: 'cosmetica:MPA.PRES', words: [['preservatives', 'preserv']] },
    { areaKey: 'cosmetica:MPA.PRES', words: [['sistem', 'sistemi'], ['conserv', 'conservanti']] },
    { areaKey: 'chimica-verde:BIO', words: [['bioraffiner', 'bioraffineri']] },
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
    expect(q.strict).toContain("(('sistem' | 'sistemi') & ('conserv' | 'conservanti'))");
    expect(q.areaKeys.sort()).toEqual(['chimica-verde:BIO', 'concept:x', 'cosmetica:MPA.PRES']);
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
