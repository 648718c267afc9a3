import { describe, expect, it } from 'vitest';
import { jsonWeight, LruCache } from './lru.js';

describe('LRU cache bounded in bytes', () => {
  it('evicts the least recently used entries once the weight is over the bound', () => {
    const c = new LruCache<string, string>(100, { max: 10, sizeOf: (v) => v.length });
    c.set('a', 'xxxx');
    c.set('b', 'xxxx');
    expect(c.get('a')).toBe('xxxx');
    c.set('c', 'xxxx');
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')).toBe('xxxx');
    expect(c.size).toBe(2);
    expect(c.weight).toBe(8);
  });

  it('keeps nothing larger than the bound, and counts a replaced entry once', () => {
    const c = new LruCache<string, string>(100, { max: 10, sizeOf: (v) => v.length });
    c.set('a', 'xx');
    c.set('big', 'x'.repeat(11));
    expect(c.get('big')).toBeUndefined();
    c.set('a', 'xxx');
    expect(c.weight).toBe(3);
    c.clear();
    expect(c.weight).toBe(0);
    expect(c.size).toBe(0);
  });

  it('weighs a value by its JSON', () => {
    expect(jsonWeight({ a: 'bc' })).toBe(2 * '{"a":"bc"}'.length);
  });
});
