import { describe, expect, it } from 'vitest';
import { ConceptMatcher, lexiconConcepts, taxonomyConcepts } from './concepts.js';
import { stem, tokenize, type TextLang } from './text.js';

const stems = (text: string, lang: TextLang) => tokenize(text).map((t) => stem(lang, t));
const conceptsOf = (matcher: ConceptMatcher, text: string, lang: TextLang) => matcher.match(stems(text, lang), lang, tokenize(text)).map((h) => h.concept);

describe('concepts', () => {
  const matcher = new ConceptMatcher(lexiconConcepts());

  it('parses a lexicon of several hundred bilingual concepts', () => {
    const concepts = lexiconConcepts();
    expect(concepts.length).toBeGreaterThan(350);
    expect(new Set(concepts.map((c) => c.id)).size).toBe(concepts.length);
    expect(concepts.every((c) => c.termsIt.length > 0 && c.termsEn.length > 0)).toBe(true);
  });

  it('refuses a malformed lexicon line', () => {
    expect(() => lexiconConcepts('broken | only english')).toThrow(/Malformed/);
  });

  it('maps an Italian and an English phrase to the same language-neutral concept', () => {
    const it = conceptsOf(matcher, 'Cerchiamo conservanti naturali per creme viso', 'it');
    const en = conceptsOf(matcher, 'Natural preservatives for face creams', 'en');
    expect(it).toContain('lex:preservatives');
    expect(en).toContain('lex:preservatives');
    expect(it).toContain('lex:skin_care');
    expect(en).toContain('lex:skin_care');
  });

  it('matches a `=word` term on that word only, not on every word of its stem', () => {
    // Snowball gives each pair one stem; the lexicon marks the terms that must not follow it.
    expect(conceptsOf(matcher, 'nuovo stabilimento produttivo', 'it')).toContain('lex:manufacturing');
    expect(conceptsOf(matcher, 'test di stabilità', 'it')).not.toContain('lex:manufacturing');
    expect(conceptsOf(matcher, 'esperienza di visita al museo', 'it')).toContain('lex:visitor_experience');
    expect(conceptsOf(matcher, 'creme viso', 'it')).not.toContain('lex:visitor_experience');
    expect(conceptsOf(matcher, 'non solo pannelli', 'it')).not.toContain('lex:photovoltaic');
    expect(conceptsOf(matcher, 'impianto solare', 'it')).toContain('lex:photovoltaic');
    expect(conceptsOf(matcher, 'higher productivity', 'en')).toContain('lex:productivity');
    expect(conceptsOf(matcher, 'new products and services', 'en')).not.toContain('lex:productivity');
    expect(conceptsOf(matcher, 'new products and services', 'en')).not.toContain('lex:maintenance');
    expect(conceptsOf(matcher, 'cutting-edge research', 'en')).not.toContain('lex:machining');
    expect(conceptsOf(matcher, 'waterjet cutting of titanium', 'en')).toContain('lex:machining');
    expect(conceptsOf(matcher, 'taglio dei costi', 'it')).toEqual(['lex:cost_reduction']);
    expect(lexiconConcepts().find((c) => c.id === 'lex:health')!.labelIt).toBe('salute');
  });

  it('prefers the longest term: "manutenzione predittiva" is not just maintenance', () => {
    const hits = matcher.match(stems('manutenzione predittiva delle macchine utensili', 'it'), 'it').map((h) => h.concept);
    expect(hits).toContain('lex:predictive_maintenance');
    expect(hits).not.toContain('lex:maintenance');
    expect(hits).toContain('lex:machine_tools');
  });

  it('labels a concept in the reader’s language', () => {
    expect(matcher.label('lex:preservatives', 'it')).toBe('conservanti');
    expect(matcher.label('lex:preservatives', 'en')).toBe('preservatives');
  });

  it('adds taxonomy codes with their IT/EN labels and synonyms', () => {
    const m = new ConceptMatcher(taxonomyConcepts([{ code: 'cosmetica:MPA.PRES', labelIt: 'Sistemi conservanti', labelEn: 'Preservation systems', synonymsIt: ['conservanti naturali'], synonymsEn: ['natural preservatives'] }]));
    expect(m.match(stems('offriamo conservanti naturali', 'it'), 'it').map((h) => h.concept)).toEqual(['tax:cosmetica:MPA.PRES']);
    expect(m.match(stems('natural preservatives', 'en'), 'en').map((h) => h.concept)).toEqual(['tax:cosmetica:MPA.PRES']);
  });
});

describe('concepts built on first use', () => {
  const lexicon = [
    { id: 'lex:preservative', labelIt: 'conservante', labelEn: 'preservative', termsIt: ['conservante', 'conservanti naturali'], termsEn: ['preservative'] },
    { id: 'lex:emulsion', labelIt: 'emulsione', labelEn: 'emulsion', termsIt: ['emulsione'], termsEn: ['emulsion'] },
  ];
  const taxonomy = taxonomyConcepts([{ code: 'cosmetica:SUS', labelIt: 'Sostenibilità', labelEn: 'Sustainability', synonymsIt: ['chimica verde'], synonymsEn: ['green chemistry'] }]);

  it('keeps the concepts it was given when a taxonomy concept is added before any match', () => {
    const m = new ConceptMatcher(lexicon);
    m.add(taxonomy[0]!);
    expect(conceptsOf(m, 'conservanti naturali da chimica verde in emulsione', 'it')).toEqual(['lex:preservative', 'tax:cosmetica:SUS', 'lex:emulsion']);
    expect([...m.byId.keys()].sort()).toEqual(['lex:emulsion', 'lex:preservative', 'tax:cosmetica:SUS']);
    expect(m.label('tax:cosmetica:SUS', 'en')).toBe('Sustainability');
  });

  it('answers look-ups and labels before any match', () => {
    const m = new ConceptMatcher(lexiconConcepts());
    expect(m.byId.size).toBe(lexiconConcepts().length);
    expect(m.label('lex:preservatives', 'it')).toBe('conservanti');
  });
  it('builds the same lexicon in slices (a warm-up) as on first use, and a use in between completes it', async () => {
    const texts: [string, TextLang][] = [
      ['Cerchiamo conservanti naturali e emulsionanti per cosmetici, con manutenzione predittiva', 'it'],
      ['natural preservatives, machine learning for predictive maintenance and additive manufacturing', 'en'],
    ];
    const reference = new ConceptMatcher(lexiconConcepts());
    const sliced = new ConceptMatcher(lexiconConcepts());
    let finished = false;
    const preparing = sliced.prepare(0).then(() => void (finished = true));
    // One concept per slice: hundreds of turns of the event loop; a use in between completes it.
    await new Promise((resolve) => setImmediate(resolve));
    expect(finished).toBe(false);
    const midway = new ConceptMatcher(lexiconConcepts());
    const midwayPreparing = midway.prepare(0);
    await new Promise((resolve) => setImmediate(resolve));
    for (const [text, lang] of texts) expect(conceptsOf(midway, text, lang)).toEqual(conceptsOf(reference, text, lang));
    await midwayPreparing;
    await preparing;
    expect(finished).toBe(true);
    for (const [text, lang] of texts) {
      expect(conceptsOf(reference, text, lang).length).toBeGreaterThan(1);
      expect(conceptsOf(sliced, text, lang)).toEqual(conceptsOf(reference, text, lang));
    }
    expect([...sliced.byId.keys()]).toEqual([...reference.byId.keys()]);
    expect([...midway.byId.keys()]).toEqual([...reference.byId.keys()]);
  });
});
