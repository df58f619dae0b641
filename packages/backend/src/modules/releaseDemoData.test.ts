import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import releasePlugin from '@release-manager/backstage-plugin-release-backend';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Knex from 'knex';
import { parse } from 'yaml';
import {
  DEMO_CONFIG,
  DEMO_RELEASES,
  DEMO_TRAINS,
  DEMO_WAITING,
  releaseDemoDataModule,
} from './releaseDemoData';

jest.setTimeout(120_000);

/** The demo's own app-config (pipelines, secret key, seed switch). */
const appConfig = parse(
  readFileSync(resolve(__dirname, '../../../../app-config.yaml'), 'utf8'),
);

describe('the demo data module', () => {
  it('seeds the demo once through the release plugin: a restart adds no promotion', async () => {
    expect(appConfig.release.seed.enabled).toBe(true);
    const knex = Knex({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
    const start = () =>
      startTestBackend({
        features: [
          releasePlugin,
          releaseDemoDataModule,
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: {
              release: {
                ...appConfig.release,
                dispatcher: { enabled: false },
              },
            },
          }),
          catalogServiceMock.factory({ entities: [] }),
        ],
      });
    const count = async (table: string) =>
      Number((await knex(table).count({ n: '*' }))[0].n);
    const releases = Object.values(DEMO_RELEASES).flat();
    const outcomes = releases.reduce((n, r) => n + r.phases.length, 0);

    const first = await start();
    expect(await count('release_releases')).toBe(releases.length);
    // The shop train's members wait as promotions of the train.
    const trainMembers = DEMO_TRAINS.flatMap(t =>
      t.members.map(m => ({ ...m, phase: t.phase })),
    );
    expect(await count('release_promotions')).toBe(
      outcomes + DEMO_WAITING.length + trainMembers.length,
    );
    expect(await count('release_trains')).toBe(DEMO_TRAINS.length);
    // A version per phase, then one more per secret set.
    const secrets = DEMO_CONFIG.reduce(
      (n, c) => n + Object.keys(c.secrets).length,
      0,
    );
    expect(await count('release_phase_configs')).toBe(
      DEMO_CONFIG.length + secrets,
    );
    const waiting = await knex('release_promotions')
      .where('status', 'pending_approval')
      .orderBy('entity_ref');
    expect(waiting.map(p => `${p.entity_ref} ${p.phase} ${p.version}`)).toEqual(
      [...DEMO_WAITING, ...trainMembers]
        .map(w => `${w.entityRef} ${w.phase} ${w.version}`)
        .sort(),
    );
    expect(waiting.filter(p => p.train_id).map(p => p.entity_ref)).toHaveLength(
      3,
    );
    const before = await Promise.all(
      ['release_releases', 'release_promotions', 'release_history'].map(count),
    );
    await first.stop();

    const second = await start();
    expect(
      await Promise.all(
        ['release_releases', 'release_promotions', 'release_history'].map(
          count,
        ),
      ),
    ).toEqual(before);
    await second.stop();
    await knex.destroy();
  });
});
