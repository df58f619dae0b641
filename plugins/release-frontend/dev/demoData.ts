/*
 * Demo data of the dev app: one service, payments-api, in the default
 * pipeline Dev → QA/Demo → Stage → Live, as the backend would answer for it
 * a moment after 1.4.0 was built. Times are relative to `now`, so the pages
 * read "5 minutes ago" rather than a fixed date.
 */
import { Entity } from '@backstage/catalog-model';
import {
  GateSummary,
  PipelinePhaseView,
  PipelineView,
  Promotion,
  PromotionStatus,
  RELEASE_PIPELINE_ANNOTATION,
  ReleasePhaseStatus,
  ReleaseWithStatus,
} from '@release-manager/backstage-plugin-release-common';
import {
  HistoryEntry,
  PhaseConfigView,
  PromotionDetail,
  PromotionKind,
} from '../src/api';

/** The demo service; the dev app opens on its Releases tab. */
export const DEMO_ENTITY_REF = 'component:default/payments-api';

/** Who the dev app's guest is (no sign-in: the app's built-in guest). */
export const DEMO_USER = 'user:default/guest';

const ALICE = 'user:default/alice';
const CAROL = 'user:default/carol';
/** CI creates releases with a static service token. */
const CI = 'service:external:github-actions';
const DISPATCHER = 'system:dispatcher';

/** The relations the catalog backend would add (the in-memory catalog does not). */
const OWNED_BY_PAYMENTS_IN_SHOP = [
  { type: 'ownedBy', targetRef: 'group:default/team-payments' },
  { type: 'partOf', targetRef: 'system:default/shop' },
];

/** Catalog entities of the dev app: the service, its owners and one service without a pipeline. */
export const demoEntities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'payments-api',
      namespace: 'default',
      description: 'Takes payments for orders',
      annotations: { [RELEASE_PIPELINE_ANNOTATION]: 'default' },
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/team-payments',
      system: 'system:default/shop',
    },
    relations: OWNED_BY_PAYMENTS_IN_SHOP,
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'legacy-reports',
      namespace: 'default',
      description: 'Nightly reports; not released through the pipeline yet',
    },
    spec: {
      type: 'service',
      lifecycle: 'deprecated',
      owner: 'group:default/team-payments',
      system: 'system:default/shop',
    },
    relations: OWNED_BY_PAYMENTS_IN_SHOP,
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: {
      name: 'shop',
      namespace: 'default',
      description: 'The online shop',
    },
    spec: { owner: 'group:default/team-payments' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'team-payments', namespace: 'default' },
    spec: {
      type: 'team',
      profile: { displayName: 'Payments team' },
      children: [],
      members: ['guest', 'alice', 'carol'],
    },
  },
  ...[
    ['guest', 'Guest'],
    ['alice', 'Alice Adams'],
    ['carol', 'Carol Chen'],
  ].map(
    ([name, displayName]): Entity => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: { name, namespace: 'default' },
      spec: {
        profile: { displayName },
        memberOf: ['group:default/team-payments'],
      },
    }),
  ),
];

/** Everything the demo API starts with. */
export interface DemoData {
  pipeline: PipelineView;
  releases: ReleaseWithStatus[];
  promotions: PromotionDetail[];
  configs: Record<string, PhaseConfigView>;
  history: HistoryEntry[];
  /** The deployment running when the app starts, and when it started. */
  running: { promotionId: string; startedAt: string };
}

/** Phase ids and titles, in order. */
const PHASES = [
  ['dev', 'Dev'],
  ['qa', 'QA/Demo'],
  ['stage', 'Stage'],
  ['live', 'Live'],
] as const;

type PhaseId = (typeof PHASES)[number][0];

const GATES: Record<PhaseId, GateSummary> = {
  dev: {
    requires: null,
    approvalsRequired: 0,
    allowSelfApproval: false,
    freezeWindows: 0,
    autoPromote: false,
  },
  qa: {
    requires: 'dev',
    approvalsRequired: 0,
    allowSelfApproval: false,
    freezeWindows: 0,
    autoPromote: false,
  },
  stage: {
    requires: 'qa',
    approvalsRequired: 1,
    allowSelfApproval: false,
    freezeWindows: 0,
    soakTime: 'PT30M',
    autoPromote: false,
  },
  live: {
    requires: 'stage',
    approvalsRequired: 2,
    allowSelfApproval: false,
    freezeWindows: 1,
    soakTime: 'PT2H',
    autoPromote: false,
  },
};

/** One promotion of the story below. */
interface Step {
  version: string;
  phase: PhaseId;
  status: PromotionStatus;
  by: string;
  /** Minutes before `now` the promotion was requested. */
  at: number;
  kind?: PromotionKind;
  comment?: string;
  approvals?: Array<{ by: string; comment?: string }>;
  message?: string;
}

