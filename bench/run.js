#!/usr/bin/env node
/*
 * `yarn bench`: the performance targets P1–P14 of shared/design/BENCHMARKS.md.
 *
 * For each database (PostgreSQL on 127.0.0.1:5432 — the targets — then SQLite
 * in memory, figures only) it:
 *   1. writes the fixture (1,006 components, a user and a group) and the
 *      app-config of the bench backend (bench/backend/index.js: the real
 *      backend wiring with the real release plugin and catalog);
 *   2. starts the backend, which seeds the release tables at startup, and
 *      waits until every fixture entity is in the catalog;
 *   3. counts the SQL statements of POST /status for 1 … 500 entities;
 *   4. P13: backend RSS before and after reading every entity, twice;
 *   5. measures the floor and catalog baselines and the release reads under
 *      load (autocannon, 16 connections, warm-up discarded) from this process;
 *   6. P6: approval → webhook call, three times;
 *   7. P5: 200 concurrent promotion requests for one phase, split over two
 *      backend processes on the same database (PostgreSQL only);
 *   8. P14 and P12 in headless Chromium against the process that serves the
 *      built app: full navigation Releases tab ÷ Overview, and a change made
 *      through the API appearing in an open Releases tab (signals);
 * then P7 (the lazily loaded code of the release plugin in the built app),
 * prints the table, writes bench/results/<timestamp>.json and exits non-zero
 * when a target is missed.
 *
 * Options: --db=postgres,sqlite  --duration=6  --warmup=2  --connections=16
 *          --skip-p7  --skip-browser (P7, P12, P14)
 *          --only=P12,P13 (rows) or --only=floor,catalog (load shapes)
 *          --keep (keep the work folder and the PostgreSQL databases)
 *          --p13-extra-passes=N (P13 diagnostics: N more passes, in the JSON)
 */
'use strict';

// --ports=7150-7169: every port the bench opens comes from this range.
for (const a of process.argv) {
  const m = /^--ports=(.+)$/.exec(a);
  if (m) process.env.BENCH_PORTS = m[1];
}
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const zlib = require('node:zlib');

const {
  writeFixture,
  expectedRefs,
  svcName,
  SVC_COUNT,
} = require('./lib/fixture');
const { measureInterleaved } = require('./lib/load');
const {
  measureReleasesTab,
  measureLiveUpdate,
  measureFullNavigation,
} = require('./lib/browser');
const {
  ROOT,
  sleep,
  freePort,
  startBackend,
  stopBackend,
  request,
  waitFor,
} = require('./lib/proc');

// ---------------------------------------------------------------- options
// `--key=value`, `--key value` (for the options that take a value) or `--flag`.
const VALUED = new Set([
  'db',
  'duration',
  'warmup',
  'connections',
  'only',
  'rounds',
]);
const argv = {};
for (let i = 2; i < process.argv.length; i++) {
  const [k, v] = process.argv[i].replace(/^--/, '').split('=');
  const next = process.argv[i + 1];
  if (v === undefined && VALUED.has(k) && next && !next.startsWith('--')) {
    argv[k] = next;
    i++;
  } else {
    argv[k] = v ?? true;
  }
}
const OPTS = {
  dbs: String(argv.db ?? 'postgres,sqlite').split(','),
  durationS: Number(argv.duration ?? 6),
  warmupS: Number(argv.warmup ?? 2),
  connections: Number(argv.connections ?? 16),
  skipP7: Boolean(argv['skip-p7']),
  skipBrowser: Boolean(argv['skip-browser']),
  keep: Boolean(argv.keep),
  only: argv.only ? String(argv.only).split(',') : undefined,
  rounds: Number(argv.rounds ?? 3),
  // P13 diagnostics: more passes after the two the rows measure.
  p13ExtraPasses: Number(argv['p13-extra-passes'] ?? 0),
};

// `--only` names rows (P1 … P14) and/or load shapes (floor, catalog, …).
// Rows: only these rows are measured and printed, with the load shapes they
// need. Shapes alone: every row is printed, only these shapes are loaded.
const ONLY_ROWS = (OPTS.only ?? [])
  .filter(x => /^p\d+$/i.test(x))
  .map(x => x.toUpperCase());
const SHAPES_OF_ROW = {
  P1: ['floor', 'catalog', 'pipelineLarge'],
  P2: ['pipelineLarge', 'pipelineSmall', 'releasesLarge10', 'releasesSmall10'],
  P3: ['floor', 'status500'],
  P4: ['catalog', 'pipelineLarge', 'releasesLarge'],
  P8: ['floorUser', 'approvals'],
  P9: ['floor', 'portfolio'],
  P10: ['floor', 'changeSet'],
  P11: ['floor', 'metricsLarge', 'metricsOwner'],
};
const ONLY_SHAPES = OPTS.only
  ? [
      ...OPTS.only.filter(x => !/^p\d+$/i.test(x)),
      ...ONLY_ROWS.flatMap(r => SHAPES_OF_ROW[r] ?? []),
    ]
  : undefined;
/** True when row `id` is to be measured in this run. */
const wantRow = id => ONLY_ROWS.length === 0 || ONLY_ROWS.includes(id);
/** The browser rows this run measures (they need the built app). */
const BROWSER_ROWS = OPTS.skipBrowser
  ? []
  : ['P7', 'P12', 'P14'].filter(
      id => wantRow(id) && !(id === 'P7' && OPTS.skipP7),
    );
const NEED_APP = BROWSER_ROWS.length > 0;

const started = Date.now();
const log = m =>
  process.stdout.write(
    `[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s] ${m}\n`,
  );
// Outside the repository, so that no generated file lands in the work tree.
const WORK_ROOT = path.join(os.tmpdir(), 'release-bench');
const WORK = path.join(WORK_ROOT, String(process.pid));

/** Removes the work folders of earlier runs whose process is gone. */
function cleanOldWork() {
  if (!fs.existsSync(WORK_ROOT)) return;
  for (const name of fs.readdirSync(WORK_ROOT)) {
    let alive = false;
    try {
      process.kill(Number(name), 0);
      alive = true;
    } catch {
      alive = false;
    }
    if (!alive)
      fs.rmSync(path.join(WORK_ROOT, name), { recursive: true, force: true });
  }
}
const TOKEN = crypto.randomBytes(24).toString('hex');
const AUTH = { Authorization: `Bearer ${TOKEN}` };

// ---------------------------------------------------------------- webhook receiver (P6)
async function startWebhookReceiver() {
  const calls = new Map();
  const server = http.createServer((req, res) => {
    const t = performance.now();
    let body = '';
    req.on('data', d => (body += d));
    req.on('end', () => {
      let id;
      try {
        id = JSON.parse(body).promotionId;
      } catch {
        id = undefined;
      }
      if (id && !calls.has(id)) calls.set(id, t);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ status: 'succeeded', externalId: `bench-${id}` }),
      );
    });
  });
  const port = await freePort();
  return new Promise(resolve =>
    server.listen(port, '127.0.0.1', () =>
      resolve({ server, calls, port: server.address().port }),
    ),
  );
}

