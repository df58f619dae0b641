import { mockCredentials } from '@backstage/backend-test-utils';
import { createHash } from 'node:crypto';
import request from 'supertest';
import { startDemoBackend } from './__testUtils__/demoBackend';

jest.setTimeout(120_000);

const sha = (version: string) =>
  createHash('sha256').update(version).digest('hex').slice(0, 40);
const NO_CHANGE = { added: [], removed: [], changed: [] };
const NO_CONFIG_CHANGE = {
  known: true,
  variables: NO_CHANGE,
  database: NO_CHANGE,
  sizing: NO_CHANGE,
  secrets: NO_CHANGE,
};

/**
 * The demo as `yarn start` seeds it (the app-config's pipelines, the
 * example entities, the demo data module): the change set of every
 * promotion waiting in it shows the target's current version and the
 * version actually promoted.
 */
describe('the change sets of the demo’s waiting promotions', () => {
  let server: Awaited<ReturnType<typeof startDemoBackend>>;
  const guest = mockCredentials.user.header('user:default/guest');

  beforeAll(async () => {
    server = await startDemoBackend();
  });

  async function waiting(entity: string, phase: string) {
    const res = await request(server)
      .get(`/api/release/entities/component/default/${entity}/promotions`)
      .query({ phase, status: 'pending_approval' })
      .set('Authorization', guest);
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
    const changes = await request(server)
      .get(`/api/release/promotions/${res.body.items[0].id}/changes`)
      .set('Authorization', guest);
    expect(changes.status).toBe(200);
    return changes.body;
  }

  it('payments-api 1.2.0 → Live: from 1.1.3 (what Live runs), with its notes, the GitHub compare link, and the Stage comparison', async () => {
    const c = await waiting('payments-api', 'live');
    expect(c.direction).toBe('upgrade');
    expect(c.from).toMatchObject({
      version: '1.1.3',
      commit: sha('1.1.3'),
      configVersion: 3,
      configSource: 'in-force-at-deploy',
    });
    expect(c.to).toMatchObject({
      version: '1.2.0',
      commit: sha('1.2.0'),
      configVersion: 3,
      configSource: 'promotion-snapshot',
    });
    expect(c.releases.map((r: any) => [r.version, r.notes])).toEqual([
      ['1.2.0', 'Faster card authorisation.'],
    ]);
    expect(c.commits).toEqual({
      fromCommit: sha('1.1.3'),
      toCommit: sha('1.2.0'),
      host: 'github',
      compareUrl: `https://github.com/example-org/payments-api/compare/${sha(
        '1.1.3',
      )}...${sha('1.2.0')}`,
    });
    expect(c.config).toEqual(NO_CONFIG_CHANGE);
    expect(c.summary.text).toBe('Deploy 1.2.0 to Live, no config changes');
    expect(c.gates).toMatchObject({
      approvals: { required: 1, count: 0, approvedBy: [] },
      requires: { phase: 'stage', met: true },
      lock: null,
    });
    expect(c.gates.freeze.next).toMatchObject({
      reason: 'No Saturday deployments',
    });
    // Where it was tested: Stage runs with its own database, sizing and
    // log level; the shared gateway key is the same, the DB password not.
    expect(c.comparedWithSource.phase).toEqual({ id: 'stage', title: 'Stage' });
    expect(c.comparedWithSource.version).toBe('1.2.0');
    expect(c.comparedWithSource.config.variables).toEqual({
      added: [{ key: 'CARD_3DS', to: 'enforced' }],
      removed: [],
      changed: [{ key: 'LOG_LEVEL', from: 'info', to: 'warn' }],
    });
    expect(
      c.comparedWithSource.config.secrets.changed.map((s: any) => s.key),
    ).toEqual(['DB_PASSWORD']);
  });

  it('ledger-worker 0.10.0 → Live (fast-track): from 0.9.0, with a GitLab compare link', async () => {
    const c = await waiting('ledger-worker', 'live');
    expect(c.direction).toBe('upgrade');
    expect(c.from.version).toBe('0.9.0');
    expect(c.to.version).toBe('0.10.0');
    expect(c.releases.map((r: any) => [r.version, r.notes])).toEqual([
      ['0.10.0', 'Hourly ledger sync.'],
    ]);
    expect(c.commits.compareUrl).toBe(
      `https://gitlab.com/example-org/finance/ledger-worker/-/compare/${sha(
        '0.9.0',
      )}...${sha('0.10.0')}`,
    );
    expect(c.config).toEqual(NO_CONFIG_CHANGE);
    expect(c.comparedWithSource).toMatchObject({
      phase: { id: 'dev' },
      version: '0.10.0',
    });
  });

  it('checkout-web 2.5.0 → Stage: from 2.4.0 (not the version of QA), with a Bitbucket compare link', async () => {
    const c = await waiting('checkout-web', 'stage');
    expect(c.direction).toBe('upgrade');
    expect(c.from.version).toBe('2.4.0');
    expect(c.to.version).toBe('2.5.0');
    expect(c.releases.map((r: any) => r.version)).toEqual(['2.5.0']);
    expect(c.commits.compareUrl).toBe(
      `https://bitbucket.org/example-org/checkout-web/branches/compare/${sha(
        '2.5.0',
      )}%0D${sha('2.4.0')}`,
    );
    expect(c.config).toEqual(NO_CONFIG_CHANGE);
    expect(c.summary.text).toBe('Deploy 2.5.0 to Stage, no config changes');
  });

  it('the preview of checkout-web 2.5.1 → Live compares with what Live runs (2.4.0), not with a source phase', async () => {
    const res = await request(server)
      .get('/api/release/entities/component/default/checkout-web/changes')
      .query({ version: '2.5.1', phase: 'live' })
      .set('Authorization', guest);
    expect(res.status).toBe(200);
    expect(res.body.from.version).toBe('2.4.0');
    expect(res.body.to.version).toBe('2.5.1');
    expect(res.body.releases.map((r: any) => r.version)).toEqual([
      '2.5.0',
      '2.5.1',
    ]);
    expect(res.body.gates.requires.met).toBe(false);
  });
});
