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
          latencies,
          elapsedS: Math.min(elapsedS, durationS),
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

function baseOf(spec, connections) {
  return {
    url: spec.url,
    method: spec.method ?? 'GET',
    headers: spec.headers,
    body: spec.body,
    connections,
    timeoutS: 30,
  };
}

/**
 * Probes a request shape (3 sequential requests). Returns an error result, a
 * "sequential" result for a request so slow that 16 connections would not
 * complete within the window, or undefined when it can be loaded.
 */
async function probeSpec(spec, opts) {
  const { durationS, probe } = opts;
  const probes = [];
  for (let i = 0; i < 3; i++) {
    const p = await probe(spec);
    probes.push(p);
    if (p.status < 200 || p.status >= 300) {
      return {
        result: {
          error: `HTTP ${p.status}: ${String(p.text).slice(0, 200)}`,
          probeMs: p.ms,
        },
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
  if (probeMs > 1000) {
    return {
      probeMs,
      result: sequential(
        `one request takes ${probeMs.toFixed(
          0,
        )} ms; no load run (sequential latency reported)`,
      ),
    };
  }
  return {
    probeMs,
    sequential: () =>
      sequential(
        `no response within the ${durationS} s window under load; sequential latency of ${probeMs.toFixed(
          0,
        )} ms reported`,
      ),
  };
}

function finish(r, probeMs, connections, durationS, sequential) {
  if (r.ok === 0) return sequential();
  if (r.ok < r.requests || r.errors > 0) {
    r.error = `non-2xx or errors under load: ${JSON.stringify(r.statuses)}, ${
      r.errors
    } errors, ${r.timeouts} timeouts`;
  }
  if (r.ok < connections) {
    r.note = `only ${r.ok} responses in the window`;
  }
  r.probeMs = probeMs;
  delete r.latencies;
  return r;
}

/**
 * Measures several request shapes interleaved, so that a change in the
 * machine's background load during the run falls on all of them alike (the
 * targets are ratios between them): each is probed and warmed up, then
 * `rounds` rounds load each for `durationS / rounds` seconds, the order
 * rotating every round. p50 and req/s come from all rounds together.
 */
async function measureInterleaved(specs, opts) {
  const { connections, durationS, warmupS, rounds, onResult } = opts;
  const names = Object.keys(specs);
  const state = {};
  for (const name of names) {
    const probed = await probeSpec(specs[name], opts);
    state[name] = { probed, runs: [] };
    if (probed.result) continue;
    const w = await runOnce({
      ...baseOf(specs[name], connections),
      durationS: warmupS,
    });
    await drain(w);
  }
  const sliceS = Math.max(1, Math.round(durationS / rounds));
  const active = names.filter(n => !state[n].probed.result);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < active.length; k++) {
      const name = active[(k + round) % active.length];
      const r = await runOnce({
        ...baseOf(specs[name], connections),
        durationS: sliceS,
      });
      await drain(r);
      state[name].runs.push(r);
    }
  }
  const results = {};
  for (const name of names) {
    const { probed, runs } = state[name];
    if (probed.result) {
      results[name] = probed.result;
    } else {
      const latencies = runs.flatMap(r => r.latencies).sort((a, b) => a - b);
      const statuses = {};
      for (const r of runs) {
        for (const [s, c] of Object.entries(r.statuses)) {
          statuses[s] = (statuses[s] ?? 0) + c;
        }
      }
      const ok = runs.reduce((n, r) => n + r.ok, 0);
      const elapsedS = runs.reduce((n, r) => n + r.elapsedS, 0);
      results[name] = finish(
        {
          requests: latencies.length,
          ok,
          statuses,
          errors: runs.reduce((n, r) => n + r.errors, 0),
          timeouts: runs.reduce((n, r) => n + r.timeouts, 0),
          p50: percentile(latencies, 50),
          p90: percentile(latencies, 90),
          p99: percentile(latencies, 99),
          max: latencies[latencies.length - 1] ?? NaN,
          rps: ok / elapsedS,
          rounds: runs.length,
          roundP50s: runs.map(r => Number(r.p50.toFixed(2))),
        },
        probed.probeMs,
        connections,
        durationS,
        probed.sequential,
      );
    }
    onResult?.(name, results[name]);
  }
  return results;
}

module.exports = { measureInterleaved, percentile };