// ---------------------------------------------------------------- PostgreSQL databases
async function pgAdmin(sql) {
  const { Client } = require('pg');
  const client = new Client({
    host: '127.0.0.1',
    port: 5432,
    user: 'postgres',
    database: 'postgres',
  });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

async function dropPgDatabases(prefix) {
  const { rows } = await pgAdmin(
    `select datname from pg_database where datname like '${prefix.replace(
      /_/g,
      '\\_',
    )}%'`,
  );
  for (const { datname } of rows) {
    await pgAdmin(`drop database if exists "${datname}" with (force)`);
  }
  return rows.length;
}

// ---------------------------------------------------------------- one database
async function readyBackend(base, child, label) {
  const ready = await waitFor(
    `${label}: seed`,
    async () => {
      const r = await request(`${base}/api/bench/ready`, { timeoutMs: 5000 });
      if (r.json?.seedError)
        throw Object.assign(new Error(r.json.seedError), { fatal: true });
      return r.status === 200 && r.json.seeded ? r.json : undefined;
    },
    240_000,
    child,
  ).catch(e => {
    throw e;
  });
  const refs = expectedRefs();
  await waitFor(
    `${label}: catalog`,
    async () => {
      // In chunks: the catalog refuses a body of 5,000 refs.
      let missing = 0;
      for (let i = 0; i < refs.length; i += 1000) {
        const r = await request(`${base}/api/catalog/entities/by-refs`, {
          method: 'POST',
          headers: AUTH,
          body: {
            entityRefs: refs.slice(i, i + 1000),
            fields: ['kind', 'metadata.name'],
          },
          timeoutMs: 20_000,
        });
        if (r.status !== 200)
          throw new Error(`HTTP ${r.status} ${r.text.slice(0, 200)}`);
        missing += r.json.items.filter(x => !x).length;
      }
      if (missing)
        throw new Error(
          `${missing} of ${refs.length} entities not in the catalog yet`,
        );
      return true;
    },
    // The catalog's first pass over 5,000 entities takes minutes on 2 busy cores.
    900_000,
    child,
  );
  return ready;
}

async function guestToken(base) {
  const r = await request(`${base}/api/auth/guest/refresh`, {
    method: 'POST',
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  const token = r.json?.backstageIdentity?.token;
  if (!token)
    throw new Error(
      `guest sign-in failed: HTTP ${r.status} ${r.text.slice(0, 200)}`,
    );
  return token;
}

function loadSpecs(base, token) {
  const rel = name => `${base}/api/release/entities/component/default/${name}`;
  // Requests a person makes (the inbox is the caller's): the guest token of
  // bench-user; floorUser is their floor.
  const asUser = token ? { Authorization: `Bearer ${token}` } : undefined;
  const refs500 = Array.from(
    { length: 500 },
    (_, i) => `component:default/${svcName(i)}`,
  );
  return {
    floor: { url: `${base}/api/bench/floor` },
    catalog: {
      url: `${base}/api/catalog/entities/by-name/component/default/bench-large`,
    },
    pipelineLarge: { url: `${rel('bench-large')}/pipeline` },
    pipelineSmall: { url: `${rel('bench-small')}/pipeline` },
    // The default first page (20 releases; the small entity has only 10).
    releasesLarge: { url: `${rel('bench-large')}/releases` },
    releasesSmall: { url: `${rel('bench-small')}/releases` },
    // P2 compares equal pages (10 releases each), so that the ratio shows
    // growth with history size, not with page size.
    releasesLarge10: { url: `${rel('bench-large')}/releases?limit=10` },
    releasesSmall10: { url: `${rel('bench-small')}/releases?limit=10` },
    status500: {
      url: `${base}/api/release/status`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ entityRefs: refs500 }),
    },
    ...(asUser
      ? {
          floorUser: { url: `${base}/api/bench/floor`, headers: asUser },
          // P8: the lead's inbox, 1,000 waiting promotions over 500 entities.
          approvals: { url: `${base}/api/release/approvals`, headers: asUser },
          // Not a row: the pipeline read as a signed-in user (whose
          // permission questions go to the permission backend; a service
          // token's are decided in the process). Loaded only when named:
          // `--only pipelineUser,floorUser`.
          pipelineUser: {
            url: `${rel('bench-large')}/pipeline`,
            headers: asUser,
            optIn: true,
          },
        }
      : {}),
    // P9: portfolio, 5,000 entities with pipelines, first page of 50 of one owner.
    portfolio: {
      url: `${base}/api/release/portfolio?owner=${encodeURIComponent(
        'group:default/bench-team',
      )}&limit=50`,
    },
    // P10: the change set of the last of 1,001 releases into live (1,000 in between).
    changeSet: {
      url: `${rel('bench-cs')}/changes?version=1.10.0&phase=live`,
    },
    // P11: delivery metrics of the large entity, and of an owner with 500 entities.
    metricsLarge: { url: `${rel('bench-large')}/metrics` },
    metricsOwner: {
      url: `${base}/api/release/metrics?owner=${encodeURIComponent(
        'group:default/bench-leads',
      )}`,
    },
  };
}

async function countQueries(base, db, prefix, token) {
  const key = db === 'postgres' ? `pg:${prefix}release` : 'sqlite';
  const out = {};
  // Warm-up, not counted: a connection's first use may run set-up statements.
  await request(`${base}/api/release/status`, {
    method: 'POST',
    headers: AUTH,
    body: { entityRefs: [`component:default/${svcName(999)}`] },
  });
  // Each size asks for entities nobody asked for yet, so the plugin's read
  // cache (PostgreSQL) holds none of them: the count is that of a cold
  // request. Runs before the load, which warms entities 0–499.
  let next = 0;
  for (const n of [1, 10, 100, 500]) {
    const refs = Array.from(
      { length: n },
      (_, k) => `component:default/${svcName(next + k)}`,
    );
    next += n;
    const r = await request(`${base}/api/release/status`, {
      method: 'POST',
      headers: { ...AUTH, 'x-bench-count-queries': '1' },
      body: { entityRefs: refs },
    });
    if (r.status !== 200)
      throw new Error(`POST /status (${n} refs): HTTP ${r.status}`);
    const header = JSON.parse(r.headers.get('x-bench-queries') ?? '{}');
    if (r.json.items.length !== n)
      throw new Error(
        `POST /status (${n} refs) returned ${r.json.items.length} items`,
      );
    out[n] = header[key] ?? 0;
  }
  // The same counter on the floor route must see nothing, on a release read something.
  const check = await request(
    `${base}/api/release/entities/component/default/bench-small/releases`,
    {
      headers: { ...AUTH, 'x-bench-count-queries': '1' },
    },
  );
  const sanity =
    JSON.parse(check.headers.get('x-bench-queries') ?? '{}')[key] ?? 0;
  // Statements per request of the loaded reads, every database (the
  // catalog's included), for the note and the JSON.
  const perRequest = {};
  const specs = loadSpecs(base, token);
  // P8/P9: the statements of a page must not grow with the page (nor with
  // what the page skips): a full page against a page of 5, both cold.
  specs.approvals5 = specs.approvals && {
    ...specs.approvals,
    url: `${specs.approvals.url}?limit=5`,
  };
  specs.portfolio5 = {
    ...specs.portfolio,
    url: specs.portfolio.url.replace('limit=50', 'limit=5'),
  };
  // The small pages first: each is cold then (the portfolio's per-entity
  // status is cached, and the page of 5 is part of the page of 50).
  const order = [
    'approvals5',
    'portfolio5',
    ...Object.keys(specs).filter(k => !/5$/.test(k)),
  ];
  for (const name of order) {
    const spec = specs[name];
    if (name === 'status500' || !spec || spec.optIn) continue;
    const r = await request(spec.url, {
      headers: { ...AUTH, ...spec.headers, 'x-bench-count-queries': '1' },
    });
    perRequest[name] = JSON.parse(r.headers.get('x-bench-queries') ?? '{}');
  }
  const fixed = {};
  for (const name of ['approvals', 'approvals5', 'portfolio', 'portfolio5']) {
    if (perRequest[name]) fixed[name] = perRequest[name][key] ?? 0;
  }
  return { byRefs: out, key, sanityReleasesQueries: sanity, perRequest, fixed };
}

async function measureP6(base, hook, token) {
  const runs = [];
  for (const name of ['bench-p6-a', 'bench-p6-b', 'bench-p6-c']) {
    const headers = { Authorization: `Bearer ${token}` };
    const p = await request(
      `${base}/api/release/entities/component/default/${name}/promotions`,
      {
        method: 'POST',
        headers,
        body: { version: '1.0.0', phase: 'deploy' },
      },
    );
    if (p.status !== 202)
      throw new Error(
        `promotion request for ${name}: HTTP ${p.status} ${p.text.slice(
          0,
          300,
        )}`,
      );
    const id = p.json.id;
    if (p.json.status !== 'pending_approval') {
      throw new Error(
        `promotion of ${name} is ${p.json.status}, expected pending_approval`,
      );
    }
    const sent = performance.now();
    const a = await request(`${base}/api/release/promotions/${id}/approve`, {
      method: 'POST',
      headers,
      body: {},
    });
    const answered = performance.now();
    if (a.status !== 200)
      throw new Error(
        `approve ${name}: HTTP ${a.status} ${a.text.slice(0, 300)}`,
      );
    const deadline = Date.now() + 10_000;
    while (!hook.calls.has(id) && Date.now() < deadline) await sleep(5);
    const called = hook.calls.get(id);
    runs.push({
      entity: name,
      approveMs: answered - sent,
      // From the approval's answer to the provider call (0 if it came first).
      delayMs: called === undefined ? null : Math.max(0, called - answered),
      fromRequestMs: called === undefined ? null : called - sent,
    });
  }
  const delays = runs.map(r => r.delayMs);
  return {
    runs,
    maxDelayMs: delays.includes(null) ? null : Math.max(...delays),
  };
}

async function measureP5(bases, token) {
  const url = b =>
    `${b}/api/release/entities/component/default/bench-p5/promotions`;
  // Warm-up, discarded: the user's token, keys and connections on each
  // process, and the promotion route itself (its request validator is
  // compiled on first use, its code is cold in a process that just started):
  // requests of a version that does not exist, answered 404, change nothing.
  for (const base of bases) {
    for (let i = 0; i < 10; i++) {
      await request(
        `${base}/api/release/entities/component/default/bench-p5/pipeline`,
        {
          headers: { Authorization: `Bearer ${token}` },
        },
      );
      const warm = await request(url(base), {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}` },
        body: { version: '0.0.0-warm-up', phase: 'dev' },
      });
      if (warm.status !== 404) {
        throw new Error(
          `P5 warm-up: expected 404 for a missing version, got ${
            warm.status
          } ${warm.text.slice(0, 200)}`,
        );
      }
    }
  }
  const t0 = performance.now();
  const results = await Promise.all(
    Array.from({ length: 200 }, (_, i) => {
      const base = bases[i % bases.length];
      return fetch(url(base), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          Authorization: `Bearer ${token}`,
        },
        body: JSON.stringify({ version: '1.0.0', phase: 'dev' }),
        signal: AbortSignal.timeout(30_000),
      })
        .then(async r => ({
          status: r.status,
          ms: performance.now() - t0,
          base,
          text: r.status >= 500 ? await r.text() : (await r.text(), ''),
        }))
        .catch(e => ({
          status: 0,
          ms: performance.now() - t0,
          base,
          text: String(e),
        }));
    }),
  );
  const statuses = {};
  for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  const accepted = results.filter(r => r.status === 202);
  return {
    processes: bases.length,
    statuses,
    accepted: accepted.length,
    conflicts: statuses[409] ?? 0,
    acceptedBy: accepted.map(r => bases.indexOf(r.base)),
    maxMs: Math.max(...results.map(r => r.ms)),
    p50Ms: results.map(r => r.ms).sort((a, b) => a - b)[100],
    sampleError: results
      .find(r => r.status !== 202 && r.status !== 409)
      ?.text?.slice(0, 300),
  };
}

// ---------------------------------------------------------------- P13
/** VmRSS and VmHWM of a process, in kB (Linux /proc). */
function procMemory(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = key =>
    Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
  return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
}

/**
 * Resident kB of the C library's main malloc arena (the `[heap]` mapping of
 * /proc/<pid>/smaps): native memory that V8's heap figures do not show.
 */
function mallocHeapKb(pid) {
  const smaps = fs.readFileSync(`/proc/${pid}/smaps`, 'utf8');
  const at = smaps.search(/^[0-9a-f]+-[0-9a-f]+ .*\[heap\]$/m);
  if (at < 0) return 0;
  return Number(/^Rss:\s+(\d+) kB/m.exec(smaps.slice(at))?.[1] ?? 0);
}

/**
 * One pass over every bench-svc entity: GET …/pipeline and GET …/releases
 * (the default first page) of each, and POST /status for all of them in
 * chunks of 500 refs, `concurrency` requests at a time.
 */
async function readEveryEntity(base, concurrency = 8) {
  const rel = name => `${base}/api/release/entities/component/default/${name}`;
  const tasks = [];
  for (let i = 0; i < SVC_COUNT; i++) {
    tasks.push({ url: `${rel(svcName(i))}/pipeline` });
    tasks.push({ url: `${rel(svcName(i))}/releases` });
  }
  for (let i = 0; i < SVC_COUNT; i += 500) {
    const refs = [];
    for (let k = i; k < Math.min(i + 500, SVC_COUNT); k++)
      refs.push(`component:default/${svcName(k)}`);
    tasks.push({
      url: `${base}/api/release/status`,
      method: 'POST',
      body: { entityRefs: refs },
    });
  }
  const statuses = {};
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < tasks.length) {
        const task = tasks[next++];
        let status;
        try {
          status = (
            await request(task.url, {
              method: task.method,
              headers: AUTH,
              body: task.body,
              timeoutMs: 60_000,
            })
          ).status;
        } catch {
          status = 0;
        }
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }),
  );
  return {
    requests: tasks.length,
    statuses,
    seconds: Number(((performance.now() - t0) / 1000).toFixed(1)),
  };
}

/**
 * P13: the backend's resident set (VmRSS of the OS process the bench
 * spawned) before, after one pass over every entity, and after a second
 * pass. No forced GC (the backend runs without --expose-gc, as in
 * production): RSS as the operating system sees it, after a 3 s settle.
 */
async function measureP13(base, child) {
  // The V8 heap and native memory at each point, for the JSON (diagnostics).
  const heap = async ({ collect = false } = {}) => {
    const r = await request(
      `${base}/api/bench/memory${collect ? '?collect=1' : ''}`,
      { headers: AUTH, timeoutMs: 60_000 },
    );
    if (r.status !== 200) return undefined;
    const mb = v => Number((v / 2 ** 20).toFixed(1));
    return {
      rssMb: mb(r.json.rss),
      heapTotalMb: mb(r.json.heapTotal),
      heapUsedMb: mb(r.json.heapUsed),
      externalMb: mb(r.json.external),
      arrayBuffersMb: mb(r.json.arrayBuffers),
      spacesMb: Object.fromEntries(
        Object.entries(r.json.spaces ?? {}).map(([k, v]) => [k, mb(v)]),
      ),
    };
  };
  const sampleDuring = async work => {
    let peakKb = 0;
    const timer = setInterval(() => {
      try {
        peakKb = Math.max(peakKb, procMemory(child.pid).rssKb);
      } catch {
        // gone: the pass reports the errors
      }
    }, 250);
    try {
      const r = await work();
      return { ...r, peakRssKb: peakKb };
    } finally {
      clearInterval(timer);
    }
  };
  await sleep(3000);
  const before = procMemory(child.pid);
  const mallocBefore = mallocHeapKb(child.pid);
  const heapBefore = await heap();
  const pass1 = await sampleDuring(() => readEveryEntity(base));
  await sleep(3000);
  const after1 = procMemory(child.pid);
  const mallocAfter1 = mallocHeapKb(child.pid);
  const heapAfterFirst = await heap();
  const pass2 = await sampleDuring(() => readEveryEntity(base));
  await sleep(3000);
  const after2 = procMemory(child.pid);
  const mallocAfter2 = mallocHeapKb(child.pid);
  const heapAfterSecond = await heap();
  const mb = kb => kb / 1024;
  // Diagnostics, after the rows' readings (a forced collection would change
  // what a later RSS reading sees): the live V8 heap, between two full
  // garbage collections, before and after a third identical pass.
  let live;
  try {
    const liveBefore = await heap({ collect: true });
    const pass3 = await sampleDuring(() => readEveryEntity(base));
    await sleep(3000);
    const liveAfter = await heap({ collect: true });
    live = {
      beforeMb: liveBefore?.heapUsedMb,
      afterMb: liveAfter?.heapUsedMb,
      thirdPassMb:
        liveBefore && liveAfter
          ? Number((liveAfter.heapUsedMb - liveBefore.heapUsedMb).toFixed(1))
          : undefined,
      pass: { ...pass3, peakRssMb: mb(pass3.peakRssKb) },
    };
  } catch (e) {
    live = { error: e.message };
  }
  // Diagnostics only (--p13-extra-passes=N): whether the growth goes on.
  const extra = [];
  for (let i = 0; i < OPTS.p13ExtraPasses; i++) {
    const pass = await sampleDuring(() => readEveryEntity(base));
    await sleep(3000);
    const rss = procMemory(child.pid).rssKb;
    extra.push({ ...pass, rssMb: mb(rss), heap: await heap() });
  }
  const failed = [pass1, pass2].reduce(
    (n, p) =>
      n +
      Object.entries(p.statuses)
        .filter(([s]) => s !== '200')
        .reduce((m, [, c]) => m + c, 0),
    0,
  );
  return {
    pid: child.pid,
    beforeMb: mb(before.rssKb),
    afterFirstMb: mb(after1.rssKb),
    afterSecondMb: mb(after2.rssKb),
    growthMb: mb(after1.rssKb - before.rssKb),
    secondPassMb: mb(after2.rssKb - after1.rssKb),
    hwmMb: mb(after2.hwmKb),
    // The C library's main arena at the same three points.
    mallocHeapMb: {
      before: mb(mallocBefore),
      afterFirst: mb(mallocAfter1),
      afterSecond: mb(mallocAfter2),
    },
    liveHeap: live,
    heap: {
      before: heapBefore,
      afterFirst: heapAfterFirst,
      afterSecond: heapAfterSecond,
    },
    failedRequests: failed,
    passes: [pass1, pass2].map(p => ({ ...p, peakRssMb: mb(p.peakRssKb) })),
    ...(extra.length ? { extraPasses: extra } : {}),
  };
}

// ---------------------------------------------------------------- P12
/**
 * P12: creates releases `2.0.<i>` of `entityName` through the API (as the
 * e2e does: POST …/releases as the guest) while its Releases tab is open.
 */
async function measureP12(base, entityName, token) {
  const url = `${base}/api/release/entities/component/default/${entityName}/releases`;
  return measureLiveUpdate(base, entityName, {
    rounds: 5,
    change: async (i, arm) => {
      const version = `2.0.${i}`;
      await arm(version);
      const requestedAt = Date.now();
      const r = await request(url, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}` },
        body: {
          version,
          artifact: `registry.example.com/${entityName}@sha256:${String(i)
            .padStart(2, '0')
            .repeat(32)}`,
          notes: `bench P12: live update ${i}`,
        },
      });
      const answeredAt = Date.now();
      if (r.status !== 201)
        throw new Error(
          `create release ${version}: HTTP ${r.status} ${r.text.slice(0, 300)}`,
        );
      return { version, requestedAt, answeredAt };
    },
  });
}

