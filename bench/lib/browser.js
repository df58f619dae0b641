/*
 * The browser rows, in headless Chromium: P7, P12 (live update) and P14 (full
 * navigation), below.
 *
 * P7 in headless Chromium (Debian's /usr/bin/chromium through playwright-core,
 * no browser download): the Releases tab of an entity with 1,000 releases,
 * served by a bench backend with the app-backend (the built packages/app).
 *
 * Measured in the page's own clock: the resource timing `responseEnd` of the
 * release data the tab loads (the releases page and the pipeline), and the
 * first animation frame after the first row of the "Releases by phase" table
 * is in the DOM. The figure is first rows − the later of the two responses.
 */
'use strict';

const CHROMIUM = process.env.BENCH_CHROMIUM ?? '/usr/bin/chromium';

// Runs in the page before any script: notes when the first table row appears.
function installRowWatcher() {
  const mark = () => {
    if (window.__benchFirstRow !== undefined) return true;
    const row = document.querySelector(
      'table[aria-label="Releases by phase"] tbody tr',
    );
    if (!row) return false;
    window.__benchRowInDom = performance.now();
    requestAnimationFrame(() => {
      window.__benchFirstRow = performance.now();
    });
    return true;
  };
  new MutationObserver(mark).observe(document, {
    childList: true,
    subtree: true,
  });
}

