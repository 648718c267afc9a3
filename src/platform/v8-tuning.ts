import v8 from 'node:v8';

/**
 * V8 settings for the long-running server, applied when this module is evaluated: server.ts
 * imports it first, before any other module is loaded.
 *
 * No allocation-site pretenuring. V8 allocates straight into the old generation the objects of an
 * allocation site whose objects mostly survived a young collection. The rows a start reads in bulk
 * (the matcher's warm-up, the taxonomy) taught it that about the database driver's row parsing,
 * so afterwards every request's rows, messages and buffers went to the old generation and died
 * there: it grew by ~1 MB every 16 searches, young collections took twice as long (5.6 against
 * 2.8 ms, one every ~16 searches at c=1) and a full collection came every ~1,000 searches. Without
 * pretenuring, after 2,400 signed-in searches at the region scale: RSS 227 MiB against 271 MiB,
 * no full collection (docs/decisions/007-performance.md). V8 reads the flag when it decides, so it can
 * be set at run time, from the code: `npm start`, the benchmark and any deployment get it alike.
 */
v8.setFlagsFromString('--no-allocation-site-pretenuring');