async function runDatabase(db) {
  const label = db;
  const dir = path.join(WORK, db);
  fs.rmSync(dir, { recursive: true, force: true });
  const pgPrefix = `release_bench_${process.pid}_`;
  const hook = await startWebhookReceiver();
  const ports = { a: await freePort(), b: await freePort() };
  const fixture = writeFixture(dir, {
    db,
    pgPrefix,
    token: TOKEN,
    secretsKey: crypto.randomBytes(32).toString('base64'),
    webhookSecret: crypto.randomBytes(16).toString('hex'),
    webhookUrl: `http://127.0.0.1:${hook.port}/deploy`,
  });
  const figures = { db, errors: [] };
  const children = [];
  const baseA = `http://127.0.0.1:${ports.a}`;
  const baseB = `http://127.0.0.1:${ports.b}`;
  try {
    if (db === 'postgres') await dropPgDatabases(pgPrefix);
    log(
      `${label}: starting the backend on ${baseA} (log: ${path.relative(
        ROOT,
        dir,
      )}/backend-a.log)`,
    );
    const t0 = Date.now();
    // SQLite (in memory) has one process: it also serves the built app for
    // the browser rows; on PostgreSQL the second process does.
    const a = startBackend({
      configFile: fixture.configFile(ports.a),
      logFile: path.join(dir, 'backend-a.log'),
      env: {
        BENCH_SEED: '1',
        BENCH_APP: db !== 'postgres' && NEED_APP ? '1' : '0',
      },
    });
    children.push(a);
    figures.seed = await readyBackend(baseA, a, `${label} backend A`);
    figures.startupS = (Date.now() - t0) / 1000;
    log(
      `${label}: ready in ${figures.startupS.toFixed(
        0,
      )} s, seeded ${JSON.stringify(figures.seed.counts)}`,
    );

    // P8 (the inbox is a person's), P6 and P5 need a user.
    let userToken;
    try {
      userToken = await guestToken(baseA);
    } catch (e) {
      figures.errors.push(`guest sign-in: ${e.message}`);
    }

    // ---- P3 query count (P8 and P9 use its statement counts too)
    try {
      if (!['P3', 'P8', 'P9'].some(wantRow))
        throw Object.assign(new Error(), { skip: true });
      figures.queries = await countQueries(baseA, db, pgPrefix, userToken);
      log(
        `${label}: SQL statements of POST /status by number of refs: ${JSON.stringify(
          figures.queries.byRefs,
        )}; per request: ${JSON.stringify(figures.queries.perRequest)}`,
      );
    } catch (e) {
      if (!e.skip) figures.errors.push(`P3 queries: ${e.message}`);
    }

    // ---- P13 memory, before the load (whose connections and garbage would
    // blur the figure); after P3, which needs entities nobody read yet.
    if (wantRow('P13')) {
      try {
        log(`${label}: P13 reading every entity twice (RSS of pid ${a.pid})`);
        figures.p13 = await measureP13(baseA, a);
        const m = figures.p13;
        log(
          `${label}: P13 RSS ${m.beforeMb.toFixed(
            0,
          )} → ${m.afterFirstMb.toFixed(0)} → ${m.afterSecondMb.toFixed(
            0,
          )} MB; V8 heap used ${['before', 'afterFirst', 'afterSecond']
            .map(k => m.heap[k]?.heapUsedMb ?? '?')
            .join(' → ')} MB (passes ${m.passes
            .map(p => `${p.seconds} s ${JSON.stringify(p.statuses)}`)
            .join(', ')})`,
        );
      } catch (e) {
        figures.errors.push(`P13: ${e.message}`);
        log(`${label}: P13 error ${e.message}`);
      }
    }

    // ---- load
    const specs = loadSpecs(baseA, userToken);
    figures.load = {};
    const selected = Object.fromEntries(
      Object.entries(specs)
        .filter(([name, spec]) =>
          ONLY_SHAPES ? ONLY_SHAPES.includes(name) : !spec.optIn,
        )
        .map(([name, { optIn: _optIn, ...spec }]) => [
          name,
          { ...spec, headers: { ...AUTH, ...spec.headers } },
        ]),
    );
    // None with `--only` naming rows that need no load (P5, P6, P12–P14).
    figures.load = {};
    if (Object.keys(selected).length > 0)
      figures.load = await measureInterleaved(selected, {
        connections: OPTS.connections,
        durationS: OPTS.durationS,
        warmupS: OPTS.warmupS,
        rounds: OPTS.rounds,
        probe: p =>
          request(p.url, {
            method: p.method,
            headers: p.headers,
            body: p.body ? JSON.parse(p.body) : undefined,
            timeoutMs: 180_000,
          }),
        onResult: (name, r) =>
          log(
            `${label}: ${name.padEnd(14)} ${
              r.error
                ? `ERROR ${r.error}`
                : `p50 ${r.p50.toFixed(1)} ms  ${r.rps.toFixed(0)} req/s  (${
                    r.requests
                  } requests${
                    r.roundP50s
                      ? `; p50 per round ${r.roundP50s.join(', ')}`
                      : ''
                  }${r.note ? `; ${r.note}` : ''})`
            }`,
          ),
      });

    // ---- P6 and P5 need a user
    const token = userToken ?? (await guestToken(baseA));
    try {
      if (!wantRow('P6')) throw Object.assign(new Error(), { skip: true });
      figures.p6 = await measureP6(baseA, hook, token);
      log(
        `${label}: P6 approval → webhook: ${figures.p6.runs
          .map(r => `${r.delayMs?.toFixed(0)} ms`)
          .join(', ')}`,
      );
    } catch (e) {
      if (!e.skip) {
        figures.errors.push(`P6: ${e.message}`);
        log(`${label}: P6 error ${e.message}`);
      }
    }

    try {
      const bases = [baseA];
      if (db === 'postgres' && (wantRow('P5') || NEED_APP)) {
        log(
          `${label}: starting a second backend process on ${baseB} (same database)`,
        );
        // This one also serves the built app, for the Releases tab of P7.
        const b = startBackend({
          configFile: fixture.configFile(ports.b),
          logFile: path.join(dir, 'backend-b.log'),
          env: { BENCH_APP: NEED_APP ? '1' : '0' },
        });
        children.push(b);
        await readyBackend(baseB, b, `${label} backend B`);
        bases.push(baseB);
      }
      if (!wantRow('P5')) throw Object.assign(new Error(), { skip: true });
      figures.p5 = await measureP5(bases, token);
      log(
        `${label}: P5 ${JSON.stringify(figures.p5.statuses)} over ${
          bases.length
        } process(es), slowest ${figures.p5.maxMs.toFixed(0)} ms`,
      );
    } catch (e) {
      if (!e.skip) {
        figures.errors.push(`P5: ${e.message}`);
        log(`${label}: P5 error ${e.message}`);
      }
    }

    if (
      db === 'postgres' &&
      BROWSER_ROWS.includes('P7') &&
      children.length > 1
    ) {
      try {
        figures.releasesTab = await measureReleasesTab(baseB, 'bench-1k');
        const t = figures.releasesTab;
        log(
          t.error
            ? `P7: Releases tab: ${t.error}`
            : `P7: Releases tab of bench-1k: first rows ${t.firstRowsAfterDataMs.toFixed(
                0,
              )} ms after the data (${t.rowsShown} rows)`,
        );
      } catch (e) {
        figures.releasesTab = { error: e.message.split('\n')[0] };
        log(`P7: Releases tab error ${e.message.split('\n')[0]}`);
      }
    }

    // ---- P14 and P12 in the browser, on the process that serves the app
    // (PostgreSQL: the second process; SQLite: the only one).
    const appBase = db === 'postgres' ? children[1] && baseB : baseA;
    if (BROWSER_ROWS.includes('P14')) {
      try {
        if (!appBase) throw new Error('no backend serves the app');
        figures.p14 = await measureFullNavigation(appBase, 'bench-large');
        const n = figures.p14;
        log(
          n.error
            ? `${label}: P14 ${n.error}`
            : `${label}: P14 full navigation to bench-large: Releases first rows ${n.releasesMs.join(
                ', ',
              )} ms; Overview ${n.overviewMs.join(', ')} ms`,
        );
      } catch (e) {
        figures.p14 = { error: e.message.split('\n')[0] };
        log(`${label}: P14 error ${figures.p14.error}`);
      }
    }
    if (BROWSER_ROWS.includes('P12')) {
      try {
        if (!appBase) throw new Error('no backend serves the app');
        // The change goes to the process that serves the page: signals
        // reach the pages connected to the process that published them.
        const appToken = await guestToken(appBase);
        figures.p12 = await measureP12(appBase, 'bench-large', appToken);
        const u = figures.p12;
        log(
          u.error
            ? `${label}: P12 ${u.error}`
            : `${label}: P12 new release visible in the open tab after ${u.runs
                .map(r => `${r.delayMs?.toFixed(0) ?? 'never'} ms`)
                .join(', ')} (signal ${u.runs
                .map(r => `${r.signalAfterAnswerMs ?? '—'}`)
                .join(', ')} ms after the answer)`,
        );
      } catch (e) {
        figures.p12 = { error: e.message.split('\n')[0] };
        log(`${label}: P12 error ${figures.p12.error}`);
      }
    }
  } catch (e) {
    figures.errors.push(e.message);
    log(`${label}: ERROR ${e.message}`);
  } finally {
    for (const c of children) await stopBackend(c);
    hook.server.close();
    if (db === 'postgres' && !OPTS.keep) {
      try {
        await dropPgDatabases(pgPrefix);
      } catch (e) {
        log(`could not drop the bench databases ${pgPrefix}*: ${e.message}`);
      }
    }
  }
  return figures;
}

