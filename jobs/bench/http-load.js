// The load side of the HTTP benchmarks (jobs/bench/lookup.sh http|online|batch): autocannon sends, over 16 keep-alive
// connections at RATE requests/s in total for SECONDS after a 5-second warm-up, either GET URL{id} for uniformly
// random ids in [0, ENTITIES), or, with BATCH_ROWS and FEATURES (comma-separated names), POST URL with a JSON list of
// BATCH_ROWS rows of uniform [0, 1) values of those features (64 bodies drawn once, sent in turn). Reports the latency
// quantiles (whole milliseconds, from each request's send).
// Usage: node http-load.js URL ENTITIES RATE SECONDS [BATCH_ROWS FEATURES]
const autocannon = require('autocannon');
const [base, entities, rate, seconds, batchRows, features] = process.argv.slice(2);
const url = new URL(base);
let request;
if (batchRows) {
  const names = features.split(',');
  const bodies = Array.from({ length: 64 }, () => JSON.stringify(Array.from({ length: Number(batchRows) }, () =>
    Object.fromEntries(names.map((n) => [n, Math.random()])))));
  let next = 0;
  request = { method: 'POST', path: url.pathname, headers: { 'content-type': 'application/json' },
    setupRequest: (req) => { req.body = bodies[next++ % bodies.length]; return req; } };
} else {
  request = { method: 'GET', setupRequest: (req) => { req.path = url.pathname + Math.floor(Math.random() * Number(entities)); return req; } };
}
function run(duration, label) {
  return new Promise((resolve, reject) => {
    autocannon({ url: url.origin, connections: 16, overallRate: Number(rate), duration: Number(duration), requests: [request] }, (err, r) => {
      if (err) return reject(err);
      const l = r.latency;
      console.log(`${label}: ${r.requests.total} requests in ${duration}s (${(r.requests.total / duration).toFixed(0)}/s), non-2xx ${r.non2xx}, errors ${r.errors}, timeouts ${r.timeouts}, latency p50 ${l.p50} ms, p90 ${l.p90} ms, p99 ${l.p99} ms, p99.9 ${l.p99_9} ms, max ${l.max} ms`);
      resolve(r);
    });
  });
}
(async () => { await run(5, 'warm-up'); const r = await run(seconds, 'measured'); process.exit(r.non2xx + r.errors + r.timeouts === 0 ? 0 : 1); })();
