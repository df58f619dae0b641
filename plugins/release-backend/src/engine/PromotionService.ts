import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  applySupersedeRule,
  autoPromotionTargets,
  canTransition,
  CheckOutcome,
  overridableGateOf,
  PipelineTemplate,
  compareSemver,
  evaluateApprover,
  evaluateGates,
  findActiveFreeze,
  nextDeploymentWindow,
  GateStage,
  OverridableGate,
  findPhase,
  GateViolation,
  hasEnoughApprovals,
  parseIsoDuration,
  PhaseDefinition,
  PhaseLock,
  releaseFreezeOverridePermission,
  releasePhaseLockPermission,
  releasePromotionApprovePermission,
  releasePromotionCancelPermission,
  releasePromotionCreatePermission,
  releasePromotionSkipPermission,
  toPhaseResourceRef,
  WAITING_PROMOTION_STATUSES,
} from '@release-manager/backstage-plugin-release-common';
import { hashConfig } from '../database/DatabaseConfigStore';
import {
  PhaseSnapshot,
  PromotionStore,
  StoredPromotion,
} from '../database/PromotionStore';
import { ReleaseStore, StoredRelease } from '../database/ReleaseStore';
import {
  AccessGuard,
  actorRef,
  CallerCredentials,
} from '../access/AccessGuard';
import { ReleaseEntity } from '../access/EntityResolver';
import {
  hasPhaseRole,
  phaseRoleMembers,
  requirePhaseRole,
} from '../access/phaseAccess';

/** How far ahead a promotion may be scheduled. */
const MAX_SCHEDULE_AHEAD_MS = 90 * 24 * 3600_000;

/** `component:default/cart-api` → `cart-api`. */
function shortRef(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1);
}

function gateError(violations: GateViolation[]): ConflictError {
  return new ConflictError(violations.map(v => v.message).join('; '));
}

/** A request to deploy through a freeze window or lock. */
export interface OverrideRequest {
  reason: string;
  /** The gates to lift; default: those blocking the phase right now. */
  gates?: OverridableGate[];
}

/** The configuration (and encrypted secret values) a promotion binds to. */
export interface BoundConfig {
  version: number;
  hash: string;
  config: PhaseDefinition['config'];
  secrets: Record<string, string>;
  secretCiphertexts?: Record<string, string>;
}

/**
 * Orchestrates promotions: resolves access, evaluates the gates with the
 * pure rules of release-common, and lets the store apply every change as a
 * compare-and-set with the decisive checks repeated inside its transaction.
 */
export class PromotionService {
  constructor(
    private readonly releases: ReleaseStore,
    private readonly promotions: PromotionStore,
    private readonly access: AccessGuard,
    private readonly clock: () => Date,
    private readonly hooks: {
      /** Called when a promotion was queued (wakes the dispatcher). */
      onQueued?: () => void;
      /** Evaluates the before-deploy checks of a phase for a release. */
      runChecks?: (options: {
        entityRef: string;
        phase: PhaseDefinition;
        release: StoredRelease;
        promotionId?: string;
      }) => Promise<CheckOutcome[]>;
      /** The phase configuration in force for an entity (default: the template's). */
      configOf?: (
        entityRef: string,
        phase: PhaseDefinition,
      ) => Promise<BoundConfig>;
      /**
       * The `train_order` gate: why a member promotion of a train may not be
       * queued or deployed yet (its predecessors have not all succeeded).
       */
      trainBlocker?: (
        promotion: StoredPromotion,
      ) => Promise<string | undefined>;
    } = {},
  ) {}

  /** The phase definition, or a 400 naming the phases that exist. */
  static phaseOf(target: ReleaseEntity, phaseId: string): PhaseDefinition {
    const phase = findPhase(target.template, phaseId);
    if (!phase) {
      throw new InputError(
        `Phase '${phaseId}' does not exist in the '${
          target.template.name
        }' pipeline of ${target.entityRef}; phases: ${target.template.phases
          .map(p => p.id)
          .join(', ')}`,
      );
    }
    return phase;
  }

  /**
   * The one gate evaluation (release-common's `evaluateGates`) with the
   * evidence it needs at each stage: every path that creates or advances a
   * promotion calls this.
   */
  async evaluate(options: {
    stage: GateStage;
    phase: PhaseDefinition;
    entityRef: string;
    kind: 'promote' | 'rollback';
    releaseId?: string;
    lock?: PhaseLock | null;
    overrides?: readonly OverridableGate[];
    skipRequires?: boolean;
    /** The release being approved or deployed: its before-deploy checks run. */
    version?: string;
    promotionId?: string;
    /** Check results evaluated by the caller (outside a transaction). */
    checks?: readonly CheckOutcome[];
  }): Promise<GateViolation[]> {
    const { stage, phase, kind } = options;
    const now = this.clock();
    if (stage === 'request') {
      const releaseId = options.releaseId!;
      return evaluateGates({
        stage,
        phase,
        kind,
        now,
        skipRequires: options.skipRequires,
        ranHereBefore:
          kind === 'rollback'
            ? Boolean(
                await this.promotions.lastSuccessInPhase(releaseId, phase.id),
              )
            : undefined,
        requires:
          kind === 'promote' && phase.requires
            ? {
                succeededAt: await this.promotions.lastSuccessInPhase(
                  releaseId,
                  phase.requires,
                ),
              }
            : {},
        soakTimeMs: phase.soakTime
          ? parseIsoDuration(phase.soakTime)
          : undefined,
      });
    }
    const lock =
      options.lock === undefined
        ? await this.promotions.getLock(options.entityRef, phase.id)
        : options.lock ?? undefined;
    return evaluateGates({
      stage,
      phase,
      kind,
      now,
      lock,
      freeze: findActiveFreeze(phase.freezeWindows, now),
      checks: options.checks ?? (await this.beforeDeployChecks(options)),
      overrides: options.overrides,
    });
  }

