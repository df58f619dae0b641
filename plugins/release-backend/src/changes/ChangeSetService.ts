import { createHash } from 'node:crypto';
import { NotFoundError } from '@backstage/errors';
import {
  ChangeSet,
  ChangeSetConfig,
  ChangeSetGates,
  ChangeSetSide,
  changeSetSummaryLine,
  compareReleases,
  ComparableConfiguration,
  diffConfigurations,
  evaluateRequiresGate,
  findActiveFreeze,
  findNextFreeze,
  hasEnoughApprovals,
  isApprovalValid,
  parseIsoDuration,
  PhaseDefinition,
  PhaseCurrentRelease,
  releasesBetween,
  summarizeConfigDiff,
  versionDirection,
  OVERRIDABLE_GATES,
  OverridableGate,
  WAITING_PROMOTION_STATUSES,
  wouldDeployAt,
} from '@release-manager/backstage-plugin-release-common';
import { ConfigStore } from '../database/ConfigStore';
import { PromotionStore, StoredPromotion } from '../database/PromotionStore';
import { ReleaseStore, StoredRelease } from '../database/ReleaseStore';
import { ReleaseEntity } from '../access/EntityResolver';
import { ConfigService } from '../engine/ConfigService';
import { PromotionService } from '../engine/PromotionService';
import { SourceCommits } from './SourceCommits';
import { CheckRunner } from '../checks/CheckRunner';
import { EntityReadCache } from '../cache/EntityReadCache';

/** A side of the change set with the configuration it runs with. */
interface ResolvedSide {
  side: ChangeSetSide;
  config?: ComparableConfiguration;
}

const EMPTY: ComparableConfiguration = { variables: {}, secrets: {} };

/**
 * Whether the caller may read a phase's configuration
 * (`release.config.read`); the config diffs of phases they may not read are
 * left out of the change set (counted in its summary, never listed).
 */
export type MayReadConfig = (phaseId: string) => Promise<boolean>;

function hide(config: ChangeSetConfig): ChangeSetConfig {
  const none = { added: [], removed: [], changed: [] };
  return {
    known: config.known,
    hidden: true,
    variables: none,
    database: none,
    sizing: none,
    secrets: none,
  };
}
/** The most recent releases a change set looks at (one statement). */
const MAX_RELEASES = 2_000;

/**
 * The change set of a promotion, computed from exactly two states: what runs
 * in the target phase now (its version and the configuration snapshot it was
 * deployed with) and what the promotion deploys (its release and its bound
 * snapshot). Read-only: it changes nothing.
 */
export class ChangeSetService {
  constructor(
    private readonly deps: {
      releases: ReleaseStore;
      promotions: PromotionStore;
      configStore: ConfigStore;
      configs: ConfigService;
      commits: SourceCommits;
      checks: CheckRunner;
      clock: () => Date;
      /**
       * The entity read cache: the releases of an entity and the releases
       * between two of them are read and ordered once per change of the
       * entity (a new release changes it).
       */
      cache?: EntityReadCache;
    },
  ) {}

  /**
   * A read of the entity's release state or configuration through the read
   * cache (dropped whenever the entity's rows change), or straight from the
   * database when there is no cache. Cached values are shared: read-only.
   */
  private cached<T>(
    entityRef: string,
    key: string,
    load: () => Promise<T>,
  ): Promise<T> {
    return this.deps.cache
      ? this.deps.cache.read(entityRef, `changes:${key}`, load)
      : load();
  }

  /**
   * The serialized list of releases of a change set (hundreds of releases
   * with notes between two distant versions), made once per cached list.
   */
  private readonly releasesJson = new WeakMap<
    ChangeSet['releases'],
    { json: string; hash: string }
  >();

  /**
   * A change set as a JSON body with its entity tag. The list of releases is
   * serialized and hashed once while it is cached, the rest on every call.
   */
  toJson(changeSet: ChangeSet): { body: string; etag: string } {
    const { releases, ...rest } = changeSet;
    let list = this.releasesJson.get(releases);
    if (!list) {
      const json = JSON.stringify(releases);
      list = {
        json,
        hash: createHash('sha1').update(json).digest('base64url'),
      };
      this.releasesJson.set(releases, list);
    }
    const head = JSON.stringify(rest);
    const body = `${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"releases":${
      list.json
    }}`;
    const etag = `W/"${createHash('sha1')
      .update(head)
      .update(list.hash)
      .digest('base64url')}"`;
    return { body, etag };
  }

