import { JsonObject } from '@backstage/types';
import releaseModuleKubernetes from '.';
import { FakeKubernetes, TOKEN } from './__testUtils__/fakeKubernetes';
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
  API_KEY: 'SECRET-VALUE-k8s-module-api-key-2d7e',
  DATABASE_PASSWORD: 'SECRET-VALUE-k8s-module-db-password-8f10',
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

describe('the kubernetes module in the release backend', () => {
  const databases = createTestDatabases();
  let k8s: FakeKubernetes;
  beforeEach(async () => {
    k8s = await FakeKubernetes.start();
  });
  afterEach(async () => {
    await k8s.server.close();
  });

  const config = (release: JsonObject = {}) =>
    releaseConfig(
      {
        type: 'kubernetes',
        cluster: 'prod',
        namespace: 'shop-live',
        deployment: 'shop',
        container: 'app',
      },
      {
        // The cluster comes from the Kubernetes plugin's configuration.
        kubernetes: {
          clusterLocatorMethods: [
            {
              type: 'config',
              clusters: [
                {
                  name: 'prod',
                  url: k8s.server.url,
                  authProvider: 'serviceAccount',
                  serviceAccountToken: TOKEN,
                  skipTLSVerify: true,
                },
              ],
            },
          ],
        },
        release,
      },
    );

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    it('invariant 29: loads through releaseProvidersExtensionPoint; the bound config snapshot and decrypted secrets reach the Deployment and its Secret exactly; no secret value in the Deployment, logs or responses', async () => {
      const server = await startRelease({
        module: releaseModuleKubernetes,
        knex: await databases.init(databaseId),
        config: config(),
      });
      const { promotionId } = await promoteWithConfig(server, {
        version: '1.4.0',
        artifact: `ghcr.io/acme/shop@sha256:${'b'.repeat(64)}`,
        config: CONFIG,
        secrets: SECRETS,
      });
      const done = await eventually(async () => {
        const p = await getPromotion(server, promotionId);
        return ['succeeded', 'failed'].includes(p.status) && p;
      });
      expect(done.status).toBe('succeeded');
      expect(done.providerType).toBe('kubernetes');

      expect(k8s.secretValues()).toEqual({
        ...SECRETS,
        DB_PASSWORD: SECRETS.DATABASE_PASSWORD,
      });
      const d = k8s.deployment();
      expect(d.metadata.annotations['release.backstage.io/promotion-id']).toBe(
        promotionId,
      );
      expect(d.spec.replicas).toBe(4);
      const app = d.spec.template.spec.containers[0];
      expect(app.image).toBe(`ghcr.io/acme/shop@sha256:${'b'.repeat(64)}`);
      expect(app.env).toEqual([
        { name: 'SET_BY_HAND', value: 'keep' },
        { name: 'CPU', value: '250m' },
        { name: 'DB_ENGINE', value: 'postgres' },
        { name: 'DB_HOST', value: 'db.live.internal' },
        { name: 'DB_PORT', value: '5432' },
        { name: 'LOG_LEVEL', value: 'warn' },
        { name: 'MEMORY', value: '256Mi' },
        { name: 'REPLICAS', value: '4' },
      ]);
      expect(app.envFrom).toEqual([
        { secretRef: { name: 'shop-release-live' } },
      ]);
      expect(app.resources).toEqual({
        requests: { cpu: '250m', memory: '256Mi' },
      });
      for (const value of Object.values(SECRETS)) {
        expect(JSON.stringify(d)).not.toContain(value);
        expect(leaksOf(value)).toEqual([]);
      }
    });
  });

  it('invariant 22: after a crash between apply and acknowledgement, the next backend recovers the state from the workload annotation — one apply', async () => {
    const knex = await databases.init('SQLITE_3');
    // Process A queues the promotion and never dispatches it itself.
    const a = await startRelease({
      module: releaseModuleKubernetes,
      knex,
      config: config({ dispatcher: { enabled: false } }),
    });
    const { promotionId } = await promoteWithConfig(a, {
      version: '1.4.0',
      artifact: 'ghcr.io/acme/shop:1.4.0',
      config: CONFIG,
      secrets: SECRETS,
    });
    // What A's crash left behind: the workload carries the promotion (the
    // apply reached the cluster), the database a claim that expired.
    const d = k8s.deployment();
    d.metadata.annotations['release.backstage.io/promotion-id'] = promotionId;
    d.metadata.generation += 1;
    await knex('release_promotions')
      .where({ id: promotionId })
      .update({
        lease_owner: 'dispatcher-of-process-a',
        attempts: 1,
        lease_expires_at: new Date(Date.now() - 1000),
      });

    const b = await startRelease({
      module: releaseModuleKubernetes,
      knex,
      config: config(),
    });
    const done = await eventually(async () => {
      const p = await getPromotion(b, promotionId);
      return ['succeeded', 'failed'].includes(p.status) && p;
    });
    expect(done.status).toBe('succeeded');
    expect(k8s.puts()).toHaveLength(0);
    expect(
      k8s.server.requests.filter(r => r.url.includes('/deployments/shop'))
        .length,
    ).toBeGreaterThan(0);
  });

  it('refuses a kubernetes phase naming an unknown cluster at startup', async () => {
    const bad = config();
    (bad as any).release.pipelines.default.phases[0].provider.cluster = 'other';
    await expect(
      startRelease({
        module: releaseModuleKubernetes,
        knex: await databases.init('SQLITE_3'),
        config: bad,
      }),
    ).rejects.toThrow(
      /release\.pipelines\.default, phase 'live': kubernetes provider: cluster 'other' is not configured/,
    );
  });
});