  /**
   * The results of the phase's before-deploy checks for a release, for the
   * gates of approving and deploying. Not evaluated when an override lifts
   * them, nor at the queue stage (it runs inside a write transaction; the
   * dispatcher evaluates them again right before deploying).
   */
  async beforeDeployChecks(options: {
    stage: GateStage;
    phase: PhaseDefinition;
    entityRef: string;
    version?: string;
    promotionId?: string;
    overrides?: readonly OverridableGate[];
  }): Promise<CheckOutcome[] | undefined> {
    const { phase } = options;
    if (
      options.stage === 'request' ||
      options.stage === 'queue' ||
      !options.version ||
      !this.hooks.runChecks ||
      options.overrides?.includes('checks') ||
      !phase.checks?.some(c => c.when === 'before-deploy')
    ) {
      return undefined;
    }
    const release = await this.releases.getRelease(
      options.entityRef,
      options.version,
    );
    if (!release) return undefined;
    return this.hooks.runChecks({
      entityRef: options.entityRef,
      phase,
      release,
      promotionId: options.promotionId,
    });
  }

  /** The gates an override lifts: those it names, else those blocking now. */
  /**
   * Who may override here, and with a reason: asked before anything about
   * the phase's state is looked at or told (the permission answer is cached
   * for the request, so asking again costs nothing).
   */
  private async requireOverrider(
    credentials: CallerCredentials,
    target: ReleaseEntity,
    phase: PhaseDefinition,
    override: OverrideRequest,
  ) {
    this.access.requireDirectUser(
      credentials,
      'override a freeze window, lock or check',
    );
    if (!override.reason.trim()) {
      throw new InputError('override.reason must not be blank');
    }
    await this.access.authorize(
      credentials,
      releaseFreezeOverridePermission,
      toPhaseResourceRef(target.entityRef, phase.id),
    );
  }

  /**
   * The gates an override lifts: those it names, else those blocking now.
   * Who may override is checked before ({@link requireOverrider}).
   */
  private async overrideGates(
    target: ReleaseEntity,
    phase: PhaseDefinition,
    override: OverrideRequest | undefined,
    version?: string,
  ): Promise<{ reason: string; gates: OverridableGate[] } | undefined> {
    if (!override) {
      return undefined;
    }
    let gates = override.gates ? [...new Set(override.gates)] : undefined;
    if (!gates) {
      const blocking = await this.evaluate({
        stage: 'queue',
        phase,
        entityRef: target.entityRef,
        kind: 'promote',
        version,
        // The checks are not evaluated at the queue stage; a failing one is
        // blocking this promotion all the same (when approving, deploying).
        checks: await this.beforeDeployChecks({
          stage: 'approve',
          phase,
          entityRef: target.entityRef,
          version,
        }),
      });
      gates = [
        ...new Set(
          blocking
            .map(overridableGateOf)
            .filter((g): g is OverridableGate => Boolean(g)),
        ),
      ];
      if (!gates.length) {
        throw new InputError(
          `Nothing to override: ${phase.title} is neither locked nor frozen now, nor outside a deployment window, and no check fails; name the gate to lift in override.gates (lock, freeze, window, checks)`,
        );
      }
    }
    return { reason: override.reason, gates };
  }

  /** Moves the phase's next approved promotion to queued if gates allow. */
  async advance(
    target: Pick<ReleaseEntity, 'entityRef'>,
    phase: PhaseDefinition,
    actor: string,
  ) {
    // The train_order gate, read before the write transaction (a member's
    // predecessors only move forward; a member held now is queued when the
    // predecessor's success advances the phase again).
    const held = new Set<string>();
    if (this.hooks.trainBlocker) {
      const waiting = await this.promotions.listPromotions({
        entityRef: target.entityRef,
        phase: phase.id,
        status: ['approved'],
        limit: 20,
      });
      for (const p of waiting) {
        if (p.trainId && (await this.hooks.trainBlocker(p))) held.add(p.id);
      }
    }
    const queued = await this.promotions.advancePhase({
      entityRef: target.entityRef,
      phase: phase.id,
      actor,
      mayQueue: async (candidate: StoredPromotion, snapshot: PhaseSnapshot) => {
        if (held.has(candidate.id)) {
          return false; // train_order: earlier members have not succeeded
        }
        if (
          candidate.scheduledAt &&
          Date.parse(candidate.scheduledAt) > this.clock().getTime()
        ) {
          return false; // scheduled for later: the reconciler queues it then
        }
        if (
          candidate.kind === 'promote' &&
          snapshot.currentVersion &&
          compareSemver(snapshot.currentVersion, candidate.version) > 0
        ) {
          return false;
        }
        const blocked = await this.evaluate({
          stage: 'queue',
          phase,
          entityRef: target.entityRef,
          kind: candidate.kind,
          lock: snapshot.lock ?? null,
          overrides: candidate.overrideGates,
        });
        return blocked.length === 0;
      },
    });
    if (queued) {
      this.hooks.onQueued?.();
    }
    return queued;
  }

