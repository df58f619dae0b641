import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  applySupersedeRule,
  autoPromotionTargets,
  PipelineTemplate,
  compareSemver,
  evaluateApprover,
  evaluateRequiresGate,
  findActiveFreeze,
  findPhase,
  GateViolation,
  hasEnoughApprovals,
  isInAccessList,
  parseIsoDuration,
  PhaseDefinition,
  PhaseLock,
  releaseFreezeOverridePermission,
  releasePhaseLockPermission,
  releasePromotionApprovePermission,
  releasePromotionCancelPermission,
  releasePromotionCreatePermission,
  releasePromotionSkipPermission,
  resolvePhaseAccess,
  toPhaseResourceRef,
} from '@release-manager/backstage-plugin-release-common';
import { hashConfig } from '../database/DatabaseConfigStore';
import {
  PhaseSnapshot,
  PromotionStore,
  StoredPromotion,
} from '../database/PromotionStore';
import { ReleaseStore } from '../database/ReleaseStore';
import {
  AccessGuard,
  actorRef,
  CallerCredentials,
} from '../access/AccessGuard';
import { ReleaseEntity } from '../access/EntityResolver';

function gateError(violations: GateViolation[]): ConflictError {
  return new ConflictError(violations.map(v => v.message).join('; '));
}

/** A request to deploy through a freeze window or lock. */
export interface OverrideRequest {
  reason: string;
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
      /** The phase configuration in force for an entity (default: the template's). */
      configOf?: (
        entityRef: string,
        phase: PhaseDefinition,
      ) => Promise<{
        version: number;
        hash: string;
        config: PhaseDefinition['config'];
        secrets: Record<string, string>;
      }>;
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

  /** Lock and freeze gates at time `now`; `override` lets them pass. */
  private lockAndFreezeViolations(
    phase: PhaseDefinition,
    lock: PhaseLock | undefined,
    overridden: boolean,
  ): GateViolation[] {
    if (overridden) {
      return [];
    }
    const violations: GateViolation[] = [];
    if (lock) {
      violations.push({
        code: 'locked',
        message: `Phase '${phase.id}' is locked by ${lock.lockedBy}: ${lock.reason}`,
      });
    }
    const freeze = findActiveFreeze(phase.freezeWindows, this.clock());
    if (freeze) {
      violations.push({
        code: 'frozen',
        message: `Phase '${phase.id}' is frozen until ${freeze.endsAt}${
          freeze.reason ? `: ${freeze.reason}` : ''
        }`,
      });
    }
    return violations;
  }

  private async checkOverride(
    credentials: CallerCredentials,
    target: ReleaseEntity,
    phase: PhaseDefinition,
    override: OverrideRequest | undefined,
  ): Promise<string | undefined> {
    if (!override) {
      return undefined;
    }
    this.access.requireDirectUser(
      credentials,
      'override a freeze window or lock',
    );
    if (!override.reason.trim()) {
      throw new InputError('override.reason must not be blank');
    }
    await this.access.authorize(
      credentials,
      releaseFreezeOverridePermission,
      toPhaseResourceRef(target.entityRef, phase.id),
    );
    return override.reason;
  }

