#!/usr/bin/env node
/*
 * Runs every test of the repository and ends with one line
 * `N passed, N failed` (all runners together).
 *
 *  - unit, store and plugin tests with Jest (`backstage-cli repo test`), on
 *    SQLite, and on PostgreSQL 15 when
 *    BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is set
 *    (set RELEASE_REQUIRE_POSTGRES=1 to fail when PostgreSQL is not reached);
 *  - browser tests (e2e/) in headless Chromium when they exist and
 *    /usr/bin/chromium is installed (RELEASE_REQUIRE_BROWSER=1 makes a missing
 *    browser an error).
 */
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const outDir = path.join(root, 'test-results');
fs.mkdirSync(outDir, { recursive: true });

let passed = 0;
let failed = 0;
let problems = 0;

function run(cmd, args, env = {}) {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  return spawnSync(cmd, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
}

// 1. Jest across every package.
const jestJson = path.join(outDir, 'jest.json');
fs.rmSync(jestJson, { force: true });
const jest = run('yarn', [
  'backstage-cli',
  'repo',
  'test',
  '--ci',
  '--watchAll=false',
  '--json',
  `--outputFile=${jestJson}`,
]);
if (fs.existsSync(jestJson)) {
  const result = JSON.parse(fs.readFileSync(jestJson, 'utf8'));
  passed += result.numPassedTests;
  failed += result.numFailedTests;
  if (result.numRuntimeErrorTestSuites > 0) {
    console.error(
      `${result.numRuntimeErrorTestSuites} test suite(s) failed to run`,
    );
    // A suite that could not run counts as a failure in the total.
    failed += result.numRuntimeErrorTestSuites;
    problems++;
  }
} else {
  console.error('Jest wrote no results');
  problems++;
}
if (jest.status !== 0) {
  problems++;
}

// 2. Browser tests.
const e2eRunner = path.join(root, 'e2e', 'run.js');
if (fs.existsSync(e2eRunner)) {
  if (!fs.existsSync('/usr/bin/chromium')) {
    console.error(
      'Browser tests skipped: /usr/bin/chromium is not installed (apt-get install -y chromium)',
    );
    if (process.env.RELEASE_REQUIRE_BROWSER === '1') problems++;
  } else {
    const e2eJson = path.join(outDir, 'e2e.json');
    fs.rmSync(e2eJson, { force: true });
    const e2e = run('node', [e2eRunner], { E2E_RESULTS: e2eJson });
    if (fs.existsSync(e2eJson)) {
      const result = JSON.parse(fs.readFileSync(e2eJson, 'utf8'));
      passed += result.passed;
      failed += result.failed;
    } else {
      problems++;
    }
    if (e2e.status !== 0) problems++;
  }
}

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 || problems > 0 ? 1 : 0);