  /**
   * Why a queued promotion may not deploy now (checked again at deploy
   * time: a lock or freeze may have started since it was queued).
   */
  async deployBlocker(
    promotion: StoredPromotion,
    phase: PhaseDefinition,
  ): Promise<string | undefined> {
    if (promotion.trainId && this.hooks.trainBlocker) {
      const held = await this.hooks.trainBlocker(promotion);
      if (held) return held;
    }
    const violations = await this.evaluate({
      stage: 'deploy',
      phase,
      entityRef: promotion.entityRef,
      kind: promotion.kind,
      overrides: promotion.overrideGates,
      version: promotion.version,
      promotionId: promotion.id,
    });
    return violations.length
      ? violations.map(v => v.message).join('; ')
      : undefined;
  }

  /**
   * After a deployment ends: queue the phase's next approved promotion, and
   * on success request promotions into the phases that promote
   * automatically — through the same gates as any request: a phase with a
   * soak time is promoted by the reconciler once the soak has passed.
   */
  async afterFinished(promotion: StoredPromotion, template: PipelineTemplate) {
    const phase = findPhase(template, promotion.phase);
    if (!phase) return;
    await this.advance(promotion, phase, 'system:dispatcher');
    if (promotion.status !== 'succeeded') return;
    for (const next of autoPromotionTargets(template.phases, phase.id)) {
      await this.autoPromote(
        { entityRef: promotion.entityRef, template },
        next,
        promotion.version,
      );
    }
  }

  /**
   * Requests the automatic promotion of `version` into `next` when the gates
   * allow it now; returns whether a promotion was requested. A conflict (the
   * same or a newer release already on its way) and unmet gates (soak time
   * not over) request nothing.
   */
  async autoPromote(
    target: Pick<ReleaseEntity, 'entityRef' | 'template'>,
    next: PhaseDefinition,
    version: string,
  ): Promise<boolean> {
    const release = await this.releases.getRelease(target.entityRef, version);
    if (!release) return false;
    const violations = await this.evaluate({
      stage: 'request',
      phase: next,
      entityRef: target.entityRef,
      kind: 'promote',
      releaseId: release.id,
    });
    if (violations.length) return false;
    try {
      await this.createRequest({
        target,
        phase: next,
        release,
        kind: 'promote',
        requestedBy: 'system:auto-promote',
        comment: `Automatic promotion after success in ${
          findPhase(target.template, next.requires ?? '')?.title ??
          'the previous phase'
        }`,
        skippedRequires: false,
      });
      return true;
    } catch (e) {
      // A newer or the same release is already on its way there.
      if (e instanceof ConflictError) return false;
      throw e;
    }
  }

  /** The one way a promotion is recorded: snapshot, supersede rule, insert, advance. */
  private async createRequest(options: {
    target: Pick<ReleaseEntity, 'entityRef' | 'template'>;
    phase: PhaseDefinition;
    release: StoredRelease;
    kind: 'promote' | 'rollback';
    requestedBy: string;
    comment?: string;
    idempotencyKey?: string;
    skippedRequires: boolean;
    override?: { reason: string; gates: OverridableGate[] };
    scheduledAt?: Date;
    /** The train the promotion is a member of. */
    trainId?: string;
  }) {
    const { target, phase, release, kind } = options;
    const decide = PromotionService.supersedeDecision(
      kind,
      phase,
      release,
      target.entityRef,
      options.trainId,
    );
    const result = await this.inPhaseQueue(
      target.entityRef,
      phase.id,
      async waited => {
        // Queued behind another request of this process for the phase: its
        // outcome is committed now, so a request the phase refuses is
        // answered from the committed state instead of in a transaction.
        if (waited && !options.idempotencyKey) {
          decide(
            await this.promotions.readPhaseSnapshot(target.entityRef, phase.id),
          );
        }
        return this.promotions.createPromotion(
          {
            entityRef: target.entityRef,
            phase: phase.id,
            release,
            kind,
            requestedBy: options.requestedBy,
            comment: options.comment,
            idempotencyKey: options.idempotencyKey,
            ...(await this.snapshotOf(
              target.entityRef,
              target.template.name,
              phase,
            )),
            overrideReason: options.override?.reason,
            overrideGates: options.override?.gates,
            scheduledAt: options.scheduledAt,
            skippedRequires: options.skippedRequires,
            trainId: options.trainId,
            status:
              phase.approvals.required > 0 ? 'pending_approval' : 'approved',
          },
          decide,
        );
      },
    );
    if (!result.replayed) {
      await this.advance(target, phase, options.requestedBy);
    }
    return result;
  }

  /** The tail of each phase's queue of requests in this process. */
  private readonly phaseQueues = new Map<string, Promise<void>>();

  /**
   * Runs the recording of a request after the other requests of this
   * process for the same phase, one at a time. They would be serialised by
   * the phase's lock in the database anyway (across replicas too); waiting
   * here instead holds no database connection, and a request queued behind
   * another learns its outcome before it starts (`waited`).
   */
  private async inPhaseQueue<T>(
    entityRef: string,
    phaseId: string,
    run: (waited: boolean) => Promise<T>,
  ): Promise<T> {
    const key = `${entityRef}#${phaseId}`;
    const ahead = this.phaseQueues.get(key);
    const result = ahead ? ahead.then(() => run(true)) : run(false);
    const tail = result.then(
      () => {},
      () => {},
    );
    this.phaseQueues.set(key, tail);
    tail.then(() => {
      if (this.phaseQueues.get(key) === tail) this.phaseQueues.delete(key);
    });
    return result;
  }

