import {
  applySupersedeRule,
  compareSemver,
  CreateReleaseRequest,
  diffConfigurations,
  evaluateRequiresGate,
  semverProblem,
  OPEN_PROMOTION_STATUSES,
  Page,
  parseIsoDuration,
  PhaseDefinition,
  PhaseLock,
  PipelinePhaseView,
  PipelineView,
  Promotion,
  Release,
  ReleaseWithStatus,
  versionKey,
} from '@release-manager/backstage-plugin-release-common';
import {
  CreatePromotionRequest,
  DecisionRequest,
  EntityStatus,
  GetHistoryOptions,
  HistoryEntry,
  IdempotencyOptions,
  ListPromotionsOptions,
  ListReleasesOptions,
  PhaseConfigVersion,
  PhaseConfigView,
  PhaseDiff,
  PromotionDetail,
  PutPhaseConfigRequest,
  RollbackRequest,
} from '../src/api';
import { FakeReleaseApi, responseError } from '../src/__testUtils__/fixtures';
import { createDemoData, DEMO_USER } from './demoData';

/** Options of {@link DemoReleaseApi}. */
export interface DemoReleaseApiOptions {
  /** Milliseconds since the epoch; default `Date.now`. */
  clock?: () => number;
  /** How long a deployment runs; default 90 seconds. */
  deploymentMs?: number;
  /** How long a promotion waits in the queue before it deploys; default 3 seconds. */
  queueMs?: number;
}

/** The phase of a pipeline view as the pure gate rules of release-common take it. */
function toPhaseDefinition(view: PipelinePhaseView): PhaseDefinition {
  return {
    id: view.id,
    title: view.title,
    order: view.order,
    provider: { type: view.providerType },
    autoPromote: view.gates.autoPromote,
    requires: view.gates.requires,
    approvals: {
      required: view.gates.approvalsRequired,
      allowSelfApproval: view.gates.allowSelfApproval,
    },
    freezeWindows: [],
    soakTime: view.gates.soakTime,
    access: {},
    config: { variables: {} },
  };
}

