#!/usr/bin/env node
/*
 * Browser end-to-end tests of the Release Manager demo.
 *
 *   node e2e/run.js
 *
 * 1. builds the app (packages/app) when dist/ is missing or older than its
 *    sources;
 * 2. starts a fresh demo backend (`yarn workspace backend start`, SQLite in
 *    memory), which serves the built app on http://localhost:7007, and waits
 *    for the demo data;
 * 3. runs the user journeys in headless Chromium (/usr/bin/chromium), one
 *    screenshot each under e2e/output/;
 * 4. stops the backend (its whole process group) and writes
 *    {"passed","failed","tests":[{name,status,error?}]} to $E2E_RESULTS.
 *
 * Exits non-zero when a test fails or the run cannot start. Every wait is
 * bounded; the whole run gives up after E2E_TIMEOUT_MS (default 5 minutes).
 *
 * Environment:
 *   E2E_RESULTS              where to write the JSON results (optional)
 *   E2E_TIMEOUT_MS           overall time limit (default 300000)
 *   E2E_REQUIRE_DEPLOY=1     fail (instead of skip) when an approved
 *                            promotion never starts deploying
 *   E2E_CHROMIUM             browser executable (default /usr/bin/chromium)
 *   E2E_PORT                 port of the demo backend (default 7007)
 */
'use strict';

const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const net = require('net');
const path = require('path');

const root = path.resolve(__dirname, '..');
const outDir = path.join(__dirname, 'output');
const appDir = path.join(root, 'packages', 'app');
const PORT = Number(process.env.E2E_PORT ?? 7007);
const BASE = `http://localhost:${PORT}`;
// The train journey watches three deployments in a row (about a minute).
const OVERALL_TIMEOUT_MS = Number(process.env.E2E_TIMEOUT_MS ?? 570_000);
const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
const STEP_TIMEOUT_MS = 20_000;
const TEST_TIMEOUT_MS = 120_000;
/** The widths every page must work at without sideways scrolling. */
const WIDTHS = [1440, 800];
/** The phase whose deployments the e2e backend makes fail (see startBackend). */
const FAILING_PHASE = 'dev';

const startedAt = Date.now();
const results = [];
let backend;
let browser;
let finishing = false;

function log(message) {
  const s = ((Date.now() - startedAt) / 1000).toFixed(1).padStart(6);
  process.stdout.write(`[e2e ${s}s] ${message}\n`);
}

const sleep = ms => new Promise(r => setTimeout(r, ms));