  /**
   * The phase's state against the request: a 409 when a newer release runs
   * there (for a promotion) or the supersede rule refuses it, else the ids
   * of the open promotions it supersedes.
   */
  private static supersedeDecision(
    kind: 'promote' | 'rollback',
    phase: PhaseDefinition,
    release: StoredRelease,
    entityRef: string,
    trainId?: string,
  ) {
    return (snapshot: PhaseSnapshot): string[] => {
      // A train member is neither superseded by another request nor
      // supersedes one: the phase belongs to the train until it ends.
      const inTrain = snapshot.open.find(o => o.trainId);
      if (inTrain) {
        throw new ConflictError(
          `${shortRef(entityRef)}: ${inTrain.version} is on its way to ${
            phase.title
          } in train ${inTrain.trainId}; cancel the train first`,
        );
      }
      if (trainId && snapshot.open.length) {
        throw new ConflictError(
          `${shortRef(entityRef)}: a promotion of ${
            snapshot.open[0].version
          } into ${phase.title} is already ${snapshot.open[0].status}`,
        );
      }
      if (
        kind === 'promote' &&
        snapshot.currentVersion &&
        compareSemver(snapshot.currentVersion, release.version) > 0
      ) {
        throw new ConflictError(
          `${snapshot.currentVersion} already runs in ${phase.title}, which is newer than ${release.version}; request a rollback to go back`,
        );
      }
      const rule = applySupersedeRule({
        version: release.version,
        kind,
        open: snapshot.open,
      });
      if (rule.conflict) {
        throw gateError([rule.conflict]);
      }
      return rule.supersede;
    };
  }

  /** Phase access (layer 1, pipeline config) and the permission (layer 2) to deploy. */
  private async requireDeployer(
    credentials: CallerCredentials,
    target: ReleaseEntity,
    phase: PhaseDefinition,
  ) {
    if (credentials.principal.type !== 'user') {
      throw new NotAllowedError('Only users may request promotions');
    }
    requirePhaseRole(
      await this.access.ownership(credentials),
      target,
      phase,
      'deployer',
    );
    await this.access.authorize(
      credentials,
      releasePromotionCreatePermission,
      toPhaseResourceRef(target.entityRef, phase.id),
    );
  }

  /**
   * What requesting `version` of a train member into a phase meets, written
   * nowhere: access first (403 for who may not deploy there), the release
   * (404), then, as messages, the gates of a request (requires, soak time),
   * the phase lock, and promotions or trains already open in the phase.
   */
  async trainMemberBlockers(options: {
    credentials: CallerCredentials;
    target: ReleaseEntity;
    phaseId: string;
    version: string;
  }): Promise<{
    phase: PhaseDefinition;
    release: StoredRelease;
    blockers: string[];
  }> {
    const { credentials, target } = options;
    const phase = PromotionService.phaseOf(target, options.phaseId);
    await this.requireDeployer(credentials, target, phase);
    const release = await this.releases.getRelease(
      target.entityRef,
      options.version,
    );
    if (!release) {
      throw new NotFoundError(
        `Release ${options.version} of ${target.entityRef} does not exist`,
      );
    }
    const blockers: string[] = (
      await this.evaluate({
        stage: 'request',
        phase,
        entityRef: target.entityRef,
        kind: 'promote',
        releaseId: release.id,
      })
    ).map(v => v.message);
    const lock = await this.promotions.getLock(target.entityRef, phase.id);
    if (lock) {
      blockers.push(
        `${phase.title} is locked by ${shortRef(lock.lockedBy)}${
          lock.reason ? ` (${lock.reason})` : ''
        }`,
      );
    }
    const open = await this.promotions.listPromotions({
      entityRef: target.entityRef,
      phase: phase.id,
      status: ['pending_approval', 'approved', 'queued', 'deploying'],
      limit: 5,
    });
    for (const o of open) {
      blockers.push(
        o.trainId
          ? `${o.version} is on its way to ${phase.title} in train ${o.trainId}`
          : `a promotion of ${o.version} into ${phase.title} is already ${o.status}`,
      );
    }
    return { phase, release, blockers };
  }

  /**
   * Records a member promotion of a train through the one request path
   * (`createRequest`: configuration snapshot, supersede rule, ledger row,
   * advance), after {@link trainMemberBlockers} found nothing in the way.
   */
  async requestTrainMember(options: {
    credentials: CallerCredentials;
    target: ReleaseEntity;
    phase: PhaseDefinition;
    release: StoredRelease;
    trainId: string;
    comment?: string;
  }): Promise<StoredPromotion> {
    const result = await this.createRequest({
      target: options.target,
      phase: options.phase,
      release: options.release,
      kind: 'promote',
      requestedBy: actorRef(options.credentials),
      comment: options.comment,
      skippedRequires: false,
      trainId: options.trainId,
    });
    return (await this.promotions.getPromotion(result.promotion.id))!;
  }

