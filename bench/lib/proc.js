/* Starting and stopping bench backends, ports, HTTP helpers. */
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const running = new Set();

// Never leave a backend behind: on Ctrl-C or exit, end the ones we started.
function killAll() {
  for (const child of running) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}
process.on('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    killAll();
    process.exit(130);
  });
}

const sleep = ms => new Promise(r => setTimeout(r, ms));

/**
 * Ports the bench may use: `BENCH_PORTS=7150-7169` (or `--ports=…`, which
 * run.js copies here) confines every backend and receiver it starts to that
 * range, for a machine shared with other work; else any free port.
 */
const PORT_RANGE = (() => {
  const m = /^(\d+)-(\d+)$/.exec(process.env.BENCH_PORTS ?? '');
  return m ? { from: Number(m[1]), to: Number(m[2]) } : undefined;
})();
const handedOut = new Set();

function tryListen(port) {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(port, '127.0.0.1', () => {
      const { port: p } = srv.address();
      srv.close(() => resolve(p));
    });
  });
}

/** A free loopback port (never 7007 or 3000; within BENCH_PORTS if set). */
async function freePort() {
  if (PORT_RANGE) {
    for (let port = PORT_RANGE.from; port <= PORT_RANGE.to; port++) {
      if (handedOut.has(port)) continue;
      try {
        await tryListen(port);
        handedOut.add(port);
        return port;
      } catch {
        // taken
      }
    }
    throw new Error(
      `no free port in BENCH_PORTS=${PORT_RANGE.from}-${PORT_RANGE.to}`,
    );
  }
  for (;;) {
    const port = await tryListen(0);
    if (port !== 7007 && port !== 3000) return port;
  }
}

/**
 * Starts one bench backend process (its own process group) with the given
 * config; its output goes to `logFile`.
 */
function startBackend({ configFile, logFile, env = {} }) {
  const out = fs.openSync(logFile, 'a');
  const child = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs', {
        paths: [ROOT],
      }),
      path.join(__dirname, '..', 'backend', 'index.js'),
      '--config',
      configFile,
    ],
    {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', out, out],
      env: {
        ...process.env,
        NODE_ENV: 'production',
        LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
        ...env,
      },
    },
  );
  fs.closeSync(out);
  running.add(child);
  child.on('exit', () => running.delete(child));
  child.exited = new Promise(resolve =>
    child.on('exit', code => resolve(code)),
  );
  return child;
}

/** SIGTERM to the backend's process group, SIGKILL after 10 s. */
async function stopBackend(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const kill = sig => {
    try {
      process.kill(-child.pid, sig);
    } catch {
      // already gone
    }
  };
  kill('SIGTERM');
  const done = await Promise.race([
    child.exited.then(() => true),
    sleep(10_000).then(() => false),
  ]);
  if (!done) {
    kill('SIGKILL');
    await Promise.race([child.exited, sleep(3000)]);
  }
}

/** fetch with a deadline; resolves to { status, ms, text, json, headers }. */
async function request(
  url,
  { method = 'GET', headers = {}, body, timeoutMs = 30_000 } = {},
) {
  const t0 = performance.now();
  const res = await fetch(url, {
    method,
    headers:
      body !== undefined
        ? { 'content-type': 'application/json', ...headers }
        : headers,
    body: body !== undefined ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  const ms = performance.now() - t0;
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, ms, text, json, headers: res.headers };
}

/** Polls `check` every second until it returns a truthy value or time runs out. */
async function waitFor(what, check, timeoutMs, child) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    if (child && (child.exitCode !== null || child.signalCode !== null)) {
      throw new Error(
        `${what}: the backend exited (code ${
          child.exitCode ?? child.signalCode
        })`,
      );
    }
    try {
      const v = await check();
      if (v) return v;
    } catch (e) {
      if (e.fatal) throw e;
      last = e;
    }
    await sleep(1000);
  }
  throw new Error(
    `${what}: not ready after ${timeoutMs / 1000} s${
      last ? ` (${last.message})` : ''
    }`,
  );
}

module.exports = {
  ROOT,
  sleep,
  freePort,
  startBackend,
  stopBackend,
  request,
  waitFor,
};