/** Headless Chromium, or `{ error }` when playwright-core is missing. */
async function launch() {
  let chromium;
  try {
    ({ chromium } = require('playwright-core'));
  } catch {
    return { error: 'playwright-core is not installed' };
  }
  return chromium.launch({
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
}

/** A browser context signed in as guest (the session survives new pages). */
async function signedInContext(browser, base, entityPath, timeoutMs) {
  const context = await browser.newContext({
    viewport: { width: 1400, height: 1000 },
  });
  context.setDefaultTimeout(timeoutMs);
  const page = await context.newPage();
  await page.goto(`${base}${entityPath}`);
  await page.getByRole('button', { name: 'Enter' }).click();
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .waitFor({ state: 'attached' });
  return { context, page };
}

async function measureReleasesTab(
  base,
  entityName,
  { timeoutMs = 60_000 } = {},
) {
  const browser = await launch();
  if (browser.error) return browser;
  try {
    const entityPath = `/catalog/default/component/${entityName}`;
    const { page } = await signedInContext(
      browser,
      base,
      entityPath,
      timeoutMs,
    );
    // A fresh document for the measurement, signed in (the session is kept).
    await page.addInitScript(installRowWatcher);
    await page.goto(`${base}${entityPath}/releases`);
    await page.waitForFunction(
      () => window.__benchFirstRow !== undefined,
      null,
      { timeout: timeoutMs },
    );
    const t = await page.evaluate(() => {
      const entries = performance
        .getEntriesByType('resource')
        .filter(e => e.name.includes('/api/release/'))
        .map(e => ({
          url: new URL(e.name).pathname + new URL(e.name).search,
          start: e.startTime,
          end: e.responseEnd,
          bytes: e.encodedBodySize,
        }));
      return {
        firstRow: window.__benchFirstRow,
        rowInDom: window.__benchRowInDom,
        requests: entries,
        rows: document.querySelectorAll(
          'table[aria-label="Releases by phase"] tbody tr',
        ).length,
      };
    });
    const data = t.requests.filter(
      r => /\/releases(\?|$)/.test(r.url) || /\/pipeline$/.test(r.url),
    );
    const releasesReq = data.find(r => /\/releases(\?|$)/.test(r.url));
    if (!releasesReq) {
      return { error: 'the tab loaded no releases list', ...t };
    }
    const dataArrived = Math.max(
      ...data.filter(r => r.end <= t.firstRow).map(r => r.end),
    );
    // JS chunks loaded after navigation that carry the plugin (transfer size).
    return {
      firstRowsAfterDataMs: t.firstRow - dataArrived,
      firstRowMs: t.firstRow,
      dataArrivedMs: dataArrived,
      rowsShown: t.rows,
      requests: t.requests,
    };
  } finally {
    await browser.close();
  }
}

// ---------------------------------------------------------------- P12
/*
 * P12: a state change made through the API appears in an open Releases tab
 * without a reload. The tab is opened once and stays open; for each change
 * the page gets a watcher (a MutationObserver) for the first cell of the
 * "Releases by phase" table showing the new version, and notes the wall
 * clock (Date.now(), the same system clock as the bench process's) of the
 * first animation frame after it appears. The
 * figure is that moment − the moment the API call answered in the bench
 * process. The signals websocket (/api/signals) is watched too: the frame
 * that announces the change, and the release requests the page makes after
 * it, are kept, so a pass shows the change was pushed, not polled.
 */

// Runs in the page: watches for a first-column cell with the given text.
function watchForVersion(version) {
  const cellText = () => {
    const rows = document.querySelectorAll(
      'table[aria-label="Releases by phase"] tbody tr',
    );
    for (const row of rows) {
      const cell = row.querySelector('th, td');
      if (cell && cell.textContent.trim() === version) return true;
    }
    return false;
  };
  const w = { version, seenAt: undefined, inDomAt: undefined };
  window.__benchWatch = w;
  const check = () => {
    if (w.inDomAt !== undefined || !cellText()) return;
    w.inDomAt = Date.now();
    requestAnimationFrame(() => {
      w.seenAt = Date.now();
    });
    observer.disconnect();
  };
  const observer = new MutationObserver(check);
  observer.observe(document.body, {
    childList: true,
    subtree: true,
    characterData: true,
  });
  check();
}

/**
 * Opens the Releases tab of `entityName` and, `rounds` times, calls
 * `change(i, arm)`, which must `await arm(version)` (puts the watcher in the
 * page), then make the change through the API and resolve to
 * `{ version, requestedAt, answeredAt }` (Date.now() ms); then waits until
 * the new version is in the open page.
 */
async function measureLiveUpdate(
  base,
  entityName,
  { rounds = 5, change, timeoutMs = 60_000, boundMs = 15_000, pauseMs = 1500 },
) {
  const browser = await launch();
  if (browser.error) return browser;
  const entityRef = `component:default/${entityName}`;
  const signalFrames = [];
  const releaseRequests = [];
  let subscribedAt;
  try {
    const entityPath = `/catalog/default/component/${entityName}`;
    const { page } = await signedInContext(
      browser,
      base,
      entityPath,
      timeoutMs,
    );
    page.on('websocket', ws => {
      if (!/\/api\/signals/.test(ws.url())) return;
      ws.on('framesent', f => {
        if (String(f.payload).includes('release:lifecycle'))
          subscribedAt = subscribedAt ?? Date.now();
      });
      ws.on('framereceived', f => {
        const text = String(f.payload);
        if (text.includes('release:lifecycle'))
          signalFrames.push({ at: Date.now(), text: text.slice(0, 300) });
      });
    });
    page.on('request', r => {
      if (r.url().includes('/api/release/'))
        releaseRequests.push({
          at: Date.now(),
          url: new URL(r.url()).pathname,
        });
    });
    await page.goto(`${base}${entityPath}/releases`);
    await page
      .locator('table[aria-label="Releases by phase"] tbody tr')
      .first()
      .waitFor();
    // The tab subscribes to the release channel once it is shown.
    const subDeadline = Date.now() + 20_000;
    while (subscribedAt === undefined && Date.now() < subDeadline)
      await page.waitForTimeout(100);
    if (subscribedAt === undefined) {
      return {
        error:
          'the open tab never subscribed to release:lifecycle on /api/signals (signals not installed?)',
      };
    }
    // The same document throughout: a reload would lose this mark.
    await page.evaluate(() => {
      window.__benchDocument = 'p12';
    });
    await page.waitForTimeout(pauseMs);
    const runs = [];
    for (let i = 0; i < rounds; i++) {
      const framesBefore = signalFrames.length;
      // `arm` puts the watcher in the page before the change is made.
      const { version, requestedAt, answeredAt } = await change(i, ver =>
        page.evaluate(watchForVersion, ver),
      );
      let w;
      try {
        await page.waitForFunction(
          () => window.__benchWatch?.seenAt !== undefined,
          null,
          { timeout: boundMs, polling: 50 },
        );
        w = await page.evaluate(() => window.__benchWatch);
      } catch {
        w = undefined;
      }
      const frame = signalFrames
        .slice(framesBefore)
        .find(f => f.text.includes(entityRef));
      runs.push({
        version,
        apiMs: answeredAt - requestedAt,
        // From the API's answer to the new row on screen (0 if it came first).
        delayMs: w ? Math.max(0, w.seenAt - answeredAt) : null,
        rawDelayMs: w ? w.seenAt - answeredAt : null,
        fromRequestMs: w ? w.seenAt - requestedAt : null,
        signalAfterAnswerMs: frame ? frame.at - answeredAt : null,
        pushed: Boolean(frame),
        reloadRequests: releaseRequests
          .filter(r => r.at >= requestedAt && (!w || r.at <= w.seenAt))
          .map(r => r.url),
      });
      await page.waitForTimeout(pauseMs);
    }
    const sameDocument = await page.evaluate(
      () => window.__benchDocument === 'p12',
    );
    const delays = runs.map(r => r.delayMs);
    const ok = delays.filter(d => d !== null).sort((a, b) => a - b);
    return {
      entity: entityName,
      runs,
      sameDocument,
      missed: delays.filter(d => d === null).length,
      pushed: runs.every(r => r.pushed),
      medianMs: ok.length ? ok[Math.floor((ok.length - 1) / 2)] : null,
      maxMs: delays.includes(null) ? null : Math.max(...delays),
      boundMs,
    };
  } finally {
    await browser.close();
  }
}

// ---------------------------------------------------------------- P14
/*
 * P14: full navigation (a new page, goto the URL) to the Releases tab's
 * first rows against full navigation to the same entity's Overview, in one
 * browser context signed in once (so both pages share the HTTP cache and the
 * session, as a returning user). Measured in the page's own clock, from the
 * navigation's start (performance.now() = 0) to the first animation frame
 * after the target is in the DOM: the first row of "Releases by phase", or
 * the Overview's About card with the entity's description (catalog data).
 * One of each first as warm-up (discarded), then `rounds` of each,
 * alternating and swapping which goes first every round; medians compared.
 */

// Runs in every page before any script: marks when the target appears.
function installTargetWatcher() {
  const releases = /\/releases\/?$/.test(location.pathname);
  const found = () => {
    if (releases) {
      return Boolean(
        document.querySelector(
          'table[aria-label="Releases by phase"] tbody tr',
        ),
      );
    }
    for (const h of document.querySelectorAll('h3')) {
      if (h.textContent.trim() !== 'About') continue;
      let card = h;
      for (let k = 0; k < 8 && card; k++) {
        if (card.textContent.includes('Bench fixture ')) return true;
        card = card.parentElement;
      }
    }
    return false;
  };
  const mark = () => {
    if (window.__benchTargetInDom !== undefined || !found()) return;
    window.__benchTargetInDom = performance.now();
    requestAnimationFrame(() => {
      window.__benchTarget = performance.now();
    });
    observer.disconnect();
  };
  const observer = new MutationObserver(mark);
  observer.observe(document, { childList: true, subtree: true });
}

async function navigateOnce(context, url, timeoutMs) {
  const page = await context.newPage();
  try {
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForFunction(() => window.__benchTarget !== undefined, null, {
      timeout: timeoutMs,
      polling: 50,
    });
    return await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      return {
        targetMs: window.__benchTarget,
        inDomMs: window.__benchTargetInDom,
        documentMs: nav ? nav.responseEnd : null,
        requests: performance.getEntriesByType('resource').length,
      };
    });
  } finally {
    await page.close();
  }
}