  /**
   * Why the caller may not approve or reject a promotion now, without
   * recording anything (the train's decision checks every member first):
   * a NotAllowedError for who may not decide, a ConflictError for a state
   * or gate that refuses.
   */
  async decisionRefusal(options: {
    credentials: CallerCredentials;
    target: ReleaseEntity;
    promotion: StoredPromotion;
    decision: 'approve' | 'reject';
  }): Promise<void> {
    const { credentials, target, promotion, decision } = options;
    this.access.requireDirectUser(credentials, `${decision} promotions`);
    const phase = PromotionService.phaseOf(target, promotion.phase);
    await this.access.authorize(
      credentials,
      releasePromotionApprovePermission,
      toPhaseResourceRef(target.entityRef, phase.id),
    );
    if (
      !canTransition(
        promotion.status,
        decision === 'approve' ? 'approved' : 'rejected',
      )
    ) {
      throw new ConflictError(
        `${shortRef(target.entityRef)}: promotion ${promotion.id} is ${
          promotion.status
        }`,
      );
    }
    const userRef = credentials.principal.userEntityRef;
    const decisions = (await this.promotions.listApprovals([promotion.id])).map(
      a => ({
        userRef: a.userRef,
        decision: a.decision,
        valid: !a.invalidated,
      }),
    );
    const violations = evaluateApprover({
      phase,
      approvers: phaseRoleMembers(phase, target.owners, 'approver'),
      requestedBy: promotion.requestedBy,
      userRef,
      ownershipEntityRefs: await this.access.ownership(credentials),
      decisions,
    });
    const refusal = violations.find(
      v => v.code === 'not_an_approver' || v.code === 'self_approval',
    );
    if (refusal) {
      throw new NotAllowedError(
        `${shortRef(target.entityRef)}: ${refusal.message}`,
      );
    }
    if (violations.length) {
      throw new ConflictError(
        `${shortRef(target.entityRef)}: ${violations
          .map(v => v.message)
          .join('; ')}`,
      );
    }
    if (decision === 'approve') {
      const blocked = await this.evaluate({
        stage: 'approve',
        phase,
        entityRef: promotion.entityRef,
        kind: promotion.kind,
        overrides: promotion.overrideGates,
        version: promotion.version,
        promotionId: promotion.id,
      });
      if (blocked.length) {
        throw new ConflictError(
          `${shortRef(target.entityRef)}: ${blocked
            .map(v => v.message)
            .join('; ')}`,
        );
      }
    }
  }

  async requestPromotion(options: {
    credentials: CallerCredentials;
    target: ReleaseEntity;
    version: string;
    phaseId: string;
    kind: 'promote' | 'rollback';
    comment?: string;
    idempotencyKey?: string;
    skipRequires?: boolean;
    override?: OverrideRequest;
    /** Deploy no earlier than this time (ISO 8601). */
    deployAt?: string;
    /** Deploy when the phase's next deployment window opens. */
    deployInNextWindow?: boolean;
  }): Promise<{ promotion: StoredPromotion; replayed: boolean }> {
    const { credentials, target, kind } = options;
    const phase = PromotionService.phaseOf(target, options.phaseId);
    const scheduledAt = this.scheduleOf(
      phase,
      options.deployAt,
      options.deployInNextWindow,
    );
    // Access first: who may not deploy (or override) here learns nothing
    // about its state.
    await this.requireDeployer(credentials, target, phase);
    if (options.override) {
      await this.requireOverrider(credentials, target, phase, options.override);
    }
    const requestedBy = actorRef(credentials);
    const release = await this.releases.getRelease(
      target.entityRef,
      options.version,
    );
    if (!release) {
      throw new NotFoundError(
        `Release ${options.version} of ${target.entityRef} does not exist`,
      );
    }
    // Fail fast: a request the phase's open promotions refuse (the same
    // release already open, a newer one open or running) is answered from
    // the committed state, before the gates and before it queues for the
    // phase's lock — under a burst of identical requests, all but one end
    // here. The decision is made again under the lock. With an idempotency
    // key the store first looks for the original request, so it goes there.
    if (!options.idempotencyKey) {
      PromotionService.supersedeDecision(
        kind,
        phase,
        release,
        target.entityRef,
      )(await this.promotions.readPhaseSnapshot(target.entityRef, phase.id));
    }

    let skippedRequires = false;
    const violations = await this.evaluate({
      stage: 'request',
      phase,
      entityRef: target.entityRef,
      kind,
      releaseId: release.id,
    });
    if (violations.length) {
      if (kind === 'rollback' || !options.skipRequires) {
        throw gateError(violations);
      }
      this.access.requireDirectUser(
        credentials,
        `skip the '${phase.requires}' phase`,
      );
      await this.access.authorize(
        credentials,
        releasePromotionSkipPermission,
        toPhaseResourceRef(target.entityRef, phase.id),
      );
      skippedRequires = true;
    }
    const override = await this.overrideGates(
      target,
      phase,
      options.override,
      release.version,
    );
    const result = await this.createRequest({
      target,
      phase,
      release,
      kind,
      requestedBy,
      comment: options.comment,
      idempotencyKey: options.idempotencyKey,
      skippedRequires,
      override,
      scheduledAt,
    });
    const promotion = (await this.promotions.getPromotion(
      result.promotion.id,
    ))!;
    return { promotion, replayed: result.replayed };
  }

