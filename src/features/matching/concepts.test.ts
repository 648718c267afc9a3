import { describe, expect, it } from 'vitest';
import { ConceptMatcher, lexiconConcepts, taxonomyConcepts } from './concepts.js';
import { stem, tokenize, type TextLang } from './text.js';

const stems = (text: string, lang: TextLang) => tokenize(text).map((t) => stem(lang, t));

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
    const it = matcher.match(stems('Cerchiamo conservanti naturali per creme viso', 'it'), 'it').map((h) => h.concept);
    const en = matcher.match(stems('Natural preservatives for face creams', 'en'), 'en').map((h) => h.concept);
    expect(it).toContain('lex:preservatives');
    expect(en).toContain('lex:preservatives');
    expect(it).toContain('lex:skin_care');
    expect(en).toContain('lex:skin_care');
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