/** Rejects after `ms` with a message naming what took too long. */
function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${what} did not finish within ${ms} ms`)),
        ms,
      );
    }),
  ]).finally(() => clearTimeout(timer));
}

// ---------------------------------------------------------------- build ---

/** Newest modification time of the files below `dir` (ignoring node_modules). */
function newestMtime(dir) {
  let newest = 0;
  if (!fs.existsSync(dir)) return newest;
  const stack = [dir];
  while (stack.length) {
    const current = stack.pop();
    const stat = fs.statSync(current);
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(current)) {
        if (name !== 'node_modules' && name !== 'dist') {
          stack.push(path.join(current, name));
        }
      }
    } else {
      newest = Math.max(newest, stat.mtimeMs);
    }
  }
  return newest;
}

function ensureAppBuilt() {
  const index = path.join(appDir, 'dist', 'index.html');
  // The app bundles the release plugins, so their sources count too.
  const sources = [
    path.join(appDir, 'src'),
    path.join(appDir, 'public'),
    path.join(appDir, 'package.json'),
    path.join(root, 'plugins', 'release-frontend', 'src'),
    path.join(root, 'plugins', 'release-common', 'src'),
  ];
  const newestSource = Math.max(...sources.map(newestMtime));
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs >= newestSource) {
    log('app build is up to date');
    return;
  }
  log('building the app (yarn workspace app build)…');
  const build = spawnSync('yarn', ['workspace', 'app', 'build'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: 240_000,
  });
  if (build.status !== 0) {
    throw new Error(
      `yarn workspace app build failed (${
        build.error?.message ?? `exit ${build.status}`
      })`,
    );
  }
}

// -------------------------------------------------------------- backend ---

function portInUse(port) {
  return new Promise(resolve => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.setTimeout(2000, () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** Waits for port 7007 to be free: another run may still be finishing. */
async function waitForFreePort() {
  for (let attempt = 1; attempt <= 12; attempt++) {
    if (!(await portInUse(PORT))) return;
    log(`port ${PORT} is in use (attempt ${attempt}/12); waiting 10 s…`);
    await sleep(10_000);
  }
  throw new Error(
    `port ${PORT} is still in use after 2 minutes; each run needs a fresh backend, so stop the other one first`,
  );
}

/**
 * The pipelines of app-config.yaml, changed for the journeys:
 * - the simulated provider of Dev in the default pipeline fails every
 *   deployment (its `failureRate` setting), so the failure journey can watch a
 *   deployment fail;
 * - no freeze or deployment windows: the journeys must pass on any day and at
 *   any hour (the windows themselves are proven by the jest suites);
 * Passed as APP_CONFIG_* JSON, which replaces the pipelines of the file.
 */
function e2ePipelines() {
  const { parse } = require(require.resolve('yaml', { paths: [root] }));
  const config = parse(
    fs.readFileSync(path.join(root, 'app-config.yaml'), 'utf8'),
  );
  const pipelines = config.release.pipelines;
  for (const [pipelineId, pipeline] of Object.entries(pipelines)) {
    pipeline.phases = pipeline.phases.map(phase => {
      const { freezeWindows, deploymentWindows, ...rest } = phase;
      return pipelineId === 'default' && phase.id === FAILING_PHASE
        ? { ...rest, provider: { ...rest.provider, failureRate: 1 } }
        : rest;
    });
  }
  return pipelines;
}

function startBackend() {
  fs.mkdirSync(outDir, { recursive: true });
  const logFile = path.join(outDir, 'backend.log');
  const out = fs.openSync(logFile, 'w');
  log(`starting the demo backend (log: ${path.relative(root, logFile)})`);
  // detached: a process group of its own, so that stopping it stops every
  // process `yarn` and `backstage-cli` start below it.
  backend = spawn('yarn', ['workspace', 'backend', 'start'], {
    cwd: root,
    detached: true,
    stdio: ['ignore', out, out],
    env: {
      ...process.env,
      FORCE_COLOR: '0',
      // The journeys expect success: no random simulated failures, except
      // in Dev, where every deployment fails (the failure journey).
      APP_CONFIG_release_providers_simulated_failureRate: '0',
      // The port of this run (E2E_PORT), for the backend and the app it serves.
      APP_CONFIG_backend_listen_port: String(PORT),
      APP_CONFIG_backend_baseUrl: BASE,
      APP_CONFIG_app_baseUrl: BASE,
      APP_CONFIG_release_pipelines: JSON.stringify(e2ePipelines()),
    },
  });
  backend.exited = new Promise(resolve => backend.once('exit', resolve));
  backend.once('exit', code => {
    if (!finishing) log(`the backend exited early (code ${code})`);
  });
}

async function stopBackend() {
  if (!backend || backend.exitCode !== null || backend.signalCode !== null) {
    return;
  }
  log('stopping the backend');
  const group = -backend.pid;
  try {
    process.kill(group, 'SIGTERM');
  } catch {
    return;
  }
  const exited = await Promise.race([
    backend.exited.then(() => true),
    sleep(10_000).then(() => false),
  ]);
  // Children may outlive the yarn process; make sure the group is gone.
  for (let i = 0; i < 10; i++) {
    try {
      process.kill(group, 0);
    } catch {
      return;
    }
    if (i === 0 && exited) await sleep(1000);
    else {
      try {
        process.kill(group, 'SIGKILL');
      } catch {
        return;
      }
      await sleep(500);
    }
  }
}

async function fetchJson(url, token) {
  const res = await fetch(url, {
    headers: token
      ? { Authorization: `Bearer ${token}` }
      : { 'X-Requested-With': 'XMLHttpRequest' },
    signal: AbortSignal.timeout(5000),
  });
  return { status: res.status, body: await res.json().catch(() => undefined) };
}

/** Waits until the backend answers and the demo data is seeded. */
async function waitForDemo() {
  const deadline = Date.now() + 180_000;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (backend.exitCode !== null) {
      throw new Error(
        `the backend exited (code ${backend.exitCode}); see e2e/output/backend.log`,
      );
    }
    try {
      const catalog = await fetchJson(`${BASE}/api/catalog/entities`);
      if (catalog.status !== 200 && catalog.status !== 401) {
        last = `GET /api/catalog/entities answered ${catalog.status}`;
      } else {
        const auth = await fetchJson(`${BASE}/api/auth/guest/refresh`);
        const token = auth.body?.backstageIdentity?.token;
        if (!token) {
          last = `guest sign-in answered ${auth.status}`;
        } else {
          const entity = await fetchJson(
            `${BASE}/api/catalog/entities/by-name/component/default/payments-api`,
            token,
          );
          const inbox = await fetchJson(
            `${BASE}/api/release/approvals?status=pending`,
            token,
          );
          const waiting = inbox.body?.items?.some(
            p =>
              p.entityRef === 'component:default/payments-api' &&
              p.phase === 'live' &&
              p.version === '1.2.0',
          );
          const html = await fetch(`${BASE}/`, {
            signal: AbortSignal.timeout(5000),
          }).then(r => r.text());
          if (entity.status !== 200) {
            last = `payments-api is not in the catalog yet (${entity.status})`;
          } else if (!waiting) {
            last = `the demo promotion is not in the inbox yet (${inbox.status})`;
          } else if (!html.includes('<div id="root"')) {
            last = 'the backend does not serve the app at /';
          } else {
            return;
          }
        }
      }
    } catch (e) {
      last = e.message;
    }
    await sleep(2000);
  }
  throw new Error(`the demo backend was not ready within 180 s: ${last}`);
}

// ------------------------------------------------------------- browser ---

function loadPlaywright() {
  const resolved = require.resolve('playwright-core', {
    paths: [appDir, root],
  });
  return require(resolved);
}

async function newPage(size = { width: 1680, height: 1050 }) {
  const viewport =
    typeof size === 'number' ? { width: size, height: 1000 } : size;
  const context = await browser.newContext({ viewport });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(STEP_TIMEOUT_MS);
  const page = await context.newPage();
  page.on('pageerror', error => log(`  page error: ${error.message}`));
  return page;
}

/** Opens `path` and signs in as guest on the sign-in page. */
async function signInAndOpen(page, urlPath) {
  await page.goto(`${BASE}${urlPath}`);
  await page.getByRole('button', { name: 'Enter' }).click();
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .waitFor({ state: 'attached' });
}

async function screenshot(page, name, options = { fullPage: true }) {
  const file = path.join(outDir, name);
  await page.screenshot({ path: file, ...options });
  log(`  screenshot: ${path.relative(root, file)}`);
  return file;
}

function expectEqual(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

function expectMatch(actual, pattern, what) {
  if (!pattern.test(actual)) {
    throw new Error(
      `${what}: expected ${pattern}, got ${JSON.stringify(actual)}`,
    );
  }
}

/** A guest token for calls to the release API from the test itself. */
async function guestToken() {
  const auth = await fetchJson(`${BASE}/api/auth/guest/refresh`);
  const token = auth.body?.backstageIdentity?.token;
  if (!token) throw new Error(`guest sign-in answered ${auth.status}`);
  return token;
}

/** Calls the release API as the guest; throws unless it answers 2xx. */
async function releaseApi(method, urlPath, body) {
  const res = await fetch(`${BASE}/api/release${urlPath}`, {
    method,
    headers: {
      Authorization: `Bearer ${await guestToken()}`,
      'Content-Type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  if (!res.ok) {
    throw new Error(`${method} ${urlPath} answered ${res.status}: ${text}`);
  }
  return text ? JSON.parse(text) : undefined;
}

/** Fails when the page scrolls sideways (its content is wider than the window). */
async function expectNoHorizontalOverflow(page, what) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  if (scrollWidth > innerWidth) {
    throw new Error(
      `${what} scrolls sideways: the page is ${scrollWidth} px wide in a ${innerWidth} px window`,
    );
  }
}

/** The text of a phase card's current version ("1.2.0"). */
async function currentVersion(card) {
  const text = await card.innerText();
  const m = /CURRENT VERSION\s+(\S+)/i.exec(text);
  return m ? m[1] : undefined;
}

// ------------------------------------------------------------- journeys ---

/** How far the page scrolls sideways (0 when it fits its width). */
async function horizontalOverflow(page) {
  return page.evaluate(
    () =>
      document.documentElement.scrollWidth -
      document.documentElement.clientWidth,
  );
}

/**
 * Anyone finds the portfolio in the sidebar: the demo services with their
 * phases, at 1440 and at 800 px without sideways scrolling.
 */
async function portfolioJourney() {
  const page = await newPage();
  try {
    await signInAndOpen(page, '/catalog');
    await page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Releases' })
      .click();
    const table = page.getByRole('table', {
      name: 'Services and the versions in their phases',
    });
    await table.waitFor();
    for (const name of ['payments-api', 'checkout-web']) {
      await table
        .getByRole('link', { name: new RegExp(`Releases of ${name}`) })
        .waitFor();
    }
    const row = table
      .getByTestId('portfolio-row')
      .filter({ hasText: 'payments-api' });
    expectMatch(await row.innerText(), /Live/, 'payments-api phases');
    for (const width of [1440, 800]) {
      await page.setViewportSize({ width, height: 900 });
      await page.waitForTimeout(300);
      const overflow = await horizontalOverflow(page);
      if (overflow > 0) {
        throw new Error(
          `at ${width} px the page scrolls sideways by ${overflow} px`,
        );
      }
      await screenshot(page, `portfolio-${width}.png`);
    }
    await table.getByRole('link', { name: /Releases of payments-api/ }).click();
    await page.getByRole('table', { name: 'Releases by phase' }).waitFor();
  } finally {
    await page.context().close();
  }
}

const STATES = /^(Queued|Deploying|Succeeded)$/;

/** A developer sees the release matrix and the phase cards of a service. */
async function developerJourney() {
  const page = await newPage();
  try {
    await signInAndOpen(page, '/catalog/default/component/payments-api');
    // The entity tab (the sidebar's "Releases" is the portfolio page).
    await page.locator('a[href$="/payments-api/releases"]').first().click();
    const matrix = page.getByRole('table', { name: 'Releases by phase' });
    await matrix.waitFor();
    const header = await matrix.locator('thead th').allInnerTexts();
    expectEqual(
      header.map(h => h.trim()).slice(0, 6),
      ['Release', 'Created', 'Dev', 'QA/Demo', 'Stage', 'Live'],
      'matrix columns',
    );
    const versions = await matrix.locator('tbody th').allInnerTexts();
    expectEqual(
      versions.map(v => v.trim()),
      [
        '1.3.0-rc.2',
        '1.2.1',
        '1.3.0-rc.1',
        '1.2.0',
        '1.1.3',
        '1.1.2',
        '1.1.1',
        '1.1.0',
        '1.0.3',
        '1.0.2',
        '1.0.1',
        '1.0.0',
      ],
      'matrix rows, newest first',
    );
    const row120 = matrix.locator('tbody tr', { hasText: '1.2.0' }).first();
    // td: Created, Dev, QA/Demo, Stage, Live, actions.
    const liveCell = (await row120.locator('td').allInnerTexts())[4];
    expectMatch(liveCell, /^Pending approval/, '1.2.0 in Live');
    // The drawing shows Live's checks (evaluated or not yet).
    const liveSummary = page
      .getByRole('list', { name: 'Pipeline at a glance' })
      .getByRole('listitem', { name: 'Live summary' });
    expectMatch(
      await liveSummary
        .getByRole('group', { name: 'Checks of Live' })
        .innerText(),
      /Check live-readiness: (passed|not run yet)[\s\S]*Check not-blocked: (passed|not run yet)/,
      "Live's checks in the drawing",
    );
    await screenshot(page, 'developer-releases.png');

    await page.getByRole('link', { name: 'Phases' }).click();
    const pipeline = page.getByRole('list', { name: 'Pipeline phases' });
    await pipeline.waitFor();
    const titles = await pipeline
      .locator(':scope > section[role="listitem"]')
      .evaluateAll(items => items.map(i => i.getAttribute('aria-label')));
    expectEqual(titles, ['Dev', 'QA/Demo', 'Stage', 'Live'], 'phase cards');
    const card = title =>
      pipeline.getByRole('listitem', { name: title, exact: true });
    expectEqual(
      [
        await currentVersion(card('Dev')),
        await currentVersion(card('QA/Demo')),
        await currentVersion(card('Stage')),
        await currentVersion(card('Live')),
      ],
      ['1.3.0-rc.2', '1.2.1', '1.2.0', '1.1.3'],
      'current version per phase',
    );
    await card('Live')
      .getByRole('list', { name: 'Waiting for approval in Live' })
      .waitFor();
    await page.getByRole('table', { name: 'History' }).waitFor();
    await screenshot(page, 'developer-phases.png');
  } finally {
    await page.context().close();
  }
}

/**
 * An approver sees what a waiting promotion changes, at 1440 px: in the
 * inbox (the first item open, any other on demand), the versions are what
 * runs in the target now → the version promoted; Approve asks to confirm a
 * one-line summary; the promotion has its own URL, and closing it goes back.
 */
async function approverChangeSetJourney() {
  const page = await newPage({ width: 1440, height: 900 });
  try {
    await signInAndOpen(page, '/release/approvals');
    const inbox = page.getByRole('table', {
      name: 'Promotions waiting for your decision',
    });
    await inbox.waitFor();
    const expected = [
      // entity, version promoted, phase, what runs there now
      ['payments-api', '1.2.0', 'Live', '1.1.3'],
      ['ledger-worker', '0.10.0', 'Live', '0.9.0'],
    ];
    for (const [entity, version, phase, current] of expected) {
      const row = inbox.locator('tbody tr', { hasText: entity });
      await row.getByText(`${version} → ${phase}`).waitFor();
      const toggle = row.getByRole('button', {
        name: `What changes with ${version} to ${phase}`,
      });
      if ((await toggle.getAttribute('aria-expanded')) !== 'true') {
        await toggle.click();
      }
      const changes = inbox
        .locator('tr', { has: page.getByRole('region') })
        .filter({ hasText: `${version} (upgrade)` })
        .getByRole('region', { name: `What changes in ${phase}` });
      const versions = changes.getByTestId('change-set-versions');
      await versions.waitFor();
      expectEqual(
        (await versions.innerText()).trim(),
        `${current} → ${version} (upgrade)`,
        `versions of ${entity} ${version} → ${phase}`,
      );
      expectMatch(
        await changes.innerText(),
        new RegExp(`${current.replace(/\./g, '\\.')} runs in ${phase} now`),
        `what runs in ${phase}`,
      );
    }
    const first = inbox
      .getByRole('region', { name: 'What changes in Live' })
      .first();
    expectMatch(
      await first.innerText(),
      /Gates now/,
      'the gates as they stand now',
    );
    // Live's before-deploy checks (the demo's readiness endpoint and the
    // catalog check) are gates: the change set shows them as they stand.
    const checks = inbox
      .getByRole('region', { name: 'What changes in Live' })
      .filter({ hasText: '1.2.0 (upgrade)' })
      .getByRole('list', { name: 'Checks before deploying to Live' });
    await checks.waitFor();
    expectMatch(
      await checks.innerText(),
      /live-readiness: passed — ready is true[\s\S]*not-blocked: passed/,
      'the checks in the change set',
    );
    await screenshot(page, 'approver-change-set-inbox.png');

    // Approve confirms with the one-line summary; cancelled here.
    const row = inbox.locator('tbody tr', { hasText: 'payments-api' });
    const approve = row.getByRole('button', { name: 'Approve 1.2.0 to Live' });
    await approve.click({ trial: true });
    await approve.click();
    const confirm = page.getByRole('dialog', { name: 'Approve 1.2.0 to Live' });
    const summary = confirm.getByTestId('decision-summary');
    await summary.getByText(/^Deploy/).waitFor();
    expectEqual(
      (await summary.innerText()).trim(),
      'Deploy 1.2.0 to Live, no config changes',
      'the summary the approver confirms',
    );
    await screenshot(page, 'approver-confirm.png');
    await confirm.getByRole('button', { name: 'Close' }).click();
    await confirm.waitFor({ state: 'detached' });

    // The promotion's own page, through its link.
    await row
      .getByRole('link', { name: 'Open the promotion of 1.2.0 to Live' })
      .click();
    await page.waitForURL(
      /\/catalog\/default\/component\/payments-api\/releases\?promotion=/,
    );
    const dialog = page.getByRole('dialog', { name: 'Promotion' });
    const versions = dialog.getByTestId('change-set-versions');
    await versions.waitFor();
    expectEqual(
      (await versions.innerText()).trim(),
      '1.1.3 → 1.2.0 (upgrade)',
      'versions on the promotion page',
    );
    await screenshot(page, 'approver-promotion-page.png');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
    expectEqual(new URL(page.url()).search, '', 'URL after closing');
  } finally {
    await page.context().close();
  }
}

/** State shared by the team lead journey and the deployment check. */
const approved = { state: undefined };

/**
 * A team lead approves the pending payments-api 1.2.0 → Live promotion in
 * the approvals inbox; it leaves the inbox and is queued (or further) in the
 * Live phase card.
 */
async function teamLeadJourney() {
  const page = await newPage();
  try {
    await signInAndOpen(page, '/release/approvals');
    const inbox = page.getByRole('table', {
      name: 'Promotions waiting for your decision',
    });
    await inbox.waitFor();
    const row = inbox.locator('tbody tr', { hasText: 'payments-api' });
    await row.getByText('1.2.0 → Live').waitFor();
    const rowText = await row.innerText();
    // People by name (the catalog's display name), not as raw refs.
    expectMatch(rowText, /alice/i, 'requester');
    if (/user:default\/alice/.test(rowText)) {
      throw new Error(
        'the requester is shown as a raw ref (user:default/alice)',
      );
    }
    expectMatch(rowText, /verified on Stage for 4 days/, 'comment');
    expectMatch(rowText, /0 of 1/, 'approvals so far / required');
    if (
      (await inbox.locator('tbody tr', { hasText: 'checkout-web' }).count()) > 0
    ) {
      throw new Error(
        'checkout-web is in the inbox, but the guest may not decide it',
      );
    }

    const approve = row.getByRole('button', { name: 'Approve 1.2.0 to Live' });
    await approve.click({ trial: true }); // waits until it is enabled
    await approve.click();
    // Approve confirms with the one-line summary of what changes.
    const confirm = page.getByRole('dialog', {
      name: 'Approve 1.2.0 to Live',
    });
    await confirm
      .getByTestId('decision-summary')
      .getByText(/^Deploy 1\.2\.0 to Live/)
      .waitFor();
    await confirm.getByRole('button', { name: 'Approve' }).click();
    const status = page.getByRole('status').filter({ hasText: 'You approved' });
    await status.waitFor();
    expectMatch(
      await status.innerText(),
      /You approved 1\.2\.0 of component:default\/payments-api to Live; it is now (queued|deploying|succeeded)\./,
      'confirmation',
    );
    await row.waitFor({ state: 'detached' });
    await screenshot(page, 'team-lead-approvals.png');

    await page.goto(`${BASE}/catalog/default/component/payments-api/phases`);
    const live = page
      .getByRole('list', { name: 'Pipeline phases' })
      .getByRole('listitem', { name: 'Live', exact: true });
    await live.waitFor();
    // Queued now, or already further along: deploying, or succeeded (then
    // 1.2.0 runs in Live).
    const active = live.getByRole('group', {
      name: 'Active promotion in Live',
    });
    let state;
    if (await active.count()) {
      state = (
        await active.locator('.MuiChip-label').first().innerText()
      ).trim();
    } else if ((await currentVersion(live)) === '1.2.0') {
      state = 'Succeeded';
    } else {
      state = (await live.innerText()).replace(/\s+/g, ' ');
    }
    expectMatch(state, STATES, 'state of 1.2.0 in Live');
    approved.state = state;
    if (
      (await live
        .getByRole('list', { name: 'Waiting for approval in Live' })
        .count()) > 0
    ) {
      throw new Error('1.2.0 still waits for approval in Live');
    }
    await screenshot(page, 'team-lead-live-queued.png');
  } finally {
    await page.context().close();
  }
}

/**
 * The approved promotion deploys to success, watched on the Phases tab
 * (which reloads every 5 s while a deployment runs). When the deployment
 * engine never picks the promotion up this is reported as skipped (failed
 * with E2E_REQUIRE_DEPLOY=1).
 */
async function deploymentJourney() {
  if (!approved.state) {
    throw new Error('the team lead journey did not approve the promotion');
  }
  const page = await newPage();
  try {
    await signInAndOpen(page, '/catalog/default/component/payments-api/phases');
    const live = page
      .getByRole('list', { name: 'Pipeline phases' })
      .getByRole('listitem', { name: 'Live', exact: true });
    await live.waitFor();
    const deadline = Date.now() + 75_000;
    let seenDeploying = approved.state !== 'Queued';
    let sawProgress;
    while (Date.now() < deadline) {
      const active = live.getByRole('group', {
        name: 'Active promotion in Live',
      });
      if ((await active.count()) > 0) {
        const text = await active.innerText();
        if (/Deploying/.test(text)) {
          seenDeploying = true;
          if (!sawProgress) {
            sawProgress = text.split('\n').find(l => /\(\d+\/\d+\)/.test(l));
            if (sawProgress) {
              log(`  progress: ${sawProgress}`);
              await screenshot(page, 'deploy-progress.png');
            }
          }
        }
      } else if ((await currentVersion(live)) === '1.2.0') {
        const outcome = await live.innerText();
        expectMatch(outcome, /Last: Succeeded 1\.2\.0/, 'outcome in Live');
        await screenshot(page, 'deploy-succeeded.png');
        return 'passed';
      } else if (/Last: Failed 1\.2\.0/.test(await live.innerText())) {
        await screenshot(page, 'deploy-failed.png');
        throw new Error('the deployment of 1.2.0 to Live failed');
      }
      await sleep(2000);
    }
    await screenshot(page, 'deploy-timeout.png');
    if (!seenDeploying && process.env.E2E_REQUIRE_DEPLOY !== '1') {
      return 'skipped: the promotion stayed queued (no deployment engine picked it up)';
    }
    throw new Error('1.2.0 did not reach Succeeded in Live within 75 s');
  } finally {
    await page.context().close();
  }
}

/**
 * A forbidden action is disabled with its reason: the guest is not a
 * deployer of checkout-web (owned by team-storefront), so may not roll back
 * its Stage. (The guest approves Stage as a team lead: the demo's Stage
 * promotion of checkout-web waits in the shop train.)
 */
async function forbiddenJourney() {
  const page = await newPage();
  try {
    await signInAndOpen(page, '/catalog/default/component/checkout-web/phases');
    const stage = page
      .getByRole('list', { name: 'Pipeline phases' })
      .getByRole('listitem', { name: 'Stage', exact: true });
    await stage.waitFor();
    const rollback = stage.getByRole('button', { name: 'Roll back Stage' });
    await rollback.waitFor();
    const reason = 'You are not a deployer of Stage';
    // The button settles once the permission checks are done.
    const deadline = Date.now() + STEP_TIMEOUT_MS;
    let tooltip = '';
    while (Date.now() < deadline) {
      if (await rollback.isDisabled()) {
        await rollback.locator('xpath=..').hover();
        const tip = page.getByRole('tooltip');
        await tip.waitFor({ timeout: 5000 }).catch(() => undefined);
        tooltip = (await tip.count()) ? (await tip.innerText()).trim() : '';
        if (tooltip === reason) break;
      } else {
        throw new Error(
          'Roll back Stage of checkout-web is enabled for the guest',
        );
      }
      await page.mouse.move(0, 0);
      await sleep(500);
    }
    expectEqual(tooltip, reason, 'tooltip of the disabled Roll back');
    await screenshot(page, 'forbidden-rollback.png');
  } finally {
    await page.context().close();
  }
}

const PAYMENTS_API = '/entities/component/default/payments-api';
const PAYMENTS_PAGE = '/catalog/default/component/payments-api';
const FAILING_VERSION = '1.3.0-rc.3';

/** Fails when a button's label wraps onto a second line. */
async function expectNoWrappedButtons(page, what) {
  const wrapped = await page.evaluate(() => {
    // The most lines one piece of a button's text takes (distinct tops of
    // its boxes): a label broken over lines ("APPR / OVE") takes more than one.
    const lines = button => {
      let most = 0;
      const walker = document.createTreeWalker(button, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (!n.textContent.trim()) continue;
        const range = document.createRange();
        range.selectNodeContents(n);
        const tops = new Set();
        for (const r of range.getClientRects()) {
          if (r.width > 0) tops.add(Math.round(r.top));
        }
        most = Math.max(most, tops.size);
      }
      return most;
    };
    return Array.from(document.querySelectorAll('button'))
      .filter(b => b.offsetParent !== null && lines(b) > 1)
      .map(b => b.textContent.trim());
  });
  if (wrapped.length) {
    throw new Error(`${what}: button labels wrap: ${wrapped.join(', ')}`);
  }
}

/**
 * A deployment fails (the e2e backend's Dev provider fails every time): the
 * reason is on the Dev phase card and in the pipeline drawing with a Retry,
 * the last success (1.3.0-rc.2) still runs there, and the matrix cell shows
 * the reason; the whole pipeline and its failure are seen at a glance at
 * 1440 and 800 px.
 */
async function failureJourney() {
  await releaseApi('POST', `${PAYMENTS_API}/releases`, {
    version: FAILING_VERSION,
    artifact: `registry.example.com/payments-api@sha256:${'e'.repeat(64)}`,
    notes: 'e2e: its deployment to Dev fails',
  });
  await releaseApi('POST', `${PAYMENTS_API}/promotions`, {
    version: FAILING_VERSION,
    phase: FAILING_PHASE,
  });
  const reason = new RegExp(
    `Simulated failure: health checks of ${FAILING_VERSION.replace(
      /\./g,
      '\\.',
    )} did not pass`,
  );
  for (const width of WIDTHS) {
    const page = await newPage(width);
    try {
      await signInAndOpen(page, `${PAYMENTS_PAGE}/phases`);
      const card = page
        .getByRole('list', { name: 'Pipeline phases' })
        .getByRole('listitem', { name: 'Dev', exact: true });
      const failure = card.getByRole('group', { name: 'Failure in Dev' });
      // The page is not reloaded: it follows the deployment by itself.
      await failure.waitFor({ timeout: 80_000 });
      expectMatch(
        await failure.innerText(),
        reason,
        'failure reason on the Dev card',
      );
      expectEqual(
        await currentVersion(card),
        '1.3.0-rc.2',
        'what still runs in Dev (the last success)',
      );
      const glance = page
        .getByRole('list', { name: 'Pipeline at a glance' })
        .getByRole('listitem', { name: 'Dev summary', exact: true });
      const glanceText = await glance.innerText();
      expectMatch(
        glanceText,
        new RegExp(`Failed ${FAILING_VERSION.replace(/\./g, '\\.')}`),
        'Dev in the drawing',
      );
      expectMatch(glanceText, reason, 'failure reason in the drawing');
      await glance
        .getByRole('button', { name: `Retry ${FAILING_VERSION} in Dev` })
        .waitFor();
      await expectNoHorizontalOverflow(page, `Phases at ${width} px`);
      await expectNoWrappedButtons(page, `Phases at ${width} px`);
      await screenshot(page, `failure-phases-${width}.png`, {
        fullPage: false,
      });

      await page.goto(`${BASE}${PAYMENTS_PAGE}/releases`);
      const matrix = page.getByRole('table', { name: 'Releases by phase' });
      await matrix.waitFor();
      const row = matrix
        .locator('tbody tr', { hasText: FAILING_VERSION })
        .first();
      await row.getByText(reason).first().waitFor();
      await page
        .getByRole('list', { name: 'Pipeline at a glance' })
        .getByRole('listitem', { name: 'Dev summary', exact: true })
        .getByText(reason)
        .waitFor();
      await expectNoHorizontalOverflow(page, `Releases at ${width} px`);
      await expectNoWrappedButtons(page, `Releases at ${width} px`);
      await screenshot(page, `failure-releases-${width}.png`, {
        fullPage: false,
      });
    } finally {
      await page.context().close();
    }
  }
}

/**
 * Releases, Phases and Approvals at 1440 and 800 px: no sideways page
 * scrolling, no wrapped button labels; the Approvals page has the Backstage
 * header; `/` leads to the catalog.
 */
async function widthsJourney() {
  for (const width of WIDTHS) {
    const page = await newPage(width);
    try {
      await signInAndOpen(page, '/');
      await page.waitForURL(/\/catalog/);
      await signInAndOpenAgain(page, `${PAYMENTS_PAGE}/releases`);
      await page.getByRole('table', { name: 'Releases by phase' }).waitFor();
      await page.getByRole('list', { name: 'Pipeline at a glance' }).waitFor();
      await expectNoHorizontalOverflow(page, `Releases at ${width} px`);
      await expectNoWrappedButtons(page, `Releases at ${width} px`);
      await screenshot(page, `releases-${width}.png`);

      await page.goto(`${BASE}${PAYMENTS_PAGE}/phases`);
      await page.getByRole('list', { name: 'Pipeline phases' }).waitFor();
      await page.getByRole('table', { name: 'History' }).waitFor();
      await expectNoHorizontalOverflow(page, `Phases at ${width} px`);
      await expectNoWrappedButtons(page, `Phases at ${width} px`);
      await screenshot(page, `phases-${width}.png`);

      // The configuration lives in the phase's detail drawer.
      await page
        .getByRole('button', { name: 'Configuration and gates of Live' })
        .click();
      const drawer = page.getByRole('dialog', { name: 'Phase Live' });
      await drawer
        .getByRole('heading', { name: 'Live', exact: true })
        .waitFor();
      await drawer.getByText('LOG_LEVEL').first().waitFor();
      await expectNoHorizontalOverflow(page, `Live's detail at ${width} px`);
      await screenshot(page, `phase-detail-${width}.png`, { fullPage: false });
      await drawer.getByRole('button', { name: 'Close' }).click();

      await page.goto(`${BASE}/release/approvals`);
      await page.locator('header h1', { hasText: 'Approvals' }).waitFor();
      await page
        .getByRole('table', { name: 'Promotions waiting for your decision' })
        .or(page.getByText('Nothing waits for your approval'))
        .first()
        .waitFor();
      await expectNoHorizontalOverflow(page, `Approvals at ${width} px`);
      await expectNoWrappedButtons(page, `Approvals at ${width} px`);
      await screenshot(page, `approvals-${width}.png`);
    } finally {
      await page.context().close();
    }
  }
}

