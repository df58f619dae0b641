import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { createBackend } from '@backstage/backend-defaults';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import releasePlugin from '@release-manager/backstage-plugin-release-backend';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { rootHttpRouterWithoutStackTraces } from './noStackTraces';

jest.setTimeout(120_000);

const SCRIPT = resolve(__dirname, '../../../scripts/ci-create-release.sh');
const EXAMPLES = resolve(__dirname, '../../../examples');
const PAYMENTS = 'component:default/payments-api';
const RELEASES =
  '/api/release/entities/component/default/payments-api/releases';

const token = () => randomBytes(24).toString('base64url');
const TOKENS = {
  /** The CI recipe of the README: read and create releases, nothing else. */
  ci: token(),
  /** A token that may read release data but not create releases. */
  readOnly: token(),
  /** A token for another plugin only. */
  catalogOnly: token(),
};

/**
 * A permission policy that denies creating releases to everyone: the
 * permission framework does not consult the policy for service principals
 * (static tokens), only their access restrictions.
 */
const denyReleaseCreationPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'deny-release-create',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy({
          async handle(req) {
            return {
              result:
                req.permission.name === 'release.release.create'
                  ? AuthorizeResult.DENY
                  : AuthorizeResult.ALLOW,
            };
          },
        });
      },
    });
  },
});

/** The test backend's config: SQLite, the static tokens, the demo catalog. */
function backendConfig(extra: Record<string, unknown> = {}) {
  const data = {
    backend: {
      database: { client: 'better-sqlite3', connection: ':memory:' },
      auth: {
        externalAccess: [
          {
            type: 'static',
            options: { token: TOKENS.ci, subject: 'ci-pipeline' },
            accessRestrictions: [
              {
                plugin: 'release',
                permission: ['release.pipeline.read', 'release.release.create'],
              },
            ],
          },
          {
            type: 'static',
            options: { token: TOKENS.readOnly, subject: 'dashboard' },
            accessRestrictions: [
              {
                plugin: 'release',
                permission: 'release.pipeline.read',
              },
            ],
          },
          {
            type: 'static',
            options: {
              token: TOKENS.catalogOnly,
              subject: 'catalog-sync',
            },
            accessRestrictions: [{ plugin: 'catalog' }],
          },
        ],
      },
    },
    permission: { enabled: true },
    catalog: {
      rules: [{ allow: ['Component', 'System', 'Group', 'User', 'Location'] }],
      locations: [
        { type: 'file', target: join(EXAMPLES, 'entities.yaml') },
        { type: 'file', target: join(EXAMPLES, 'org.yaml') },
      ],
    },
    release: { dispatcher: { enabled: false } },
  };
  data.backend = { ...data.backend, ...extra };
  return data;
}