// ---------------------------------------------------------------- P7
function newestMtime(dirs) {
  let newest = 0;
  const walk = d => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  };
  dirs.filter(fs.existsSync).forEach(walk);
  return newest;
}

/** Builds the app when dist/ is missing or older than its sources. */
function ensureAppBuilt() {
  const appDir = path.join(ROOT, 'packages', 'app');
  const dist = path.join(appDir, 'dist');
  const index = path.join(dist, 'index.html');
  const sources = [
    'packages/app/src',
    'plugins/release-frontend/src',
    'plugins/release-common/src',
  ].map(d => path.join(ROOT, d));
  let built = false;
  if (
    !fs.existsSync(index) ||
    fs.statSync(index).mtimeMs < newestMtime(sources)
  ) {
    log('P7: building the app (yarn workspace app build)');
    const r = spawnSync('yarn', ['workspace', 'app', 'build'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 300_000,
    });
    if (r.status !== 0) {
      return {
        error: `app build failed: ${(
          r.stderr ||
          r.stdout ||
          String(r.error)
        ).slice(-500)}`,
      };
    }
    built = true;
  }
  return { built };
}

/** The gzip size of the lazily loaded chunks that carry release plugin code. */
function measureP7(build) {
  const dist = path.join(ROOT, 'packages', 'app', 'dist');
  const index = path.join(dist, 'index.html');
  if (build.error) return build;
  const built = build.built;
  const html = fs.readFileSync(index, 'utf8');
  const staticDir = path.join(dist, 'static');
  const chunks = [];
  const initial = [];
  let unmapped = 0;
  for (const f of fs.readdirSync(staticDir).filter(n => n.endsWith('.js'))) {
    const mapFile = path.join(staticDir, `${f}.map`);
    if (!fs.existsSync(mapFile)) {
      unmapped++;
      continue;
    }
    const map = JSON.parse(fs.readFileSync(mapFile, 'utf8'));
    const own = map.sources.filter(s =>
      /plugins\/release-(frontend|common)\//.test(s),
    );
    if (own.length === 0) continue;
    const code = fs.readFileSync(path.join(staticDir, f));
    const entry = {
      file: f,
      bytes: code.length,
      gzipBytes: zlib.gzipSync(code, { level: 9 }).length,
      modules: map.sources.length,
      releaseModules: own.length,
    };
    (html.includes(`/static/${f}`) ? initial : chunks).push(entry);
  }
  const lazyGzip = chunks.reduce((n, c) => n + c.gzipBytes, 0);
  return {
    built,
    distBuiltAt: new Date(fs.statSync(index).mtimeMs).toISOString(),
    lazyChunks: chunks,
    lazyGzipKb: lazyGzip / 1024,
    initialChunksWithReleaseCode: initial,
    chunksWithoutSourceMap: unmapped,
  };
}

