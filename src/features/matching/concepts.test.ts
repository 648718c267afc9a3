import { describe, expect, it } from 'vitest';
import { ConceptMatcher, lexiconConcepts, taxonomyConcepts } from './concepts.js';
import { stem, tokenize } from './text.js';

const stems = (text: string) => tokenize(text).map((t) => stem('it', t));

describe('ConceptMatcher', () => {
  const lexicon = [
    { id: 'lex:preservative', labelIt: 'conservante', labelEn: 'preservative', termsIt: ['conservante', 'conservanti naturali'], termsEn: ['preservative'] },
    { id: 'lex:emulsion', labelIt: 'emulsione', labelEn: 'emulsion', termsIt: ['emulsione'], termsEn: ['emulsion'] },
  ];
  const taxonomy = taxonomyConcepts([{ code: 'cosmetica:SUS', labelIt: 'Sostenibilità', labelEn: 'Sustainability', synonymsIt: ['chimica verde'], synonymsEn: ['green chemistry'] }]);

  it('knows the concepts it was given when a taxonomy concept is added before any match (the lexicon is built on first use)', () => {
    const matcher = new ConceptMatcher(lexicon);
    matcher.add(taxonomy[0]!);
    const found = matcher.match(stems('conservanti naturali da chimica verde in emulsione'), 'it').map((h) => h.concept);
    expect(found).toEqual(['lex:preservative', 'tax:cosmetica:SUS', 'lex:emulsion']);
    expect([...matcher.byId.keys()].sort()).toEqual(['lex:emulsion', 'lex:preservative', 'tax:cosmetica:SUS']);
    expect(matcher.label('tax:cosmetica:SUS', 'en')).toBe('Sustainability');
  });

  it('answers labels and lookups before any match', () => {
    const matcher = new ConceptMatcher(lexiconConcepts());
    expect(matcher.byId.size).toBeGreaterThan(100);
    expect(matcher.label('lex:preservatives', 'it')).toBe('conservanti');
    expect(matcher.label('lex:preservatives', 'en')).toBe('preservatives');
  });
});
