/**
 * The load generator, run as its own process so that it never shares an event loop with the
 * server or the orchestrator: `node bench/load.mjs '<json>'` drives one scenario with autocannon
 * for a fixed number of requests and prints one JSON line (req/s and latency percentiles computed
 * from every response time, since autocannon's own summary has no p95).
 *
 * Input: { url, amount, connections, requests: [{ method, path, headers?, body? }], warmup? }
 */
import autocannon from 'autocannon';

const input = JSON.parse(process.argv[2] ?? '{}');

function run(amount, record) {
  return new Promise((resolve, reject) => {
    const latencies = [];
    let non2xx = 0;
    let first = null;
    let last = null;
    const instance = autocannon(
      {
        url: input.url,
        amount,
        connections: input.connections ?? 10,
        pipelining: 1,
        timeout: 30,
        requests: input.requests,
      },
      (error, result) => (error ? reject(error) : resolve({ result, latencies, non2xx, seconds: first === null ? 0 : Number(last - first) / 1e9 })),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      // Wall time from the start of the first answered request to the last answer: autocannon
      // itself ends runs on a one-second tick, which would cap short runs at `amount` req/s.
      const now = process.hrtime.bigint();
      if (first === null) first = now - BigInt(Math.round(responseTime * 1e6));
      last = now;
      if (record) latencies.push(responseTime);
      if (statusCode < 200 || statusCode >= 300) non2xx += 1;
    });
  });
}

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round(sorted[i] * 100) / 100;
}

if (input.warmup) await run(input.warmup, false);
const { result, latencies, non2xx, seconds } = await run(input.amount, true);
const sorted = latencies.sort((a, b) => a - b);
process.stdout.write(
  `${JSON.stringify({
    requests: sorted.length,
    seconds: Math.round(seconds * 1000) / 1000,
    reqPerSec: Math.round(sorted.length / seconds),
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: percentile(sorted, 100),
    non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    bytesPerSec: Math.round(result.throughput.average),
  })}\n`,
);