// ---------------------------------------------------------------- evaluation
function evaluate(fig) {
  const rows = [];
  // Round 2: SQLite rows are targets too (the embedded default).
  const info = false;
  const L = fig.load ?? {};
  const add = (id, what, target, measured, ratio, ok, note) =>
    rows.push({
      db: fig.db,
      id,
      what,
      target,
      measured,
      ratio: Number.isFinite(ratio) ? Number(ratio.toFixed(2)) : null,
      result: ok === null ? 'n/m' : info ? 'info' : ok ? 'pass' : 'FAIL',
      note,
    });
  const p50 = k => (L[k] && !L[k].error ? L[k].p50 : NaN);
  const rps = k => (L[k] && !L[k].error ? L[k].rps : NaN);
  const ms = v => (Number.isFinite(v) ? `${v.toFixed(1)} ms` : 'error');
  const errNote = (...ks) =>
    ks
      .map(k => L[k]?.error ?? (L[k]?.note ? `${k}: ${L[k].note}` : undefined))
      .filter(Boolean)
      .join('; ') || undefined;
  const ratioRow = (id, what, target, a, b, limit, fmt, note) => {
    const r = a / b;
    add(
      id,
      what,
      target,
      fmt(a, b),
      r,
      Number.isFinite(r) ? r <= limit : null,
      note,
    );
  };
  const msPair = (a, b) => `${ms(a)} / ${ms(b)}`;

  ratioRow(
    'P1',
    'GET pipeline (large) p50 ÷ floor p50',
    '≤ 1.5',
    p50('pipelineLarge'),
    p50('floor'),
    1.5,
    msPair,
    errNote('pipelineLarge', 'floor'),
  );
  ratioRow(
    'P1',
    'GET pipeline (large) p50 ÷ catalog by-name p50',
    '≤ 0.7',
    p50('pipelineLarge'),
    p50('catalog'),
    0.7,
    msPair,
    errNote('pipelineLarge', 'catalog'),
  );
  ratioRow(
    'P2',
    'GET pipeline p50, large ÷ small',
    '≤ 1.2',
    p50('pipelineLarge'),
    p50('pipelineSmall'),
    1.2,
    msPair,
    errNote('pipelineLarge', 'pipelineSmall'),
  );
  ratioRow(
    'P2',
    'GET releases (first page of 10) p50, large ÷ small',
    '≤ 1.2',
    p50('releasesLarge10'),
    p50('releasesSmall10'),
    1.2,
    msPair,
    errNote('releasesLarge10', 'releasesSmall10'),
  );
  ratioRow(
    'P3',
    'POST /status (500 refs) p50 ÷ floor p50',
    '≤ 5',
    p50('status500'),
    p50('floor'),
    5,
    msPair,
    errNote('status500', 'floor'),
  );
  if (fig.queries) {
    const q = fig.queries.byRefs;
    const values = Object.values(q);
    const fixed = values.every(v => v === values[0]) && values[0] > 0;
    add(
      'P3',
      'SQL statements of POST /status, 500 ÷ 10 refs',
      'fixed (= 1)',
      `${q[500]} / ${q[10]} (1/10/100/500 refs: ${values.join('/')})`,
      q[500] / q[10],
      fixed,
    );
  } else {
    add(
      'P3',
      'SQL statements of POST /status, 500 ÷ 10 refs',
      'fixed (= 1)',
      'error',
      NaN,
      null,
      fig.errors.find(e => e.startsWith('P3')),
    );
  }
  const rpsPair = (a, b) =>
    `${Number.isFinite(a) ? a.toFixed(0) : 'error'} / ${
      Number.isFinite(b) ? b.toFixed(0) : 'error'
    } req/s`;
  const rpsRow = (what, k) => {
    const r = rps(k) / rps('catalog');
    add(
      'P4',
      what,
      '≥ 1.2',
      rpsPair(rps(k), rps('catalog')),
      r,
      Number.isFinite(r) ? r >= 1.2 : null,
      errNote(k, 'catalog'),
    );
  };
  rpsRow('GET pipeline (large) req/s ÷ catalog by-name req/s', 'pipelineLarge');
  rpsRow('GET releases (large) req/s ÷ catalog by-name req/s', 'releasesLarge');
  if (fig.p5) {
    const p = fig.p5;
    const ok = p.accepted === 1 && p.conflicts === 199 && p.maxMs <= 1000;
    add(
      'P5',
      `200 concurrent promotions of one phase, ${p.processes} process${
        p.processes > 1 ? 'es' : ''
      }`,
      '1 × 202, 199 × 409, all ≤ 1 s',
      `${p.accepted} × 202, ${p.conflicts} × 409${Object.keys(p.statuses)
        .filter(s => s !== '202' && s !== '409')
        .map(s => `, ${p.statuses[s]} × ${s}`)
        .join('')}; slowest ${p.maxMs.toFixed(0)} ms`,
      p.maxMs / 1000,
      ok,
      p.sampleError,
    );
  } else {
    add(
      'P5',
      '200 concurrent promotions of one phase',
      '1 × 202, 199 × 409, all ≤ 1 s',
      'error',
      NaN,
      null,
      fig.errors.find(e => e.startsWith('P5')),
    );
  }
  if (fig.p6 && fig.p6.maxDelayMs !== null) {
    add(
      'P6',
      'approval answered → webhook provider called (max of 3)',
      '≤ 250 ms',
      `${fig.p6.maxDelayMs.toFixed(0)} ms (${fig.p6.runs
        .map(r => r.delayMs.toFixed(0))
        .join(', ')})`,
      fig.p6.maxDelayMs / 250,
      fig.p6.maxDelayMs <= 250,
    );
  } else {
    add(
      'P6',
      'approval answered → webhook provider called',
      '≤ 250 ms',
      fig.p6 ? 'no provider call within 10 s' : 'error',
      NaN,
      fig.p6 ? false : null,
      fig.errors.find(e => e.startsWith('P6')),
    );
  }
  // ---- round 2: the new reads at 5,000 entities
  ratioRow(
    'P8',
    'GET /approvals (lead: 1,000 waiting over 500 entities) p50 ÷ floor (user) p50',
    '≤ 3',
    p50('approvals'),
    p50('floorUser'),
    3,
    msPair,
    errNote('approvals', 'floorUser'),
  );
  if (fig.queries?.fixed?.approvals !== undefined) {
    const q = fig.queries.fixed;
    add(
      'P8',
      'SQL statements of GET /approvals, page of 20 ÷ page of 5',
      'fixed (= 1)',
      `${q.approvals} / ${q.approvals5}`,
      q.approvals / q.approvals5,
      q.approvals === q.approvals5,
    );
  }
  ratioRow(
    'P9',
    'GET /portfolio (5,000 entities, owner filter, 50) p50 ÷ floor p50',
    '≤ 3',
    p50('portfolio'),
    p50('floor'),
    3,
    msPair,
    errNote('portfolio', 'floor'),
  );
  if (fig.queries?.fixed?.portfolio !== undefined) {
    const q = fig.queries.fixed;
    add(
      'P9',
      'SQL statements of GET /portfolio, page of 50 ÷ page of 5',
      'fixed (= 1)',
      `${q.portfolio} / ${q.portfolio5}`,
      q.portfolio / q.portfolio5,
      q.portfolio === q.portfolio5,
    );
  }
  ratioRow(
    'P10',
    'GET change set (1,000 releases in between) p50 ÷ floor p50',
    '≤ 3',
    p50('changeSet'),
    p50('floor'),
    3,
    msPair,
    errNote('changeSet', 'floor'),
  );
  ratioRow(
    'P11',
    'GET metrics (large entity, 40,000 promotions) p50 ÷ floor p50',
    '≤ 3',
    p50('metricsLarge'),
    p50('floor'),
    3,
    msPair,
    errNote('metricsLarge', 'floor'),
  );
  ratioRow(
    'P11',
    'GET /metrics (owner with 500 entities) p50 ÷ floor p50',
    '≤ 10',
    p50('metricsOwner'),
    p50('floor'),
    10,
    msPair,
    errNote('metricsOwner', 'floor'),
  );
  // ---- P12: live update in an open Releases tab (browser rows)
  if (BROWSER_ROWS.includes('P12')) {
    const u = fig.p12;
    const what =
      'live update: new release (API) → visible in the open Releases tab, max of 5';
    if (!u || u.error || u.maxMs === null) {
      add(
        'P12',
        what,
        '≤ 1000 ms, pushed',
        u?.error
          ? `error: ${u.error}`
          : u
          ? `${u.missed} of ${u.runs.length} never appeared within ${u.boundMs} ms`
          : 'error',
        NaN,
        u && !u.error ? false : null,
      );
    } else {
      add(
        'P12',
        what,
        '≤ 1000 ms, pushed',
        `${u.maxMs.toFixed(0)} ms (median ${u.medianMs.toFixed(0)}; ${u.runs
          .map(r => r.delayMs.toFixed(0))
          .join(', ')})${u.pushed ? '' : ' NOT pushed'}${
          u.sameDocument ? '' : ' page reloaded'
        }`,
        u.maxMs / 1000,
        u.maxMs <= 1000 && u.pushed && u.sameDocument,
        u.pushed
          ? undefined
          : 'a change came without a signal frame on /api/signals first',
      );
    }
  }
  // ---- P13: memory
  if (wantRow('P13')) {
    const m = fig.p13;
    if (!m) {
      for (const [what, target] of [
        ['backend RSS growth, one pass over all 5,000 entities', '≤ 150 MB'],
        ['backend RSS growth, second pass', '≤ 10 MB'],
      ])
        add(
          'P13',
          what,
          target,
          'error',
          NaN,
          null,
          fig.errors.find(e => e.startsWith('P13')),
        );
    } else {
      const note = m.failedRequests
        ? `${m.failedRequests} of ${
            m.passes[0].requests * 2
          } reads did not answer 200: ${JSON.stringify(
            m.passes.map(p => p.statuses),
          )}`
        : undefined;
      add(
        'P13',
        'backend RSS growth, one pass over all 5,000 entities (pipeline, releases, status)',
        '≤ 150 MB',
        `${m.growthMb.toFixed(1)} MB (${m.beforeMb.toFixed(
          0,
        )} → ${m.afterFirstMb.toFixed(0)} MB)`,
        m.growthMb / 150,
        m.growthMb <= 150 && !m.failedRequests,
        note,
      );
      // Information, not the target: how much of the second pass's RSS is
      // the C library's malloc arena, and whether a pass keeps live heap.
      const malloc = m.mallocHeapMb
        ? m.mallocHeapMb.afterSecond - m.mallocHeapMb.afterFirst
        : undefined;
      const diagnostics = [
        malloc !== undefined
          ? `malloc arena ${malloc >= 0 ? '+' : ''}${malloc.toFixed(
              1,
            )} MB of it`
          : undefined,
        m.liveHeap?.thirdPassMb !== undefined
          ? `live V8 heap after a third pass, between full GCs: ${
              m.liveHeap.thirdPassMb >= 0 ? '+' : ''
            }${m.liveHeap.thirdPassMb.toFixed(1)} MB (${
              m.liveHeap.beforeMb
            } → ${m.liveHeap.afterMb} MB)`
          : m.liveHeap?.error
          ? `live heap: ${m.liveHeap.error}`
          : undefined,
      ].filter(Boolean);
      add(
        'P13',
        'backend RSS growth, second pass',
        '≤ 10 MB',
        `${m.secondPassMb.toFixed(1)} MB (→ ${m.afterSecondMb.toFixed(0)} MB)`,
        m.secondPassMb / 10,
        m.secondPassMb <= 10 && !m.failedRequests,
        diagnostics.length
          ? `information: ${diagnostics.join('; ')}`
          : undefined,
      );
    }
  }
  // ---- P14: full navigation, Releases tab ÷ Overview
  if (BROWSER_ROWS.includes('P14')) {
    const n = fig.p14;
    const what =
      'full navigation: Releases tab first rows ÷ Overview About card, medians of 5';
    if (!n || n.error) {
      add('P14', what, '≤ 1.2', n ? `error: ${n.error}` : 'error', NaN, null);
    } else {
      const r = n.releasesMedianMs / n.overviewMedianMs;
      add(
        'P14',
        what,
        '≤ 1.2',
        `${n.releasesMedianMs.toFixed(0)} ms / ${n.overviewMedianMs.toFixed(
          0,
        )} ms`,
        r,
        r <= 1.2,
      );
    }
  }
  // Only the rows asked for (`--only=P12,…`).
  for (let i = rows.length - 1; i >= 0; i--)
    if (!wantRow(rows[i].id)) rows.splice(i, 1);
  // A run that could not measure a target on PostgreSQL is a failure too.
  if (!info) {
    for (const r of rows) if (r.result === 'n/m') r.result = 'FAIL';
  }
  if (fig.errors.length && rows.every(r => r.result !== 'FAIL') && !info) {
    rows.push({
      db: fig.db,
      id: '—',
      what: 'run errors',
      target: 'none',
      measured: fig.errors.join('; '),
      ratio: null,
      result: 'FAIL',
    });
  }
  return rows;
}

