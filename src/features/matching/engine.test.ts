import { describe, expect, it } from 'vitest';
import { analyse, analyseQuery, translatedStems } from './analyse.js';
import { ConceptMatcher, lexiconConcepts } from './concepts.js';
import { DEFAULT_ENGINE_CONFIG, MatchEngine, MemoryCollection } from './engine.js';
import { itemFields } from './fields.js';

const matcher = new ConceptMatcher(lexiconConcepts());
const offer = (title: string, description: string, lang: 'it' | 'en') =>
  analyse(itemFields(lang === 'en' ? { title_it: null, title_en: title, description_it: null, description_en: description } : { title_it: title, title_en: null, description_it: description, description_en: null }), matcher);

function engine(config = DEFAULT_ENGINE_CONFIG) {
  const e = new MemoryCollection(new MatchEngine(matcher, config));
  e.upsert('preservatives', offer('Natural preservatives from fermentation', 'Preservation systems for cosmetic creams based on fermented plant extracts.', 'en'));
  e.upsert('maintenance', offer('Predictive maintenance for machine tools', 'IoT sensors and machine learning to forecast failures of CNC machines.', 'en'));
  e.upsert('irrigation', offer('Sensori per l’irrigazione di precisione', 'Misuriamo l’umidità del suolo e lo stato idrico delle colture in tempo reale.', 'it'));
  e.upsert('satellite', offer('Small satellite propulsion', 'Thrusters for cubesats and launchers.', 'en'));
  return e;
}

describe('matching engine', () => {
  it('finds an English offer for an Italian need', () => {
    const results = engine().search(analyseQuery('Cerchiamo conservanti naturali per una crema viso', undefined, matcher), { limit: 3 });
    expect(results[0]!.key).toBe('preservatives');
  });

  it('finds an Italian offer for an English need', () => {
    const results = engine().search(analyseQuery('We need soil moisture sensors for precision irrigation of crops', undefined, matcher), { limit: 3 });
    expect(results[0]!.key).toBe('irrigation');
  });

  it('plain BM25 without translation does not cross languages (the baseline this design fixes)', () => {
    const plain = engine({ ...DEFAULT_ENGINE_CONFIG, weights: { stems: 1, concepts: 0, cognates: 0, fuzzy: 0 }, translate: { other: 0, same: 0 } });
    const results = plain.search(analyseQuery('manutenzione predittiva delle macchine utensili', 'it', matcher), { limit: 3 });
    expect(results.map((r) => r.key)).not.toContain('maintenance');
    const full = engine().search(analyseQuery('manutenzione predittiva delle macchine utensili', 'it', matcher), { limit: 3 });
    expect(full[0]!.key).toBe('maintenance');
  });

  it('translates a query’s concepts into the other language’s stems', () => {
    const bag = translatedStems(analyseQuery('conservanti', 'it', matcher), matcher);
    expect(Object.keys(bag)).toContain('en:preserv');
  });

  it('explains a match with shared concepts and the words that met across languages', () => {
    const e = engine();
    const query = analyseQuery('Cerchiamo conservanti naturali per creme', 'it', matcher);
    const why = e.explain(query, 'preservatives');
    expect(why.concepts).toContain('lex:preservatives');
    expect(why.terms.some((t) => t.query === 'conservanti' && t.via === 'translation')).toBe(true);
  });

  it('scores in [0, 1], best first, and honours the filter and the limit', () => {
    const e = engine();
    const results = e.search(analyseQuery('sensors', 'en', matcher), { limit: 1, accept: (key) => key !== 'maintenance' });
    expect(results).toHaveLength(1);
    expect(results[0]!.key).not.toBe('maintenance');
    expect(results[0]!.score).toBeGreaterThan(0);
    expect(results[0]!.score).toBeLessThanOrEqual(1);
  });

  it('tolerates typos through the fuzzy ranker', () => {
    const results = engine().search(analyseQuery('propulsione satelitare', 'it', matcher), { limit: 1 });
    expect(results[0]!.key).toBe('satellite');
  });

  it('gives the candidate search each feature’s BM25 weight and each ranker’s share of the fusion', () => {
    const e = new MatchEngine(matcher);
    const collection = engine();
    const stats = collection.stats();
    const query = analyseQuery('conservanti naturali per creme', 'it', matcher);
    const { terms, norm } = e.searchTerms(e.queryBags(query, stats, new Map()), stats);
    // Only features some document has; a document with all of a ranker's, saturated, scores the ranker's weight.
    for (const t of terms) expect(stats.df(t.feature)).toBeGreaterThan(0);
    for (const ranker of ['stems', 'concepts', 'cognates'] as const) {
      const best = terms.filter((t) => t.ranker === ranker).reduce((s, t) => s + t.weight * (1.2 + 1), 0);
      if (best > 0) expect(best * norm[ranker]).toBeCloseTo(DEFAULT_ENGINE_CONFIG.weights[ranker], 9);
    }
  });

  it('forgets a removed document', () => {
    const e = engine();
    e.remove('preservatives');
    expect(e.search(analyseQuery('natural preservatives', 'en', matcher), { limit: 5 }).map((r) => r.key)).not.toContain('preservatives');
    expect(e.size).toBe(3);
  });
});
