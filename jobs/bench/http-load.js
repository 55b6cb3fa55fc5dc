// The load side of the HTTP lookup benchmark (jobs/bench/lookup.sh http): autocannon sends GET BASE{id} for uniformly
// random ids in [0, ENTITIES) over 16 keep-alive connections at RATE requests/s in total for SECONDS, after a 5-second
// warm-up, and reports the latency quantiles (whole milliseconds, from each request's send).
// Usage: node http-load.js BASE ENTITIES RATE SECONDS
const autocannon = require('autocannon');
const [base, entities, rate, seconds] = process.argv.slice(2);
const url = new URL(base);
function run(duration, label) {
  return new Promise((resolve, reject) => {
    autocannon({
      url: url.origin, connections: 16, overallRate: Number(rate), duration: Number(duration),
      requests: [{ method: 'GET', setupRequest: (req) => { req.path = url.pathname + Math.floor(Math.random() * Number(entities)); return req; } }],
    }, (err, r) => {
      if (err) return reject(err);
      const l = r.latency;
      console.log(`${label}: ${r.requests.total} requests in ${duration}s (${(r.requests.total / duration).toFixed(0)}/s), non-2xx ${r.non2xx}, errors ${r.errors}, timeouts ${r.timeouts}, latency p50 ${l.p50} ms, p90 ${l.p90} ms, p99 ${l.p99} ms, p99.9 ${l.p99_9} ms, max ${l.max} ms`);
      resolve(r);
    });
  });
}
(async () => { await run(5, 'warm-up'); const r = await run(seconds, 'measured'); process.exit(r.non2xx + r.errors + r.timeouts === 0 ? 0 : 1); })();