/** Navigates within a signed-in context (the session survives a reload). */
async function signInAndOpenAgain(page, urlPath) {
  await page.goto(`${BASE}${urlPath}`);
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .waitFor({ state: 'attached' });
}

/**
 * True when the release backend publishes lifecycle changes as Backstage
 * signals (it depends on @backstage/plugin-signals-node). Then a change shows
 * within 2 s; otherwise open pages learn of it by polling.
 */
function signalsPublished() {
  const pkg = JSON.parse(
    fs.readFileSync(
      path.join(root, 'plugins', 'release-backend', 'package.json'),
      'utf8',
    ),
  );
  return Boolean(pkg.dependencies?.['@backstage/plugin-signals-node']);
}

/** The frontend's idle reload interval while signals are installed (useLiveUpdates). */
const SIGNALS_SAFETY_POLL_MS = 60_000;

/**
 * A change made through the API (a lock of Stage) appears in an already
 * open Phases tab without a reload: within 2 s when the backend publishes
 * signals, else within the frontend's polling interval.
 */
async function liveUpdateJourney() {
  const pushed = signalsPublished();
  const bound = pushed ? 2_000 : SIGNALS_SAFETY_POLL_MS + 10_000;
  const page = await newPage(1440);
  const reason = `e2e: live update ${Date.now()}`;
  let locked = false;
  try {
    await signInAndOpen(page, `${PAYMENTS_PAGE}/phases`);
    const stage = page
      .getByRole('list', { name: 'Pipeline at a glance' })
      .getByRole('listitem', { name: 'Stage summary', exact: true });
    await stage.waitFor();
    await page.getByRole('table', { name: 'History' }).waitFor();
    const started = Date.now();
    await releaseApi('PUT', `${PAYMENTS_API}/phases/stage/lock`, { reason });
    locked = true;
    await stage
      .getByText(`Locked: ${reason}`)
      .waitFor({ timeout: bound })
      .catch(() => {
        throw new Error(
          `the lock did not appear in the open page within ${bound} ms (${
            pushed ? 'signals' : 'polling'
          })`,
        );
      });
    log(
      `  the lock appeared after ${
        Date.now() - started
      } ms (bound ${bound} ms: ${
        pushed
          ? 'pushed by signals'
          : 'polling; the backend does not publish signals'
      })`,
    );
    await screenshot(page, 'live-update.png', { fullPage: false });
  } finally {
    if (locked) {
      await releaseApi('DELETE', `${PAYMENTS_API}/phases/stage/lock`).catch(e =>
        log(`  could not unlock Stage: ${e.message}`),
      );
    }
    await page.context().close();
  }
}

