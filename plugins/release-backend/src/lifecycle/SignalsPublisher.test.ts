import {
  RELEASE_SIGNAL_CHANNEL,
  ReleaseSignalMessage,
} from '@release-manager/backstage-plugin-release-common';
import { JsonObject } from '@backstage/types';
import { createTestDatabases } from '../__testUtils__/databases';
import { eventually } from '../__testUtils__/fakeServer';
import {
  decide,
  Harness,
  pipelineConfig,
  promote,
  seedRelease,
  startReleaseBackend,
  USERS,
} from '../__testUtils__/harness';

jest.setTimeout(120_000);

const ENTITY = 'component:default/payments-api';

/** The test pipeline with the dispatcher on and a quick simulated provider. */
function deployingConfig(): JsonObject {
  const base = pipelineConfig() as { release: JsonObject };
  return {
    release: {
      ...base.release,
      providers: { simulated: { durationMs: 200, steps: ['Pulling image'] } },
      dispatcher: {
        pollIntervalMs: 100,
        followIntervalMs: 100,
        backoffMs: 100,
        callTimeoutMs: 1_000,
        leaseMs: 2_000,
      },
    },
  };
}

const messages = (h: Harness) =>
  h.signals.map(s => s.message as ReleaseSignalMessage);

describe('live updates through Backstage signals', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    it('announces request, approval, deployment and its end on release:lifecycle, broadcast, without versions', async () => {
      const h = await startReleaseBackend({
        knex: await databases.init(databaseId),
        config: deployingConfig(),
      });
      await seedRelease(h, '1.0.0', ['dev', 'qa']);

      const requested = await promote(h, USERS.alice, {
        version: '1.0.0',
        phase: 'stage',
      });
      expect(requested.status).toBe(202);
      const id = requested.body.id as string;
      await eventually(
        async () =>
          messages(h).find(
            m => m.type === 'promotion.requested' && m.promotionId === id,
          ),
        10_000,
        'promotion.requested signal',
      );

      expect((await decide(h, USERS.lead, id, 'approve')).status).toBe(200);
      await eventually(
        async () =>
          messages(h).find(
            m => m.type === 'promotion.succeeded' && m.promotionId === id,
          ),
        15_000,
        'promotion.succeeded signal',
      );

      const types = messages(h)
        .filter(m => m.promotionId === id)
        .map(m => m.type);
      expect(types).toEqual(
        expect.arrayContaining([
          'promotion.requested',
          'promotion.approved',
          'promotion.deploying',
          'promotion.succeeded',
        ]),
      );
      // In commit order.
      expect(types.indexOf('promotion.requested')).toBeLessThan(
        types.indexOf('promotion.approved'),
      );
      expect(types.indexOf('promotion.deploying')).toBeLessThan(
        types.indexOf('promotion.succeeded'),
      );

      for (const signal of h.signals) {
        expect(signal.channel).toBe(RELEASE_SIGNAL_CHANNEL);
        expect(signal.recipients).toEqual({ type: 'broadcast' });
      }
      const succeeded = h.signals.find(
        s => (s.message as ReleaseSignalMessage).type === 'promotion.succeeded',
      )!;
      // Exactly what changed: no version, artifact, people or config.
      expect(succeeded.message).toEqual({
        entityRef: ENTITY,
        type: 'promotion.succeeded',
        phase: 'stage',
        promotionId: id,
      });
      expect(JSON.stringify(h.signals)).not.toContain('1.0.0');
      expect(JSON.stringify(h.signals)).not.toContain('user:default/');
    });

    it('announces a failed deployment as its end', async () => {
      const base = deployingConfig() as { release: JsonObject };
      const h = await startReleaseBackend({
        knex: await databases.init(databaseId),
        config: {
          release: {
            ...base.release,
            providers: {
              simulated: { durationMs: 100, failureRate: 1 },
            },
          },
        },
      });
      await seedRelease(h, '1.0.0');
      const requested = await promote(h, USERS.alice, {
        version: '1.0.0',
        phase: 'dev',
      });
      expect(requested.status).toBe(202);
      const failed = await eventually(
        async () =>
          messages(h).find(
            m =>
              m.promotionId === requested.body.id &&
              (m.type === 'promotion.failed' ||
                m.type === 'promotion.succeeded'),
          ),
        15_000,
        'end of deployment signal',
      );
      expect(failed).toEqual({
        entityRef: ENTITY,
        type: 'promotion.failed',
        phase: 'dev',
        promotionId: requested.body.id,
      });
    });

    it('starts and works without the signals backend installed (the default signals service)', async () => {
      const h = await startReleaseBackend({
        knex: await databases.init(databaseId),
        config: pipelineConfig(),
        signals: 'default',
      });
      await seedRelease(h, '1.0.0');
      const requested = await promote(h, USERS.alice, {
        version: '1.0.0',
        phase: 'dev',
      });
      expect(requested.status).toBe(202);
      await eventually(
        async () => h.lifecycle().find(e => e.type === 'promotion.requested'),
        10_000,
        'lifecycle event',
      );
      expect(h.signals).toEqual([]);
    });
  });
});