/** A short, stable, one-way fingerprint (FNV-1a), so a demo secret is never shown. */
function fingerprint(value: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/**
 * The `ReleaseApi` of the dev app: the typed in-memory fake of the tests,
 * seeded with the demo data of `demoData.ts`, that also behaves like the
 * backend over time. Promotions pass through the gates of release-common
 * (requires and soak time, supersede rule), approved promotions queue and
 * deploy with the progress a deployment provider would report, and every
 * action lands in the history. Nothing leaves the browser; reloading the
 * page starts the demo again.
 */
export class DemoReleaseApi extends FakeReleaseApi {
  private readonly clock: () => number;
  private readonly deploymentMs: number;
  private readonly queueMs: number;
  /** When each queued promotion was queued (ms). */
  private readonly queuedAt = new Map<string, number>();
  private readonly idempotency = new Map<string, string>();
  private nextHistoryId: number;

  constructor(options: DemoReleaseApiOptions = {}) {
    const clock = options.clock ?? (() => Date.now());
    const data = createDemoData(clock());
    super({
      pipeline: data.pipeline,
      releases: data.releases,
      promotions: data.promotions,
      configs: data.configs,
      history: data.history,
      user: DEMO_USER,
    });
    this.clock = clock;
    this.deploymentMs = options.deploymentMs ?? 90_000;
    this.queueMs = options.queueMs ?? 3_000;
    this.nextHistoryId = data.history.length + 1;
  }

  protected now(): string {
    return new Date(this.clock()).toISOString();
  }

  /** Appends a ledger entry, newest first like the backend answers. */
  private log(entry: Omit<HistoryEntry, 'id' | 'entityRef' | 'createdAt'>) {
    this.history.unshift({
      id: String(this.nextHistoryId++),
      entityRef: this.pipeline.entityRef,
      createdAt: this.now(),
      ...entry,
    });
  }

  private logPromotion(
    promotion: Promotion,
    action: string,
    actor: string,
    reason?: string,
  ) {
    this.log({
      action,
      actor,
      reason,
      phase: promotion.phase,
      version: promotion.version,
      promotionId: promotion.id,
    });
  }

  private promotion(id: string): PromotionDetail {
    const found = this.promotions.find(p => p.id === id);
    if (!found) throw new Error(`Promotion ${id} not found`);
    return found;
  }

  /** Points a new promotion at the demo's release (the fake's helper makes up one). */
  private attachRelease(id: string): PromotionDetail {
    const stored = this.promotion(id);
    const found = this.releases.find(r => r.version === stored.version);
    if (found) {
      const { phases: _phases, ...release } = found;
      stored.release = release;
    }
    stored.approvalsRequired = this.phaseView(
      stored.phase,
    ).gates.approvalsRequired;
    return stored;
  }

  /** Keeps the release matrix in step with every change of a promotion. */
  protected mutate(id: string, change: Partial<PromotionDetail>) {
    const promotion = super.mutate(id, change);
    const release = this.releases.find(r => r.version === promotion.version);
    if (release) {
      const current = promotion.status === 'succeeded';
      if (current) {
        for (const other of this.releases) {
          const cell = other.phases[promotion.phase];
          if (cell) cell.current = false;
        }
      }
      const previous = release.phases[promotion.phase];
      release.phases[promotion.phase] = {
        status: promotion.status,
        promotionId: promotion.id,
        updatedAt: promotion.updatedAt,
        current: current || Boolean(previous?.current),
      };
    }
    return promotion;
  }

  /** True when another promotion holds the phase (queued or deploying). */
  private busy(phase: string, except: string) {
    return this.promotions.some(
      p =>
        p.phase === phase &&
        p.id !== except &&
        (p.status === 'queued' || p.status === 'deploying'),
    );
  }

  /** What the simulated provider reports, in order, with when (ms after start). */
  private steps(promotion: PromotionDetail) {
    const replicas = this.configs[promotion.phase]?.sizing?.replicas ?? 1;
    const messages = [
      `Pulling ${promotion.release.artifact}`,
      `Applying configuration v${promotion.configVersion ?? 1}`,
      'Running database migrations',
      ...Array.from(
        { length: replicas },
        (_, i) => `Rolling out ${i + 1}/${replicas} pods`,
      ),
      'Running smoke tests',
    ];
    return messages.map((message, i) => ({
      message,
      offset: Math.round((i * this.deploymentMs) / messages.length),
      percent: Math.round((i * 100) / messages.length),
    }));
  }

  /**
   * Moves time on: approved promotions queue when their phase is free and
   * unlocked, queued ones start deploying, running ones report progress and
   * finish. Called before every read, so polling shows a deployment advance.
   */
  advance() {
    const now = this.clock();
    for (const promotion of [...this.promotions]) {
      const view = this.phaseView(promotion.phase);
      if (
        promotion.status === 'approved' &&
        !view.lock &&
        !this.busy(promotion.phase, promotion.id)
      ) {
        this.queuedAt.set(promotion.id, now);
        this.mutate(promotion.id, { status: 'queued' });
        this.logPromotion(promotion, 'promotion.queued', 'system:dispatcher');
      }
      if (promotion.status === 'queued') {
        const since = this.queuedAt.get(promotion.id) ?? now;
        this.queuedAt.set(promotion.id, since);
        if (now - since >= this.queueMs && !view.lock) {
          this.mutate(promotion.id, {
            status: 'deploying',
            startedAt: new Date(since + this.queueMs).toISOString(),
            externalUrl: `https://deploy.example.com/payments-api/runs/${
              5000 + this.promotions.indexOf(promotion)
            }`,
          });
          this.logPromotion(
            promotion,
            'promotion.deploying',
            'system:dispatcher',
          );
        }
      }
      if (promotion.status === 'deploying') {
        this.progress(promotion, now);
      }
    }
  }

  private progress(promotion: PromotionDetail, now: number) {
    const startedAt = Date.parse(promotion.startedAt ?? this.now());
    const elapsed = now - startedAt;
    const reached = this.steps(promotion).filter(s => s.offset <= elapsed);
    const progress = reached.map(s => ({
      at: new Date(startedAt + s.offset).toISOString(),
      message: s.message,
      percent: s.percent,
    }));
    if (elapsed < this.deploymentMs) {
      if (progress.length !== (promotion.progress?.length ?? 0)) {
        this.mutate(promotion.id, {
          progress,
          progressMessage: progress[progress.length - 1]?.message,
        });
      }
      return;
    }
    const finishedAt = new Date(startedAt + this.deploymentMs).toISOString();
    const message = 'Deployed; all pods healthy';
    this.mutate(promotion.id, {
      status: 'succeeded',
      finishedAt,
      progress: [...progress, { at: finishedAt, message, percent: 100 }],
      progressMessage: message,
    });
    const view = this.phaseView(promotion.phase);
    const { summary } = this.views(promotion.id);
    view.current = {
      version: promotion.version,
      promotionId: promotion.id,
      deployedAt: finishedAt,
      deployedBy: promotion.requestedBy,
    };
    view.lastOutcome = summary;
    this.logPromotion(promotion, 'promotion.succeeded', 'system:dispatcher');
  }

  /** The promotion as the pipeline view lists it. */
  private views(id: string): { summary: Promotion } {
    const {
      kind: _k,
      approvals: _a,
      approvalsRequired: _r,
      configVersion: _cv,
      configHash: _ch,
      skippedRequires: _s,
      release: _rel,
      providerType: _pt,
      deadlineAt: _d,
      overrideReason: _o,
      progress: _p,
      ...summary
    } = this.promotion(id);
    return { summary };
  }

  // Reads: move time on first.

  async getPipeline(entityRef: string): Promise<PipelineView> {
    this.advance();
    return super.getPipeline(entityRef);
  }

  async listReleases(
    entityRef: string,
    options?: ListReleasesOptions,
  ): Promise<Page<ReleaseWithStatus>> {
    this.advance();
    return super.listReleases(entityRef, options);
  }

  async getRelease(
    entityRef: string,
    version: string,
  ): Promise<ReleaseWithStatus> {
    this.advance();
    return super.getRelease(entityRef, version);
  }

  async getPromotion(id: string): Promise<PromotionDetail> {
    this.advance();
    return super.getPromotion(id);
  }

  async listPromotions(
    entityRef: string,
    options?: ListPromotionsOptions,
  ): Promise<PromotionDetail[]> {
    this.advance();
    return (await super.listPromotions(entityRef, options)).reverse();
  }

  async listApprovals(): Promise<PromotionDetail[]> {
    this.advance();
    return super.listApprovals();
  }

  async getStatus(entityRefs: string[]): Promise<EntityStatus[]> {
    this.advance();
    return super.getStatus(entityRefs);
  }

  async getHistory(
    _entityRef: string,
    options: GetHistoryOptions = {},
  ): Promise<Page<HistoryEntry>> {
    this.advance();
    const entries = this.history.filter(
      e => !options.phase || e.phase === options.phase,
    );
    const start = options.cursor ? Number(options.cursor) : 0;
    const end = start + (options.limit ?? 50);
    return {
      items: entries.slice(start, end),
      nextCursor: end < entries.length ? String(end) : undefined,
    };
  }

  // Changes: the gates of release-common, then the fake, then the ledger.

  async createRelease(
    entityRef: string,
    request: CreateReleaseRequest,
  ): Promise<Release> {
    const problem = semverProblem(request.version);
    if (problem) {
      throw await responseError(400, 'InputError', problem);
    }
    // Build metadata does not make another release (as in the backend).
    const existing = this.releases.find(
      r => versionKey(r.version) === versionKey(request.version),
    );
    if (existing) {
      throw await responseError(
        409,
        'ConflictError',
        existing.version === request.version
          ? `Release ${request.version} already exists`
          : `Release ${existing.version} already exists and ${request.version} differs from it only in build metadata, so it is the same release`,
      );
    }
    const created = await super.createRelease(entityRef, request);
    created.createdBy = this.user;
    this.releases[0].createdBy = this.user;
    this.releases.sort((a, b) => compareSemver(b.version, a.version));
    this.log({
      action: 'release.create',
      actor: this.user,
      version: created.version,
    });
    return created;
  }

  async createPromotion(
    entityRef: string,
    request: CreatePromotionRequest,
    options?: IdempotencyOptions,
  ): Promise<PromotionDetail> {
    const key = options?.idempotencyKey;
    const earlier = key ? this.idempotency.get(key) : undefined;
    if (earlier) return this.getPromotion(earlier);
    this.advance();
    const view = this.phaseView(request.phase);
    const release = this.releases.find(r => r.version === request.version);
    if (!release) {
      throw await responseError(
        404,
        'NotFoundError',
        `Release ${request.version} not found`,
      );
    }
    const required = view.gates.requires;
    const succeeded = required ? release.phases[required] : undefined;
    const violations = request.skipRequires
      ? []
      : evaluateRequiresGate({
          phase: toPhaseDefinition(view),
          evidence: {
            succeededAt:
              succeeded?.status === 'succeeded'
                ? new Date(succeeded.updatedAt)
                : undefined,
          },
          now: new Date(this.clock()),
          soakTimeMs: view.gates.soakTime
            ? parseIsoDuration(view.gates.soakTime)
            : undefined,
        });
    const open = this.promotions.filter(
      p =>
        p.phase === request.phase && OPEN_PROMOTION_STATUSES.includes(p.status),
    );
    const rule = applySupersedeRule({
      version: request.version,
      kind: 'promote',
      open,
    });
    if (rule.conflict) violations.push(rule.conflict);
    if (violations.length > 0) {
      throw await responseError(
        409,
        'ConflictError',
        violations.map(v => v.message).join('; '),
      );
    }
    const created = await super.createPromotion(entityRef, request, options);
    if (key) this.idempotency.set(key, created.id);
    const stored = this.attachRelease(created.id);
    stored.providerType = view.providerType;
    stored.configVersion = this.configs[request.phase]?.version;
    stored.configHash = this.configs[request.phase]?.hash;
    stored.skippedRequires = Boolean(request.skipRequires && required);
    this.logPromotion(stored, 'promotion.request', this.user, request.comment);
    for (const id of rule.supersede) {
      this.mutate(id, { status: 'superseded' });
      this.logPromotion(
        this.promotion(id),
        'promotion.superseded',
        'system:dispatcher',
        `Superseded by ${request.version}`,
      );
    }
    if (view.gates.approvalsRequired === 0) {
      this.mutate(created.id, { status: 'approved' });
    }
    return this.getPromotion(created.id);
  }

  async approvePromotion(
    id: string,
    request: DecisionRequest = {},
  ): Promise<PromotionDetail> {
    const promotion = this.promotion(id);
    const view = this.phaseView(promotion.phase);
    if (promotion.requestedBy === this.user && !view.gates.allowSelfApproval) {
      throw await responseError(
        409,
        'ConflictError',
        'You requested this promotion; someone else has to approve it',
      );
    }
    if (promotion.status !== 'pending_approval') {
      throw await responseError(
        409,
        'ConflictError',
        `The promotion is ${promotion.status}, not pending approval`,
      );
    }
    await super.approvePromotion(id, request);
    this.logPromotion(
      promotion,
      'approval.approve',
      this.user,
      request.comment,
    );
    if (this.promotion(id).status === 'queued') {
      // Enough approvals: approved now, queued when the phase is free.
      this.mutate(id, { status: 'approved' });
      this.logPromotion(promotion, 'promotion.approved', this.user);
    }
    return this.getPromotion(id);
  }

  async rejectPromotion(
    id: string,
    request: DecisionRequest & { comment: string },
  ): Promise<PromotionDetail> {
    const result = await super.rejectPromotion(id, request);
    this.logPromotion(result, 'approval.reject', this.user, request.comment);
    this.logPromotion(result, 'promotion.rejected', this.user);
    return result;
  }

  async cancelPromotion(
    id: string,
    request: { comment?: string } = {},
  ): Promise<PromotionDetail> {
    const result = await super.cancelPromotion(id, request);
    this.logPromotion(
      result,
      'promotion.cancelled',
      this.user,
      request.comment,
    );
    return result;
  }

  async rollbackPhase(
    entityRef: string,
    phaseId: string,
    request: RollbackRequest = {},
    options?: IdempotencyOptions,
  ): Promise<PromotionDetail> {
    const view = this.phaseView(phaseId);
    const current = view.current?.version;
    const previous = this.releases.find(
      r =>
        r.version !== current &&
        r.phases[phaseId]?.status === 'succeeded' &&
        (!current || compareSemver(r.version, current) < 0),
    );
    const version = request.version ?? previous?.version;
    if (!version) {
      throw await responseError(
        409,
        'ConflictError',
        `No earlier good release of ${view.title} to roll back to`,
      );
    }
    const created = await super.rollbackPhase(
      entityRef,
      phaseId,
      { ...request, version },
      options,
    );
    this.attachRelease(created.id);
    this.logPromotion(created, 'rollback.request', this.user, request.comment);
    if (view.gates.approvalsRequired === 0) {
      this.mutate(created.id, { status: 'approved' });
    }
    return this.getPromotion(created.id);
  }

  async lockPhase(
    entityRef: string,
    phaseId: string,
    reason: string,
  ): Promise<PhaseLock> {
    const lock = await super.lockPhase(entityRef, phaseId, reason);
    this.log({
      action: 'phase.lock',
      actor: this.user,
      phase: phaseId,
      reason,
    });
    return lock;
  }

  async unlockPhase(entityRef: string, phaseId: string): Promise<void> {
    await super.unlockPhase(entityRef, phaseId);
    this.log({ action: 'phase.unlock', actor: this.user, phase: phaseId });
  }

  async putPhaseConfig(
    entityRef: string,
    phaseId: string,
    request: PutPhaseConfigRequest,
  ): Promise<PhaseConfigVersion> {
    const result = await super.putPhaseConfig(entityRef, phaseId, request);
    const config = this.configs[phaseId];
    config.hash = `sha256:${fingerprint(JSON.stringify(request))}`;
    this.log({
      action: 'config.change',
      actor: this.user,
      phase: phaseId,
      reason: `Configuration version ${result.version}`,
    });
    return { ...result, hash: config.hash };
  }

  async setPhaseSecret(
    entityRef: string,
    phaseId: string,
    name: string,
    value: string,
  ): Promise<void> {
    await super.setPhaseSecret(entityRef, phaseId, name, value);
    const secret = this.configs[phaseId].secrets.find(s => s.name === name);
    if (secret) secret.fingerprint = `hmac:${fingerprint(value).slice(0, 6)}`;
    this.log({
      action: 'config.change',
      actor: this.user,
      phase: phaseId,
      reason: `Secret ${name} set`,
    });
  }

  async deletePhaseSecret(
    entityRef: string,
    phaseId: string,
    name: string,
  ): Promise<void> {
    await super.deletePhaseSecret(entityRef, phaseId, name);
    this.log({
      action: 'config.change',
      actor: this.user,
      phase: phaseId,
      reason: `Secret ${name} removed`,
    });
  }

  /** What changes in `to` if it gets what runs in `from`, from the demo's own state. */
  async getPhaseDiff(
    _entityRef: string,
    from: string,
    to: string,
  ): Promise<PhaseDiff> {
    this.advance();
    const config = (phase: string): PhaseConfigView =>
      this.configs[phase] ?? {
        version: 0,
        hash: '',
        createdBy: '',
        createdAt: '',
        variables: {},
        secrets: [],
      };
    const comparable = (c: PhaseConfigView) => ({
      variables: c.variables,
      database: c.database,
      sizing: c.sizing,
      secrets: Object.fromEntries(c.secrets.map(s => [s.name, s.fingerprint])),
    });
    const fromVersion = this.phaseView(from).current?.version ?? null;
    const toVersion = this.phaseView(to).current?.version ?? null;
    const releases = this.releases
      .map(r => r.version)
      .filter(
        v =>
          fromVersion !== null &&
          compareSemver(v, fromVersion) <= 0 &&
          (toVersion === null || compareSemver(v, toVersion) > 0),
      )
      .sort(compareSemver);
    return {
      from: {
        phase: from,
        version: fromVersion,
        configVersion: config(from).version,
      },
      to: { phase: to, version: toVersion, configVersion: config(to).version },
      releases,
      ...diffConfigurations(comparable(config(from)), comparable(config(to))),
    };
  }
}
