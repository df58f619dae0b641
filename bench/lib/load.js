/* Load measurements with autocannon, from this (second) process over loopback. */
'use strict';

const autocannon = require('autocannon');

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const i = Math.min(
    sorted.length - 1,
    Math.max(0, Math.ceil((p / 100) * sorted.length) - 1),
  );
  return sorted[i];
}

const drain = r =>
  new Promise(res =>
    setTimeout(res, Math.min(5000, Math.max(300, (r.max || 0) * 1.2))),
  );

function runOnce({
  url,
  method,
  headers,
  body,
  connections,
  durationS,
  timeoutS,
}) {
  return new Promise((resolve, reject) => {
    const latencies = [];
    const statuses = {};
    let errors = 0;
    const t0 = performance.now();
    const instance = autocannon(
      {
        url,
        method,
        headers,
        body,
        connections,
        duration: durationS,
        timeout: timeoutS,
      },
      (err, result) => {
        if (err) {
          reject(err);
          return;
        }
        const elapsedS = (performance.now() - t0) / 1000;
        latencies.sort((a, b) => a - b);
        const ok = Object.entries(statuses)
          .filter(([s]) => s >= 200 && s < 300)
          .reduce((n, [, c]) => n + c, 0);
        resolve({
          requests: latencies.length,
          ok,
          statuses,
          errors: errors + result.errors,
          timeouts: result.timeouts,
          p50: percentile(latencies, 50),
          p90: percentile(latencies, 90),
          p99: percentile(latencies, 99),
          max: latencies[latencies.length - 1] ?? NaN,
          rps: ok / Math.min(elapsedS, durationS),
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    });
    instance.on('reqError', () => {
      errors++;
    });
  });
}

/**
 * Measures one request shape: a single probe (to skip the load for a request
 * so slow that 16 connections would not complete within the window), a
 * warm-up run that is discarded, then the measured run.
 */
async function measure(spec, opts) {
  const { connections, durationS, warmupS, probe } = opts;
  const base = {
    url: spec.url,
    method: spec.method ?? 'GET',
    headers: spec.headers,
    body: spec.body,
    connections,
    timeoutS: 30,
  };
  const probes = [];
  for (let i = 0; i < 3; i++) {
    const p = await probe(spec);
    probes.push(p);
    if (p.status < 200 || p.status >= 300) {
      return {
        error: `HTTP ${p.status}: ${String(p.text).slice(0, 200)}`,
        probeMs: p.ms,
      };
    }
    if (p.ms > 2000) break;
  }
  const probeMs = probes.map(p => p.ms).sort((a, b) => a - b)[
    Math.floor(probes.length / 2)
  ];
  const sequential = note => ({
    skipped: true,
    note,
    p50: probeMs,
    rps: 1000 / probeMs,
    requests: probes.length,
    ok: probes.length,
    probeMs,
  });
  // So slow that no request of 16 in flight would finish within the window
  // (each waits for about 16 service times): report the sequential latency.
  if (probeMs > 1000) {
    return sequential(
      `one request takes ${probeMs.toFixed(
        0,
      )} ms; no load run (sequential latency reported)`,
    );
  }
  const w = await runOnce({ ...base, durationS: warmupS });
  // Requests still in flight when the client stops keep the server busy.
  await drain(w);
  const r = await runOnce({ ...base, durationS });
  await drain(r);
  if (r.ok === 0) {
    return sequential(
      `no response within the ${durationS} s window under load; sequential latency of ${probeMs.toFixed(
        0,
      )} ms reported`,
    );
  }
  if (r.ok < r.requests || r.errors > 0) {
    r.error = `non-2xx or errors under load: ${JSON.stringify(r.statuses)}, ${
      r.errors
    } errors, ${r.timeouts} timeouts`;
  }
  if (r.ok < connections) {
    r.note = `only ${r.ok} responses in the window`;
  }
  r.probeMs = probeMs;
  return r;
}

module.exports = { measure, percentile };