interface ScriptResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CI script as a pipeline would (asynchronously: the server runs in this process). */
function runScript(
  args: string[],
  env: Record<string, string | undefined>,
): Promise<ScriptResult> {
  return new Promise(done => {
    execFile(
      SCRIPT,
      args,
      { env: { PATH: process.env.PATH, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (error as { code?: number }).code ?? -1 : 0;
        done({ code: typeof code === 'number' ? code : -1, stdout, stderr });
      },
    );
  });
}

describe('CI creates releases with a static external access token (scripts/ci-create-release.sh)', () => {
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let url: string;

  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [
        // The real auth stack: static tokens, access restrictions, plugin tokens.
        authServiceFactory,
        httpAuthServiceFactory,
        permissionsServiceFactory,
        databaseServiceFactory,
        mockServices.rootConfig.factory({ data: backendConfig() }),
        catalogPlugin,
        permissionPlugin,
        denyReleaseCreationPolicy,
        releasePlugin,
      ],
    });
    server = backend.server;
    url = `http://localhost:${server.port()}`;

    // Wait until the real catalog has ingested the demo entities.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const res = await request(server)
        .get('/api/catalog/entities/by-name/component/default/payments-api')
        .set('Authorization', `Bearer ${TOKENS.catalogOnly}`);
      if (res.status === 200 && res.body.relations?.length) break;
      if (Date.now() > deadline) {
        throw new Error(
          `The catalog did not ingest payments-api: ${res.status}`,
        );
      }
      await new Promise(r => setTimeout(r, 250));
    }
  });

  const ci = (args: string[], releaseToken = TOKENS.ci) =>
    runScript(args, { BACKSTAGE_URL: url, RELEASE_TOKEN: releaseToken });

  it('creates the release, recorded as created by the token subject', async () => {
    const notes = 'Fixes "refunds" \\ rounding\n\t- and tabs\nÜnïcode ✓';
    const notesFile = join(mkdtempSync(join(tmpdir(), 'ci-notes-')), 'NOTES');
    writeFileSync(notesFile, notes);
    const result = await ci([
      '--commit',
      '4f2a9c1',
      '--notes-file',
      notesFile,
      PAYMENTS,
      '1.4.0',
      'registry.example.com/payments-api@sha256:14',
    ]);
    expect(result).toEqual({
      code: 0,
      stdout: `${PAYMENTS}@1.4.0\n`,
      stderr: `Created release 1.4.0 of ${PAYMENTS}\n`,
    });

    const res = await request(server)
      .get(`${RELEASES}/1.4.0`)
      .set('Authorization', `Bearer ${TOKENS.ci}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      entityRef: PAYMENTS,
      version: '1.4.0',
      artifact: 'registry.example.com/payments-api@sha256:14',
      commit: '4f2a9c1',
      notes,
      createdBy: 'service:ci-pipeline',
    });
  });

  it('accepts a short entity ref and inline notes', async () => {
    const result = await ci([
      '--notes',
      'short ref',
      'payments-api',
      '1.5.0-rc.1',
      'registry.example.com/payments-api@sha256:15',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${PAYMENTS}@1.5.0-rc.1\n`);
  });

  it('treats a re-run with the same artifact as success, and another artifact as a conflict (exit 3)', async () => {
    const args = [
      PAYMENTS,
      '2.0.0',
      'registry.example.com/payments-api@sha256:20',
    ];
    expect((await ci(args)).code).toBe(0);

    const again = await ci(args);
    expect(again).toEqual({
      code: 0,
      stdout: `${PAYMENTS}@2.0.0\n`,
      stderr: `Release 2.0.0 of ${PAYMENTS} already exists with this artifact\n`,
    });

    const other = await ci([
      PAYMENTS,
      '2.0.0',
      'registry.example.com/payments-api@sha256:other',
    ]);
    expect(other.code).toBe(3);
    expect(other.stdout).toBe('');
    expect(other.stderr).toMatch(
      /release 2\.0\.0 of component:default\/payments-api already exists with another artifact \(registry\.example\.com\/payments-api@sha256:20\)/,
    );
    const res = await request(server)
      .get(`${RELEASES}/2.0.0`)
      .set('Authorization', `Bearer ${TOKENS.ci}`);
    expect(res.body.artifact).toBe(
      'registry.example.com/payments-api@sha256:20',
    );
  });

  it('fails with the API message: wrong token (401), token without release.release.create or for another plugin (403)', async () => {
    const args = [
      PAYMENTS,
      '3.0.0',
      'registry.example.com/payments-api@sha256:30',
    ];

    const wrong = await ci(args, 'not-the-token-at-all');
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toBe('');
    expect(wrong.stderr).toMatch(/^ci-create-release: HTTP 401: /);

    const readOnly = await ci(args, TOKENS.readOnly);
    expect(readOnly.code).toBe(1);
    expect(readOnly.stderr).toBe(
      `ci-create-release: HTTP 403: Permission release.release.create was denied for ${PAYMENTS}\n`,
    );

    const otherPlugin = await ci(args, TOKENS.catalogOnly);
    expect(otherPlugin.code).toBe(1);
    expect(otherPlugin.stderr).toMatch(
      /^ci-create-release: HTTP 403: This token's access is restricted to plugin\(s\) 'catalog'/,
    );

    const res = await request(server)
      .get(`${RELEASES}/3.0.0`)
      .set('Authorization', `Bearer ${TOKENS.ci}`);
    expect(res.status).toBe(404);
  });

  it('fails with the API message on bad input and unknown entities, and on usage errors (exit 2)', async () => {
    const badVersion = await ci([PAYMENTS, 'v1', 'img']);
    expect(badVersion.code).toBe(1);
    expect(badVersion.stderr).toMatch(
      /^ci-create-release: HTTP 400: version 'v1' is not a semantic version/,
    );

    const unknown = await ci(['component:default/nope', '1.0.0', 'img']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(
      /^ci-create-release: HTTP 404: Entity component:default\/nope was not found/,
    );

    const noPipeline = await ci([
      'component:default/legacy-reports',
      '1.0.0',
      'img',
    ]);
    expect(noPipeline.code).toBe(1);
    expect(noPipeline.stderr).toMatch(/HTTP 404: .*has no release pipeline/);

    const noToken = await runScript([PAYMENTS, '1.0.0', 'img'], {
      BACKSTAGE_URL: url,
    });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/RELEASE_TOKEN is not set/);

    const badRef = await ci(['component:default/../../admin', '1.0.0', 'img']);
    expect(badRef.code).toBe(2);
    expect(badRef.stderr).toMatch(/invalid entity ref/);

    const missingArg = await ci([PAYMENTS, '1.0.0']);
    expect(missingArg.code).toBe(2);

    const unreachable = await runScript([PAYMENTS, '1.0.0', 'img'], {
      BACKSTAGE_URL: 'http://127.0.0.1:1',
      RELEASE_TOKEN: TOKENS.ci,
    });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/could not reach/);
  });
});