  /**
   * A rollback of a phase to `version`, or to the last good release before
   * the current one: access is checked before anything about the phase's
   * state is looked at or told.
   */
  async requestRollback(options: {
    credentials: CallerCredentials;
    target: ReleaseEntity;
    phaseId: string;
    version?: string;
    comment?: string;
    idempotencyKey?: string;
  }) {
    const phase = PromotionService.phaseOf(options.target, options.phaseId);
    await this.requireDeployer(options.credentials, options.target, phase);
    return this.requestPromotion({
      credentials: options.credentials,
      target: options.target,
      phaseId: phase.id,
      version: await this.rollbackVersion(
        options.target,
        phase.id,
        options.version,
      ),
      kind: 'rollback',
      comment: options.comment,
      idempotencyKey: options.idempotencyKey,
    });
  }

  /**
   * The rollback a failed verification requests (`onFailure: rollback`):
   * back to the phase's last successful release other than the failed one,
   * through the same gates and `createRequest` as any rollback, requested by
   * `system:verification`. A failed rollback is never rolled back again.
   */
  async requestVerificationRollback(
    failed: StoredPromotion,
    template: PipelineTemplate,
    reason: string,
  ): Promise<StoredPromotion | undefined> {
    if (failed.kind === 'rollback') return undefined;
    const phase = findPhase(template, failed.phase);
    if (!phase) return undefined;
    const good = await this.promotions.successfulReleasesInPhase(
      failed.entityRef,
      phase.id,
      50,
    );
    const previous = good.find(g => g.version !== failed.version);
    if (!previous) return undefined;
    const release = await this.releases.getRelease(
      failed.entityRef,
      previous.version,
    );
    if (!release) return undefined;
    const violations = await this.evaluate({
      stage: 'request',
      phase,
      entityRef: failed.entityRef,
      kind: 'rollback',
      releaseId: release.id,
    });
    if (violations.length) throw gateError(violations);
    const result = await this.createRequest({
      target: { entityRef: failed.entityRef, template },
      phase,
      release,
      kind: 'rollback',
      requestedBy: 'system:verification',
      comment: `Automatic rollback: ${failed.version} failed verification: ${reason}`,
      idempotencyKey: `verification-rollback:${failed.id}`,
      skippedRequires: false,
    });
    return this.promotions.getPromotion(result.promotion.id);
  }

  /**
   * The time a promotion deploys at from the choices a request or a
   * re-schedule carries: a time, the phase's next deployment window, or
   * neither (as soon as approved, `undefined`); a 400 saying what is wrong.
   */
  private scheduleOf(
    phase: PhaseDefinition,
    deployAt: string | null | undefined,
    deployInNextWindow: boolean | undefined,
  ): Date | undefined {
    if (!deployInNextWindow) return this.scheduleTime(deployAt);
    if (deployAt) {
      throw new InputError('Give deployAt or deployInNextWindow, not both');
    }
    if (!phase.deploymentWindows?.length) {
      throw new InputError(
        `${phase.title} has no deployment windows; give deployAt instead`,
      );
    }
    const window = nextDeploymentWindow(phase, this.clock());
    return window.open || !window.next
      ? undefined
      : new Date(window.next.startedAt);
  }

  /** A `deployAt` as a time in the next 90 days, or a 400 saying what is wrong. */
  private scheduleTime(deployAt: string | null | undefined): Date | undefined {
    if (deployAt === undefined || deployAt === null) return undefined;
    const at = Date.parse(deployAt);
    if (Number.isNaN(at)) {
      throw new InputError(
        `deployAt '${deployAt}' is not a date-time (ISO 8601, e.g. 2026-12-01T09:00:00Z)`,
      );
    }
    const now = this.clock().getTime();
    if (at <= now) {
      throw new InputError(`deployAt ${deployAt} is not in the future`);
    }
    if (at > now + MAX_SCHEDULE_AHEAD_MS) {
      throw new InputError(
        `deployAt ${deployAt} is more than 90 days ahead; schedule it later`,
      );
    }
    return new Date(at);
  }

  /**
   * Sets or clears the time a waiting promotion deploys at: its requester or
   * a deployer of the phase, while it is not queued.
   */
  async reschedule(options: {
    credentials: CallerCredentials;
    target: ReleaseEntity;
    promotion: StoredPromotion;
    deployAt?: string | null;
    deployInNextWindow?: boolean;
  }): Promise<StoredPromotion> {
    const { credentials, target, promotion } = options;
    const phase = PromotionService.phaseOf(target, promotion.phase);
    if (credentials.principal.type !== 'user') {
      throw new NotAllowedError('Only users may schedule promotions');
    }
    const actor = actorRef(credentials);
    const mine = await this.access.ownership(credentials);
    if (actor !== promotion.requestedBy) {
      requirePhaseRole(mine, target, phase, 'deployer');
    }
    await this.access.authorize(
      credentials,
      releasePromotionCreatePermission,
      toPhaseResourceRef(target.entityRef, phase.id),
    );
    const scheduledAt =
      this.scheduleOf(phase, options.deployAt, options.deployInNextWindow) ??
      null;
    await this.promotions.reschedule({
      promotionId: promotion.id,
      actor,
      scheduledAt,
      check: now => {
        if (!WAITING_PROMOTION_STATUSES.includes(now.status)) {
          throw new ConflictError(
            `Promotion ${now.id} is ${now.status}; only a promotion that is not queued yet can be scheduled`,
          );
        }
      },
    });
    await this.advance(target, phase, actor);
    return this.get(promotion.id);
  }

