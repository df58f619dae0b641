/*
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

async function measureReleasesTab(
  base,
  entityName,
  { timeoutMs = 60_000 } = {},
) {
  let chromium;
  try {
    ({ chromium } = require('playwright-core'));
  } catch {
    return { error: 'playwright-core is not installed' };
  }
  const browser = await chromium.launch({
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
  try {
    const context = await browser.newContext({
      viewport: { width: 1400, height: 1000 },
    });
    context.setDefaultTimeout(timeoutMs);
    const page = await context.newPage();
    const entityPath = `/catalog/default/component/${entityName}`;
    await page.goto(`${base}${entityPath}`);
    await page.getByRole('button', { name: 'Enter' }).click();
    await page
      .getByRole('navigation', { name: 'sidebar nav' })
      .waitFor({ state: 'attached' });
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

module.exports = { measureReleasesTab };