// ------------------------------------------------------------------ run ---

// ---------------------------------------------------------------- trains ---

const TRAIN_MEMBERS = ['payments-api', 'cart-api', 'checkout-web'];
const MEMBER_STATES =
  /(Pending approval|Approved|Queued|Deploying|Succeeded|Failed|Rejected|Cancelled|Superseded)/;

/** Each member step of the open train as [name, state], in the page's order. */
async function trainMemberStates(page) {
  const steps = page.getByTestId('train-member');
  const texts = await steps.allInnerTexts();
  return texts.map(text => {
    const name = TRAIN_MEMBERS.find(m => text.includes(m)) ?? text;
    const state = MEMBER_STATES.exec(text)?.[1] ?? 'unknown';
    return [name, state];
  });
}

/**
 * One approval moves three services to Stage in dependency order: a team
 * lead opens the shop's Trains tab, opens the seeded train carol requested,
 * sees payments-api → cart-api → checkout-web, approves once (the
 * confirmation names every member), and watches the members succeed one
 * after the other (never a later one before an earlier one). Runs last: the
 * train moves Stage of the three services.
 */
async function trainJourney() {
  const page = await newPage({ width: 1440, height: 1000 });
  try {
    await signInAndOpen(page, '/catalog/default/system/shop/trains');
    const table = page.getByRole('table', { name: 'Trains' });
    await table.waitFor();
    const row = table
      .locator('tbody tr', { hasText: 'Pending approval' })
      .filter({ hasText: 'carol' })
      .first();
    await row.getByRole('button', { name: 'Shop → Stage' }).click();
    await page.getByRole('heading', { name: 'Train Shop → Stage' }).waitFor();
    expectMatch(page.url(), /\/trains\?train=[^&]+$/, 'the train has a URL');

    await page.getByTestId('train-member').nth(2).waitFor();
    const before = await trainMemberStates(page);
    expectEqual(
      before.map(([name]) => name),
      TRAIN_MEMBERS,
      'members in deploy order',
    );
    expectEqual(
      before.map(([, state]) => state),
      ['Pending approval', 'Pending approval', 'Pending approval'],
      'member states before the approval',
    );
    await expectNoHorizontalOverflow(page, 'the train at 1440 px');
    await screenshot(page, 'train-pending-1440.png');

    const approve = page.getByRole('button', {
      name: 'Approve train Shop → Stage',
    });
    await approve.click({ trial: true }); // waits until it is enabled
    await approve.click();
    const confirm = page.getByRole('dialog', {
      name: 'Approve train Shop → Stage',
    });
    const summary = await confirm.getByTestId('decision-summary').innerText();
    expectMatch(
      summary,
      /^Deploy 3 services to Stage: payments-api \S+, cart-api \S+, checkout-web \S+$/,
      'the confirmation names every member',
    );
    log(`  ${summary}`);
    await confirm.getByRole('button', { name: 'Approve' }).click();
    await confirm.waitFor({ state: 'detached' });

    // The members deploy one after the other: a member never runs or
    // succeeds before every earlier one succeeded.
    const deadline = Date.now() + 170_000;
    const seen = [];
    let shotDeploying = false;
    for (;;) {
      const states = await trainMemberStates(page);
      const line = states.map(([n, s]) => `${n}: ${s}`).join(', ');
      if (seen[seen.length - 1] !== line) {
        seen.push(line);
        log(`  ${line}`);
      }
      states.forEach(([name, state], i) => {
        if (state === 'Failed') {
          throw new Error(`${name} failed in Stage (${line})`);
        }
        const started = ['Queued', 'Deploying', 'Succeeded'].includes(state);
        const earlierOpen = states
          .slice(0, i)
          .some(([, earlier]) => earlier !== 'Succeeded');
        if (started && state !== 'Queued' && earlierOpen) {
          throw new Error(
            `${name} started before an earlier member succeeded (${line})`,
          );
        }
      });
      if (!shotDeploying && states.some(([, st]) => st === 'Deploying')) {
        shotDeploying = true;
        await screenshot(page, 'train-deploying-1440.png');
      }
      if (states.every(([, state]) => state === 'Succeeded')) break;
      if (Date.now() > deadline) {
        await screenshot(page, 'train-timeout.png');
        throw new Error(`the train did not succeed within 170 s (${line})`);
      }
      await sleep(1000);
    }
    // Each member reached Succeeded in turn.
    const firstSucceeded = TRAIN_MEMBERS.map(name =>
      seen.findIndex(l => l.includes(`${name}: Succeeded`)),
    );
    expectEqual(
      [...firstSucceeded].sort((a, b) => a - b),
      firstSucceeded,
      'the order in which the members succeeded',
    );
    await page
      .getByTestId('train-status')
      .first()
      .getByText('Succeeded')
      .waitFor();
    await expectNoHorizontalOverflow(page, 'the succeeded train at 1440 px');
    await screenshot(page, 'train-succeeded-1440.png');
    await page.setViewportSize({ width: 800, height: 1000 });
    await sleep(500);
    await expectNoHorizontalOverflow(page, 'the train at 800 px');
    await screenshot(page, 'train-succeeded-800.png');

    // The list shows it, at 800 px too.
    await page.getByRole('button', { name: 'All trains' }).click();
    await table.waitFor();
    await expectNoHorizontalOverflow(page, 'the Trains tab at 800 px');
    await screenshot(page, 'trains-800.png');
    return 'passed';
  } finally {
    await page.context().close();
  }
}