function p7Rows(p7, tab) {
  const rows = [];
  if (!p7 || p7.error) {
    rows.push({
      db: 'app',
      id: 'P7',
      what: 'lazily loaded release plugin code, gzip',
      target: '≤ 100 kB',
      measured: p7 ? `error: ${p7.error}` : 'skipped',
      ratio: null,
      result: 'n/m',
    });
  } else {
    rows.push({
      db: 'app',
      id: 'P7',
      what: `lazily loaded release plugin code, gzip (${p7.lazyChunks.length} chunks)`,
      target: '≤ 100 kB',
      measured: `${p7.lazyGzipKb.toFixed(1)} kB`,
      ratio: Number((p7.lazyGzipKb / 100).toFixed(2)),
      result: p7.lazyGzipKb <= 100 ? 'pass' : 'FAIL',
    });
  }
  const what =
    'Releases tab, 1,000 releases: first rows visible after data arrives';
  if (!tab || tab.error) {
    rows.push({
      db: 'app',
      id: 'P7',
      what,
      target: '≤ 300 ms',
      measured: tab ? `error: ${tab.error}` : 'not measured',
      ratio: null,
      result: tab ? 'FAIL' : 'n/m',
    });
  } else {
    rows.push({
      db: 'app',
      id: 'P7',
      what,
      target: '≤ 300 ms',
      measured: `${tab.firstRowsAfterDataMs.toFixed(0)} ms (${
        tab.rowsShown
      } rows)`,
      ratio: Number((tab.firstRowsAfterDataMs / 300).toFixed(2)),
      result: tab.firstRowsAfterDataMs <= 300 ? 'pass' : 'FAIL',
    });
  }
  return rows;
}

