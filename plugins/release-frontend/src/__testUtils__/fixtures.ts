import { Entity, parseEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import {
  ChangeSet,
  changeSetSummaryLine,
  compareReleases,
  CreateReleaseRequest,
  diffConfigurations,
  MetricsQuery,
  MetricsResponse,
  Page,
  PhaseLock,
  PhaseActions,
  PipelinePhaseView,
  PipelineView,
  Promotion,
  Release,
  RELEASE_PIPELINE_ANNOTATION,
  releasesBetween,
  ReleaseWithStatus,
  summarizeConfigDiff,
  versionDirection,
} from '@release-manager/backstage-plugin-release-common';
import {
  ConfigVersionDiff,
  ConfigVersionPage,
  ConfigVersionView,
  CreatePromotionRequest,
  DecisionRequest,
  EntityStatus,
  GetHistoryOptions,
  HistoryEntry,
  IdempotencyOptions,
  ListConfigVersionsOptions,
  ListPromotionsOptions,
  PhaseConfigVersion,
  PhaseConfigView,
  PhaseDiff,
  PortfolioEntry,
  PortfolioFilters,
  PortfolioOptions,
  PortfolioPage,
  PutPhaseConfigRequest,
  ListReleasesOptions,
  ListTrainsOptions,
  PromotionDetail,
  ReleaseApi,
  CreateTrainRequest,
  Train,
  TrainChanges,
  TrainDefinition,
  TrainMember,
  TrainPlan,
  RestoreConfigRequest,
  RollbackRequest,
  ScheduleRequest,
} from '../api';

export const ENTITY_REF = 'component:default/payments';

export const releaseEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments',
    namespace: 'default',
    annotations: { [RELEASE_PIPELINE_ANNOTATION]: 'default' },
  },
  spec: { type: 'service', owner: 'group:default/team-payments' },
};

export const plainEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'no-pipeline', namespace: 'default' },
  spec: { type: 'service', owner: 'group:default/team-payments' },
};

/** A fixed point in the past, so relative times stay stable. */
export const T0 = '2024-03-01T10:00:00.000Z';

export const SHOP_REF = 'system:default/shop';

/** The demo's `shop` System. */
export const shopSystem: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'System',
  metadata: { name: 'shop', namespace: 'default', title: 'Shop' },
  spec: { owner: 'group:default/team-storefront' },
};

/** A member of the shop train, in deploy order. */
export function trainMember(overrides: Partial<TrainMember> = {}): TrainMember {
  return {
    entityRef: 'component:default/payments-api',
    order: 1,
    version: '1.2.1',
    fromVersion: '1.2.0',
    promotionId: 'tp-1',
    status: 'pending_approval',
    dependsOn: [],
    ...overrides,
  };
}

/** The shop train into Stage, requested by carol, waiting for approval. */
export function train(overrides: Partial<Train> = {}): Train {
  return {
    id: 't-1',
    system: SHOP_REF,
    title: 'Shop',
    phase: 'stage',
    phaseTitle: 'Stage',
    status: 'pending_approval',
    requestedBy: 'user:default/carol',
    requestedAt: T0,
    comment: 'Checkout v2',
    approvals: { required: 1, given: [] },
    canDecide: true,
    canCancel: true,
    rollbackAvailable: false,
    members: [
      trainMember(),
      trainMember({
        entityRef: 'component:default/cart-api',
        order: 2,
        version: '3.1.0',
        fromVersion: '3.0.0',
        promotionId: 'tp-2',
        dependsOn: ['component:default/payments-api'],
      }),
      trainMember({
        entityRef: 'component:default/checkout-web',
        order: 3,
        version: '2.5.1',
        fromVersion: '2.5.0',
        promotionId: 'tp-3',
        dependsOn: ['component:default/cart-api'],
      }),
    ],
    ...overrides,
  };
}

/** The configured shop train. */
export const shopDefinition: TrainDefinition = {
  system: SHOP_REF,
  title: 'Shop',
  phases: [
    { id: 'stage', title: 'Stage' },
    { id: 'live', title: 'Live' },
  ],
  members: [
    'component:default/payments-api',
    'component:default/cart-api',
    'component:default/checkout-web',
  ],
};

/** What a shop train into `phase` would deploy. */
export function trainPlan(
  phaseId = 'stage',
  overrides: Partial<TrainPlan> = {},
): TrainPlan {
  const members = train().members;
  return {
    system: SHOP_REF,
    phase: phaseId,
    phaseTitle: phaseId === 'live' ? 'Live' : 'Stage',
    members: members.map(m => ({
      entityRef: m.entityRef,
      order: m.order,
      version: m.version,
      fromVersion: m.fromVersion,
      dependsOn: m.dependsOn,
      blockers: [],
    })),
    canRequest: true,
    reasons: [],
    ...overrides,
  };
}

/** The portfolio entry of an entity with the given pipeline. */
export function portfolioEntry(
  view: PipelineView,
  overrides: Partial<PortfolioEntry> = {},
): PortfolioEntry {
  const { kind, namespace, name } = parseEntityRef(view.entityRef);
  return {
    entityRef: view.entityRef,
    kind,
    namespace,
    name,
    owner: 'group:default/team-payments',
    system: 'payments',
    lifecycle: 'production',
    pipeline: view.template,
    phases: view.phases.map(p => ({
      id: p.id,
      title: p.title,
      currentVersion: p.current?.version,
      activeStatus: p.active?.status,
      pending: p.pending.filter(w => w.status === 'pending_approval').length,
      ...(p.pending.some(w => w.scheduledAt)
        ? { scheduled: p.pending.filter(w => w.scheduledAt).length }
        : {}),
      ...(p.lastOutcome?.status === 'failed' ? { failed: true } : {}),
    })),
    ...overrides,
  };
}

function portfolioOf(view: PipelineView): PortfolioEntry[] {
  return [portfolioEntry(view)];
}

/** Every action allowed (what the API says to a deployer and approver). */
export const ALL_ALLOWED: PhaseActions = {
  deploy: { allowed: true },
  approve: { allowed: true },
  editConfig: { allowed: true },
  lock: { allowed: true },
  skip: { allowed: true },
  rollback: { allowed: true },
};

