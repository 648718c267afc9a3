import v8 from 'node:v8';

/**
 * V8 settings for the long-running server, applied when this module is evaluated: server.ts
 * imports it first, before any other module is loaded and before the embedded database compiles
 * its WebAssembly. V8 reads both flags when it decides (checked with `--trace-gc` and CPU
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
 * The embedded database's WebAssembly (PGlite: PostgreSQL compiled to wasm) runs on V8's baseline
 * compiler, Liftoff, without tiering up to TurboFan. With tiering, a start spent 0.25–0.35 s idle
 * right after PostgreSQL had started, waiting on V8's background compilation, and kept both tiers'
 * code in memory. Liftoff only, five interleaved starts each at the region scale on a loaded
 * machine: first answer 2.9–3.4 s against 4.2–4.9 s, with no idle gap in the profile; peak RSS
 * after 1,200 searches 289–300 MiB against 316–332 MiB; the server CPU of a search and a 10,000-row
 * import within the noise of the same runs. Only the embedded database is WebAssembly: with
 * PostgreSQL (DATABASE_URL) nothing changes.
 */
v8.setFlagsFromString('--liftoff-only');
