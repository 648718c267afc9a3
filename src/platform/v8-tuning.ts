import v8 from 'node:v8';

/**
 * V8 settings for the long-running server, applied when this module is evaluated: server.ts
 * imports it first, before any other module is loaded and before the embedded database compiles
 * its WebAssembly. V8 reads these flags when it decides (checked with `--trace-gc` and CPU
 * profiles of a start), so setting them from the code works: `npm start`, the benchmark and any
 * deployment get them alike. See docs/decisions/007-performance.md.
 */

/*
 * No allocation-site pretenuring. V8 allocates straight into the old generation the objects of an
 * allocation site whose objects mostly survived a young collection. The rows a start reads in bulk
 * (the matcher's warm-up, the taxonomy) taught it that about the database driver's row parsing,
 * so afterwards every request's rows, messages and buffers went to the old generation and died
 * there: it grew by ~1 MB every 16 searches, young collections took twice as long (5.6 against
 * 2.8 ms, one every ~16 searches at c=1) and a full collection came every ~1,000 searches. Without
 * pretenuring, after 2,400 signed-in searches at the region scale: RSS 227 MiB against 271 MiB,
 * no full collection.
 */
v8.setFlagsFromString('--no-allocation-site-pretenuring');

/*
 * The embedded database's WebAssembly (PGlite: PostgreSQL compiled to wasm) starts on V8's baseline
 * compiler, Liftoff, and only functions that have run a lot are recompiled by TurboFan: the
 * tiering budget (roughly the bytes of code a function executes before it tiers up) is 100 times
 * V8's default. With the default, a start recompiled much of PostgreSQL's start-up code on the
 * two cores the first request needed (first answer ~0.2 s later, ~0.35 s for the first match) and
 * kept both tiers' code of it. With Liftoff only (no tiering at all, 2026-11-26 morning), the start
 * was as fast as now, but every search ran on baseline code: ~20–30% more server CPU per search.
 * Measured interleaved on an idle 2-core machine at the region scale (docs/decisions/007):
 *
 *   |                                | Liftoff only | default budget | this budget |
 *   | first answer, median of 6      | 1.00 s       | 1.20 s         | 1.02 s      |
 *   | server CPU per signed-in search| 7.6–9.3 ms   | 5.8–7.4 ms     | 6.1–7.1 ms  |
 *   | peak RSS after 2,100 searches  | 268–294 MiB  | 317–336 MiB    | 305–329 MiB |
 *
 * Only the embedded database is WebAssembly: with PostgreSQL (DATABASE_URL) nothing changes.
 */
v8.setFlagsFromString('--wasm-tiering-budget=180000000');
