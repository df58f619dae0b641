import { DEMO_ENTITY_REF } from './demoData';
import { DemoReleaseApi } from './DemoReleaseApi';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** A demo API on a clock the test moves by hand. */
function demo() {
  let now = Date.parse('2026-05-04T09:00:00.000Z');
  const api = new DemoReleaseApi({
    clock: () => now,
    deploymentMs: 60 * SECOND,
    queueMs: 3 * SECOND,
  });
  return {
    api,
    tick(ms: number) {
      now += ms;
    },
  };
}

/** Expects the call to fail the way the backend answers: status and message. */
async function expectRejected(
  call: Promise<unknown>,
  statusCode: number,
  message: RegExp,
) {
  await expect(call).rejects.toMatchObject({
    statusCode,
    body: { error: { message: expect.stringMatching(message) } },
  });
}

async function phase(api: DemoReleaseApi, id: string) {
  const pipeline = await api.getPipeline(DEMO_ENTITY_REF);
  return pipeline.phases.find(p => p.id === id)!;
}

describe('DemoReleaseApi', () => {
  it('starts with the four phases, a deployment running in QA/Demo and a promotion waiting in Stage', async () => {
    const { api } = demo();
    const pipeline = await api.getPipeline(DEMO_ENTITY_REF);
    expect(pipeline.phases.map(p => p.title)).toEqual([
      'Dev',
      'QA/Demo',
      'Stage',
      'Live',
    ]);
    const qa = pipeline.phases[1];
    expect(qa.current?.version).toBe('1.3.0');
    expect(qa.active).toMatchObject({ version: '1.4.0', status: 'deploying' });
    expect(pipeline.phases[2].pending).toEqual([
      expect.objectContaining({ version: '1.3.0', status: 'pending_approval' }),
    ]);
    // The guest's own Live request is not in the guest's inbox.
    const inbox = await api.listApprovals();
    expect(inbox.map(p => `${p.version} → ${p.phase}`)).toEqual([
      '1.3.0 → stage',
    ]);
    const releases = await api.listReleases(DEMO_ENTITY_REF);
    expect(releases.items.map(r => r.version)).toEqual([
      '1.4.0',
      '1.3.0',
      '1.2.2',
      '1.2.1',
      '1.2.0',
      '1.1.0',
    ]);
  });

  it('advances the running deployment as time passes, then makes it current', async () => {
    const { api, tick } = demo();
    const first = (await phase(api, 'qa')).active!;
    tick(20 * SECOND);
    const later = (await phase(api, 'qa')).active!;
    expect(later.status).toBe('deploying');
    expect(later.progressMessage).not.toBe(first.progressMessage);
    const detail = await api.getPromotion(later.id);
    expect(detail.progress!.length).toBeGreaterThan(1);

    tick(30 * SECOND);
    const qa = await phase(api, 'qa');
    expect(qa.active).toBeNull();
    expect(qa.current).toMatchObject({ version: '1.4.0' });
    expect(qa.lastOutcome).toMatchObject({ status: 'succeeded' });
    const releases = await api.listReleases(DEMO_ENTITY_REF);
    const byVersion = new Map(releases.items.map(r => [r.version, r]));
    expect(byVersion.get('1.4.0')!.phases.qa).toMatchObject({
      status: 'succeeded',
      current: true,
    });
    expect(byVersion.get('1.3.0')!.phases.qa.current).toBe(false);
    const history = await api.getHistory(DEMO_ENTITY_REF, { phase: 'qa' });
    expect(history.items[0]).toMatchObject({
      action: 'promotion.succeeded',
      version: '1.4.0',
    });
  });

  it('deploys the Stage promotion once the guest approves it', async () => {
    const { api, tick } = demo();
    const [waiting] = (await phase(api, 'stage')).pending;
    const approved = await api.approvePromotion(waiting.id, {
      comment: 'Refunds look good',
    });
    expect(approved.status).toBe('queued');
    expect(await api.listApprovals()).toEqual([]);
    tick(4 * SECOND);
    expect((await phase(api, 'stage')).active).toMatchObject({
      version: '1.3.0',
      status: 'deploying',
    });
    tick(MINUTE);
    expect((await phase(api, 'stage')).current?.version).toBe('1.3.0');
  });

  it('keeps the gates: soak time, self-approval and older releases overtaking newer ones', async () => {
    const { api, tick } = demo();
    tick(MINUTE);
    expect((await phase(api, 'qa')).current?.version).toBe('1.4.0');
    await expectRejected(
      api.createPromotion(DEMO_ENTITY_REF, {
        version: '1.4.0',
        phase: 'stage',
      }),
      409,
      /must run in 'qa' for PT30M/,
    );
    await expectRejected(
      api.createPromotion(DEMO_ENTITY_REF, {
        version: '1.2.2',
        phase: 'stage',
      }),
      409,
      /newer release, 1.3.0/,
    );
    const [own] = (await phase(api, 'live')).pending;
    expect(own.requestedBy).toBe('user:default/guest');
    await expectRejected(
      api.approvePromotion(own.id),
      409,
      /someone else has to approve/,
    );

    tick(30 * MINUTE);
    const requested = await api.createPromotion(DEMO_ENTITY_REF, {
      version: '1.4.0',
      phase: 'stage',
    });
    expect(requested.status).toBe('pending_approval');
    // The newer request supersedes the waiting 1.3.0 one.
    const stage = await phase(api, 'stage');
    expect(stage.pending.map(p => p.version)).toEqual(['1.4.0']);
  });

  it('promotes without approval where the phase needs none, once per idempotency key', async () => {
    const { api, tick } = demo();
    await api.createRelease(DEMO_ENTITY_REF, {
      version: '1.5.0',
      artifact: 'ghcr.io/example/payments-api:1.5.0',
    });
    const options = { idempotencyKey: 'k-1' };
    const request = { version: '1.5.0', phase: 'dev' };
    const first = await api.createPromotion(DEMO_ENTITY_REF, request, options);
    const again = await api.createPromotion(DEMO_ENTITY_REF, request, options);
    expect(again.id).toBe(first.id);
    expect(first.status).toBe('queued');
    expect(first.release.artifact).toBe('ghcr.io/example/payments-api:1.5.0');
    tick(2 * MINUTE);
    expect((await phase(api, 'dev')).current?.version).toBe('1.5.0');
    await expectRejected(
      api.createRelease(DEMO_ENTITY_REF, { version: 'next', artifact: 'x' }),
      400,
      /semantic version/,
    );
  });

  it('never hands out a secret value', async () => {
    const { api } = demo();
    await api.setPhaseSecret(
      DEMO_ENTITY_REF,
      'stage',
      'NEW_KEY',
      's3cr3t-v4lue',
    );
    const config = await api.getPhaseConfig(DEMO_ENTITY_REF, 'stage');
    const secret = config.secrets.find(s => s.name === 'NEW_KEY')!;
    expect(secret.fingerprint).toMatch(/^hmac:[0-9a-f]{6}$/);
    expect(JSON.stringify(config)).not.toContain('s3cr3t-v4lue');
    expect(JSON.stringify(await api.getHistory(DEMO_ENTITY_REF))).not.toContain(
      's3cr3t-v4lue',
    );
  });

  it('diffs two phases from its own state', async () => {
    const { api } = demo();
    const diff = await api.getPhaseDiff(DEMO_ENTITY_REF, 'stage', 'live');
    expect(diff.from).toMatchObject({ phase: 'stage', version: '1.2.2' });
    expect(diff.to).toMatchObject({ phase: 'live', version: '1.2.0' });
    expect(diff.releases).toEqual(['1.2.1', '1.2.2']);
    expect(diff.sizing.changed).toContainEqual({
      key: 'replicas',
      from: 2,
      to: 4,
    });
  });
});