async function runTest(name, fn, timeoutMs = TEST_TIMEOUT_MS) {
  log(`▶ ${name}`);
  try {
    const outcome = await withTimeout(fn(), timeoutMs, name);
    if (typeof outcome === 'string' && outcome.startsWith('skipped')) {
      results.push({ name, status: 'skipped', error: outcome });
      log(`  ○ ${outcome}`);
    } else {
      results.push({ name, status: 'passed' });
      log('  ✓ passed');
    }
  } catch (e) {
    // Playwright's messages carry a colored call log; keep the gist.
    const message = String(e.message)
      .replace(/\u001b\[[0-9;]*m/g, '')
      .split('\n')
      .filter(Boolean)
      .slice(0, 3)
      .join(' | ');
    results.push({ name, status: 'failed', error: message });
    log(`  ✕ failed: ${message}`);
  }
}

function writeResults(setupError) {
  const passed = results.filter(r => r.status === 'passed').length;
  let failed = results.filter(r => r.status === 'failed').length;
  const tests = [...results];
  if (setupError) {
    tests.push({ name: 'e2e setup', status: 'failed', error: setupError });
    failed++;
  }
  const summary = { passed, failed, tests };
  if (process.env.E2E_RESULTS) {
    fs.mkdirSync(path.dirname(process.env.E2E_RESULTS), { recursive: true });
    fs.writeFileSync(process.env.E2E_RESULTS, JSON.stringify(summary, null, 2));
  }
  console.log('\nBrowser tests:');
  for (const t of tests) {
    const mark = { passed: '✓', failed: '✕', skipped: '○' }[t.status];
    console.log(`  ${mark} ${t.name}${t.error ? ` — ${t.error}` : ''}`);
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed;
}

async function finish(setupError) {
  if (finishing) return;
  finishing = true;
  await browser?.close().catch(() => undefined);
  await stopBackend();
  const failed = writeResults(setupError);
  process.exit(failed > 0 ? 1 : 0);
}

async function main() {
  const watchdog = setTimeout(() => {
    log(`overall time limit of ${OVERALL_TIMEOUT_MS} ms reached`);
    finish(`the run took longer than ${OVERALL_TIMEOUT_MS} ms`);
  }, OVERALL_TIMEOUT_MS);
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => finish(`interrupted by ${signal}`));
  }

  let setupError;
  try {
    fs.mkdirSync(outDir, { recursive: true });
    for (const f of fs.readdirSync(outDir)) {
      if (f.endsWith('.png')) fs.rmSync(path.join(outDir, f));
    }
    if (!fs.existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is not installed`);
    }
    const { chromium } = loadPlaywright();
    ensureAppBuilt();
    await waitForFreePort();
    startBackend();
    await waitForDemo();
    log('demo backend is ready');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });

    await runTest(
      'developer sees the release matrix and the phase cards of payments-api',
      developerJourney,
    );
    await runTest(
      'approver sees what changes (1440 px): current → promoted version in the inbox, the confirmation summary, the promotion URL',
      approverChangeSetJourney,
    );
    await runTest(
      'team lead approves payments-api 1.2.0 → Live in the approvals inbox; it is queued (or further) in Live',
      teamLeadJourney,
    );
    await runTest(
      `a failing deployment: the reason on the Dev card, in the drawing and the matrix, with Retry, at ${WIDTHS.join(
        ' and ',
      )} px`,
      failureJourney,
    );
    await runTest(
      'the approved promotion deploys to success in Live',
      deploymentJourney,
    );
    await runTest(
      `Releases, Phases and Approvals at ${WIDTHS.join(
        ' and ',
      )} px: no sideways page scroll, no wrapped buttons`,
      widthsJourney,
    );
    await runTest(
      'a change made through the API appears in the open page without a reload',
      liveUpdateJourney,
    );
    await runTest(
      'forbidden action: Roll back of checkout-web Stage is disabled with its reason',
      forbiddenJourney,
    );
    await runTest(
      'the Releases page lists the demo services with their phases at 1440 and 800 px, no sideways scroll',
      portfolioJourney,
    );
    await runTest(
      'one approval moves three services to Stage in dependency order: the shop train (1440 and 800 px)',
      trainJourney,
      240_000,
    );
  } catch (e) {
    setupError = e.message;
    log(`setup failed: ${e.message}`);
  }
  clearTimeout(watchdog);
  await finish(setupError);
}

main();