  /**
   * A scheduled promotion whose time has come: the gates are evaluated again
   * (approvals, lock, freeze) and it is queued — or it ends, cancelled with
   * the reason. Compare-and-set transitions make this happen once, whichever
   * replica's reconciler gets there first.
   */
  async runScheduled(
    promotion: StoredPromotion,
    template: PipelineTemplate,
  ): Promise<'queued' | 'waiting' | 'ended'> {
    const phase = findPhase(template, promotion.phase);
    if (!phase) return 'waiting';
    const at = promotion.scheduledAt!;
    let reason: string | undefined;
    if (promotion.status === 'pending_approval') {
      reason = `Not approved by its scheduled time ${at}`;
    } else {
      const blocked = await this.evaluate({
        stage: 'queue',
        phase,
        entityRef: promotion.entityRef,
        kind: promotion.kind,
        overrides: promotion.overrideGates,
      });
      if (blocked.length) {
        reason = `At its scheduled time ${at}: ${blocked
          .map(v => v.message)
          .join('; ')}`;
      }
    }
    if (reason) {
      try {
        await this.promotions.cancel({
          promotionId: promotion.id,
          actor: 'system:scheduler',
          comment: reason,
          check: now => {
            if (!WAITING_PROMOTION_STATUSES.includes(now.status)) {
              throw new ConflictError(`Promotion ${now.id} is ${now.status}`);
            }
          },
        });
      } catch (e) {
        if (e instanceof ConflictError) return 'waiting';
        throw e;
      }
      await this.advance(promotion, phase, 'system:scheduler');
      return 'ended';
    }
    const queued = await this.advance(promotion, phase, 'system:scheduler');
    return queued?.id === promotion.id ? 'queued' : 'waiting';
  }

  /** Approved promotions waiting in a phase. */
  async approvedIn(entityRef: string, phase: string) {
    return this.promotions.listPromotions({
      entityRef,
      phase,
      status: ['approved'],
      limit: 10,
    });
  }

  /** The configuration snapshot a new promotion of `phase` binds to. */
  private async snapshotOf(
    entityRef: string,
    templateName: string,
    phase: PhaseDefinition,
  ) {
    const current = this.hooks.configOf
      ? await this.hooks.configOf(entityRef, phase)
      : {
          version: 0,
          hash: hashConfig(phase.config, {}),
          config: phase.config,
          secrets: {},
        };
    return {
      configVersion: current.version,
      configHash: current.hash,
      secretCiphertexts: current.secretCiphertexts,
      snapshot: {
        template: templateName,
        provider: phase.provider,
        config: current.config,
        secrets: current.secrets,
      },
    };
  }

  /** Loads a promotion, 404 when missing. */
  async get(id: string): Promise<StoredPromotion> {
    const promotion = await this.promotions.getPromotion(id);
    if (!promotion) {
      throw new NotFoundError(`Promotion ${id} does not exist`);
    }
    return promotion;
  }

  async decide(options: {
    credentials: CallerCredentials;
    target: ReleaseEntity;
    promotion: StoredPromotion;
    decision: 'approve' | 'reject';
    comment?: string;
    override?: OverrideRequest;
    /** The train's decision records it on each member. */
    viaTrain?: boolean;
  }): Promise<StoredPromotion> {
    const { credentials, target, promotion, decision } = options;
    const verb = decision === 'approve' ? 'approve' : 'reject';
    if (promotion.trainId && !options.viaTrain) {
      throw new ConflictError(
        `Promotion ${promotion.id} is a member of train ${promotion.trainId}; one decision covers the train: ${verb} the train`,
      );
    }
    this.access.requireDirectUser(credentials, `${verb} promotions`);
    if (decision === 'reject' && !options.comment?.trim()) {
      throw new InputError('A rejection needs a comment saying why');
    }
    const phase = PromotionService.phaseOf(target, promotion.phase);
    const resourceRef = toPhaseResourceRef(target.entityRef, phase.id);
    await this.access.authorize(
      credentials,
      releasePromotionApprovePermission,
      resourceRef,
    );
    if (decision === 'approve' && options.override) {
      await this.requireOverrider(credentials, target, phase, options.override);
    }
    const override =
      decision === 'approve'
        ? await this.overrideGates(
            target,
            phase,
            options.override,
            promotion.version,
          )
        : undefined;
    // The checks are evaluated before the write transaction, not inside it.
    const overrides = [
      ...(promotion.overrideGates ?? []),
      ...(override?.gates ?? []),
    ];
    const checks =
      decision === 'approve'
        ? await this.beforeDeployChecks({
            stage: 'approve',
            phase,
            entityRef: promotion.entityRef,
            version: promotion.version,
            promotionId: promotion.id,
            overrides,
          })
        : undefined;
    if (decision === 'reject' && options.override) {
      throw new InputError('override applies to approvals only');
    }
    const userRef = credentials.principal.userEntityRef;
    const mine = await this.access.ownership(credentials);
    const approvers = phaseRoleMembers(phase, target.owners, 'approver');

    const updated = await this.promotions.decide({
      promotionId: promotion.id,
      userRef,
      decision,
      comment: options.comment,
      override,
      // Re-checked inside the write transaction against the current state.
      check: async ({ promotion: now, decisions, phase: snapshot }) => {
        if (
          !canTransition(
            now.status,
            decision === 'approve' ? 'approved' : 'rejected',
          )
        ) {
          throw new ConflictError(
            `Promotion ${now.id} is ${now.status}; it can no longer be ${
              verb === 'approve' ? 'approved' : 'rejected'
            }`,
          );
        }
        const violations = evaluateApprover({
          phase,
          approvers,
          requestedBy: now.requestedBy,
          userRef,
          ownershipEntityRefs: mine,
          decisions,
        });
        if (
          violations.some(
            v => v.code === 'not_an_approver' || v.code === 'self_approval',
          )
        ) {
          throw new NotAllowedError(violations.map(v => v.message).join('; '));
        }
        if (violations.length) {
          throw gateError(violations);
        }
        if (decision === 'approve') {
          const blocked = await this.evaluate({
            stage: 'approve',
            phase,
            entityRef: now.entityRef,
            kind: now.kind,
            lock: snapshot.lock ?? null,
            overrides: [
              ...(now.overrideGates ?? []),
              ...(override?.gates ?? []),
            ],
            checks: checks ?? [],
          });
          if (blocked.length) {
            throw gateError(blocked);
          }
        }
      },
      approvedWhen: decisions =>
        hasEnoughApprovals({
          phase,
          requestedBy: promotion.requestedBy,
          decisions,
          isEligible: () => true,
        }),
    });
    if (updated.status === 'approved') {
      await this.advance(target, phase, userRef);
    }
    return this.get(promotion.id);
  }