  /**
   * Whether a preview into the phase depends on stored data alone, not on
   * the time: neither the phase nor the one it requires has freeze or
   * deployment windows, a soak time or checks.
   */
  timeless(target: ReleaseEntity, phaseId: string): boolean {
    const phase = PromotionService.phaseOf(target, phaseId);
    const source = phase.requires
      ? target.template.phases.find(p => p.id === phase.requires)
      : undefined;
    return [phase, ...(source ? [source] : [])].every(
      p =>
        p.freezeWindows.length === 0 &&
        (p.deploymentWindows ?? []).length === 0 &&
        !p.soakTime &&
        !p.checks?.length,
    );
  }

  /** The change set of a requested promotion. */
  async ofPromotion(
    target: ReleaseEntity,
    promotion: StoredPromotion,
    mayReadConfig: MayReadConfig,
  ): Promise<ChangeSet> {
    const phase = PromotionService.phaseOf(target, promotion.phase);
    const release = await this.release(target, promotion.version);
    const to: ResolvedSide = {
      side: {
        version: release.version,
        commit: release.commit,
        artifact: release.artifact,
        configVersion: promotion.configVersion ?? null,
        configSource: promotion.snapshot ? 'promotion-snapshot' : 'none',
      },
      config: promotion.snapshot
        ? {
            ...promotion.snapshot.config,
            secrets: promotion.snapshot.secrets ?? {},
          }
        : undefined,
    };
    return this.compute(target, phase, release, to, promotion, mayReadConfig);
  }

  /** The change set a promotion of `version` into `phaseId` would have now. */
  async preview(
    target: ReleaseEntity,
    version: string,
    phaseId: string,
    mayReadConfig: MayReadConfig,
  ): Promise<ChangeSet> {
    const phase = PromotionService.phaseOf(target, phaseId);
    const release = await this.release(target, version);
    const current = await this.cached(
      target.entityRef,
      `config:current:${phase.id}`,
      () => this.deps.configs.effective(target.entityRef, phase),
    );
    const to: ResolvedSide = {
      side: {
        version: release.version,
        commit: release.commit,
        artifact: release.artifact,
        configVersion: current.version,
        configSource: 'current-config',
      },
      config: { ...current.config, secrets: current.secrets },
    };
    return this.compute(target, phase, release, to, undefined, mayReadConfig);
  }

  private async release(target: ReleaseEntity, version: string) {
    // The recent releases are usually cached already.
    const release =
      (await this.allReleases(target.entityRef)).find(
        r => r.version === version,
      ) ?? (await this.deps.releases.getRelease(target.entityRef, version));
    if (!release) {
      throw new NotFoundError(`${target.entityRef} has no release ${version}`);
    }
    return release;
  }

  private async compute(
    target: ReleaseEntity,
    phase: PhaseDefinition,
    release: StoredRelease,
    to: ResolvedSide,
    promotion: StoredPromotion | undefined,
    mayReadConfig: MayReadConfig,
  ): Promise<ChangeSet> {
    const { releases } = this.deps;
    const source = phase.requires
      ? PromotionService.phaseOf(target, phase.requires)
      : undefined;
    const state = await releases.getPipelineState(target.entityRef, [
      phase.id,
      ...(source ? [source.id] : []),
    ]);
    const current = await this.fromOf(target, phase, promotion, state);
    const from = await this.deployedSide(target, phase, current);
    const { fromRelease, between } = await this.between(
      target.entityRef,
      current?.version,
      release,
    );
    if (fromRelease) from.side.commit = fromRelease.commit;
    const direction = versionDirection(fromRelease, release);
    const config = this.diff(from.config, to.config);
    const counts = summarizeConfigDiff(config);
    // Where the release was tested: the required phase's gate and the
    // comparison with that phase both start from its last success there.
    const tested = source
      ? this.cached(target.entityRef, `tested:${release.id}:${source.id}`, () =>
          this.deps.promotions.lastSuccessOfRelease(release.id, source.id),
        )
      : Promise.resolve(undefined);
    const [commits, gates, comparedWithSource, readTarget, readSource] =
      await Promise.all([
        this.deps.commits.between(
          target.entity.metadata.annotations,
          fromRelease?.commit,
          release.commit,
        ),
        this.gates(target, phase, release, promotion, state, current, tested),
        source
          ? this.sourceSide(target, source, tested, state.current[source.id])
          : undefined,
        mayReadConfig(phase.id),
        source ? mayReadConfig(source.id) : false,
      ]);
    return {
      entityRef: target.entityRef,
      phase: { id: phase.id, title: phase.title },
      promotion: promotion && {
        id: promotion.id,
        status: promotion.status,
        kind: promotion.kind,
        requestedBy: promotion.requestedBy,
        requestedAt: promotion.requestedAt,
        comment: promotion.comment,
      },
      direction,
      from: from.side,
      to: to.side,
      releases: between,
      commits,
      config: readTarget ? config : hide(config),
      gates,
      comparedWithSource:
        source && comparedWithSource
          ? {
              phase: { id: source.id, title: source.title },
              version: comparedWithSource.side.version,
              configVersion: comparedWithSource.side.configVersion,
              configSource: comparedWithSource.side.configSource,
              config:
                readTarget && readSource
                  ? this.diff(comparedWithSource.config, to.config)
                  : hide(this.diff(comparedWithSource.config, to.config)),
            }
          : null,
      summary: {
        configChanges: counts.configChanges,
        secretChanges: counts.secretChanges,
        text: changeSetSummaryLine({
          version: release.version,
          phaseTitle: phase.title,
          direction,
          configChanges: counts.configChanges,
          secretChanges: counts.secretChanges,
        }),
      },
    };
  }

