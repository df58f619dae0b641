import { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import {
  CreateReleaseRequest,
  Page,
  PipelinePhaseView,
  PipelineView,
  Promotion,
  Release,
  RELEASE_PIPELINE_ANNOTATION,
  ReleaseWithStatus,
} from '@release-manager/backstage-plugin-release-common';
import { ListReleasesOptions, ReleaseApi } from '../api';

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
        promotion({ id: 'p-6', phase: 'stage', status: 'pending_approval' }),
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

/**
 * A typed in-memory {@link ReleaseApi}. Releases are served in pages of
 * `pageSize`; the cursor is the index of the next item.
 */
export class FakeReleaseApi implements ReleaseApi {
  readonly created: CreateReleaseRequest[] = [];
  pipeline: PipelineView;
  releases: ReleaseWithStatus[];
  pageSize: number;
  failWith?: Error;
  createFailure?: Error;

  constructor(
    options: {
      pipeline?: PipelineView;
      releases?: ReleaseWithStatus[];
      pageSize?: number;
      failWith?: Error;
      createFailure?: Error;
    } = {},
  ) {
    this.pipeline = options.pipeline ?? pipeline;
    this.releases = options.releases ?? releases;
    this.pageSize = options.pageSize ?? 20;
    this.failWith = options.failWith;
    this.createFailure = options.createFailure;
  }

  async getPipeline(_entityRef: string): Promise<PipelineView> {
    if (this.failWith) throw this.failWith;
    return this.pipeline;
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
      },
    );
    this.releases = [created, ...this.releases];
    const { phases: _phases, ...plain } = created;
    return plain;
  }
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
