import { describe, expect, it } from 'vitest';
import { bagLength, bm25, ceiling, idf, saturation } from './bm25.js';

const options = { k1: 1.2, b: 0.75 };

describe('BM25', () => {
  it('ranks documents with more of the rarer query features first', () => {
    const docs: Record<string, number>[] = [{ sensor: 1, water: 1 }, { sensor: 1 }, { water: 3, sensor: 1 }, { grid: 1 }];
    const df = (f: string) => docs.filter((d) => d[f]).length;
    const avg = docs.reduce((s, d) => s + bagLength(d), 0) / docs.length;
    const score = (d: Record<string, number>) => bm25({ water: 1, sensor: 1 }, d, bagLength(d), avg, (f) => idf(df(f), docs.length), options);
    const [s0, s1, s2, s3] = docs.map(score) as [number, number, number, number];
    expect(s3).toBe(0);
    expect(s2).toBeGreaterThan(s1);
    expect(s0).toBeGreaterThan(s1);
    expect(idf(df('grid'), 4)).toBeGreaterThan(idf(df('sensor'), 4));
  });

  it('saturates: more of a feature counts less and less, never beyond k1 + 1', () => {
    const one = saturation(1, 10, 10, options);
    const two = saturation(2, 10, 10, options);
    const many = saturation(1000, 10, 10, options);
    expect(two).toBeGreaterThan(one);
    expect(two - one).toBeLessThan(one);
    expect(many).toBeLessThanOrEqual(options.k1 + 1);
    // A longer document than the average weighs each occurrence less.
    expect(saturation(1, 40, 10, options)).toBeLessThan(one);
    expect(saturation(0, 10, 10, options)).toBe(0);
  });

  it('gives a ceiling no document can exceed', () => {
    const idfOf = () => idf(1, 2);
    const doc = { a: 5, b: 5 };
    expect(bm25({ a: 1, b: 1 }, doc, bagLength(doc), 3, idfOf, options)).toBeLessThanOrEqual(ceiling({ a: 1, b: 1 }, idfOf, options));
  });
});