  /** Moves the phase's next approved promotion to queued if gates allow. */
  async advance(
    target: Pick<ReleaseEntity, 'entityRef'>,
    phase: PhaseDefinition,
    actor: string,
  ) {
    const queued = await this.promotions.advancePhase({
      entityRef: target.entityRef,
      phase: phase.id,
      actor,
      mayQueue: (candidate: StoredPromotion, snapshot: PhaseSnapshot) => {
        if (
          candidate.kind === 'promote' &&
          snapshot.currentVersion &&
          compareSemver(snapshot.currentVersion, candidate.version) > 0
        ) {
          return false;
        }
        return (
          this.lockAndFreezeViolations(
            phase,
            snapshot.lock,
            Boolean(candidate.overrideReason),
          ).length === 0
        );
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
    const lock = await this.promotions.getLock(promotion.entityRef, phase.id);
    const violations = this.lockAndFreezeViolations(
      phase,
      lock,
      Boolean(promotion.overrideReason),
    );
    return violations.length
      ? violations.map(v => v.message).join('; ')
      : undefined;
  }

  /**
   * After a deployment ends: queue the phase's next approved promotion, and
   * on success request promotions into the phases that promote automatically.
   */
  async afterFinished(promotion: StoredPromotion, template: PipelineTemplate) {
    const phase = findPhase(template, promotion.phase);
    if (!phase) return;
    await this.advance(promotion, phase, 'system:dispatcher');
    if (promotion.status !== 'succeeded') return;
    const release = await this.releases.getRelease(
      promotion.entityRef,
      promotion.version,
    );
    if (!release) return;
    for (const next of autoPromotionTargets(template.phases, phase.id)) {
      try {
        await this.promotions.createPromotion(
          {
            entityRef: promotion.entityRef,
            phase: next.id,
            release,
            kind: 'promote',
            requestedBy: 'system:auto-promote',
            comment: `Automatic promotion after success in ${phase.title}`,
            ...(await this.snapshotOf(
              promotion.entityRef,
              template.name,
              next,
            )),
            skippedRequires: false,
            status:
              next.approvals.required > 0 ? 'pending_approval' : 'approved',
          },
          snapshot => {
            const rule = applySupersedeRule({
              version: release.version,
              kind: 'promote',
              open: snapshot.open,
            });
            if (rule.conflict) throw gateError([rule.conflict]);
            return rule.supersede;
          },
        );
        await this.advance(promotion, next, 'system:auto-promote');
      } catch (e) {
        // A newer or the same release is already on its way there.
        if (!(e instanceof ConflictError)) throw e;
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
  }): Promise<{ promotion: StoredPromotion; replayed: boolean }> {
    const { credentials, target, kind } = options;
    const phase = PromotionService.phaseOf(target, options.phaseId);
    if (credentials.principal.type !== 'user') {
      throw new NotAllowedError('Only users may request promotions');
    }
    const requestedBy = actorRef(credentials);
    const resourceRef = toPhaseResourceRef(target.entityRef, phase.id);
    const release = await this.releases.getRelease(
      target.entityRef,
      options.version,
    );
    if (!release) {
      throw new NotFoundError(
        `Release ${options.version} of ${target.entityRef} does not exist`,
      );
    }

    // Layer 1: phase access from the pipeline config.
    const mine = await this.access.ownership(credentials);
    const { deployers } = resolvePhaseAccess(phase, target.owners);
    if (!isInAccessList(mine, deployers)) {
      throw new NotAllowedError(
        `You are not a deployer of phase '${phase.id}' of ${
          target.entityRef
        } (deployers: ${deployers.join(', ') || 'none'})`,
      );
    }
    // Layer 2: the permission framework.
    await this.access.authorize(
      credentials,
      releasePromotionCreatePermission,
      resourceRef,
    );

    let skippedRequires = false;
    if (kind === 'rollback') {
      const succeededAt = await this.promotions.lastSuccessInPhase(
        release.id,
        phase.id,
      );
      if (!succeededAt) {
        throw new ConflictError(
          `Release ${release.version} never succeeded in '${phase.id}'; only a release that ran there before can be rolled back to`,
        );
      }
    } else {
      const evidence = {
        succeededAt: phase.requires
          ? await this.promotions.lastSuccessInPhase(release.id, phase.requires)
          : undefined,
      };
      const violations = evaluateRequiresGate({
        phase,
        evidence,
        now: this.clock(),
        soakTimeMs: phase.soakTime
          ? parseIsoDuration(phase.soakTime)
          : undefined,
      });
      if (violations.length) {
        if (!options.skipRequires) {
          throw gateError(violations);
        }
        this.access.requireDirectUser(
          credentials,
          `skip the '${phase.requires}' phase`,
        );
        await this.access.authorize(
          credentials,
          releasePromotionSkipPermission,
          resourceRef,
        );
        skippedRequires = true;
      }
    }
    const overrideReason = await this.checkOverride(
      credentials,
      target,
      phase,
      options.override,
    );

    const result = await this.promotions.createPromotion(
      {
        entityRef: target.entityRef,
        phase: phase.id,
        release,
        kind,
        requestedBy,
        comment: options.comment,
        idempotencyKey: options.idempotencyKey,
        ...(await this.snapshotOf(
          target.entityRef,
          target.template.name,
          phase,
        )),
        overrideReason,
        skippedRequires,
        status: phase.approvals.required > 0 ? 'pending_approval' : 'approved',
      },
      snapshot => {
        if (
          kind === 'promote' &&
          snapshot.currentVersion &&
          compareSemver(snapshot.currentVersion, release.version) > 0
        ) {
          throw new ConflictError(
            `${snapshot.currentVersion} already runs in '${phase.id}', which is newer than ${release.version}; request a rollback to go back`,
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
      },
    );
    if (!result.replayed) {
      await this.advance(target, phase, requestedBy);
    }
    const promotion = (await this.promotions.getPromotion(
      result.promotion.id,
    ))!;
    return { promotion, replayed: result.replayed };
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
  }): Promise<StoredPromotion> {
    const { credentials, target, promotion, decision } = options;
    const verb = decision === 'approve' ? 'approve' : 'reject';
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
    const overrideReason = await this.checkOverride(
      credentials,
      target,
      phase,
      options.override,
    );
    const userRef = credentials.principal.userEntityRef;
    const mine = await this.access.ownership(credentials);
    const { approvers } = resolvePhaseAccess(phase, target.owners);

    const updated = await this.promotions.decide({
      promotionId: promotion.id,
      userRef,
      decision,
      comment: options.comment,
      // Re-checked inside the write transaction against the current state.
      check: ({ promotion: now, decisions, phase: snapshot }) => {
        const allowed =
          decision === 'approve'
            ? ['pending_approval']
            : ['pending_approval', 'approved'];
        if (!allowed.includes(now.status)) {
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
          const blocked = this.lockAndFreezeViolations(
            phase,
            snapshot.lock,
            Boolean(overrideReason || now.overrideReason),
          );
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
  }): Promise<StoredPromotion> {
    const { credentials, target, promotion } = options;
    if (credentials.principal.type !== 'user') {
      throw new NotAllowedError('Only users may cancel promotions');
    }
    const phase = PromotionService.phaseOf(target, promotion.phase);
    await this.access.authorize(
      credentials,
      releasePromotionCancelPermission,
      toPhaseResourceRef(target.entityRef, phase.id),
    );
    const actor = actorRef(credentials);
    const mine = await this.access.ownership(credentials);
    const { deployers } = resolvePhaseAccess(phase, target.owners);
    if (actor !== promotion.requestedBy && !isInAccessList(mine, deployers)) {
      throw new NotAllowedError(
        `Only the requester or a deployer of phase '${phase.id}' may cancel this promotion`,
      );
    }
    await this.promotions.cancel({
      promotionId: promotion.id,
      actor,
      comment: options.comment,
      check: now => {
        if (!['pending_approval', 'approved', 'queued'].includes(now.status)) {
          throw new ConflictError(
            `Promotion ${now.id} is ${now.status}; only a promotion that has not started deploying can be cancelled`,
          );
        }
      },
    });
    await this.advance(target, phase, actor);
    return this.get(promotion.id);
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
    const mine = await this.access.ownership(credentials);
    const { deployers, approvers } = resolvePhaseAccess(phase, target.owners);
    if (!isInAccessList(mine, [...deployers, ...approvers])) {
      throw new NotAllowedError(
        `Only deployers or approvers of phase '${phase.id}' may lock or unlock it`,
      );
    }
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
