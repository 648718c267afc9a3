import { describe, expect, it } from 'vitest';
import { Bm25Index } from './bm25.js';

describe('BM25 index', () => {
  it('ranks documents with more of the rarer query features first', () => {
    const index = new Bm25Index();
    index.add(0, { sensor: 1, water: 1 });
    index.add(1, { sensor: 1 });
    index.add(2, { water: 3, sensor: 1 });
    index.add(3, { grid: 1 });
    const scores = new Float64Array(4);
    index.score({ water: 1, sensor: 1 }, scores);
    expect(scores[3]).toBe(0);
    expect(scores[2]).toBeGreaterThan(scores[1]!);
    expect(scores[0]).toBeGreaterThan(scores[1]!);
    expect(index.idf('grid')).toBeGreaterThan(index.idf('sensor'));
  });

  it('skips removed documents', () => {
    const index = new Bm25Index();
    index.add(0, { a: 1 });
    index.add(1, { a: 1 });
    index.remove(0);
    const scores = new Float64Array(2);
    index.score({ a: 1 }, scores);
    expect(scores[0]).toBe(0);
    expect(scores[1]).toBeGreaterThan(0);
    expect(index.size).toBe(1);
  });

  it('gives a ceiling no document can exceed', () => {
    const index = new Bm25Index();
    index.add(0, { a: 5, b: 5 });
    index.add(1, { c: 1 });
    const scores = new Float64Array(2);
    index.score({ a: 1, b: 1 }, scores);
    expect(scores[0]).toBeLessThanOrEqual(index.ceiling({ a: 1, b: 1 }));
  });
});
