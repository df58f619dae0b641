import { ChildProcess, spawn } from 'child_process';
import fs from 'fs';
import path from 'path';

/*
 * Release backends as real OS processes (see crashBackend.ts), for tests
 * that kill them. Each runs in its own process group; every process started
 * here is SIGKILLed when the test process exits, whatever happened.
 */

const ENTRY = path.resolve(__dirname, 'crashBackend.ts');

const running = new Set<ChildProcess>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

process.on('exit', () => {
  for (const child of running) killGroup(child, 'SIGKILL');
});

/** One backend process. */
export interface BackendProcess {
  name: string;
  baseUrl: string;
  pid: number;
  logFile: string;
  /** Resolves with the exit code or signal once the process is gone. */
  exited: Promise<string>;
  /** Whether the process has exited. */
  isGone(): boolean;
}

/**
 * Starts `crashBackend.ts` under the node transform `backstage-cli package
 * start` uses, with only the given config file; output goes to `logFile`.
 *
 * The process runs in `workDir`, which holds a package.json of its own: at
 * startup the backend's root logger collects the config schema of every
 * package of the monorepo around its working directory (compiling each
 * `config.d.ts` with TypeScript, about half of a start's CPU time here) only
 * to learn which config values to redact from logs. Outside the monorepo it
 * finds none; the wiring is otherwise the same.
 */
export function startBackendProcess(options: {
  name: string;
  port: number;
  configFile: string;
  logFile: string;
  workDir: string;
  /** NODE_COMPILE_CACHE directory, shared by restarts (faster starts). */
  compileCacheDir?: string;
}): BackendProcess {
  const manifest = path.join(options.workDir, 'package.json');
  if (!fs.existsSync(manifest)) {
    fs.writeFileSync(
      manifest,
      JSON.stringify({ name: 'release-crash-test-backend', private: true }),
    );
  }
  const out = fs.openSync(options.logFile, 'a');
  const child = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
      ENTRY,
      '--config',
      options.configFile,
    ],
    {
      cwd: options.workDir,
      detached: true,
      stdio: ['ignore', out, out],
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        TMPDIR: process.env.TMPDIR,
        NODE_ENV: 'production',
        LOG_LEVEL: process.env.RELEASE_CRASH_LOG_LEVEL ?? 'warn',
        ...(options.compileCacheDir
          ? { NODE_COMPILE_CACHE: options.compileCacheDir }
          : {}),
      },
    },
  );
  fs.closeSync(out);
  running.add(child);
  let gone = false;
  const exited = new Promise<string>(resolve =>
    child.on('exit', (code, signal) => {
      gone = true;
      running.delete(child);
      resolve(signal ?? String(code));
    }),
  );
  return {
    name: options.name,
    baseUrl: `http://127.0.0.1:${options.port}`,
    pid: child.pid!,
    logFile: options.logFile,
    exited,
    isGone: () => gone,
  };
}

/** SIGKILL to the process (group); resolves once it is gone. */
export async function killBackendProcess(p: BackendProcess) {
  for (const child of running) {
    if (child.pid === p.pid) killGroup(child, 'SIGKILL');
  }
  return p.exited;
}

/** SIGKILLs every backend process this test process started. */
export async function killAllBackendProcesses() {
  const all = [...running];
  for (const child of all) killGroup(child, 'SIGKILL');
  await Promise.all(
    all.map(
      child =>
        new Promise<void>(resolve => {
          if (child.exitCode !== null || child.signalCode !== null) {
            resolve();
            return;
          }
          child.once('exit', () => resolve());
        }),
    ),
  );
}

/** The last lines of a backend's log, for failure messages. */
export function tailLog(p: BackendProcess, lines = 30): string {
  try {
    const text = fs.readFileSync(p.logFile, 'utf8').trimEnd().split('\n');
    return text.slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Waits until the backend answers its readiness probe (every plugin
 * started), failing early with its log if the process exits.
 */
export async function waitUntilReady(p: BackendProcess, timeoutMs: number) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (p.isGone()) {
      throw new Error(
        `Backend ${p.name} exited before it was ready:\n${tailLog(p)}`,
      );
    }
    try {
      const res = await fetch(`${p.baseUrl}/.backstage/health/v1/readiness`, {
        signal: AbortSignal.timeout(2_000),
      });
      if (res.status === 200) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > end) {
      throw new Error(
        `Backend ${p.name} not ready after ${timeoutMs} ms:\n${tailLog(p)}`,
      );
    }
    await new Promise(r => setTimeout(r, 100));
  }
}