const RELEASES: Array<{
  version: string;
  at: number;
  commit: string;
  notes: string;
}> = [
  {
    version: '1.4.0',
    at: 45,
    commit: '9f2c1e7',
    notes:
      'Apple Pay for the checkout.\nRetries card authorisations once on a gateway timeout.',
  },
  {
    version: '1.3.0',
    at: 2 * 24 * 60,
    commit: '51ab0d3',
    notes: 'Partial refunds.\nRefund webhooks are signed.',
  },
  {
    version: '1.2.2',
    at: 4 * 24 * 60,
    commit: 'c7e8841',
    notes: 'Fixes the currency rounding that failed 1.2.1 in Live.',
  },
  {
    version: '1.2.1',
    at: 5 * 24 * 60,
    commit: 'a11f9b2',
    notes: 'Rounds amounts per currency.',
  },
  {
    version: '1.2.0',
    at: 9 * 24 * 60,
    commit: '3d0e6c5',
    notes: 'SEPA direct debit.',
  },
  {
    version: '1.1.0',
    at: 16 * 24 * 60,
    commit: '8b77a40',
    notes: 'Idempotency keys on every payment request.',
  },
];

const DAY = 24 * 60;

/**
 * What happened to each release, oldest first. The last promotion of a
 * release in a phase decides its cell in the release matrix.
 */
const STORY: Step[] = [
  ...(['dev', 'qa', 'stage', 'live'] as const).map(
    (phase, i): Step => ({
      version: '1.1.0',
      phase,
      status: 'succeeded',
      by: i === 0 ? CI : ALICE,
      at: 16 * DAY - 60 * i,
      approvals:
        i >= 2 ? [{ by: CAROL }, { by: DEMO_USER }].slice(0, i - 1) : [],
    }),
  ),
  ...(['dev', 'qa', 'stage', 'live'] as const).map(
    (phase, i): Step => ({
      version: '1.2.0',
      phase,
      status: 'succeeded',
      by: i === 0 ? CI : ALICE,
      at: 9 * DAY - 120 * i,
      approvals:
        i >= 2 ? [{ by: CAROL }, { by: DEMO_USER }].slice(0, i - 1) : [],
    }),
  ),
  ...(['dev', 'qa', 'stage'] as const).map(
    (phase, i): Step => ({
      version: '1.2.1',
      phase,
      status: 'succeeded',
      by: i === 0 ? CI : ALICE,
      at: 5 * DAY - 90 * i,
      approvals: i === 2 ? [{ by: CAROL }] : [],
    }),
  ),
  {
    version: '1.2.1',
    phase: 'live',
    status: 'failed',
    by: ALICE,
    at: 5 * DAY - 400,
    comment: 'Rounding per currency for the JPY launch',
    approvals: [{ by: CAROL }, { by: DEMO_USER }],
    message: 'Health check failed: 14% of payment requests answered 500',
  },
  ...(['dev', 'qa', 'stage'] as const).map(
    (phase, i): Step => ({
      version: '1.2.2',
      phase,
      status: 'succeeded',
      by: i === 0 ? CI : ALICE,
      at: 4 * DAY - 60 * i,
      approvals: i === 2 ? [{ by: CAROL, comment: 'Hotfix checked' }] : [],
    }),
  ),
  {
    version: '1.2.2',
    phase: 'live',
    status: 'pending_approval',
    by: DEMO_USER,
    at: 3 * 60,
    comment: 'Hotfix for the currency rounding',
    approvals: [{ by: CAROL, comment: 'Rounding verified on Stage' }],
  },
  ...(['dev', 'qa'] as const).map(
    (phase, i): Step => ({
      version: '1.3.0',
      phase,
      status: 'succeeded',
      by: i === 0 ? CI : ALICE,
      at: 2 * DAY - 45 * i,
    }),
  ),
  {
    version: '1.3.0',
    phase: 'stage',
    status: 'pending_approval',
    by: ALICE,
    at: 40,
    comment: 'Partial refunds for the support team',
  },
  {
    version: '1.4.0',
    phase: 'dev',
    status: 'succeeded',
    by: CI,
    at: 44,
    comment: 'Requested by the build of 9f2c1e7',
  },
  {
    version: '1.4.0',
    phase: 'qa',
    status: 'deploying',
    by: ALICE,
    at: 1,
    comment: 'Apple Pay for the demo on Friday',
  },
];

