import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bumpCacheVersion, cacheVersion, ResponseCache } from './cache.js';

const answer = (text: string) => ({ etag: `W/"${text.length}"`, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'public, no-cache' }, body: Buffer.from(text), version: cacheVersion() });
/** A header list ([name, value, …]) as an object. */
const headersOf = (list: string[]) => Object.fromEntries(list.flatMap((v, i) => (i % 2 === 0 ? [[v, list[i + 1]]] : [])));

describe('ResponseCache', () => {
  it('serves an entry until its TTL has passed or a write bumped the version', () => {
    const cache = new ResponseCache({ ttlMs: 1000 });
    cache.set('it|/a', answer('pagina'), 0);
    expect(cache.get('it|/a', 999)).toBeDefined();
    expect(cache.get('it|/a', 1000)).toBeUndefined();
    cache.set('it|/a', answer('pagina'), 0);
    bumpCacheVersion();
    expect(cache.get('it|/a', 1)).toBeUndefined();
  });

  it('prepares the headers of each answer once: validators, Vary, length', () => {
    const cache = new ResponseCache({ compressThreshold: 10 });
    cache.set('it|/small', answer('tiny'));
    cache.set('it|/large', answer('x'.repeat(100)));
    const small = cache.get('it|/small')!;
    const large = cache.get('it|/large')!;
    expect(headersOf(cache.variant(small, 'gzip').headers)).toMatchObject({ 'content-type': 'text/html; charset=utf-8', etag: 'W/"4"', vary: 'accept-language, cookie', 'content-length': '4' });
    expect(headersOf(cache.variant(large, undefined).headers).vary).toBe('accept-language, cookie, accept-encoding');
    expect(headersOf(large.notModified)).toEqual({ etag: 'W/"100"', vary: 'accept-language, cookie, accept-encoding', 'cache-control': 'public, no-cache' });
  });

  it('compresses once per encoding, brotli first, and never in an encoding refused with q=0', () => {
    const cache = new ResponseCache({ compressThreshold: 10 });
    cache.set('it|/p', answer('contenuto '.repeat(50)));
    const entry = cache.get('it|/p')!;
    const br = cache.variant(entry, 'gzip, deflate, br');
    expect(headersOf(br.headers)['content-encoding']).toBe('br');
    expect(cache.variant(entry, 'br')).toBe(br);
    expect(headersOf(cache.variant(entry, 'br;q=0, gzip').headers)['content-encoding']).toBe('gzip');
    expect(cache.variant(entry, 'identity')).toBe(entry.identity);
    expect(cache.variant(entry, 'gzip;q=0')).toBe(entry.identity);
  });

  it('evicts the least recently used entries beyond its bounds, compressed forms counted', () => {
    const byCount = new ResponseCache({ maxEntries: 2 });
    byCount.set('a', answer('a'));
    byCount.set('b', answer('b'));
    byCount.get('a');
    byCount.set('c', answer('c'));
    expect(byCount.get('b')).toBeUndefined();
    expect(byCount.get('a')).toBeDefined();

    // Random bytes do not compress: each compressed form takes about as much room as its body.
    const byBytes = new ResponseCache({ maxBytes: 8000, compressThreshold: 10 });
    for (const key of ['a', 'b', 'c', 'd']) {
      byBytes.set(key, { ...answer(''), body: randomBytes(900) });
      byBytes.variant(byBytes.get(key)!, 'gzip');
    }
    expect(byBytes.size).toBe(4);
    byBytes.set('e', { ...answer(''), body: randomBytes(900) });
    expect(byBytes.get('a')).toBeUndefined();
    expect(byBytes.get('b')).toBeDefined();
    expect(byBytes.get('e')).toBeDefined();
  });
});