  async cancel(options: {
    credentials: CallerCredentials;
    target: ReleaseEntity;
    promotion: StoredPromotion;
    comment?: string;
    /** The train cancels its members. */
    viaTrain?: boolean;
  }): Promise<StoredPromotion> {
    const { credentials, target, promotion } = options;
    if (credentials.principal.type !== 'user') {
      throw new NotAllowedError('Only users may cancel promotions');
    }
    if (promotion.trainId && !options.viaTrain) {
      throw new ConflictError(
        `Promotion ${promotion.id} is a member of train ${promotion.trainId}; cancel the train`,
      );
    }
    const phase = PromotionService.phaseOf(target, promotion.phase);
    await this.access.authorize(
      credentials,
      releasePromotionCancelPermission,
      toPhaseResourceRef(target.entityRef, phase.id),
    );
    const actor = actorRef(credentials);
    const mine = await this.access.ownership(credentials);
    if (
      actor !== promotion.requestedBy &&
      !hasPhaseRole(mine, phase, target.owners, 'deployer')
    ) {
      throw new NotAllowedError(
        `Only the requester or a deployer of phase '${phase.id}' may cancel this promotion`,
      );
    }
    await this.promotions.cancel({
      promotionId: promotion.id,
      actor,
      comment: options.comment,
      check: now => {
        if (!canTransition(now.status, 'cancelled')) {
          throw new ConflictError(
            `Promotion ${now.id} is ${now.status}; only a promotion that has not started deploying can be cancelled`,
          );
        }
      },
    });
    await this.advance(target, phase, actor);
    return this.get(promotion.id);
  }

  /**
   * Ends a member of a stopped train that has not started deploying
   * (cancelled, with the reason in its history), through the same store
   * transition as any cancel; false when it had moved on meanwhile.
   */
  async stopTrainMember(
    promotion: StoredPromotion,
    template: PipelineTemplate,
    reason: string,
  ): Promise<boolean> {
    try {
      await this.promotions.cancel({
        promotionId: promotion.id,
        actor: 'system:train',
        comment: reason,
        check: now => {
          if (!canTransition(now.status, 'cancelled')) {
            throw new ConflictError(`Promotion ${now.id} is ${now.status}`);
          }
        },
      });
    } catch (e) {
      if (e instanceof ConflictError) return false;
      throw e;
    }
    const phase = findPhase(template, promotion.phase);
    if (phase) await this.advance(promotion, phase, 'system:train');
    return true;
  }

  /** The version a rollback goes to: the given one, or the last good one before the current. */
  async rollbackVersion(
    target: ReleaseEntity,
    phaseId: string,
    version?: string,
  ) {
    const phase = PromotionService.phaseOf(target, phaseId);
    if (version) {
      return version;
    }
    const good = await this.promotions.successfulReleasesInPhase(
      target.entityRef,
      phase.id,
      50,
    );
    const [current, ...earlier] = good;
    const previous = earlier.find(g => g.version !== current?.version);
    if (!previous) {
      throw new ConflictError(
        `Phase '${phase.id}' of ${target.entityRef} has no earlier successful release to roll back to`,
      );
    }
    return previous.version;
  }

  async setLock(options: {
    credentials: CallerCredentials;
    target: ReleaseEntity;
    phaseId: string;
    lock: boolean;
    reason?: string;
  }): Promise<PhaseLock> {
    const { credentials, target } = options;
    const phase = PromotionService.phaseOf(target, options.phaseId);
    if (credentials.principal.type !== 'user') {
      throw new NotAllowedError('Only users may lock or unlock phases');
    }
    await this.access.authorize(
      credentials,
      releasePhaseLockPermission,
      toPhaseResourceRef(target.entityRef, phase.id),
    );
    requirePhaseRole(
      await this.access.ownership(credentials),
      target,
      phase,
      'locker',
    );
    const actor = actorRef(credentials);
    if (options.lock) {
      if (!options.reason?.trim()) {
        throw new InputError('A lock needs a reason');
      }
      return this.promotions.lockPhase({
        entityRef: target.entityRef,
        phase: phase.id,
        reason: options.reason,
        actor,
      });
    }
    const lock = await this.promotions.unlockPhase({
      entityRef: target.entityRef,
      phase: phase.id,
      actor,
      reason: options.reason,
    });
    await this.advance(target, phase, actor);
    return lock;
  }
}