const CONFIGS: Record<PhaseId, Omit<PhaseConfigView, 'createdAt'>> = {
  dev: {
    version: 4,
    hash: 'sha256:5c1d9e0a7b',
    createdBy: ALICE,
    variables: {
      LOG_LEVEL: 'debug',
      FEATURE_FLAGS: 'all',
      PAYMENT_GATEWAY: 'sandbox',
    },
    database: {
      engine: 'postgres',
      host: 'payments-dev.db.internal',
      port: 5432,
      name: 'payments',
      user: 'payments_app',
      passwordSecret: 'DB_PASSWORD',
    },
    sizing: { replicas: 1, cpu: '250m', memory: '256Mi' },
    secrets: [],
  },
  qa: {
    version: 3,
    hash: 'sha256:0be41f77c2',
    createdBy: ALICE,
    variables: {
      LOG_LEVEL: 'info',
      FEATURE_FLAGS: 'beta',
      PAYMENT_GATEWAY: 'sandbox',
    },
    database: {
      engine: 'postgres',
      host: 'payments-qa.db.internal',
      port: 5432,
      name: 'payments',
      user: 'payments_app',
      passwordSecret: 'DB_PASSWORD',
    },
    sizing: { replicas: 1, cpu: '500m', memory: '512Mi' },
    secrets: [],
  },
  stage: {
    version: 7,
    hash: 'sha256:9a4e2c6d18',
    createdBy: CAROL,
    variables: {
      LOG_LEVEL: 'info',
      PAYMENT_GATEWAY: 'https://gateway.stage.example.com',
    },
    database: {
      engine: 'postgres',
      host: 'payments-stage.db.internal',
      port: 5432,
      name: 'payments',
      user: 'payments_app',
      passwordSecret: 'DB_PASSWORD',
    },
    sizing: { replicas: 2, cpu: '500m', memory: '1Gi' },
    secrets: [],
  },
  live: {
    version: 12,
    hash: 'sha256:e37f0b9a52',
    createdBy: CAROL,
    variables: {
      LOG_LEVEL: 'warn',
      PAYMENT_GATEWAY: 'https://gateway.example.com',
    },
    database: {
      engine: 'postgres',
      host: 'payments-live.db.internal',
      port: 5432,
      name: 'payments',
      user: 'payments_app',
      passwordSecret: 'DB_PASSWORD',
    },
    sizing: { replicas: 4, cpu: '1', memory: '2Gi' },
    secrets: [],
  },
};

/** Secret names per phase with their fingerprints; never values. */
const SECRETS: Record<PhaseId, Array<[string, string]>> = {
  dev: [
    ['DB_PASSWORD', 'hmac:1f6b0c'],
    ['GATEWAY_API_KEY', 'hmac:7d21aa'],
  ],
  qa: [
    ['DB_PASSWORD', 'hmac:b93e54'],
    ['GATEWAY_API_KEY', 'hmac:7d21aa'],
  ],
  stage: [
    ['DB_PASSWORD', 'hmac:44c0d7'],
    ['GATEWAY_API_KEY', 'hmac:e5f813'],
    ['WEBHOOK_SIGNING_KEY', 'hmac:0a9c6e'],
  ],
  live: [
    ['DB_PASSWORD', 'hmac:c2817f'],
    ['GATEWAY_API_KEY', 'hmac:93bd02'],
    ['WEBHOOK_SIGNING_KEY', 'hmac:5e47b1'],
  ],
};