/** A free TCP port on localhost. */
function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => done(port));
    });
  });
}

/**
 * A PATH on which only the given JSON parser of the script's three (jq,
 * node, python3) is found, so each of its parsers is exercised.
 */
function pathWithParser(parser: 'jq' | 'node' | 'python3'): string {
  const dir = mkdtempSync(join(tmpdir(), `ci-path-${parser}-`));
  const parsers = ['jq', 'node', 'python3', 'python'];
  for (const from of ['/usr/local/bin', '/usr/bin', '/bin']) {
    for (const file of readdirSync(from)) {
      if (parsers.includes(file) && file !== parser) continue;
      try {
        symlinkSync(join(from, file), join(dir, file));
      } catch {
        // The same name in an earlier directory wins.
      }
    }
  }
  if (parser !== 'jq' && parser !== 'node' && parser !== 'python3') {
    throw new Error(parser);
  }
  return dir;
}

function which(tool: string): boolean {
  return (process.env.PATH ?? '').split(':').some(d => {
    try {
      return readdirSync(d).includes(tool);
    } catch {
      return false;
    }
  });
}

describe('against a development backend (pretty-printed JSON answers)', () => {
  const previousEnv = process.env.NODE_ENV;
  let url: string;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    // What `yarn start` runs: NODE_ENV=development, in which Backstage's
    // root router pretty-prints JSON. The real root router and discovery.
    process.env.NODE_ENV = 'development';
    const port = await freePort();
    url = `http://localhost:${port}`;
    // A backend as createBackend() builds it (the real root router, which
    // pretty-prints JSON in development), with the test's config.
    const backend = createBackend();
    for (const feature of [
      mockServices.rootConfig.factory({
        data: backendConfig({
          baseUrl: url,
          listen: { port, host: '127.0.0.1' },
        }),
      }),
      catalogPlugin,
      permissionPlugin,
      denyReleaseCreationPolicy,
      releasePlugin,
      rootHttpRouterWithoutStackTraces,
    ]) {
      backend.add(feature);
    }
    await backend.start();
    stop = () => backend.stop();
    const deadline = Date.now() + 60_000;
    for (;;) {
      const res = await fetch(
        `${url}/api/catalog/entities/by-name/component/default/payments-api`,
        { headers: { Authorization: `Bearer ${TOKENS.catalogOnly}` } },
      );
      const entity = res.status === 200 ? await res.json() : undefined;
      if (entity?.relations?.length) break;
      if (Date.now() > deadline) {
        throw new Error(
          `The catalog did not ingest payments-api: ${res.status}`,
        );
      }
      await new Promise(r => setTimeout(r, 250));
    }
  });

  afterAll(async () => {
    await stop?.();
    process.env.NODE_ENV = previousEnv;
  });

  it('answers with pretty-printed JSON (what broke the grep-based parsing)', async () => {
    const res = await fetch(
      `${url}/api/release/entities/component/default/payments-api/releases/9.9.9`,
      { headers: { Authorization: `Bearer ${TOKENS.ci}` } },
    );
    expect(res.status).toBe(404);
    expect(await res.text()).toMatch(
      /^\{\n {2}"error": \{\n {4}"name": "NotFoundError"/,
    );
  });

  it.each(['jq', 'node', 'python3'] as const)(
    'a re-run with the same artifact exits 0, another artifact exits 3, other build metadata exits 3 naming the release (JSON read with %s)',
    async parser => {
      if (!which(parser)) {
        if (process.env.CI) throw new Error(`${parser} is not installed`);
        return;
      }
      const env = {
        BACKSTAGE_URL: url,
        RELEASE_TOKEN: TOKENS.ci,
        PATH: pathWithParser(parser),
      };
      const version = `4.0.0-${parser}`;
      const artifact = `registry.example.com/payments-api@sha256:${parser}`;
      const first = await runScript([PAYMENTS, version, artifact], env);
      expect(first).toEqual({
        code: 0,
        stdout: `${PAYMENTS}@${version}\n`,
        stderr: `Created release ${version} of ${PAYMENTS}\n`,
      });
      const again = await runScript([PAYMENTS, version, artifact], env);
      expect(again).toEqual({
        code: 0,
        stdout: `${PAYMENTS}@${version}\n`,
        stderr: `Release ${version} of ${PAYMENTS} already exists with this artifact\n`,
      });
      const other = await runScript(
        [PAYMENTS, version, `${artifact}-other`],
        env,
      );
      expect(other).toEqual({
        code: 3,
        stdout: '',
        stderr: `ci-create-release: release ${version} of ${PAYMENTS} already exists with another artifact (${artifact}); releases are immutable, use a new version\n`,
      });
      const build = await runScript(
        [PAYMENTS, `${version}+build.2`, artifact],
        env,
      );
      expect(build.code).toBe(3);
      expect(build.stderr).toBe(
        `ci-create-release: HTTP 409: Release ${version} of ${PAYMENTS} already exists and ${version}+build.2 differs from it only in build metadata, so it is the same release; releases are immutable, publish a new version\n`,
      );
      const bad = await runScript([PAYMENTS, 'v1.0.0', artifact], env);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(
        /^ci-create-release: HTTP 400: version 'v1\.0\.0' is not a semantic version: write it without the leading 'v' \(1\.0\.0\)\n$/,
      );
    },
  );

  it('invariant 36: no error answer of the development backend carries a stack trace, not even the 401 of the credentials check', async () => {
    const pipeline = `${url}/api/release/entities/component/default/payments-api/pipeline`;
    const answers = [
      await fetch(pipeline),
      await fetch(pipeline, { headers: { Authorization: 'Bearer nope' } }),
      await fetch(
        `${url}/api/release/entities/component/default/x%00/pipeline`,
        {
          headers: { Authorization: `Bearer ${TOKENS.ci}` },
        },
      ),
      await fetch(`${url}/api/release/callbacks/webhook`, {
        method: 'POST',
        body: '{',
        headers: { 'content-type': 'application/json' },
      }),
    ];
    for (const res of answers) {
      const text = await res.text();
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(text).toMatch(/"message": "/);
      expect(text).not.toMatch(/"stack"|\n\s+at /);
    }
  });
});