  /**
   * What the change starts from: what runs in the phase now, or — for a
   * promotion that started deploying or ended — what ran there when it
   * started (or ended, when it never started). A finished promotion keeps
   * showing the change that was approved, not one against itself.
   */
  private async fromOf(
    target: ReleaseEntity,
    phase: PhaseDefinition,
    promotion: StoredPromotion | undefined,
    state: Awaited<ReturnType<ReleaseStore['getPipelineState']>>,
  ): Promise<PhaseCurrentRelease | undefined> {
    const now = state.current[phase.id] ?? undefined;
    if (
      !promotion ||
      WAITING_PROMOTION_STATUSES.includes(promotion.status) ||
      promotion.status === 'queued'
    ) {
      return now;
    }
    const at =
      promotion.startedAt ?? promotion.finishedAt ?? promotion.updatedAt;
    return this.deps.promotions.deployedBefore(
      target.entityRef,
      phase.id,
      at,
      promotion.id,
    );
  }

  private diff(
    from: ComparableConfiguration | undefined,
    to: ComparableConfiguration | undefined,
  ): ChangeSetConfig {
    return {
      ...diffConfigurations(from ?? EMPTY, to ?? EMPTY),
      known: Boolean(from && to),
    };
  }

  /**
   * What runs in the phase: the version and the configuration of the
   * promotion that deployed it — its bound snapshot, else the configuration
   * version it recorded, else (history imported without one) the version in
   * force when it was deployed.
   */
  private async deployedSide(
    target: ReleaseEntity,
    phase: PhaseDefinition,
    current: PhaseCurrentRelease | undefined,
    /** The promotion of `current`, when already read. */
    known?: StoredPromotion,
  ): Promise<ResolvedSide> {
    if (!current) {
      return {
        side: { version: null, configVersion: null, configSource: 'none' },
        config: EMPTY,
      };
    }
    const deployed =
      known ??
      (await this.cached(
        target.entityRef,
        `promotion:${current.promotionId}`,
        () => this.deps.promotions.getPromotion(current.promotionId),
      ));
    const side: ChangeSetSide = {
      version: current.version,
      configVersion: deployed?.configVersion ?? null,
      configSource: 'none',
      promotionId: current.promotionId,
      deployedAt: current.deployedAt,
      deployedBy: current.deployedBy,
    };
    if (deployed?.snapshot) {
      return {
        side: { ...side, configSource: 'promotion-snapshot' },
        config: {
          ...deployed.snapshot.config,
          secrets: deployed.snapshot.secrets ?? {},
        },
      };
    }
    const stored =
      deployed?.configVersion !== undefined
        ? await this.cached(
            target.entityRef,
            `config:version:${phase.id}:${deployed.configVersion}`,
            () =>
              this.deps.configs.versionOf(
                target,
                phase,
                deployed.configVersion!,
              ),
          )
        : undefined;
    if (stored) {
      return {
        side: { ...side, configSource: 'config-version' },
        config: { ...stored.config, secrets: stored.secrets },
      };
    }
    const inForce =
      (await this.cached(
        target.entityRef,
        `config:at:${phase.id}:${current.deployedAt}`,
        () =>
          this.deps.configStore.getVersionAt(
            target.entityRef,
            phase.id,
            current.deployedAt,
          ),
      )) ?? (await this.deps.configs.versionOf(target, phase, 0));
    return {
      side: {
        ...side,
        configVersion: inForce.version,
        configSource: 'in-force-at-deploy',
      },
      config: { ...inForce.config, secrets: inForce.secrets },
    };
  }