function phase(
  id: string,
  title: string,
  order: number,
  overrides: Partial<PipelinePhaseView> = {},
): PipelinePhaseView {
  return {
    id,
    title,
    order,
    providerType: 'simulated',
    current: null,
    active: null,
    pending: [],
    lastOutcome: null,
    lock: null,
    freeze: null,
    gates: {
      requires: null,
      approvalsRequired: 0,
      allowSelfApproval: false,
      freezeWindows: 0,
      autoPromote: false,
    },
    actions: ALL_ALLOWED,
    ...overrides,
  };
}

export function promotion(overrides: Partial<Promotion> = {}): Promotion {
  return {
    id: 'p-1',
    entityRef: ENTITY_REF,
    phase: 'dev',
    version: '1.2.0',
    status: 'succeeded',
    requestedBy: 'user:default/alice',
    requestedAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

export const pipeline: PipelineView = {
  entityRef: ENTITY_REF,
  template: 'default',
  phases: [
    phase('dev', 'Dev', 0, {
      current: {
        version: '1.2.0',
        promotionId: 'p-3',
        deployedAt: T0,
        deployedBy: 'user:default/alice',
      },
      lastOutcome: promotion({ id: 'p-3', status: 'succeeded' }),
      gates: {
        requires: null,
        approvalsRequired: 0,
        allowSelfApproval: false,
        freezeWindows: 0,
        autoPromote: true,
      },
    }),
    phase('qa', 'QA/Demo', 1, {
      current: {
        version: '1.1.0',
        promotionId: 'p-2',
        deployedAt: T0,
        deployedBy: 'user:default/bob',
      },
      active: promotion({
        id: 'p-4',
        phase: 'qa',
        status: 'deploying',
        progressMessage: 'Rolling out 2/3 pods',
        externalUrl: 'https://ci.example.com/runs/42',
      }),
      gates: {
        requires: 'dev',
        approvalsRequired: 0,
        allowSelfApproval: false,
        freezeWindows: 0,
        autoPromote: false,
      },
    }),
    phase('stage', 'Stage', 2, {
      pending: [
        promotion({ id: 'p-5', phase: 'stage', status: 'pending_approval' }),
        promotion({
          id: 'p-6',
          phase: 'stage',
          version: '1.1.0',
          status: 'pending_approval',
          requestedBy: 'user:default/guest',
        }),
      ],
      lock: {
        reason: 'Load test running',
        lockedBy: 'user:default/carol',
        lockedAt: T0,
      },
      gates: {
        requires: 'qa',
        approvalsRequired: 1,
        allowSelfApproval: false,
        freezeWindows: 0,
        autoPromote: false,
      },
    }),
    phase('live', 'Live', 3, {
      freeze: {
        reason: 'Year-end freeze',
        startedAt: T0,
        endsAt: '2024-03-02T10:00:00.000Z',
      },
      lastOutcome: promotion({ id: 'p-7', phase: 'live', status: 'failed' }),
      gates: {
        requires: 'stage',
        approvalsRequired: 2,
        allowSelfApproval: false,
        freezeWindows: 1,
        autoPromote: false,
      },
    }),
  ],
};

export function release(
  version: string,
  phases: ReleaseWithStatus['phases'] = {},
  overrides: Partial<ReleaseWithStatus> = {},
): ReleaseWithStatus {
  return {
    entityRef: ENTITY_REF,
    version,
    artifact: `registry.example.com/payments:${version}`,
    commit: 'abc1234',
    notes: `Notes of ${version}`,
    createdBy: 'user:default/alice',
    createdAt: T0,
    phases,
    ...overrides,
  };
}

export const releases: ReleaseWithStatus[] = [
  release('1.2.0', {
    dev: {
      status: 'succeeded',
      promotionId: 'p-3',
      updatedAt: T0,
      current: true,
    },
  }),
  release('1.1.0', {
    dev: {
      status: 'superseded',
      promotionId: 'p-1',
      updatedAt: T0,
      current: false,
    },
    qa: {
      status: 'succeeded',
      promotionId: 'p-2',
      updatedAt: T0,
      current: true,
    },
  }),
];

/** The signed-in user of the component tests. */
export const GUEST = 'user:default/guest';

/** A promotion with its approvals and release, as the API returns it. */
export function promotionDetail(
  overrides: Partial<PromotionDetail> = {},
): PromotionDetail {
  const base = promotion(overrides);
  const { phases: _phases, ...plainRelease } = release(base.version);
  return {
    ...base,
    kind: 'promote',
    approvals: [],
    approvalsRequired: 1,
    skippedRequires: false,
    release: { ...plainRelease, entityRef: base.entityRef },
    ...overrides,
  };
}

/** History entries, newest first. */
export function historyEntries(count: number): HistoryEntry[] {
  return Array.from({ length: count }, (_, i) => ({
    id: String(count - i),
    entityRef: ENTITY_REF,
    phase: 'dev',
    version: `1.${count - i}.0`,
    action: 'promotion.request',
    actor: 'user:default/alice',
    reason: `Entry ${count - i}`,
    createdAt: T0,
  }));
}

/** A deep copy, so a test's changes never leak into the shared fixtures. */
function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}

type Call = { method: keyof ReleaseApi; args: unknown[] };

/** The configuration of a phase as the fake backend starts with it. */
export function phaseConfig(
  overrides: Partial<PhaseConfigView> = {},
): PhaseConfigView {
  return {
    version: 3,
    hash: 'sha256:abc',
    createdBy: 'user:default/carol',
    createdAt: T0,
    variables: { LOG_LEVEL: 'info', FEATURE_X: 'on' },
    database: { engine: 'postgres', host: 'db.stage.internal', port: 5432 },
    sizing: { replicas: 3, cpu: '500m', memory: '1Gi' },
    secrets: [
      {
        name: 'API_TOKEN',
        fingerprint: 'fp:1a2b3c',
        updatedBy: 'user:default/carol',
        updatedAt: T0,
      },
    ],
    ...overrides,
  };
}

/** A diff from QA to Stage as the backend computes it. */
export function phaseDiff(overrides: Partial<PhaseDiff> = {}): PhaseDiff {
  return {
    from: { phase: 'qa', version: '1.2.0', configVersion: 2 },
    to: { phase: 'stage', version: '1.0.0', configVersion: 3 },
    releases: ['1.1.0', '1.2.0'],
    variables: {
      added: [{ key: 'NEW_FLAG', to: 'true' }],
      removed: [{ key: 'OLD_FLAG', from: 'x' }],
      changed: [{ key: 'LOG_LEVEL', from: 'info', to: 'debug' }],
    },
    database: {
      added: [],
      removed: [],
      changed: [{ key: 'host', from: 'db.stage', to: 'db.qa' }],
    },
    sizing: {
      added: [],
      removed: [],
      changed: [{ key: 'replicas', from: 3, to: 2 }],
    },
    secrets: {
      added: [],
      removed: [],
      changed: [{ key: 'API_TOKEN', from: 'fp:1', to: 'fp:2' }],
    },
    ...overrides,
  };
}

/**
 * Delivery metrics over 7 days: 3 deployments (one a failure, restored),
 * with a daily series.
 */
export function deliveryMetrics(
  overrides: Partial<MetricsResponse> = {},
): MetricsResponse {
  const day = (i: number) =>
    new Date(
      Date.parse('2026-11-01T00:00:00.000Z') + i * 86_400_000,
    ).toISOString();
  return {
    from: day(0),
    to: day(7),
    bucket: 'day',
    entityRefs: ['component:default/payments-api'],
    productionPhases: { default: 'live' },
    metrics: {
      deployments: 3,
      deploymentsPerDay: 3 / 7,
      leadTime: { count: 3, medianSeconds: 6 * 3600, p90Seconds: 9.2 * 3600 },
      changeFailureRate: 0.25,
      failedDeployments: 1,
      changeDeployments: 4,
      timeToRestore: {
        count: 1,
        medianSeconds: 2 * 3600,
        p90Seconds: 2 * 3600,
      },
      unrestored: 0,
      bands: {
        deploymentFrequency: 'high',
        leadTime: 'elite',
        changeFailureRate: 'low',
        timeToRestore: 'high',
        overall: 'low',
      },
    },
    series: Array.from({ length: 7 }, (_, i) => ({
      start: day(i),
      deployments: [1, 1, 0, 0, 1, 0, 0][i],
      failures: [0, 1, 0, 0, 0, 0, 0][i],
      ...(i === 1 ? { timeToRestoreMedianSeconds: 7200 } : {}),
      ...([0, 1, 4].includes(i) ? { leadTimeMedianSeconds: 6 * 3600 } : {}),
    })),
    ...overrides,
  };
}

/**
 * A typed in-memory {@link ReleaseApi}. Releases and history are served in
 * pages; the cursor is the index of the next item. Promotions, decisions,
 * locks and rollbacks change the fake's state the way the backend would, so
 * a test sees their effect on the screen. Every call is recorded in `calls`.
 */
export class FakeReleaseApi implements ReleaseApi {
  readonly created: CreateReleaseRequest[] = [];
  readonly calls: Call[] = [];
  pipeline: PipelineView;
  releases: ReleaseWithStatus[];
  promotions: PromotionDetail[];
  inbox: PromotionDetail[];
  history: HistoryEntry[];
  pageSize: number;
  /** Who the fake backend thinks is calling. */
  user: string;
  failWith?: Error;
  createFailure?: Error;
  /** Thrown by every call that changes something, except createRelease. */
  actionFailure?: Error;
  /** Phase configurations by phase id; a phase without one has version 0. */
  configs: Record<string, PhaseConfigView>;
  /** What getPhaseDiff answers, for any pair of phases. */
  diff: PhaseDiff;
  /** Every entity of the portfolio, in name order. */
  portfolio: PortfolioEntry[];
  /** Every version of each phase's configuration, oldest first. */
  configVersions: Record<string, ConfigVersionView[]>;
  /**
   * The configuration each phase's running release was deployed with;
   * default: the phase's configuration when the fake was made.
   */
  deployedConfigs: Record<string, PhaseConfigView>;
  /** What getMetrics and getGroupMetrics answer. */
  metrics: MetricsResponse;
  /** Every train, newest first. */
  trains: Train[];
  /** The trains of `release.trains`. */
  trainDefinitions: TrainDefinition[];
  /** What getTrainPlan answers, by phase. */
  trainPlans: Record<string, TrainPlan>;

  constructor(
    options: {
      pipeline?: PipelineView;
      releases?: ReleaseWithStatus[];
      promotions?: PromotionDetail[];
      inbox?: PromotionDetail[];
      history?: HistoryEntry[];
      pageSize?: number;
      user?: string;
      failWith?: Error;
      createFailure?: Error;
      actionFailure?: Error;
      configs?: Record<string, PhaseConfigView>;
      diff?: PhaseDiff;
      portfolio?: PortfolioEntry[];
      deployedConfigs?: Record<string, PhaseConfigView>;
      metrics?: MetricsResponse;
      trains?: Train[];
      trainDefinitions?: TrainDefinition[];
      trainPlans?: Record<string, TrainPlan>;
    } = {},
  ) {
    this.trains = copy(options.trains ?? []);
    this.trainDefinitions = copy(options.trainDefinitions ?? [shopDefinition]);
    this.trainPlans = copy(
      options.trainPlans ?? {
        stage: trainPlan('stage'),
        live: trainPlan('live'),
      },
    );
    this.portfolio = copy(
      options.portfolio ?? portfolioOf(options.pipeline ?? pipeline),
    );
    this.metrics = copy(options.metrics ?? deliveryMetrics());
    this.configs = copy(options.configs ?? { stage: phaseConfig() });
    this.deployedConfigs = copy(options.deployedConfigs ?? this.configs);
    this.configVersions = Object.fromEntries(
      Object.entries(this.configs).map(([id, c]) => [
        id,
        [
          configVersionOf(emptyConfig()),
          ...(c.version > 0 ? [configVersionOf(c, 'configuration set')] : []),
        ],
      ]),
    );
    this.diff = copy(options.diff ?? phaseDiff());
    this.pipeline = copy(options.pipeline ?? pipeline);
    this.releases = options.releases ?? releases;
    this.pageSize = options.pageSize ?? 20;
    this.user = options.user ?? GUEST;
    this.failWith = options.failWith;
    this.createFailure = options.createFailure;
    this.actionFailure = options.actionFailure;
    this.history = options.history ?? historyEntries(3);
    // By default every promotion of the pipeline has a detail.
    this.promotions = copy(
      options.promotions ??
        this.pipeline.phases.flatMap(p =>
          [...p.pending, p.active, p.lastOutcome]
            .filter((x): x is Promotion => Boolean(x))
            .map(x =>
              promotionDetail({
                ...x,
                approvalsRequired: p.gates.approvalsRequired,
              }),
            ),
        ),
    );
    // By default, like the server: pending promotions someone else requested.
    this.inbox = copy(
      options.inbox ??
        this.promotions.filter(
          p => p.status === 'pending_approval' && p.requestedBy !== this.user,
        ),
    );
  }

  private record(method: keyof ReleaseApi, ...args: unknown[]) {
    this.calls.push({ method, args });
  }

  /** The arguments of every call of `method`, in order. */
  callsOf(method: keyof ReleaseApi): unknown[][] {
    return this.calls.filter(c => c.method === method).map(c => c.args);
  }

  /**
   * The time the fake stamps on what changes. Always {@link T0} here, so
   * relative times in tests stay stable; the dev app's demo API answers the
   * real time.
   */
  protected now(): string {
    return T0;
  }

  protected phaseView(id: string): PipelinePhaseView {
    const found = this.pipeline.phases.find(p => p.id === id);
    if (!found) throw new Error(`No phase ${id}`);
    return found;
  }

  protected mutate(id: string, change: Partial<PromotionDetail>) {
    const found = this.promotions.find(p => p.id === id);
    if (!found) throw new Error(`Promotion ${id} not found`);
    Object.assign(found, change, { updatedAt: this.now() });
    const view = this.phaseView(found.phase);
    const { kind: _k, approvals: _a, approvalsRequired: _r, ...plain } = found;
    const { skippedRequires: _s, release: _rel, ...summary } = plain;
    view.pending = view.pending.filter(p => p.id !== id);
    if (found.status === 'pending_approval') view.pending.push(summary);
    if (found.status === 'queued' || found.status === 'deploying') {
      view.active = summary;
    } else if (view.active?.id === id) {
      view.active = null;
    }
    this.inbox = this.inbox.filter(
      p => p.id !== id || found.status === 'pending_approval',
    );
    return found;
  }

  async getPipeline(entityRef: string): Promise<PipelineView> {
    this.record('getPipeline', entityRef);
    if (this.failWith) throw this.failWith;
    return copy(this.pipeline);
  }

  async listReleases(
    _entityRef: string,
    options: ListReleasesOptions = {},
  ): Promise<Page<ReleaseWithStatus>> {
    if (this.failWith) throw this.failWith;
    const start = options.cursor ? Number(options.cursor) : 0;
    const end = start + (options.limit ?? this.pageSize);
    return {
      items: this.releases.slice(start, end),
      nextCursor: end < this.releases.length ? String(end) : undefined,
    };
  }

  async getRelease(
    _entityRef: string,
    version: string,
  ): Promise<ReleaseWithStatus> {
    if (this.failWith) throw this.failWith;
    const found = this.releases.find(r => r.version === version);
    if (!found) throw new Error(`Release ${version} not found`);
    return found;
  }

  async createRelease(
    entityRef: string,
    request: CreateReleaseRequest,
  ): Promise<Release> {
    if (this.createFailure) throw this.createFailure;
    this.created.push(request);
    const created = release(
      request.version,
      {},
      {
        entityRef,
        artifact: request.artifact,
        commit: request.commit,
        notes: request.notes,
        plannedAt: request.plannedAt,
        createdAt: this.now(),
      },
    );
    this.releases = [created, ...this.releases];
    const { phases: _phases, ...plain } = created;
    return plain;
  }

  async updateReleasePlan(
    entityRef: string,
    version: string,
    plannedAt: Record<string, string | null>,
  ): Promise<ReleaseWithStatus> {
    this.record('updateReleasePlan', entityRef, version, plannedAt);
    if (this.actionFailure) throw this.actionFailure;
    const found = this.releases.find(r => r.version === version);
    if (!found) throw new Error(`Release ${version} not found`);
    const plan = { ...(found.plannedAt ?? {}) };
    for (const [phaseId, date] of Object.entries(plannedAt)) {
      if (date === null) delete plan[phaseId];
      else plan[phaseId] = new Date(date).toISOString();
    }
    const updated = { ...found, plannedAt: plan };
    this.releases = this.releases.map(r => (r === found ? updated : r));
    return updated;
  }

  async getMetrics(
    entityRef: string,
    query?: MetricsQuery,
  ): Promise<MetricsResponse> {
    this.record('getMetrics', entityRef, query);
    if (this.failWith) throw this.failWith;
    return copy(this.metrics);
  }

  async getGroupMetrics(
    query: MetricsQuery & { owner?: string; system?: string },
  ): Promise<MetricsResponse> {
    this.record('getGroupMetrics', query);
    if (this.failWith) throw this.failWith;
    return copy(this.metrics);
  }

  async createPromotion(
    entityRef: string,
    request: CreatePromotionRequest,
    options?: IdempotencyOptions,
  ): Promise<PromotionDetail> {
    this.record('createPromotion', entityRef, request, options);
    if (this.actionFailure) throw this.actionFailure;
    const target = this.phaseView(request.phase);
    const created = promotionDetail({
      id: `p-new-${this.promotions.length + 1}`,
      entityRef,
      phase: request.phase,
      version: request.version,
      status: 'pending_approval',
      requestedBy: this.user,
      requestedAt: this.now(),
      comment: request.comment,
      approvalsRequired: target.gates.approvalsRequired,
    });
    this.promotions.push(created);
    this.mutate(created.id, {});
    return copy(created);
  }

  async listPromotions(
    _entityRef: string,
    options: ListPromotionsOptions = {},
  ): Promise<PromotionDetail[]> {
    if (this.failWith) throw this.failWith;
    return copy(
      this.promotions.filter(
        p =>
          (!options.phase || p.phase === options.phase) &&
          (!options.status || p.status === options.status),
      ),
    );
  }

  async getPromotion(id: string): Promise<PromotionDetail> {
    this.record('getPromotion', id);
    if (this.failWith) throw this.failWith;
    const found = this.promotions.find(p => p.id === id);
    if (!found) throw new Error(`Promotion ${id} not found`);
    return copy(found);
  }

  async approvePromotion(
    id: string,
    request: DecisionRequest = {},
  ): Promise<PromotionDetail> {
    this.record('approvePromotion', id, request);
    if (this.actionFailure) throw this.actionFailure;
    const found = this.promotions.find(p => p.id === id)!;
    const approvals = [
      ...found.approvals,
      {
        userRef: this.user,
        decision: 'approve' as const,
        comment: request.comment,
        decidedAt: this.now(),
        valid: true,
      },
    ];
    const enough =
      approvals.filter(a => a.valid && a.decision === 'approve').length >=
      found.approvalsRequired;
    return copy(
      this.mutate(id, {
        approvals,
        status: enough ? 'queued' : 'pending_approval',
      }),
    );
  }

  async rejectPromotion(
    id: string,
    request: DecisionRequest & { comment: string },
  ): Promise<PromotionDetail> {
    this.record('rejectPromotion', id, request);
    if (this.actionFailure) throw this.actionFailure;
    const found = this.promotions.find(p => p.id === id)!;
    return copy(
      this.mutate(id, {
        status: 'rejected',
        approvals: [
          ...found.approvals,
          {
            userRef: this.user,
            decision: 'reject',
            comment: request.comment,
            decidedAt: this.now(),
            valid: true,
          },
        ],
      }),
    );
  }

  /** When the next deployment window opens, for `deployInNextWindow`. */
  nextWindowAt = '2024-03-05T08:00:00.000Z';

  async schedulePromotion(
    id: string,
    request: ScheduleRequest,
  ): Promise<PromotionDetail> {
    this.record('schedulePromotion', id, request);
    if (this.actionFailure) throw this.actionFailure;
    const scheduledAt = request.deployInNextWindow
      ? this.nextWindowAt
      : request.deployAt ?? undefined;
    return copy(this.mutate(id, { scheduledAt }));
  }

  async cancelPromotion(
    id: string,
    request: { comment?: string } = {},
  ): Promise<PromotionDetail> {
    this.record('cancelPromotion', id, request);
    if (this.actionFailure) throw this.actionFailure;
    return copy(this.mutate(id, { status: 'cancelled' }));
  }

  async listApprovals(): Promise<PromotionDetail[]> {
    this.record('listApprovals');
    if (this.failWith) throw this.failWith;
    return copy(this.inbox);
  }

  async rollbackPhase(
    entityRef: string,
    phaseId: string,
    request: RollbackRequest = {},
    options?: IdempotencyOptions,
  ): Promise<PromotionDetail> {
    this.record('rollbackPhase', entityRef, phaseId, request, options);
    if (this.actionFailure) throw this.actionFailure;
    const created = promotionDetail({
      id: `p-new-${this.promotions.length + 1}`,
      entityRef,
      phase: phaseId,
      version: request.version ?? '1.0.0',
      kind: 'rollback',
      status: 'pending_approval',
      requestedBy: this.user,
      requestedAt: this.now(),
      comment: request.comment,
    });
    this.promotions.push(created);
    this.mutate(created.id, {});
    return copy(created);
  }

  async lockPhase(
    entityRef: string,
    phaseId: string,
    reason: string,
  ): Promise<PhaseLock> {
    this.record('lockPhase', entityRef, phaseId, reason);
    if (this.actionFailure) throw this.actionFailure;
    const lock = { reason, lockedBy: this.user, lockedAt: this.now() };
    this.phaseView(phaseId).lock = lock;
    return lock;
  }

  async unlockPhase(entityRef: string, phaseId: string): Promise<void> {
    this.record('unlockPhase', entityRef, phaseId);
    if (this.actionFailure) throw this.actionFailure;
    this.phaseView(phaseId).lock = null;
  }

  async getHistory(
    entityRef: string,
    options: GetHistoryOptions = {},
  ): Promise<Page<HistoryEntry>> {
    this.record('getHistory', entityRef, options);
    if (this.failWith) throw this.failWith;
    const start = options.cursor ? Number(options.cursor) : 0;
    const end = start + (options.limit ?? 50);
    return {
      items: this.history.slice(start, end),
      nextCursor: end < this.history.length ? String(end) : undefined,
    };
  }

  async getStatus(entityRefs: string[]): Promise<EntityStatus[]> {
    if (this.failWith) throw this.failWith;
    return entityRefs
      .filter(ref => ref === this.pipeline.entityRef)
      .map(entityRef => ({
        entityRef,
        phases: this.pipeline.phases.map(p => ({
          id: p.id,
          title: p.title,
          currentVersion: p.current?.version,
          activeStatus: p.active?.status,
          pending: p.pending.length,
        })),
      }));
  }

  private portfolioMatching(filters: PortfolioFilters): PortfolioEntry[] {
    const ref = (value: string | undefined, kind: string) =>
      value && !value.includes(':') ? `${kind}:default/${value}` : value;
    const owner = ref(filters.owner, 'group');
    const system = ref(filters.system, 'system');
    const q = filters.q?.toLocaleLowerCase('en-US');
    return this.portfolio.filter(
      e =>
        (!owner || e.owner === owner) &&
        (!system || `system:default/${e.system}` === system) &&
        (!filters.lifecycle || e.lifecycle === filters.lifecycle) &&
        (!q ||
          [e.name, e.title, e.owner, e.system].some(v =>
            v?.toLocaleLowerCase('en-US').includes(q),
          )),
    );
  }

  async getPortfolio(options: PortfolioOptions = {}): Promise<PortfolioPage> {
    this.record('getPortfolio', options);
    if (this.failWith) throw this.failWith;
    // The cursor is "filters|index", as opaque to callers as the catalog's.
    const [filters, index] = options.cursor
      ? [
          JSON.parse(options.cursor.slice(0, options.cursor.lastIndexOf('|'))),
          Number(options.cursor.slice(options.cursor.lastIndexOf('|') + 1)),
        ]
      : [options, 0];
    const all = this.portfolioMatching(filters);
    const end = index + (options.limit ?? 50);
    const { limit: _l, cursor: _c, ...kept } = filters as PortfolioOptions;
    return {
      items: copy(all.slice(index, end)),
      totalItems: all.length,
      nextCursor:
        end < all.length ? `${JSON.stringify(kept)}|${end}` : undefined,
    };
  }

  async getPortfolioCsv(filters: PortfolioFilters = {}): Promise<string> {
    this.record('getPortfolioCsv', filters);
    if (this.failWith) throw this.failWith;
    const rows = this.portfolioMatching(filters).flatMap(e =>
      e.phases.map(p =>
        [e.entityRef, p.id, p.currentVersion ?? '', p.pending].join(','),
      ),
    );
    return `${['entity,phase,current version,waiting approvals', ...rows].join(
      '\r\n',
    )}\r\n`;
  }

  async getPhaseConfig(
    entityRef: string,
    phaseId: string,
  ): Promise<PhaseConfigView> {
    this.record('getPhaseConfig', entityRef, phaseId);
    if (this.failWith) throw this.failWith;
    return copy(
      this.configs[phaseId] ??
        phaseConfig({
          version: 0,
          hash: '',
          variables: {},
          database: undefined,
          sizing: undefined,
          secrets: [],
        }),
    );
  }

  async putPhaseConfig(
    entityRef: string,
    phaseId: string,
    request: PutPhaseConfigRequest,
  ): Promise<PhaseConfigVersion> {
    this.record('putPhaseConfig', entityRef, phaseId, request);
    if (this.actionFailure) throw this.actionFailure;
    const current = await this.getPhaseConfig(entityRef, phaseId);
    if (current.version !== request.expectedVersion) {
      throw await responseError(
        409,
        'ConflictError',
        `Configuration of ${phaseId} is at version ${current.version}, not ${request.expectedVersion}`,
      );
    }
    const { expectedVersion: _e, comment: _c, ...config } = request;
    const next: PhaseConfigView = {
      ...current,
      ...config,
      version: current.version + 1,
      createdBy: this.user,
      createdAt: this.now(),
    };
    this.configs[phaseId] = next;
    const before = this.versionsOf(phaseId);
    const summary =
      summarizeConfigDiff(
        diffConfigurations(
          comparable(before[before.length - 1]),
          comparable(next),
        ),
      ).text || 'no changes';
    const change = summary;
    before.push(
      configVersionOf(next, change, request.comment?.trim() || undefined),
    );
    return {
      version: next.version,
      hash: next.hash,
      createdBy: next.createdBy,
      createdAt: next.createdAt,
      change,
      comment: request.comment?.trim() || undefined,
    };
  }

  private versionsOf(phaseId: string): ConfigVersionView[] {
    if (!this.configVersions[phaseId]) {
      this.configVersions[phaseId] = [configVersionOf(emptyConfig())];
    }
    return this.configVersions[phaseId];
  }

  async listConfigVersions(
    entityRef: string,
    phaseId: string,
    options: ListConfigVersionsOptions = {},
  ): Promise<ConfigVersionPage> {
    this.record('listConfigVersions', entityRef, phaseId, options);
    if (this.failWith) throw this.failWith;
    const limit = options.limit ?? 20;
    const before =
      options.cursor !== undefined ? Number(options.cursor) : Infinity;
    const newestFirst = [...this.versionsOf(phaseId)]
      .reverse()
      .filter(v => v.version < before);
    const items = newestFirst
      .slice(0, limit)
      .map(
        ({ variables: _v, database: _d, sizing: _s, secrets: _x, ...meta }) =>
          meta,
      );
    return {
      items,
      nextCursor:
        newestFirst.length > limit
          ? String(items[items.length - 1].version)
          : undefined,
    };
  }

  async getConfigVersion(
    entityRef: string,
    phaseId: string,
    version: number,
  ): Promise<ConfigVersionView> {
    this.record('getConfigVersion', entityRef, phaseId, version);
    if (this.failWith) throw this.failWith;
    const found = this.versionsOf(phaseId).find(v => v.version === version);
    if (!found) {
      throw await responseError(
        404,
        'NotFoundError',
        `Phase '${phaseId}' has no configuration version ${version}`,
      );
    }
    return copy(found);
  }

  async diffConfigVersions(
    entityRef: string,
    phaseId: string,
    from: number,
    to: number,
  ): Promise<ConfigVersionDiff> {
    this.record('diffConfigVersions', entityRef, phaseId, from, to);
    const [a, b] = await Promise.all([
      this.getConfigVersion(entityRef, phaseId, from),
      this.getConfigVersion(entityRef, phaseId, to),
    ]);
    const diff = diffConfigurations(comparable(a), comparable(b));
    const meta = (v: ConfigVersionView): PhaseConfigVersion => ({
      version: v.version,
      hash: v.hash,
      createdBy: v.createdBy,
      createdAt: v.createdAt,
      change: v.change,
      comment: v.comment,
    });
    return {
      from: meta(a),
      to: meta(b),
      ...diff,
      summary: summarizeConfigDiff(diff).text || 'no changes',
    };
  }

  async restoreConfigVersion(
    entityRef: string,
    phaseId: string,
    request: RestoreConfigRequest,
  ): Promise<PhaseConfigVersion> {
    this.record('restoreConfigVersion', entityRef, phaseId, request);
    if (this.actionFailure) throw this.actionFailure;
    const old = await this.getConfigVersion(
      entityRef,
      phaseId,
      request.version,
    );
    const result = await this.putPhaseConfig(entityRef, phaseId, {
      variables: old.variables,
      database: old.database,
      sizing: old.sizing,
      expectedVersion: request.expectedVersion,
      comment: request.comment,
    });
    const versions = this.versionsOf(phaseId);
    const last = versions[versions.length - 1];
    last.change = `restored version ${old.version}: ${last.change}`;
    return { ...result, change: last.change };
  }

  /** The change set, computed like the backend from the fake's state. */
  protected changeSetOf(
    phaseId: string,
    version: string,
    detail?: PromotionDetail,
  ): ChangeSet {
    const view = this.phaseView(phaseId);
    const all = [...this.releases].sort(compareReleases);
    const to = all.find(r => r.version === version);
    if (!to) throw new Error(`No release ${version}`);
    const current = view.current;
    const from = current
      ? all.find(r => r.version === current.version)
      : undefined;
    const direction = versionDirection(from, to);
    const empty = emptyConfig();
    const toConfig = this.configs[phaseId] ?? empty;
    const fromConfig = current
      ? this.deployedConfigs[phaseId] ?? toConfig
      : undefined;
    const config = {
      ...diffConfigurations(
        comparable(fromConfig ?? empty),
        comparable(toConfig),
      ),
      known: true,
    };
    const counts = summarizeConfigDiff(config);
    const source = view.gates.requires
      ? this.pipeline.phases.find(p => p.id === view.gates.requires)
      : undefined;
    const approvals = detail?.approvals ?? [];
    const approvedBy = approvals
      .filter(a => a.valid && a.decision === 'approve')
      .map(a => ({ userRef: a.userRef, decidedAt: a.decidedAt }));
    const required = view.gates.approvalsRequired;
    const requiresMet =
      !view.gates.requires ||
      to.phases[view.gates.requires]?.status === 'succeeded';
    const waitingFor: string[] = [];
    if (required - approvedBy.length > 1) {
      waitingFor.push(
        `${required - approvedBy.length} more approvals are needed`,
      );
    }
    if (!requiresMet) {
      waitingFor.push(
        `The release has not succeeded in '${view.gates.requires}', which '${phaseId}' requires first`,
      );
    }
    if (view.lock)
      waitingFor.push(`Phase '${phaseId}' is locked: ${view.lock.reason}`);
    if (view.freeze)
      waitingFor.push(
        `Phase '${phaseId}' is frozen until ${view.freeze.endsAt}`,
      );
    return {
      entityRef: this.pipeline.entityRef,
      phase: { id: view.id, title: view.title },
      promotion: detail && {
        id: detail.id,
        status: detail.status,
        kind: detail.kind,
        requestedBy: detail.requestedBy,
        requestedAt: detail.requestedAt,
        comment: detail.comment,
      },
      direction,
      from: current
        ? {
            version: current.version,
            commit: from?.commit,
            configVersion: fromConfig?.version ?? null,
            configSource: 'promotion-snapshot',
            promotionId: current.promotionId,
            deployedAt: current.deployedAt,
            deployedBy: current.deployedBy,
          }
        : { version: null, configVersion: null, configSource: 'none' },
      to: {
        version: to.version,
        commit: to.commit,
        artifact: to.artifact,
        configVersion: toConfig.version,
        configSource: detail ? 'promotion-snapshot' : 'current-config',
      },
      releases: releasesBetween(all, from, to).map(r => ({
        version: r.version,
        commit: r.commit,
        notes: r.notes,
        createdBy: r.createdBy,
        createdAt: r.createdAt,
      })),
      commits: {
        fromCommit: from?.commit,
        toCommit: to.commit,
        unavailable:
          'The entity has no backstage.io/source-location annotation',
      },
      config,
      gates: {
        approvals: {
          required,
          count: approvedBy.length,
          approvedBy,
          rejectedBy: [],
          voided: approvals.filter(a => !a.valid).map(a => a.userRef),
        },
        requires: { phase: view.gates.requires, met: requiresMet },
        lock: view.lock,
        freeze: { active: view.freeze, next: null },
        checks: [],
        approvingDeploysNow:
          approvedBy.length < required && waitingFor.length === 0,
        waitingFor,
      },
      comparedWithSource: source
        ? {
            phase: { id: source.id, title: source.title },
            version: source.current?.version ?? null,
            configVersion: this.configs[source.id]?.version ?? 0,
            configSource: 'current-config',
            config: {
              ...diffConfigurations(
                comparable(this.configs[source.id] ?? empty),
                comparable(toConfig),
              ),
              known: true,
            },
          }
        : null,
      summary: {
        ...counts,
        text: changeSetSummaryLine({
          version: to.version,
          phaseTitle: view.title,
          direction,
          configChanges: counts.configChanges,
          secretChanges: counts.secretChanges,
        }),
      },
    };
  }

  async getPromotionChanges(id: string): Promise<ChangeSet> {
    this.record('getPromotionChanges', id);
    if (this.failWith) throw this.failWith;
    const found = this.promotions.find(p => p.id === id);
    if (!found) {
      const member = await this.trainMemberChanges(id);
      if (member) return member;
      throw await responseError(404, 'NotFoundError', `No promotion ${id}`);
    }
    return this.changeSetOf(found.phase, found.version, found);
  }

  async previewChanges(
    entityRef: string,
    version: string,
    phaseId: string,
  ): Promise<ChangeSet> {
    this.record('previewChanges', entityRef, version, phaseId);
    if (this.failWith) throw this.failWith;
    return this.changeSetOf(phaseId, version);
  }

  async setPhaseSecret(
    entityRef: string,
    phaseId: string,
    name: string,
    value: string,
  ): Promise<void> {
    this.record('setPhaseSecret', entityRef, phaseId, name, value);
    if (this.actionFailure) throw this.actionFailure;
    const current = await this.getPhaseConfig(entityRef, phaseId);
    const secret = {
      name,
      fingerprint: `fp:${value.length}`,
      updatedBy: this.user,
      updatedAt: this.now(),
    };
    this.configs[phaseId] = {
      ...current,
      secrets: [...current.secrets.filter(x => x.name !== name), secret],
    };
  }

  async deletePhaseSecret(
    entityRef: string,
    phaseId: string,
    name: string,
  ): Promise<void> {
    this.record('deletePhaseSecret', entityRef, phaseId, name);
    if (this.actionFailure) throw this.actionFailure;
    const current = await this.getPhaseConfig(entityRef, phaseId);
    this.configs[phaseId] = {
      ...current,
      secrets: current.secrets.filter(x => x.name !== name),
    };
  }

  async listTrainDefinitions(): Promise<TrainDefinition[]> {
    this.record('listTrainDefinitions');
    if (this.failWith) throw this.failWith;
    return copy(this.trainDefinitions);
  }

  async getTrainPlan(systemRef: string, phaseId: string): Promise<TrainPlan> {
    this.record('getTrainPlan', systemRef, phaseId);
    if (this.failWith) throw this.failWith;
    const plan = this.trainPlans[phaseId];
    if (!plan) {
      throw await responseError(404, 'NotFoundError', `No phase ${phaseId}`);
    }
    return copy(plan);
  }

  async createTrain(
    request: CreateTrainRequest,
    options?: IdempotencyOptions,
  ): Promise<Train> {
    this.record('createTrain', request, options);
    if (this.actionFailure) throw this.actionFailure;
    const plan = await this.getTrainPlan(request.system, request.phase);
    const id = `t-new-${this.trains.length + 1}`;
    const created = train({
      id,
      system: request.system,
      phase: plan.phase,
      phaseTitle: plan.phaseTitle,
      requestedBy: this.user,
      requestedAt: this.now(),
      comment: request.comment,
      canDecide: false,
      cannotDecideReason: 'You requested this train',
      members: plan.members.map(m => ({
        entityRef: m.entityRef,
        order: m.order,
        version:
          request.members?.find(x => x.entityRef === m.entityRef)?.version ??
          m.version ??
          '',
        fromVersion: m.fromVersion,
        promotionId: `${id}-${m.order}`,
        status: 'pending_approval',
        dependsOn: m.dependsOn,
      })),
    });
    this.trains = [created, ...this.trains];
    return copy(created);
  }

  async listTrains(options: ListTrainsOptions = {}): Promise<Page<Train>> {
    this.record('listTrains', options);
    if (this.failWith) throw this.failWith;
    const open = (t: Train) =>
      ['pending_approval', 'approved', 'deploying'].includes(t.status);
    const all = this.trains.filter(
      t =>
        (!options.system || t.system === options.system) &&
        (!options.entity ||
          t.system === options.entity ||
          t.members.some(m => m.entityRef === options.entity)) &&
        (options.status === 'all' || open(t)),
    );
    const start = options.cursor ? Number(options.cursor) : 0;
    const end = start + (options.limit ?? this.pageSize);
    return {
      items: copy(all.slice(start, end)),
      nextCursor: end < all.length ? String(end) : undefined,
    };
  }

  async listEntityTrains(
    entityRef: string,
    options: Omit<ListTrainsOptions, 'system' | 'entity'> = {},
  ): Promise<Page<Train>> {
    this.record('listEntityTrains', entityRef, options);
    return this.listTrains({ ...options, entity: entityRef });
  }

  async getTrain(id: string): Promise<Train> {
    this.record('getTrain', id);
    if (this.failWith) throw this.failWith;
    return copy(this.trainById(id));
  }

  private trainById(id: string): Train {
    const found = this.trains.find(t => t.id === id);
    if (!found) throw new Error(`Train ${id} not found`);
    return found;
  }

  /** The change set of a train member's promotion, as the fake has it. */
  private memberChangeSet(found: Train, m: TrainMember): ChangeSet {
    const changes = this.changeSetOf(
      found.phase,
      this.releases.some(r => r.version === m.version)
        ? m.version
        : this.releases[0].version,
    );
    return {
      ...changes,
      entityRef: m.entityRef,
      summary: {
        ...changes.summary,
        text: `Deploy ${m.version} of ${m.entityRef} to ${found.phaseTitle}`,
      },
    };
  }

  private async trainMemberChanges(
    promotionId: string,
  ): Promise<ChangeSet | undefined> {
    for (const t of this.trains) {
      const m = t.members.find(x => x.promotionId === promotionId);
      if (m) return this.memberChangeSet(t, m);
    }
    return undefined;
  }

  async getTrainChanges(id: string): Promise<TrainChanges> {
    this.record('getTrainChanges', id);
    if (this.failWith) throw this.failWith;
    const found = this.trainById(id);
    return {
      members: found.members.map(m => ({
        entityRef: m.entityRef,
        changes: this.memberChangeSet(found, m),
      })),
    };
  }

  async approveTrain(
    id: string,
    request: { comment?: string } = {},
  ): Promise<Train> {
    this.record('approveTrain', id, request);
    if (this.actionFailure) throw this.actionFailure;
    const found = this.trainById(id);
    found.approvals.given.push({
      by: this.user,
      at: this.now(),
      comment: request.comment,
    });
    if (found.approvals.given.length >= found.approvals.required) {
      found.status = 'approved';
      found.members = found.members.map((m, i) => ({
        ...m,
        status: i === 0 ? 'queued' : 'approved',
      }));
    }
    found.canDecide = false;
    found.cannotDecideReason = 'You have already approved this train';
    return copy(found);
  }

  async rejectTrain(id: string, request: { comment: string }): Promise<Train> {
    this.record('rejectTrain', id, request);
    if (this.actionFailure) throw this.actionFailure;
    const found = this.trainById(id);
    found.status = 'rejected';
    found.canDecide = false;
    found.canCancel = false;
    found.members = found.members.map(m => ({ ...m, status: 'rejected' }));
    return copy(found);
  }

  async cancelTrain(
    id: string,
    request: { comment?: string } = {},
  ): Promise<Train> {
    this.record('cancelTrain', id, request);
    if (this.actionFailure) throw this.actionFailure;
    const found = this.trainById(id);
    found.status = 'cancelled';
    found.canDecide = false;
    found.canCancel = false;
    found.members = found.members.map(m => ({ ...m, status: 'cancelled' }));
    return copy(found);
  }

  async rollbackTrain(
    id: string,
    request: { comment?: string } = {},
  ): Promise<Train> {
    this.record('rollbackTrain', id, request);
    if (this.actionFailure) throw this.actionFailure;
    const found = this.trainById(id);
    found.status = 'rolled_back';
    found.rollbackAvailable = false;
    return copy(found);
  }

  async getPhaseDiff(
    entityRef: string,
    from: string,
    to: string,
  ): Promise<PhaseDiff> {
    this.record('getPhaseDiff', entityRef, from, to);
    if (this.failWith) throw this.failWith;
    return copy({
      ...this.diff,
      from: { ...this.diff.from, phase: from },
      to: { ...this.diff.to, phase: to },
    });
  }
}

function emptyConfig(): PhaseConfigView {
  return {
    version: 0,
    hash: '',
    createdBy: 'app-config',
    createdAt: new Date(0).toISOString(),
    variables: {},
    secrets: [],
  };
}

function comparable(c: {
  variables: Record<string, string>;
  database?: PhaseConfigView['database'];
  sizing?: PhaseConfigView['sizing'];
  secrets: Array<{ name: string; fingerprint: string }>;
}) {
  return {
    variables: c.variables,
    database: c.database,
    sizing: c.sizing,
    secrets: Object.fromEntries(c.secrets.map(x => [x.name, x.fingerprint])),
  };
}

function configVersionOf(
  c: PhaseConfigView,
  change = 'template default',
  comment?: string,
): ConfigVersionView {
  return {
    version: c.version,
    hash: c.hash,
    createdBy: c.createdBy,
    createdAt: c.createdAt,
    change,
    comment,
    variables: { ...c.variables },
    database: c.database,
    sizing: c.sizing,
    secrets: c.secrets.map(x => ({ name: x.name, fingerprint: x.fingerprint })),
  };
}

/** A {@link ResponseError} as the client throws it for a failed response. */
export async function responseError(
  statusCode: number,
  name: string,
  message: string,
): Promise<ResponseError> {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name, message },
        request: { method: 'POST', url: '/api/release' },
        response: { statusCode },
      }),
      { status: statusCode, headers: { 'Content-Type': 'application/json' } },
    ),
  );
}
