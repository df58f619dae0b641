#!/usr/bin/env node
/*
 * The seventh pass's harness (bench/README.md, "Round 2, seventh pass"):
 * what a request costs at each layer between Backstage's authenticated
 * no-op (the floor) and the release plugin's GET …/pipeline, measured
 * interleaved in one backend process on SQLite.
 *
 * Not part of `yarn bench`. To run it:
 *   1. node bench/run.js --keep --only P3 --db=sqlite --skip-browser
 *      (writes the app-config, the entities and the seed it prints the
 *      folder of: $TMPDIR/release-bench/<pid>/sqlite/)
 *   2. git apply bench/experiments/stack-routes.patch
 *      (temporary routes: a floor on the pipeline's path in the bench
 *      plugin, and, with EXPROUTERS=1, no-op handlers in the release plugin
 *      picked by the `x-exp` header)
 *   3. EXPROUTERS=1 node bench/experiments/stack-harness.js \
 *        --config $TMPDIR/release-bench/<pid>/sqlite/app-config.<port>.yaml \
 *        --settle=180 --rounds=8 --duration=48
 *   4. git apply -R bench/experiments/stack-routes.patch
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { measureInterleaved } = require('../lib/load');
const {
  startBackend,
  stopBackend,
  sleep,
  request,
  waitFor,
} = require('../lib/proc');

const argv = Object.fromEntries(
  process.argv.slice(2).map(a => {
    const [k, ...v] = a.replace(/^--/, '').split('=');
    return [k, v.join('=')];
  }),
);
const configFile = argv.config;
if (!configFile) {
  console.error('usage: stack-harness.js --config=<app-config.yaml>');
  process.exit(2);
}
const config = fs.readFileSync(configFile, 'utf8');
const token = /token: (\S+)/.exec(config)[1];
const port = /port: (\d+)/.exec(config)[1];
const base = `http://127.0.0.1:${port}`;

async function main() {
  const child = startBackend({
    configFile,
    logFile: path.join(path.dirname(configFile), 'harness-backend.log'),
    env: { BENCH_SEED: '1', BENCH_APP: '0' },
  });
  try {
    await waitFor(
      'the bench backend',
      async () => (await request(`${base}/api/bench/ready`)).json?.seeded,
      240_000,
      child,
    );
    // Let the catalog finish stitching the fixture before measuring.
    await sleep(Number(argv.settle ?? 180) * 1000);
    const auth = { Authorization: `Bearer ${token}` };
    const pipeline = `${base}/api/release/entities/component/default/bench-large/pipeline`;
    const specs = {
      floor: { url: `${base}/api/bench/floor`, headers: auth },
      catalog: {
        url: `${base}/api/catalog/entities/by-name/component/default/bench-large`,
        headers: auth,
      },
      pipeline: { url: pipeline, headers: auth },
      floorLong: {
        url: `${base}/api/bench/entities/component/default/bench-large/pipeline`,
        headers: auth,
      },
      relFloor: { url: `${base}/api/release/exp-floor`, headers: auth },
      bare: { url: pipeline, headers: { ...auth, 'x-exp': 'bare' } },
      val1: { url: pipeline, headers: { ...auth, 'x-exp': 'val1' } },
      noop: { url: pipeline, headers: { ...auth, 'x-exp': 'noop' } },
    };
    const results = await measureInterleaved(specs, {
      connections: 16,
      durationS: Number(argv.duration ?? 48),
      warmupS: 2,
      rounds: Number(argv.rounds ?? 8),
      probe: spec => request(spec.url, { headers: spec.headers }),
    });
    const floor = results.floor.p50;
    const catalog = results.catalog.p50;
    for (const [name, r] of Object.entries(results)) {
      console.log(
        [
          name.padEnd(10),
          `p50 ${r.p50?.toFixed(2)} ms`,
          `÷ floor ${(r.p50 / floor).toFixed(3)}`,
          `÷ catalog ${(r.p50 / catalog).toFixed(3)}`,
          `${r.rps?.toFixed(0)} req/s`,
          r.error ?? JSON.stringify(r.roundP50s),
        ].join('  '),
      );
    }
  } finally {
    await stopBackend(child);
  }
}

main().catch(e => {
  console.error(e);
  process.exitCode = 1;
});