function printTable(rows) {
  const cols = [
    ['db', 'db'],
    ['id', 'id'],
    ['what', 'what'],
    ['target', 'target'],
    ['measured', 'measured'],
    ['ratio', 'ratio'],
    ['result', 'result'],
  ];
  const cell = (r, k) =>
    r[k] === null || r[k] === undefined ? '—' : String(r[k]);
  const widths = cols.map(([k, h]) =>
    Math.max(h.length, ...rows.map(r => cell(r, k).length)),
  );
  const line = vals => vals.map((v, i) => v.padEnd(widths[i])).join('  ');
  const out = [line(cols.map(c => c[1])), line(widths.map(w => '-'.repeat(w)))];
  for (const r of rows) out.push(line(cols.map(([k]) => cell(r, k))));
  process.stdout.write(`\n${out.join('\n')}\n`);
  const notes = rows.filter(r => r.note);
  if (notes.length) {
    process.stdout.write(
      `\nnotes:\n${notes
        .map(r => `  ${r.db} ${r.id} ${r.what}: ${r.note}`)
        .join('\n')}\n`,
    );
  }
}

// ---------------------------------------------------------------- main
async function main() {
  cleanOldWork();
  fs.mkdirSync(WORK, { recursive: true });
  log(
    `${os.cpus().length} cores, node ${
      process.version
    }; databases: ${OPTS.dbs.join(', ')}; ${OPTS.connections} connections, ${
      OPTS.warmupS
    } s warm-up + ${OPTS.durationS} s per measurement`,
  );
  let build;
  if (NEED_APP) {
    try {
      build = ensureAppBuilt();
    } catch (e) {
      build = { error: e.message };
    }
  }
  const figures = [];
  for (const db of OPTS.dbs) {
    figures.push(await runDatabase(db));
  }
  let p7;
  if (BROWSER_ROWS.includes('P7')) {
    try {
      p7 = measureP7(build);
      log(
        p7.error
          ? `P7: ${p7.error}`
          : `P7: ${
              p7.lazyChunks.length
            } lazy chunks with release code, ${p7.lazyGzipKb.toFixed(
              1,
            )} kB gzip`,
      );
    } catch (e) {
      p7 = { error: e.message };
    }
  }
  const rows = [
    ...figures.flatMap(evaluate),
    ...(BROWSER_ROWS.includes('P7')
      ? p7Rows(p7, figures.find(f => f.db === 'postgres')?.releasesTab)
      : []),
  ];
  printTable(rows);

  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const result = {
    startedAt: new Date(started).toISOString(),
    durationS: (Date.now() - started) / 1000,
    machine: {
      cores: os.cpus().length,
      cpu: os.cpus()[0]?.model,
      memoryGb: Number((os.totalmem() / 2 ** 30).toFixed(1)),
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
    },
    options: OPTS,
    databases: figures.map(f => f.db),
    rows,
    figures,
    p7,
  };
  fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
  const file = path.join(__dirname, 'results', `${stamp}.json`);
  let text = `${JSON.stringify(result, null, 2)}\n`;
  try {
    // Formatted as the repository's `prettier --check .` expects.
    text = require('prettier').format(text, { parser: 'json' });
  } catch {
    // prettier missing: plain JSON is fine too
  }
  fs.writeFileSync(file, text);
  const failed = rows.filter(r => r.result === 'FAIL');
  const unmeasured = rows.filter(r => r.result === 'n/m');
  log(
    `${rows.filter(r => r.result === 'pass').length} passed, ${
      failed.length
    } failed, ${unmeasured.length} not measured; results: ${path.relative(
      ROOT,
      file,
    )}; took ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  if (!OPTS.keep && failed.length === 0)
    fs.rmSync(WORK, { recursive: true, force: true });
  process.exitCode = failed.length ? 1 : 0;
}

main().catch(e => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exitCode = 2;
});
