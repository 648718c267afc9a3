import { describe, expect, it } from 'vitest';
import { cognateForm, cognateKey, contentTokens, detectLanguage, fold, stem, tokenize, trigrams, trigramSimilarity } from './text.js';

describe('text analysis', () => {
  it('folds accents and case and splits on anything but letters and digits', () => {
    expect(fold('Sostenibilità ÈCO')).toBe('sostenibilita eco');
    expect(tokenize("L'azienda d'Italia: spin-off, CO2 & 3D!")).toEqual(['l', 'azienda', 'd', 'italia', 'spin', 'off', 'co2', '3d']);
  });

  it('drops stop words, one-letter tokens and bare numbers, keeps codes like 5g and co2', () => {
    expect(contentTokens(tokenize('Cerchiamo sensori per il 5G e la CO2 nel 2026'), 'it')).toEqual(['sensori', '5g', 'co2']);
    expect(contentTokens(tokenize('We are looking for sensors for the grid'), 'en')).toEqual(['sensors', 'grid']);
  });

  it('tells Italian from English by function words, Italian by default', () => {
    expect(detectLanguage('Cerchiamo un partner per la manutenzione predittiva delle macchine')).toBe('it');
    expect(detectLanguage('We need a partner for the predictive maintenance of machine tools')).toBe('en');
    expect(detectLanguage('biopsia liquida')).toBe('it');
    expect(detectLanguage('liquid biopsy sensors')).toBe('en');
  });

  it('stems with the Snowball algorithm of each language', () => {
    expect(stem('it', 'conservanti')).toBe(stem('it', 'conservante'));
    expect(stem('en', 'preservatives')).toBe(stem('en', 'preservative'));
    expect(stem('it', 'sostenibilita')).toBe('sostenibil');
  });

  it('gives Italian and English words of one root the same cognate form', () => {
    for (const [it, en] of [
      ['fotovoltaico', 'photovoltaic'],
      ['ottimizzazione', 'optimization'],
      ['sensori', 'sensors'],
      ['tecnologia', 'technology'],
      ['algoritmo', 'algorithm'],
      ['idrogeno', 'hydrogen'],
      ['biodegradabile', 'biodegradable'],
    ]) {
      expect(cognateKey(it!), `${it} ~ ${en}`).toBe(cognateKey(en!));
    }
    expect(cognateKey('cancro')).not.toBe(cognateKey('concrete'));
    expect(cognateForm('ai')).toBeNull();
  });

  it('measures spelling similarity with trigrams', () => {
    expect(trigramSimilarity(trigrams('conservante'), trigrams('conservnte'))).toBeGreaterThan(0.6);
    expect(trigramSimilarity(trigrams('conservante'), trigrams('satellite'))).toBeLessThan(0.2);
  });
});
