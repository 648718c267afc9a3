/**
 * A small least-recently-used cache (a Map keeps insertion order: re-insert on read), bounded in
 * entries and, when given a weigher, in approximate bytes: entries vary a lot in size (a search
 * result with its facets is 15–40 KB as JSON), so a count alone does not bound the memory
 * (docs/decisions/007-performance.md).
 */
export class LruCache<K, V> {
  private readonly map = new Map<K, V>();
  private readonly sizes = new Map<K, number>();
  private total = 0;

  constructor(
    readonly capacity: number,
    private readonly bytes?: { max: number; sizeOf: (value: V) => number },
  ) {}

  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value === undefined) return undefined;
    this.map.delete(key);
    this.map.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    this.delete(key);
    if (this.bytes) {
      const size = this.bytes.sizeOf(value);
      if (size > this.bytes.max) return; // never worth evicting everything else for
      this.sizes.set(key, size);
      this.total += size;
    }
    this.map.set(key, value);
    while (this.map.size > this.capacity || (this.bytes && this.total > this.bytes.max)) {
      const oldest = this.map.keys().next();
      if (oldest.done) break;
      this.delete(oldest.value);
    }
  }

  private delete(key: K): void {
    if (!this.map.delete(key)) return;
    this.total -= this.sizes.get(key) ?? 0;
    this.sizes.delete(key);
  }

  clear(): void {
    this.map.clear();
    this.sizes.clear();
    this.total = 0;
  }

  get size(): number {
    return this.map.size;
  }

  /** Approximate bytes held (0 without a weigher). */
  get weight(): number {
    return this.total;
  }
}

/** Rough memory of a plain value: its JSON length, twice (UTF-16 strings, object overhead). */
export function jsonWeight(value: unknown): number {
  return JSON.stringify(value).length * 2;
}
