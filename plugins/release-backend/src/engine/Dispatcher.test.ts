import { AuditorService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import {
  DeploymentProvider,
  DeploymentRequest,
  DeploymentResult,
} from '@release-manager/backstage-plugin-release-node';
import { MemoryDispatchStore } from '../__testUtils__/memoryDispatchStore';
import { StoredPromotion } from '../database/PromotionStore';
import { ReleaseStore, StoredRelease } from '../database/ReleaseStore';
import { ProviderRegistry } from '../providers/ProviderRegistry';
import {
  DEFAULT_DISPATCHER_OPTIONS,
  DeployGate,
  Dispatcher,
  DispatcherOptions,
} from './Dispatcher';

const T0 = Date.parse('2026-11-26T12:00:00.000Z');

const OPTIONS: DispatcherOptions = {
  ...DEFAULT_DISPATCHER_OPTIONS,
  leaseMs: 10_000,
  callTimeoutMs: 100,
  maxUnknown: 3,
  backoffMs: 1_000,
  followIntervalMs: 500,
  deploymentTimeoutMs: 60_000,
};

const RELEASE: StoredRelease = {
  id: '17',
  entityRef: 'component:default/payments-api',
  version: '1.2.0',
  artifact: 'registry.example.com/app@sha256:abc',
  createdBy: 'service:external:ci',
  createdAt: new Date(T0 - 3_600_000).toISOString(),
};

function queued(overrides: Partial<StoredPromotion> = {}): StoredPromotion {
  return {
    id: 'p-1',
    entityRef: RELEASE.entityRef,
    phase: 'qa',
    version: RELEASE.version,
    status: 'queued',
    requestedBy: 'user:default/alice',
    requestedAt: new Date(T0 - 60_000).toISOString(),
    updatedAt: new Date(T0 - 60_000).toISOString(),
    snapshot: {
      template: 'default',
      provider: { type: 'fake', url: 'https://deploy.example.com' },
      config: { variables: { LOG_LEVEL: 'info' } },
    },
    attempts: 0,
    progress: [],
    releaseId: RELEASE.id,
    kind: 'promote',
    skippedRequires: false,
    ...overrides,
  };
}

type Answer =
  | DeploymentResult
  | null
  | Error
  | (() => Promise<DeploymentResult | null>);

/** A provider answering from scripts; every call goes to the shared log. */
function fakeProvider(
  log: string[],
  script: { deploy?: Answer[]; getStatus?: Answer[] | false },
) {
  const deployAnswers = [...(script.deploy ?? [])];
  const statusAnswers = [...(script.getStatus || [])];
  const calls = {
    deploy: [] as DeploymentRequest[],
    getStatus: [] as Array<DeploymentRequest & { externalId?: string }>,
  };
  async function answer(queue: Answer[], what: string) {
    if (queue.length === 0) throw new Error(`unexpected ${what} call`);
    const next = queue.length > 1 ? queue.shift()! : queue[0];
    if (next instanceof Error) throw next;
    if (typeof next === 'function') return next();
    return next;
  }
  const provider: DeploymentProvider = {
    type: 'fake',
    async deploy(request) {
      log.push(`provider.deploy ${request.promotionId}`);
      calls.deploy.push(request);
      return (await answer(deployAnswers, 'deploy')) as DeploymentResult;
    },
  };
  if (script.getStatus !== false) {
    provider.getStatus = async request => {
      log.push(`provider.getStatus ${request.promotionId}`);
      calls.getStatus.push(request);
      return answer(statusAnswers, 'getStatus');
    };
  }
  return { provider, calls };
}

function setup(options: {
  promotion?: StoredPromotion;
  deploy?: Answer[];
  getStatus?: Answer[] | false;
  gate?: DeployGate;
  dispatcherOptions?: Partial<DispatcherOptions>;
  secretsFor?: () => Promise<Record<string, string>>;
}) {
  let now = T0;
  const clock = () => new Date(now);
  const log: string[] = [];
  const store = new MemoryDispatchStore(clock, log);
  store.put(options.promotion ?? queued());
  const { provider, calls } = fakeProvider(log, options);
  const providers = new ProviderRegistry();
  providers.add(provider);
  const audit: Array<{
    eventId: string;
    severityLevel?: string;
    status: string;
    error?: string;
  }> = [];
  const auditor: AuditorService = {
    async createEvent(opts) {
      audit.push({ ...opts, status: 'initiated' });
      return {
        async success() {
          audit.push({ ...opts, status: 'succeeded' });
        },
        async fail(o) {
          audit.push({ ...opts, status: 'failed', error: o.error.message });
        },
      };
    },
  };
  const finished: StoredPromotion[] = [];
  const releases = {
    async getRelease(entityRef: string, version: string) {
      return entityRef === RELEASE.entityRef && version === RELEASE.version
        ? RELEASE
        : undefined;
    },
  } as Partial<ReleaseStore> as ReleaseStore;
  const makeDispatcher = () =>
    new Dispatcher(
      {
        store,
        releases,
        providers,
        logger: mockServices.logger.mock(),
        auditor,
        clock,
        gate: options.gate ?? (async () => undefined),
        secretsFor:
          options.secretsFor ?? (async () => ({ DB_PASSWORD: 'pa55word' })),
        onFinished: async p => {
          finished.push(p);
        },
      },
      { ...OPTIONS, ...options.dispatcherOptions },
    );
  return {
    store,
    log,
    calls,
    audit,
    finished,
    dispatcher: makeDispatcher(),
    makeDispatcher,
    advance(ms: number) {
      now += ms;
    },
    now: () => now,
    promotion: () => store.get((options.promotion ?? queued()).id),
  };
}

const providerCalls = (log: string[]) =>
  log.filter(l => l.startsWith('provider.'));

describe('Dispatcher', () => {
  it('deploys a queued promotion, stores the external id with deploying (invariant 23), follows it and ends succeeded', async () => {
    const t = setup({
      deploy: [
        {
          status: 'running',
          externalId: 'run-1',
          url: 'https://deploy.example.com/run-1',
          message: 'Started',
        },
      ],
      getStatus: [
        {
          status: 'running',
          externalId: 'run-1',
          message: 'Halfway',
          progress: 50,
        },
        { status: 'succeeded', externalId: 'run-1', message: 'Done' },
      ],
    });

    expect(await t.dispatcher.runOnce()).toBe(1);
    expect(t.promotion()).toMatchObject({
      status: 'deploying',
      attempts: 1,
      externalId: 'run-1',
      externalUrl: 'https://deploy.example.com/run-1',
      deadlineAt: new Date(T0 + OPTIONS.deploymentTimeoutMs).toISOString(),
      nextAttemptAt: new Date(T0 + OPTIONS.followIntervalMs).toISOString(),
      leaseOwner: undefined,
    });
    // The attempt is counted before the call; the id is stored with deploying.
    expect(t.log).toEqual([
      `claim p-1 by ${t.dispatcher.owner}`,
      'recordAttempt p-1',
      'provider.deploy p-1',
      'markDeploying p-1 run-1',
      'reschedule p-1',
    ]);
    // Exactly what was snapshotted, with the secrets for this call only.
    expect(t.calls.deploy).toEqual([
      {
        promotionId: 'p-1',
        entityRef: RELEASE.entityRef,
        phase: 'qa',
        release: {
          entityRef: RELEASE.entityRef,
          version: RELEASE.version,
          artifact: RELEASE.artifact,
          createdBy: RELEASE.createdBy,
          createdAt: RELEASE.createdAt,
        },
        config: {
          variables: { LOG_LEVEL: 'info' },
          secrets: { DB_PASSWORD: 'pa55word' },
        },
        settings: { url: 'https://deploy.example.com' },
      },
    ]);

    // Not due before the follow interval.
    expect(await t.dispatcher.runOnce()).toBe(0);
    t.advance(OPTIONS.followIntervalMs);
    expect(await t.dispatcher.runOnce()).toBe(1);
    expect(t.promotion()).toMatchObject({ status: 'deploying' });
    expect(t.promotion().progress.map(e => e.message)).toEqual([
      'Started',
      'Halfway',
    ]);
    t.advance(OPTIONS.followIntervalMs);
    expect(await t.dispatcher.runOnce()).toBe(1);

    expect(t.promotion().status).toBe('succeeded');
    expect(t.calls.deploy).toHaveLength(1);
    expect(t.calls.getStatus.map(c => c.externalId)).toEqual([
      'run-1',
      'run-1',
    ]);
    expect(t.store.ledger.map(e => [e.action, e.externalId])).toEqual([
      ['promotion.deploying', 'run-1'],
      ['promotion.succeeded', 'run-1'],
    ]);
    expect(t.finished.map(p => p.status)).toEqual(['succeeded']);
  });

  it('a deploy answered succeeded at once passes through deploying to succeeded', async () => {
    const t = setup({
      deploy: [{ status: 'succeeded', externalId: 'run-2' }],
      getStatus: [],
    });
    await t.dispatcher.runOnce();
    expect(t.store.ledger.map(e => e.action)).toEqual([
      'promotion.deploying',
      'promotion.succeeded',
    ]);
    expect(t.calls.getStatus).toHaveLength(0);
    expect(t.finished).toHaveLength(1);
  });

  it('a deploy the provider refuses ends failed without deploying', async () => {
    const t = setup({
      deploy: [{ status: 'failed', message: 'Quota exceeded' }],
      getStatus: [],
    });
    await t.dispatcher.runOnce();
    expect(t.promotion().status).toBe('failed');
    expect(t.store.ledger).toEqual([
      expect.objectContaining({
        action: 'promotion.failed',
        from: 'queued',
        reason: 'Quota exceeded',
      }),
    ]);
  });

  describe('invariant 24: unknown is retried with backoff, then failed — never succeeded', () => {
    it('unknown answers to deploy: retried after backoff, asking first, then failed', async () => {
      const t = setup({
        deploy: [{ status: 'unknown', message: 'HTTP 502' }],
        getStatus: [{ status: 'unknown', message: 'HTTP 502' }],
      });
      await t.dispatcher.runOnce();
      expect(t.promotion()).toMatchObject({
        status: 'queued',
        attempts: 1,
        nextAttemptAt: new Date(T0 + OPTIONS.backoffMs).toISOString(),
      });
      // Backoff is respected: nothing is due before it.
      t.advance(OPTIONS.backoffMs - 1);
      expect(await t.dispatcher.runOnce()).toBe(0);
      t.advance(1);
      await t.dispatcher.runOnce();
      // Doubling: the second retry waits twice as long.
      expect(t.promotion()).toMatchObject({
        status: 'queued',
        nextAttemptAt: new Date(t.now() + 2 * OPTIONS.backoffMs).toISOString(),
      });
      t.advance(2 * OPTIONS.backoffMs);
      await t.dispatcher.runOnce();

      const p = t.promotion();
      expect(p.status).toBe('failed');
      expect(t.store.ledger.map(e => e.action)).toEqual(['promotion.failed']);
      expect(t.store.ledger[0].reason).toMatch(/stayed unknown after 3 tries/);
      // After the first attempt, it asked instead of deploying again.
      expect(providerCalls(t.log)).toEqual([
        'provider.deploy p-1',
        'provider.getStatus p-1',
        'provider.getStatus p-1',
      ]);
      expect(t.finished.map(f => f.status)).toEqual(['failed']);
    });

    it('unknown answers while following a deployment end failed, never succeeded', async () => {
      const t = setup({
        promotion: queued({
          status: 'deploying',
          attempts: 1,
          externalId: 'run-3',
          deadlineAt: new Date(T0 + 600_000).toISOString(),
        }),
        getStatus: [{ status: 'unknown', message: 'malformed answer' }],
      });
      for (let i = 0; i < OPTIONS.maxUnknown; i++) {
        await t.dispatcher.runOnce();
        t.advance(OPTIONS.backoffMs * 2 ** i);
      }
      expect(t.promotion().status).toBe('failed');
      expect(t.calls.getStatus).toHaveLength(OPTIONS.maxUnknown);
      expect(t.calls.deploy).toHaveLength(0);
      expect(t.store.ledger.map(e => e.action)).toEqual(['promotion.failed']);
    });

    it('a deploy answered null (no usable answer) is unknown, not a success', async () => {
      const t = setup({
        deploy: [null],
        getStatus: [{ status: 'unknown' }],
      });
      await t.dispatcher.runOnce();
      expect(t.promotion()).toMatchObject({ status: 'queued', attempts: 1 });
      expect(t.promotion().progress.map(e => e.message)).toEqual([
        expect.stringMatching(/^Unknown: no usable answer \(retry 1 in 1s\)$/),
      ]);
    });
  });

  describe('a provider that throws', () => {
    it('a throwing deploy is unknown: rescheduled with its message, not failed at once, not succeeded', async () => {
      const t = setup({
        deploy: [new Error('connect ECONNREFUSED 10.0.0.1:443')],
        getStatus: [null],
      });
      await t.dispatcher.runOnce();
      expect(t.promotion()).toMatchObject({
        status: 'queued',
        attempts: 1,
        leaseOwner: undefined,
      });
      expect(t.promotion().progress.at(-1)?.message).toMatch(
        /^Unknown: The provider call failed: connect ECONNREFUSED/,
      );
      expect(t.store.ledger).toEqual([]);
    });

    it('a throwing getStatus while following is unknown too', async () => {
      const t = setup({
        promotion: queued({
          status: 'deploying',
          attempts: 1,
          externalId: 'run-4',
          deadlineAt: new Date(T0 + 600_000).toISOString(),
        }),
        getStatus: [new Error('socket hang up')],
      });
      await t.dispatcher.runOnce();
      expect(t.promotion().status).toBe('deploying');
      expect(t.promotion().progress.at(-1)?.message).toMatch(
        /^Unknown: The provider call failed: socket hang up/,
      );
    });

    it('an error before the provider call (secrets unavailable) is retried, and the loop goes on', async () => {
      const t = setup({
        deploy: [{ status: 'running', externalId: 'run-5' }],
        getStatus: [null],
        secretsFor: async () => {
          throw new Error('The secrets key is not configured');
        },
      });
      expect(await t.dispatcher.runOnce()).toBe(1);
      expect(t.promotion()).toMatchObject({
        status: 'queued',
        attempts: 0,
        leaseOwner: undefined,
      });
      expect(t.promotion().progress.at(-1)?.message).toMatch(
        /^Unknown: The secrets key is not configured/,
      );
      expect(t.calls.deploy).toHaveLength(0);
    });
  });

  describe('invariant 25: deadlines', () => {
    it('a provider call that never answers is cut at the call deadline and counts as unknown', async () => {
      const t = setup({
        // A provider that ignores the abort signal and never answers.
        deploy: [() => new Promise<DeploymentResult>(() => {})],
        getStatus: [],
      });
      const started = Date.now();
      await t.dispatcher.runOnce();
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(t.promotion()).toMatchObject({ status: 'queued', attempts: 1 });
      expect(t.promotion().progress.at(-1)?.message).toMatch(
        /^Unknown: The provider did not answer within the deadline/,
      );
    });

    it('a deployment past its deadline fails, audited, without asking the provider', async () => {
      const t = setup({
        deploy: [{ status: 'running', externalId: 'run-6' }],
        getStatus: [{ status: 'running', externalId: 'run-6' }],
      });
      await t.dispatcher.runOnce();
      expect(t.promotion().status).toBe('deploying');
      t.advance(OPTIONS.deploymentTimeoutMs + 1);
      await t.dispatcher.runOnce();
      expect(t.promotion().status).toBe('failed');
      expect(t.store.ledger.at(-1)?.reason).toBe(
        'The deployment did not finish before its deadline',
      );
      expect(t.calls.getStatus).toHaveLength(0);
      expect(t.audit).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            eventId: 'promotion-deadline',
            severityLevel: 'high',
            status: 'failed',
            error: 'The deployment did not finish before its deadline',
          }),
        ]),
      );
    });
  });

  it('a gate blocker reschedules without calling the provider; once lifted, it deploys', async () => {
    let blocker: string | undefined = 'QA/Demo is locked by lead: incident';
    const t = setup({
      deploy: [{ status: 'running', externalId: 'run-7' }],
      getStatus: [],
      gate: async () => blocker,
    });
    await t.dispatcher.runOnce();
    expect(providerCalls(t.log)).toEqual([]);
    expect(t.promotion()).toMatchObject({
      status: 'queued',
      attempts: 0,
      leaseOwner: undefined,
      nextAttemptAt: new Date(T0 + 30_000).toISOString(),
    });
    expect(t.promotion().progress.at(-1)?.message).toBe(
      'Waiting: QA/Demo is locked by lead: incident',
    );
    expect(t.store.ledger).toEqual([]);

    blocker = undefined;
    t.advance(30_000);
    await t.dispatcher.runOnce();
    expect(providerCalls(t.log)).toEqual(['provider.deploy p-1']);
    expect(t.promotion().status).toBe('deploying');
  });

  describe('invariant 22: after a crash, the provider is asked before any second deploy', () => {
    const crashed = () => queued({ attempts: 1 });

    it('the deployment exists: it is taken over as deploying, not deployed again', async () => {
      const t = setup({
        promotion: crashed(),
        deploy: [],
        getStatus: [
          { status: 'running', externalId: 'run-8', message: 'Found it' },
        ],
      });
      await t.dispatcher.runOnce();
      expect(providerCalls(t.log)).toEqual(['provider.getStatus p-1']);
      expect(t.promotion()).toMatchObject({
        status: 'deploying',
        externalId: 'run-8',
        attempts: 1,
      });
    });

    it('the deployment already succeeded: deploying then succeeded, no deploy', async () => {
      const t = setup({
        promotion: crashed(),
        deploy: [],
        getStatus: [{ status: 'succeeded', externalId: 'run-9' }],
      });
      await t.dispatcher.runOnce();
      expect(providerCalls(t.log)).toEqual(['provider.getStatus p-1']);
      expect(t.store.ledger.map(e => e.action)).toEqual([
        'promotion.deploying',
        'promotion.succeeded',
      ]);
    });

    it('the provider cannot tell (unknown): retried later, no deploy', async () => {
      const t = setup({
        promotion: crashed(),
        deploy: [],
        getStatus: [{ status: 'unknown', message: 'timeout' }],
      });
      await t.dispatcher.runOnce();
      expect(providerCalls(t.log)).toEqual(['provider.getStatus p-1']);
      expect(t.promotion()).toMatchObject({ status: 'queued', attempts: 1 });
    });

    it('the provider knows for sure there is none (null): deployed once, after asking', async () => {
      const t = setup({
        promotion: crashed(),
        deploy: [{ status: 'running', externalId: 'run-10' }],
        getStatus: [null],
      });
      await t.dispatcher.runOnce();
      expect(providerCalls(t.log)).toEqual([
        'provider.getStatus p-1',
        'provider.deploy p-1',
      ]);
      expect(t.promotion()).toMatchObject({
        status: 'deploying',
        attempts: 2,
        externalId: 'run-10',
      });
    });

    it('a provider without getStatus is failed rather than deployed twice', async () => {
      const t = setup({
        promotion: crashed(),
        deploy: [{ status: 'running', externalId: 'never' }],
        getStatus: false,
      });
      await t.dispatcher.runOnce();
      expect(providerCalls(t.log)).toEqual([]);
      expect(t.promotion().status).toBe('failed');
      expect(t.store.ledger[0].reason).toMatch(/not deploying twice/);
    });

    it('a replica that died mid-call: the next one asks and takes over; the late answer of the first changes nothing', async () => {
      let answerFirst: (r: DeploymentResult) => void = () => {};
      const t = setup({
        deploy: [
          () =>
            new Promise<DeploymentResult>(resolve => {
              answerFirst = resolve;
            }),
        ],
        getStatus: [{ status: 'running', externalId: 'run-11' }],
        // A call deadline long enough for the takeover to happen first.
        dispatcherOptions: { callTimeoutMs: 5_000 },
      });
      const a = t.dispatcher;
      const stuck = a.runOnce();
      // A holds the call: the provider has the deploy, A has not answered.
      while (!providerCalls(t.log).length) {
        await new Promise(r => setTimeout(r, 5));
      }
      expect(t.promotion()).toMatchObject({ status: 'queued', attempts: 1 });

      // A's lease runs out; B claims the promotion and asks first.
      t.advance(OPTIONS.leaseMs + 1);
      const b = t.makeDispatcher();
      await b.runOnce();
      expect(t.promotion()).toMatchObject({
        status: 'deploying',
        externalId: 'run-11',
      });

      // A wakes up with the provider's answer: it lost the lease, so
      // nothing it does changes the promotion.
      const before = t.promotion();
      answerFirst({ status: 'running', externalId: 'run-11' });
      await stuck;
      expect(t.promotion()).toEqual(before);
      expect(providerCalls(t.log)).toEqual([
        'provider.deploy p-1',
        'provider.getStatus p-1',
      ]);
      expect(t.store.ledger.map(e => e.action)).toEqual([
        'promotion.deploying',
      ]);
    });
  });

  it('an unknown provider type fails the promotion with a clear message', async () => {
    const t = setup({
      promotion: queued({
        snapshot: {
          template: 'default',
          provider: { type: 'not-installed' },
          config: { variables: {} },
        },
      }),
    });
    await t.dispatcher.runOnce();
    expect(t.promotion().status).toBe('failed');
    expect(t.store.ledger[0].reason).toBe(
      "No deployment provider of type 'not-installed' is installed",
    );
  });
});