/** The demo data as of `now` (milliseconds since the epoch). */
export function createDemoData(now: number): DemoData {
  const ago = (minutes: number) =>
    new Date(now - minutes * 60_000).toISOString();
  const releaseOf = new Map(
    RELEASES.map(r => [
      r.version,
      {
        entityRef: DEMO_ENTITY_REF,
        version: r.version,
        artifact: `ghcr.io/example/payments-api:${r.version}`,
        commit: r.commit,
        notes: r.notes,
        createdBy: CI,
        createdAt: ago(r.at),
      },
    ]),
  );

  const promotions: PromotionDetail[] = STORY.map((step, i) => {
    const finished = ['succeeded', 'failed'].includes(step.status);
    const running = step.status === 'deploying';
    // Finished deployments started 2 minutes after the request and took 10;
    // the running one started 20 seconds ago.
    let startedAt: string | undefined;
    if (finished) startedAt = ago(step.at - 2);
    if (running) startedAt = new Date(now - 20_000).toISOString();
    return {
      id: `p-${101 + i}`,
      entityRef: DEMO_ENTITY_REF,
      phase: step.phase,
      version: step.version,
      status: step.status,
      kind: step.kind ?? 'promote',
      requestedBy: step.by,
      requestedAt: ago(step.at),
      updatedAt: finished ? ago(step.at - 12) : startedAt ?? ago(step.at),
      comment: step.comment,
      startedAt,
      finishedAt: finished ? ago(step.at - 12) : undefined,
      externalUrl:
        finished || running
          ? `https://deploy.example.com/payments-api/runs/${4100 + i}`
          : undefined,
      progressMessage: step.message,
      approvals: (step.approvals ?? []).map((a, j) => ({
        userRef: a.by,
        decision: 'approve' as const,
        comment: a.comment,
        decidedAt: ago(step.at - 1 - j),
        valid: true,
      })),
      approvalsRequired: GATES[step.phase].approvalsRequired,
      configVersion: CONFIGS[step.phase].version,
      configHash: CONFIGS[step.phase].hash,
      skippedRequires: false,
      providerType: 'simulated',
      release: releaseOf.get(step.version)!,
    };
  });

  const summary = (p: PromotionDetail): Promotion => {
    const {
      kind: _k,
      approvals: _a,
      approvalsRequired: _r,
      configVersion: _cv,
      configHash: _ch,
      skippedRequires: _s,
      release: _rel,
      providerType: _pt,
      ...plain
    } = p;
    return plain;
  };
  const last = <T>(items: T[]) => items[items.length - 1];

  const phases: PipelinePhaseView[] = PHASES.map(([id, title], order) => {
    const own = promotions.filter(p => p.phase === id);
    const done = own.filter(p => p.status === 'succeeded');
    const current = last(done);
    const outcome = last(
      own.filter(p => p.status === 'succeeded' || p.status === 'failed'),
    );
    const active = own.find(
      p => p.status === 'queued' || p.status === 'deploying',
    );
    return {
      id,
      title,
      order,
      providerType: 'simulated',
      current: current
        ? {
            version: current.version,
            promotionId: current.id,
            deployedAt: current.finishedAt!,
            deployedBy: current.requestedBy,
          }
        : null,
      active: active ? summary(active) : null,
      pending: own.filter(p => p.status === 'pending_approval').map(summary),
      lastOutcome: outcome ? summary(outcome) : null,
      lock: null,
      freeze: null,
      gates: GATES[id],
      // The demo user may do everything (the dev harness has no access rules).
      actions: {
        deploy: { allowed: true },
        approve: { allowed: true },
        editConfig: { allowed: true },
        lock: { allowed: true },
        skip:
          id === 'dev'
            ? { allowed: false, reason: 'Dev has no earlier phase to skip' }
            : { allowed: true },
        rollback: { allowed: true },
      },
    };
  });

  const releases: ReleaseWithStatus[] = RELEASES.map(r => {
    const cells: Record<string, ReleasePhaseStatus> = {};
    for (const p of promotions.filter(x => x.version === r.version)) {
      cells[p.phase] = {
        status: p.status,
        promotionId: p.id,
        updatedAt: p.updatedAt,
        current:
          phases.find(ph => ph.id === p.phase)?.current?.promotionId === p.id,
      };
    }
    return { ...releaseOf.get(r.version)!, phases: cells };
  });

  const configs = Object.fromEntries(
    PHASES.map(([id], i) => [
      id,
      {
        ...CONFIGS[id],
        createdAt: ago(6 * DAY + 90 * i),
        secrets: SECRETS[id].map(([name, fingerprint], j) => ({
          name,
          fingerprint,
          updatedBy: CAROL,
          updatedAt: ago(20 * DAY - 60 * j),
        })),
      },
    ]),
  );

  const history: HistoryEntry[] = [];
  const log = (entry: Omit<HistoryEntry, 'id' | 'entityRef'>) =>
    history.push({
      id: String(history.length + 1),
      entityRef: DEMO_ENTITY_REF,
      ...entry,
    });
  for (const r of [...RELEASES].reverse()) {
    log({
      action: 'release.create',
      actor: CI,
      version: r.version,
      createdAt: ago(r.at),
    });
  }
  for (const p of promotions) {
    const base = {
      phase: p.phase,
      version: p.version,
      promotionId: p.id,
    };
    log({
      ...base,
      action: 'promotion.request',
      actor: p.requestedBy,
      reason: p.comment,
      createdAt: p.requestedAt,
    });
    for (const a of p.approvals) {
      log({
        ...base,
        action: 'approval.approve',
        actor: a.userRef,
        reason: a.comment,
        createdAt: a.decidedAt,
      });
    }
    if (p.startedAt) {
      log({
        ...base,
        action: 'promotion.deploying',
        actor: DISPATCHER,
        createdAt: p.startedAt,
      });
    }
    if (p.finishedAt) {
      log({
        ...base,
        action: `promotion.${p.status}`,
        actor: DISPATCHER,
        reason: p.progressMessage,
        createdAt: p.finishedAt,
      });
    }
  }
  log({
    action: 'config.change',
    actor: CAROL,
    phase: 'live',
    reason: 'Four replicas for the sales week',
    createdAt: ago(6 * DAY + 270),
  });
  history.sort((a, b) => b.createdAt.localeCompare(a.createdAt));

  const running = promotions.find(p => p.status === 'deploying')!;
  return {
    pipeline: { entityRef: DEMO_ENTITY_REF, template: 'default', phases },
    releases,
    promotions,
    configs,
    history,
    running: { promotionId: running.id, startedAt: running.startedAt! },
  };
}