  /**
   * The phase the target requires, where the release was tested: the
   * snapshot its successful promotion there ran with, else what that phase
   * runs now.
   */
  private async sourceSide(
    target: ReleaseEntity,
    source: PhaseDefinition,
    lastSuccess: Promise<StoredPromotion | undefined>,
    sourceCurrent: PhaseCurrentRelease | undefined,
  ): Promise<ResolvedSide> {
    const tested = await lastSuccess;
    if (tested) {
      return this.deployedSide(
        target,
        source,
        {
          version: tested.version,
          promotionId: tested.id,
          deployedAt: tested.finishedAt ?? tested.updatedAt,
          deployedBy: tested.requestedBy,
        },
        tested,
      );
    }
    return this.deployedSide(target, source, sourceCurrent);
  }

  /**
   * The release running (`fromVersion`) and the releases a move from it to
   * `release` passes, as the change set lists them. Shared, read-only
   * values when cached: callers copy before changing anything.
   */
  private async between(
    entityRef: string,
    fromVersion: string | undefined,
    release: StoredRelease,
  ): Promise<{
    fromRelease: StoredRelease | undefined;
    between: ChangeSet['releases'];
  }> {
    const compute = async () => {
      const all = await this.allReleases(entityRef);
      const fromRelease =
        fromVersion !== undefined
          ? all.find(r => r.version === fromVersion)
          : undefined;
      const between = releasesBetween(all, fromRelease, release).map(r => ({
        version: r.version,
        commit: r.commit,
        notes: r.notes,
        createdBy: r.createdBy,
        createdAt: r.createdAt,
      }));
      return { fromRelease, between };
    };
    return this.cached(
      entityRef,
      `between:${fromVersion ?? ''}:${release.version}`,
      compute,
    );
  }

  private async allReleases(entityRef: string): Promise<StoredRelease[]> {
    const read = async () => {
      const { items } = await this.deps.releases.listReleases(entityRef, {
        limit: MAX_RELEASES,
      });
      return items.sort(compareReleases);
    };
    return this.cached(entityRef, 'releases', read);
  }

