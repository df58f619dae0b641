import releaseModuleArgoCd from '.';
import { FakeArgoCd, helmApp, TOKEN } from './__testUtils__/fakeArgoCd';
import {
  createTestDatabases,
  eventually,
  getPromotion,
  leaksOf,
  promoteWithConfig,
  releaseConfig,
  startRelease,
} from '@internal/release-test-utils';

jest.setTimeout(60_000);

const SECRETS = {
  API_KEY: 'SECRET-VALUE-argo-api-key-3b9d',
  DATABASE_PASSWORD: 'SECRET-VALUE-argo-db-password-c41e',
};

const CONFIG = {
  variables: { LOG_LEVEL: 'warn' },
  database: {
    engine: 'postgres',
    host: 'db.live.internal',
    port: 5432,
    passwordSecret: 'DATABASE_PASSWORD',
  },
  sizing: { replicas: 4, cpu: '250m', memory: '256Mi' },
};

describe('the argocd module in the release backend', () => {
  const databases = createTestDatabases();
  let argo: FakeArgoCd;
  beforeEach(async () => {
    argo = await FakeArgoCd.start();
    argo.app = helmApp();
  });
  afterEach(async () => {
    await argo.server.close();
  });

  const config = (settings: Record<string, unknown> = {}) =>
    releaseConfig(
      JSON.parse(
        JSON.stringify({
          type: 'argocd',
          instance: 'prod',
          application: 'shop-live',
          helmParameter: 'image.tag',
          secretRef: { name: 'shop-live-secrets' },
          ...settings,
        }),
      ),
      {
        release: {
          providers: {
            argocd: {
              instances: [{ name: 'prod', url: argo.server.url, token: TOKEN }],
            },
          },
        },
      },
    );

  it.each(databases.eachSupportedId())(
    'invariant 29: loads through releaseProvidersExtensionPoint; the bound config snapshot reaches the Application exactly and secrets only as references — no value in the Application, logs or responses (%p)',
    async databaseId => {
      const server = await startRelease({
        module: releaseModuleArgoCd,
        knex: await databases.init(databaseId),
        config: config(),
      });
      const { promotionId } = await promoteWithConfig(server, {
        version: '1.4.0',
        artifact: '1.4.0',
        config: CONFIG,
        secrets: SECRETS,
      });
      await eventually(
        async () =>
          argo.received('POST', '/api/v1/applications/shop-live/sync').length >
          0,
      );
      const params = Object.fromEntries(
        (
          argo.app.spec.source!.helm as {
            parameters: Array<{ name: string; value: string }>;
          }
        ).parameters.map(p => [p.name, p.value]),
      );
      expect(params).toEqual({
        'image.tag': '1.4.0',
        replicaCount: '4',
        'resources.requests.cpu': '250m',
        'resources.requests.memory': '256Mi',
        'env[0].name': 'CPU',
        'env[0].value': '250m',
        'env[1].name': 'DB_ENGINE',
        'env[1].value': 'postgres',
        'env[2].name': 'DB_HOST',
        'env[2].value': 'db.live.internal',
        'env[3].name': 'DB_PORT',
        'env[3].value': '5432',
        'env[4].name': 'LOG_LEVEL',
        'env[4].value': 'warn',
        'env[5].name': 'MEMORY',
        'env[5].value': '256Mi',
        'env[6].name': 'REPLICAS',
        'env[6].value': '4',
        'env[7].name': 'API_KEY',
        'env[7].valueFrom.secretKeyRef.name': 'shop-live-secrets',
        'env[7].valueFrom.secretKeyRef.key': 'API_KEY',
        'env[8].name': 'DATABASE_PASSWORD',
        'env[8].valueFrom.secretKeyRef.name': 'shop-live-secrets',
        'env[8].valueFrom.secretKeyRef.key': 'DATABASE_PASSWORD',
        'env[9].name': 'DB_PASSWORD',
        'env[9].valueFrom.secretKeyRef.name': 'shop-live-secrets',
        'env[9].valueFrom.secretKeyRef.key': 'DB_PASSWORD',
      });
      expect(argo.app.metadata.annotations).toMatchObject({
        'release.backstage.io/promotion-id': promotionId,
      });

      argo.controller('Succeeded', 'Healthy');
      await eventually(
        async () =>
          (await getPromotion(server, promotionId)).status === 'succeeded',
      );
      for (const value of Object.values(SECRETS)) {
        expect(JSON.stringify(argo.app)).not.toContain(value);
        for (const req of argo.server.requests) {
          expect(req.body).not.toContain(value);
        }
        expect(leaksOf(value)).toEqual([]);
      }
    },
  );

  it('a phase with secrets and no secretRef fails with a configuration error; the Application is never written', async () => {
    const server = await startRelease({
      module: releaseModuleArgoCd,
      knex: await databases.init('SQLITE_3'),
      config: config({ secretRef: undefined }),
    });
    const { promotionId } = await promoteWithConfig(server, {
      version: '1.4.0',
      artifact: '1.4.0',
      config: CONFIG,
      secrets: SECRETS,
    });
    const failed = await eventually(async () => {
      const p = await getPromotion(server, promotionId);
      return p.status === 'failed' && p;
    });
    expect(JSON.stringify(failed.progress)).toContain(
      "set the phase setting 'secretRef.name'",
    );
    expect(argo.received('PUT')).toHaveLength(0);
    for (const value of Object.values(SECRETS)) {
      expect(leaksOf(value)).toEqual([]);
    }
  });

  it('refuses at startup an argocd phase whose template config has a password secret but no secretRef', async () => {
    const cfg = config({ secretRef: undefined }) as any;
    cfg.release.pipelines.default.phases[0].config = {
      database: { host: 'db', passwordSecret: 'DB_PASSWORD' },
    };
    await expect(
      startRelease({
        module: releaseModuleArgoCd,
        knex: await databases.init('SQLITE_3'),
        config: cfg,
      }),
    ).rejects.toThrow(
      /release\.pipelines\.default, phase 'live': argocd provider: the phase's database password is a secret \(DB_PASSWORD\).*set 'secretRef\.name'/,
    );
  });

  it('refuses an argocd phase naming an unknown instance at startup', async () => {
    await expect(
      startRelease({
        module: releaseModuleArgoCd,
        knex: await databases.init('SQLITE_3'),
        config: config({ instance: 'staging' }),
      }),
    ).rejects.toThrow(
      /release\.pipelines\.default, phase 'live': argocd provider: instance 'staging' is not configured/,
    );
  });
});
