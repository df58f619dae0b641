import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  ReleaseSeed,
  releaseSeedExtensionPoint,
} from '@release-manager/backstage-plugin-release-node';
import knexFactory, { Knex } from 'knex';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import {
  as,
  countRows,
  PAYMENTS,
  pipelineConfig,
  startReleaseBackend,
  USERS,
} from '../__testUtils__/harness';

jest.setTimeout(180_000);

const HOUR = 3600_000;

/** A seed like the demo's: releases with outcomes, config, secrets, a waiting promotion. */
function testSeed(now = Date.now()): ReleaseSeed {
  const at = (h: number) => new Date(now - h * HOUR);
  return {
    id: 'test-seed',
    releases: [
      {
        entityRef: 'component:default/payments-api',
        version: '1.0.0',
        artifact: 'registry.example.com/payments-api@sha256:1',
        createdBy: 'service:external:ci',
        createdAt: at(48),
        outcomes: ['dev', 'qa', 'stage'].map((phase, i) => ({
          phase,
          status: 'succeeded' as const,
          requestedBy: USERS.alice,
          requestedAt: at(40 - i * 4),
          finishedAt: at(39 - i * 4),
        })),
      },
      {
        entityRef: 'component:default/payments-api',
        version: '1.1.0',
        artifact: 'registry.example.com/payments-api@sha256:2',
        createdBy: 'service:external:ci',
        createdAt: at(10),
        outcomes: [
          {
            phase: 'dev',
            status: 'failed',
            requestedBy: USERS.bob,
            requestedAt: at(9),
          },
        ],
      },
    ],
    phaseConfigs: [
      {
        entityRef: 'component:default/payments-api',
        phase: 'live',
        config: { variables: { LOG_LEVEL: 'warn' } },
        secrets: { DB_PASSWORD: 'seeded-live-password' },
        actor: USERS.alice,
      },
    ],
    pendingPromotions: [
      {
        entityRef: 'component:default/payments-api',
        phase: 'live',
        version: '1.0.0',
        requestedBy: USERS.alice,
        comment: 'Ready for Live',
      },
    ],
  };
}

const seedModule = (seed: ReleaseSeed) =>
  createBackendModule({
    pluginId: 'release',
    moduleId: `seed-${seed.id}`,
    register(reg) {
      reg.registerInit({
        deps: { seeds: releaseSeedExtensionPoint },
        async init({ seeds }) {
          seeds.addSeed(seed);
        },
      });
    },
  });

const TABLES = [
  'release_releases',
  'release_promotions',
  'release_history',
  'release_phase_configs',
  'release_secrets',
  'release_seeds',
];

async function counts(knex: Knex) {
  return Object.fromEntries(
    await Promise.all(TABLES.map(async t => [t, await countRows(knex, t)])),
  );
}

function seededConfig(enabled: boolean | undefined) {
  const config = pipelineConfig({
    live: { approvals: { required: 2 } } as any,
  }) as any;
  config.release.secrets = {
    keys: [{ id: 'k1', key: Buffer.alloc(32, 7).toString('base64') }],
  };
  if (enabled !== undefined) config.release.seed = { enabled };
  return config;
}

describe('seed data through releaseSeedExtensionPoint', () => {
  const databases = createTestDatabases();
  const extraClients: Knex[] = [];
  afterAll(async () => {
    await Promise.all(extraClients.map(k => k.destroy()));
  });

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    it('seeds once per database: a restart on the same database creates no release, promotion or ledger row', async () => {
      const knex = await databases.init(databaseId);
      const first = await startReleaseBackend({
        knex,
        config: seededConfig(true),
        features: [seedModule(testSeed())],
      });
      const after = await counts(knex);
      expect(after).toMatchObject({
        release_releases: 2,
        // 4 imported outcomes + 1 waiting
        release_promotions: 5,
        release_seeds: 1,
      });
      // What a user sees: the waiting promotion and the seeded config.
      const waiting = await request(first.server)
        .get(`${PAYMENTS}/promotions?status=pending_approval`)
        .set('Authorization', as(USERS.lead));
      expect(waiting.status).toBe(200);
      expect(
        waiting.body.items.map((p: any) => [p.version, p.phase, p.requestedBy]),
      ).toEqual([['1.0.0', 'live', USERS.alice]]);
      const pipeline = await request(first.server)
        .get(`${PAYMENTS}/pipeline`)
        .set('Authorization', as(USERS.lead));
      expect(
        pipeline.body.phases.map((p: any) => p.current?.version ?? null),
      ).toEqual(['1.0.0', '1.0.0', '1.0.0', null]);
      // The waiting promotion is approved once, then the backend restarts.
      const approved = await request(first.server)
        .post(`/api/release/promotions/${waiting.body.items[0].id}/approve`)
        .set('Authorization', as(USERS.lead))
        .send({ comment: 'ok' });
      expect(approved.status).toBe(200);
      const beforeRestart = await counts(knex);
      await first.stop();

      const second = await startReleaseBackend({
        knex,
        config: seededConfig(true),
        // A new seed object (new times), same id: still not applied again.
        features: [seedModule(testSeed(Date.now() + HOUR))],
      });
      expect(await counts(knex)).toEqual(beforeRestart);
      const again = await request(second.server)
        .get(`${PAYMENTS}/promotions?status=pending_approval`)
        .set('Authorization', as(USERS.lead));
      // No new pending request "by alice" appeared.
      expect(again.body.items.map((p: any) => p.approvals.length)).toEqual([1]);
    });

    it('seeds nothing when release.seed.enabled is false or unset', async () => {
      for (const enabled of [false, undefined]) {
        const knex = await databases.init(databaseId);
        await startReleaseBackend({
          knex,
          config: seededConfig(enabled),
          features: [seedModule(testSeed())],
        });
        expect(await counts(knex)).toEqual(
          Object.fromEntries(TABLES.map(t => [t, 0])),
        );
      }
    });

    it('two backends started at the same moment on one empty database both start, and exactly one seeds', async () => {
      const knex = await databases.init(databaseId);
      // On PostgreSQL each backend has its own pool, as two processes would.
      const second = databaseId.startsWith('POSTGRES')
        ? knexFactory({
            client: 'pg',
            connection: knex.client.config.connection,
            pool: { min: 0, max: 10 },
          })
        : knex;
      if (second !== knex) extraClients.push(second);
      const [a, b] = await Promise.all(
        [knex, second].map(k =>
          startReleaseBackend({
            knex: k,
            config: seededConfig(true),
            features: [seedModule(testSeed())],
          }),
        ),
      );
      for (const h of [a, b]) {
        const res = await request(h.server)
          .get(`${PAYMENTS}/releases`)
          .set('Authorization', as(USERS.lead));
        expect(res.status).toBe(200);
        expect(res.body.items.map((r: any) => r.version)).toEqual([
          '1.1.0',
          '1.0.0',
        ]);
      }
      expect(await counts(knex)).toMatchObject({
        release_releases: 2,
        release_promotions: 5,
        release_seeds: 1,
      });
    });
  });
});