  /** The gates of the phase for this release as they stand now. */
  private async gates(
    target: ReleaseEntity,
    phase: PhaseDefinition,
    release: StoredRelease,
    promotion: StoredPromotion | undefined,
    state: Awaited<ReturnType<ReleaseStore['getPipelineState']>>,
    current: PhaseCurrentRelease | undefined,
    /** The release's last success in the phase this one requires. */
    tested: Promise<StoredPromotion | undefined>,
  ): Promise<ChangeSetGates> {
    const { promotions, clock } = this.deps;
    const now = clock();
    const decisions = promotion
      ? (await promotions.listApprovals([promotion.id])).map(a => ({
          ...a,
          // The one approval-validity rule: bound to the artifact, the
          // configuration snapshot and the deployment running in the target.
          valid: isApprovalValid(a, {
            artifact: release.artifact,
            configHash: promotion.configHash,
            targetPromotionId: current?.promotionId ?? '',
          }),
        }))
      : [];
    const requestedBy = promotion?.requestedBy ?? '';
    const counted = decisions.filter(
      d =>
        d.valid &&
        d.decision === 'approve' &&
        (phase.approvals.allowSelfApproval || d.userRef !== requestedBy),
    );
    const required = phase.approvals.required;
    const enough = hasEnoughApprovals({
      phase,
      requestedBy,
      decisions,
      isEligible: () => true,
    });

    const testedAt = phase.requires ? (await tested)?.finishedAt : undefined;
    const succeededAt = testedAt ? new Date(testedAt) : undefined;
    const soakTimeMs = phase.soakTime
      ? parseIsoDuration(phase.soakTime)
      : undefined;
    const violations = evaluateRequiresGate({
      phase,
      evidence: { succeededAt },
      now,
      soakTimeMs,
    });
    const skipped = Boolean(promotion?.skippedRequires);
    const readyAt =
      succeededAt && soakTimeMs
        ? new Date(succeededAt.getTime() + soakTimeMs)
        : undefined;
    // Only a soak time not yet over holds the requires gate: time lifts it.
    const readyAtLater =
      readyAt !== undefined && readyAt.getTime() > now.getTime();

    // The pipeline state read above holds the phase's lock.
    const lock = state.locks[phase.id] ?? null;
    const checks = await this.deps.checks.current({
      entityRef: target.entityRef,
      phase,
      release,
      promotionId: promotion?.id,
    });
    const active = findActiveFreeze(phase.freezeWindows, now) ?? null;
    const next = findNextFreeze(phase.freezeWindows, now) ?? null;
    const busy = state.active[phase.id];
    const overridden = Boolean(promotion?.overrideReason);

    const waitingFor: string[] = [];
    // What time does not lift, for the time rules' answer.
    const blockedBy: string[] = [];
    const status = promotion?.status;
    if (status && status !== 'pending_approval') {
      waitingFor.push(`The promotion is ${status.replace('_', ' ')}`);
    }
    const missing = Math.max(0, required - counted.length);
    if (missing > 1) {
      waitingFor.push(`${missing} more approvals are needed`);
    }
    if (violations.length && !skipped) {
      waitingFor.push(...violations.map(v => v.message));
    }
    if (violations.length && !skipped && !readyAtLater) {
      blockedBy.push(...violations.map(v => v.message));
    }
    if (lock && !overridden) {
      waitingFor.push(`Phase '${phase.id}' is locked: ${lock.reason}`);
      blockedBy.push(`Phase '${phase.id}' is locked: ${lock.reason}`);
    }
    if (active && !overridden) {
      waitingFor.push(
        `Phase '${phase.id}' is frozen until ${active.endsAt}${
          active.reason ? `: ${active.reason}` : ''
        }`,
      );
    }
    const gatesLifted = promotion?.overrideGates ?? [];
    const checksOverridden =
      overridden && (!gatesLifted.length || gatesLifted.includes('checks'));
    for (const check of checksOverridden ? [] : checks) {
      if (check.status === 'failed') {
        waitingFor.push(`Check '${check.name}' failed: ${check.summary}`);
        blockedBy.push(`Check '${check.name}' failed: ${check.summary}`);
      } else if (check.status === 'pending') {
        waitingFor.push(`Check '${check.name}' is pending: ${check.summary}`);
      }
    }
    if (busy && busy.id !== promotion?.id) {
      waitingFor.push(
        `${busy.version} is ${busy.status} in '${phase.id}'; this one waits for it`,
      );
      blockedBy.push(
        `${busy.version} is ${busy.status} in '${phase.id}'; this one waits for it`,
      );
    }
    if (
      (promotion?.kind ?? 'promote') === 'promote' &&
      current &&
      compareReleases(
        { version: current.version, createdAt: current.deployedAt },
        { version: release.version, createdAt: release.createdAt },
      ) > 0 &&
      current.version !== release.version
    ) {
      waitingFor.push(
        `${current.version} runs in '${phase.id}' and is newer; only a rollback goes back`,
      );
    }
    // Gates an override lifted, for the time rules: a reason without a list
    // lifts every overridable gate.
    let lifted: readonly OverridableGate[] = [];
    if (overridden) {
      lifted = promotion?.overrideGates?.length
        ? promotion.overrideGates
        : OVERRIDABLE_GATES;
    }
    const deployAt = wouldDeployAt(
      now,
      {
        blockedBy,
        readyAt:
          readyAtLater && !skipped && !promotion
            ? readyAt.toISOString()
            : undefined,
        overrides: lifted,
      },
      promotion && WAITING_PROMOTION_STATUSES.includes(promotion.status)
        ? promotion.scheduledAt
        : undefined,
      phase.deploymentWindows ?? [],
      phase.freezeWindows,
    );
    return {
      approvals: {
        required,
        count: new Set(counted.map(d => d.userRef)).size,
        approvedBy: counted.map(d => ({
          userRef: d.userRef,
          decidedAt: d.decidedAt,
        })),
        rejectedBy: decisions
          .filter(d => d.valid && d.decision === 'reject')
          .map(d => ({
            userRef: d.userRef,
            decidedAt: d.decidedAt,
            comment: d.comment,
          })),
        voided: decisions.filter(d => !d.valid).map(d => d.userRef),
      },
      requires: {
        phase: phase.requires,
        met: skipped || violations.length === 0,
        succeededAt: succeededAt?.toISOString(),
        soakTime: phase.soakTime,
        readyAt:
          readyAt && readyAt.getTime() > now.getTime()
            ? readyAt.toISOString()
            : undefined,
        message: skipped
          ? 'Skipped with the skip permission when requested'
          : violations.map(v => v.message).join('; ') || undefined,
      },
      lock,
      freeze: { active, next },
      checks: checks.map(c => ({
        name: c.name,
        type: c.type,
        status: c.status,
        summary: c.summary,
        url: c.url,
        evaluatedAt: c.evaluatedAt,
      })),
      busyWith:
        busy && busy.id !== promotion?.id
          ? { promotionId: busy.id, version: busy.version, status: busy.status }
          : undefined,
      approvingDeploysNow:
        !enough && waitingFor.length === 0 && deployAt.kind === 'now',
      deployAt,
      waitingFor,
    };
  }
}