async function measureFullNavigation(
  base,
  entityName,
  { rounds = 5, timeoutMs = 60_000 } = {},
) {
  const browser = await launch();
  if (browser.error) return browser;
  try {
    const entityPath = `/catalog/default/component/${entityName}`;
    const { context, page } = await signedInContext(
      browser,
      base,
      entityPath,
      timeoutMs,
    );
    await page.close();
    await context.addInitScript(installTargetWatcher);
    const urls = {
      overview: `${base}${entityPath}`,
      releases: `${base}${entityPath}/releases`,
    };
    // Warm-up (discarded): code chunks in the HTTP cache, caches warm.
    for (const kind of ['overview', 'releases'])
      await navigateOnce(context, urls[kind], timeoutMs);
    const runs = { overview: [], releases: [] };
    for (let r = 0; r < rounds; r++) {
      const order =
        r % 2 === 0 ? ['overview', 'releases'] : ['releases', 'overview'];
      for (const kind of order)
        runs[kind].push(await navigateOnce(context, urls[kind], timeoutMs));
    }
    const median = list => {
      const v = list.map(x => x.targetMs).sort((a, b) => a - b);
      return v.length % 2
        ? v[(v.length - 1) / 2]
        : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    };
    return {
      entity: entityName,
      rounds,
      overviewMedianMs: median(runs.overview),
      releasesMedianMs: median(runs.releases),
      overviewMs: runs.overview.map(x => Number(x.targetMs.toFixed(1))),
      releasesMs: runs.releases.map(x => Number(x.targetMs.toFixed(1))),
      runs,
    };
  } finally {
    await browser.close();
  }
}

module.exports = {
  measureReleasesTab,
  measureLiveUpdate,
  measureFullNavigation,
};
