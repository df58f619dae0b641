import {
  AuthService,
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import {
  findPhase,
  PipelineTemplate,
  PromotionStatus,
  RELEASE_PIPELINE_ANNOTATION,
  releaseReadPermission,
  TrainCycleError,
  trainOrder,
  trainOrderBlocker,
  trainRollbackAvailable,
  trainsPageLink,
  TrainStatus,
  trainStatusOf,
  trainStopCause,
  WAITING_PROMOTION_STATUSES,
} from '@release-manager/backstage-plugin-release-common';
import { actorRef, CallerCredentials } from '../access/AccessGuard';
import { EntityResolver, ReleaseEntity } from '../access/EntityResolver';
import { hasPhaseRole, phaseRoleMembers } from '../access/phaseAccess';
import { AccessGuard } from '../access/AccessGuard';
import {
  DatabaseTrainStore,
  shortRef,
  StoredTrain,
} from '../database/DatabaseTrainStore';
import { PromotionStore, StoredPromotion } from '../database/PromotionStore';
import { PromotionService } from './PromotionService';

/** A train of `release.trains`. */
export interface TrainDefinitionConfig {
  system: string;
  title?: string;
  members?: string[];
  phases?: string[];
}

/** Reads `release.trains`: catalog Systems whose services ship together. */
export function readTrainDefinitions(
  config: RootConfigService,
): TrainDefinitionConfig[] {
  return (config.getOptionalConfigArray('release.trains') ?? []).map(c => {
    const system = c.getString('system');
    let ref: string;
    try {
      ref = stringifyEntityRef(
        parseEntityRef(system, { defaultKind: 'system' }),
      );
    } catch (e) {
      throw new InputError(
        `release.trains: '${system}' is not an entity ref: ${
          (e as Error).message
        }`,
      );
    }
    if (!ref.startsWith('system:')) {
      throw new InputError(
        `release.trains: '${system}' is not a System (members come from a catalog System)`,
      );
    }
    return {
      system: ref,
      title: c.getOptionalString('title'),
      members: c
        .getOptionalStringArray('members')
        ?.map(m =>
          stringifyEntityRef(parseEntityRef(m, { defaultKind: 'component' })),
        ),
      phases: c.getOptionalStringArray('phases'),
    };
  });
}

/** The API shape of a train (see openapi.yaml `Train`). */
export interface TrainView {
  id: string;
  system: string;
  title: string;
  phase: string;
  phaseTitle: string;
  status: TrainStatus;
  requestedBy: string;
  requestedAt: string;
  comment?: string;
  approvals: {
    required: number;
    given: Array<{ by: string; at: string; comment?: string }>;
  };
  canDecide: boolean;
  cannotDecideReason?: string;
  canCancel: boolean;
  members: Array<{
    entityRef: string;
    order: number;
    version: string;
    fromVersion?: string;
    promotionId: string;
    status: PromotionStatus;
    progress?: { percent?: number; message?: string };
    dependsOn: string[];
    failureReason?: string;
  }>;
  stoppedBy?: { entityRef: string; reason: string };
  rollbackAvailable: boolean;
}

/** A member that has not started deploying: it can still be stopped. */
const notStarted = (p: StoredPromotion) =>
  WAITING_PROMOTION_STATUSES.includes(p.status) || p.status === 'queued';

const relationTargets = (entity: Entity, type: string) =>
  (entity.relations ?? [])
    .filter(r => r.type === type)
    .map(r => r.targetRef.toLocaleLowerCase('en-US'));

/**
 * Release trains: one promotion per member service of a catalog System,
 * requested, approved and promoted as a unit. Every member promotion is
 * created, decided and ended through {@link PromotionService} (the same
 * gates, access checks and lifecycle transitions as any promotion); this
 * service orders members by the catalog's `dependsOn`, holds each member
 * until its predecessors succeeded (the `train_order` gate), and stops the
 * rest when one fails.
 */
export class TrainService {
  constructor(
    private readonly deps: {
      store: DatabaseTrainStore;
      promotions: PromotionStore;
      service: PromotionService;
      entities: EntityResolver;
      catalog: CatalogService;
      auth: Pick<AuthService, 'getOwnServiceCredentials'>;
      access: AccessGuard;
      templates: Map<string, PipelineTemplate>;
      definitions: TrainDefinitionConfig[];
      notifications?: NotificationService;
      logger?: LoggerService;
    },
  ) {}

  private async catalogCredentials(credentials: CallerCredentials) {
    return credentials.principal.type === 'service'
      ? this.deps.auth.getOwnServiceCredentials()
      : credentials;
  }

  /** The System as the caller may read it (404 otherwise). */
  private async system(credentials: CallerCredentials, systemRef: string) {
    let ref: string;
    try {
      ref = stringifyEntityRef(
        parseEntityRef(systemRef, { defaultKind: 'system' }),
      );
    } catch {
      throw new InputError(`'${systemRef}' is not an entity ref`);
    }
    if (!ref.startsWith('system:')) {
      throw new InputError(
        `${ref} is not a System; trains group a System's services`,
      );
    }
    const entity = await this.deps.catalog.getEntityByRef(ref, {
      credentials: await this.catalogCredentials(credentials),
    });
    if (!entity) {
      throw new NotFoundError(`System ${ref} was not found in the catalog`);
    }
    return { ref, entity, definition: this.definitionOf(ref) };
  }

  private definitionOf(systemRef: string) {
    return this.deps.definitions.find(d => d.system === systemRef);
  }

  /**
   * The members of a System's train in deploy order: the explicit list, or
   * the configured one, or the System's components with a pipeline; with
   * their `dependsOn` among each other.
   */
  private async members(
    credentials: CallerCredentials,
    system: { ref: string; entity: Entity; definition?: TrainDefinitionConfig },
    explicit?: string[],
    /** Leave out (default) members whose pipeline has no such phase. */
    phaseId?: string,
  ): Promise<{
    order: string[];
    targets: Map<string, ReleaseEntity>;
    dependsOn: Record<string, string[]>;
  }> {
    const parts = relationTargets(system.entity, 'hasPart').filter(r =>
      r.startsWith('component:'),
    );
    let refs: string[];
    if (explicit) {
      refs = explicit.map(m => {
        try {
          return stringifyEntityRef(
            parseEntityRef(m, { defaultKind: 'component' }),
          );
        } catch {
          throw new InputError(`'${m}' is not an entity ref`);
        }
      });
      const foreign = refs.filter(r => !parts.includes(r));
      if (foreign.length) {
        throw new InputError(
          `${foreign.join(', ')} ${
            foreign.length === 1 ? 'is' : 'are'
          } not part of ${system.ref}`,
        );
      }
      if (new Set(refs).size !== refs.length) {
        throw new InputError('A member is named twice');
      }
    } else {
      refs = system.definition?.members ?? parts;
    }
    const targets = await this.deps.entities.resolveMany(refs, credentials);
    if (explicit) {
      const missing = refs.filter(r => !targets.has(r));
      if (missing.length) {
        throw new NotFoundError(
          `${missing.join(
            ', ',
          )}: not found in the catalog or without a release pipeline (${RELEASE_PIPELINE_ANNOTATION})`,
        );
      }
    }
    const members = refs.filter(
      r =>
        targets.has(r) &&
        (explicit ||
          !phaseId ||
          Boolean(findPhase(targets.get(r)!.template, phaseId))),
    );
    const dependsOn: Record<string, string[]> = {};
    for (const m of members) {
      dependsOn[m] = relationTargets(
        targets.get(m)!.entity,
        'dependsOn',
      ).filter(d => members.includes(d));
    }
    let order: string[];
    try {
      order = trainOrder(members, dependsOn);
    } catch (e) {
      if (e instanceof TrainCycleError) throw new ConflictError(e.message);
      throw e;
    }
    return { order, targets, dependsOn };
  }

  /** The phases a train of this System may target. */
  private allowedPhases(
    definition: TrainDefinitionConfig | undefined,
    template: PipelineTemplate,
  ) {
    const ids = definition?.phases ?? template.phases.slice(1).map(p => p.id);
    return template.phases.filter(p => ids.includes(p.id));
  }

  private checkPhase(
    definition: TrainDefinitionConfig | undefined,
    targets: ReleaseEntity[],
    phaseId: string,
  ) {
    for (const t of targets) {
      const phase = PromotionService.phaseOf(t, phaseId);
      if (
        !this.allowedPhases(definition, t.template).some(p => p.id === phase.id)
      ) {
        throw new InputError(
          `A train may not target ${phase.title}; phases: ${this.allowedPhases(
            definition,
            t.template,
          )
            .map(p => p.id)
            .join(', ')}`,
        );
      }
    }
  }

  /** The phase a member's release must have succeeded in before this one. */
  private previousPhase(template: PipelineTemplate, phaseId: string) {
    const phase = findPhase(template, phaseId);
    if (phase?.requires) return phase.requires;
    const i = template.phases.findIndex(p => p.id === phaseId);
    return i > 0 ? template.phases[i - 1].id : undefined;
  }

  /** What runs in the phase now, and the candidate from the previous phase. */
  private async versionsOf(target: ReleaseEntity, phaseId: string) {
    const [current] = await this.deps.promotions.successfulReleasesInPhase(
      target.entityRef,
      phaseId,
      1,
    );
    const prev = this.previousPhase(target.template, phaseId);
    const [candidate] = prev
      ? await this.deps.promotions.successfulReleasesInPhase(
          target.entityRef,
          prev,
          1,
        )
      : [];
    const fresh =
      candidate && candidate.version !== current?.version
        ? candidate.version
        : undefined;
    return { fromVersion: current?.version, version: fresh };
  }

  /** `GET /train-definitions`. */
  async definitions(credentials: CallerCredentials) {
    const items = [];
    for (const d of this.deps.definitions) {
      let system;
      try {
        system = await this.system(credentials, d.system);
      } catch (e) {
        if (e instanceof NotFoundError) continue;
        throw e;
      }
      const { order, targets } = await this.members(credentials, system);
      const phases = new Map<string, string>();
      for (const ref of order) {
        for (const p of this.allowedPhases(d, targets.get(ref)!.template)) {
          if (!phases.has(p.id)) phases.set(p.id, p.title);
        }
      }
      items.push({
        system: d.system,
        title:
          d.title ??
          system.entity.metadata.title ??
          system.entity.metadata.name,
        phases: [...phases]
          .sort(([a], [b]) =>
            d.phases ? d.phases.indexOf(a) - d.phases.indexOf(b) : 0,
          )
          .map(([id, title]) => ({ id, title })),
        members: order,
      });
    }
    return { items };
  }

  /** `GET .../train-plan`: the members, their candidates and what blocks them. */
  async plan(
    credentials: CallerCredentials,
    systemRef: string,
    phaseId: string,
  ) {
    const system = await this.system(credentials, systemRef);
    const { order, targets, dependsOn } = await this.members(
      credentials,
      system,
      undefined,
      phaseId,
    );
    if (!order.length) {
      throw new NotFoundError(
        `${system.ref} has no components with a release pipeline`,
      );
    }
    this.checkPhase(
      system.definition,
      order.map(r => targets.get(r)!),
      phaseId,
    );
    const phase = PromotionService.phaseOf(targets.get(order[0])!, phaseId);
    const members = [];
    for (const [i, ref] of order.entries()) {
      const target = targets.get(ref)!;
      const { version, fromVersion } = await this.versionsOf(target, phaseId);
      const blockers: string[] = [];
      if (version) {
        try {
          const checked = await this.deps.service.trainMemberBlockers({
            credentials,
            target,
            phaseId,
            version,
          });
          blockers.push(...checked.blockers);
        } catch (e) {
          if (!(e instanceof NotAllowedError)) throw e;
          blockers.push(e.message);
        }
        const held = await this.deps.store.openTrainOf(ref, phaseId);
        if (held && !blockers.some(b => b.includes(held))) {
          blockers.push(`${shortRef(ref)} is in the open train ${held}`);
        }
      }
      members.push({
        entityRef: ref,
        order: i + 1,
        ...(version ? { version } : {}),
        ...(fromVersion ? { fromVersion } : {}),
        dependsOn: dependsOn[ref],
        blockers: [...new Set(blockers)],
      });
    }
    const reasons: string[] = [];
    const candidates = members.filter(m => m.version);
    if (!candidates.length) {
      reasons.push(
        `No member has a release newer than what runs in ${phase.title}`,
      );
    }
    for (const m of candidates) {
      for (const b of m.blockers)
        reasons.push(`${shortRef(m.entityRef)}: ${b}`);
    }
    return {
      system: system.ref,
      phase: phase.id,
      phaseTitle: phase.title,
      members,
      canRequest: reasons.length === 0,
      reasons,
    };
  }

  /**
   * `POST /trains`: checks every member first (access, release, gates,
   * open promotions and trains) and creates nothing when one refuses; then
   * claims the members for this train (the database allows one open train
   * per member and phase) and requests each member's promotion through the
   * one request path, in deploy order.
   */
  async request(options: {
    credentials: CallerCredentials;
    system: string;
    phase: string;
    members?: Array<{ entityRef: string; version: string }>;
    comment?: string;
    idempotencyKey?: string;
  }): Promise<{ train: TrainView; replayed: boolean }> {
    const { credentials } = options;
    if (credentials.principal.type !== 'user') {
      throw new NotAllowedError('Only users may request trains');
    }
    const requestedBy = actorRef(credentials);
    if (options.idempotencyKey) {
      const first = await this.deps.store.findByIdempotencyKey(
        requestedBy,
        options.idempotencyKey,
      );
      if (first) {
        return { train: await this.view(first, credentials), replayed: true };
      }
    }
    const system = await this.system(credentials, options.system);
    const explicit = options.members?.map(m => m.entityRef);
    const { order, targets, dependsOn } = await this.members(
      credentials,
      system,
      explicit,
      options.phase,
    );
    if (!order.length) {
      throw new NotFoundError(
        `${system.ref} has no components with a release pipeline that has phase '${options.phase}'`,
      );
    }
    this.checkPhase(
      system.definition,
      order.map(r => targets.get(r)!),
      options.phase,
    );
    const versions = new Map<string, string>();
    if (options.members) {
      for (const m of options.members) {
        versions.set(
          stringifyEntityRef(
            parseEntityRef(m.entityRef, { defaultKind: 'component' }),
          ),
          m.version,
        );
      }
    } else {
      for (const ref of order) {
        const { version } = await this.versionsOf(
          targets.get(ref)!,
          options.phase,
        );
        if (version) versions.set(ref, version);
      }
    }
    const chosen = order.filter(r => versions.has(r));
    if (!chosen.length) {
      throw new ConflictError(
        `No member of ${system.ref} has a release newer than what runs in '${options.phase}'`,
      );
    }
    // Access of every member first (403 before anything is told), then the
    // release of each (404), then the gates: nothing is created unless all pass.
    const checked = [];
    for (const ref of chosen) {
      checked.push({
        ref,
        ...(await this.deps.service.trainMemberBlockers({
          credentials,
          target: targets.get(ref)!,
          phaseId: options.phase,
          version: versions.get(ref)!,
        })),
      });
    }
    const refusals: string[] = [];
    for (const c of checked) {
      for (const b of c.blockers) refusals.push(`${shortRef(c.ref)}: ${b}`);
      const held = await this.deps.store.openTrainOf(c.ref, options.phase);
      if (held && !c.blockers.some(b => b.includes(held))) {
        refusals.push(
          `${shortRef(c.ref)} is already in the open train ${held}`,
        );
      }
    }
    if (refusals.length) {
      throw new ConflictError(refusals.join('; '));
    }
    const phase = checked[0].phase;
    const title =
      system.definition?.title ??
      system.entity.metadata.title ??
      system.entity.metadata.name;
    const { train, replayed } = await this.deps.store.create({
      system: system.ref,
      title,
      phase: phase.id,
      requestedBy,
      comment: options.comment,
      idempotencyKey: options.idempotencyKey,
      members: await Promise.all(
        checked.map(async (c, i) => ({
          entityRef: c.ref,
          order: i + 1,
          version: c.release.version,
          fromVersion: (
            await this.versionsOf(targets.get(c.ref)!, phase.id)
          ).fromVersion,
          dependsOn: dependsOn[c.ref].filter(d => chosen.includes(d)),
        })),
      ),
    });
    if (replayed) {
      // A concurrent request with the same key created it first.
      return { train: await this.view(train, credentials), replayed: true };
    }
    const created: StoredPromotion[] = [];
    try {
      for (const c of checked) {
        const promotion = await this.deps.service.requestTrainMember({
          credentials,
          target: targets.get(c.ref)!,
          phase: c.phase,
          release: c.release,
          trainId: train.id,
          comment: `Train ${title}${
            options.comment ? `: ${options.comment}` : ''
          }`,
        });
        await this.deps.store.setPromotion(train.id, c.ref, promotion.id);
        created.push(promotion);
      }
    } catch (e) {
      // A request between the checks and now took a member's phase: end
      // what was created (through the lifecycle) and free the members.
      const reason = `Train request refused: ${(e as Error).message}`;
      for (const p of created) {
        await this.deps.service.stopTrainMember(
          p,
          targets.get(p.entityRef)!.template,
          reason,
        );
      }
      if (created.length) await this.deps.store.settle(train.id, 'cancelled');
      else await this.deps.store.discard(train.id);
      throw e;
    }
    const stored = (await this.deps.store.get(train.id))!;
    const view = await this.view(stored, credentials);
    await this.notifyApprovers(view, targets);
    return { train: view, replayed: false };
  }

  private async notifyApprovers(
    view: TrainView,
    targets: Map<string, ReleaseEntity>,
  ) {
    if (!this.deps.notifications || view.status !== 'pending_approval') return;
    const approvers = new Set<string>();
    for (const m of view.members) {
      const t = targets.get(m.entityRef);
      const phase = t && findPhase(t.template, view.phase);
      if (t && phase) {
        phaseRoleMembers(phase, t.owners, 'approver').forEach(a =>
          approvers.add(a),
        );
      }
    }
    if (!approvers.size) return;
    try {
      await this.deps.notifications.send({
        recipients: {
          type: 'entity',
          entityRef: [...approvers],
          excludeEntityRef: [view.requestedBy],
        },
        payload: {
          title: `Train ${view.title} to ${view.phaseTitle} waits for approval`,
          description: `${shortRef(view.requestedBy)} requested ${view.members
            .map(m => `${shortRef(m.entityRef)} ${m.version}`)
            .join(', ')}; one approval covers the train.`,
          link: trainsPageLink(view.system, view.id),
          severity: 'high',
          topic: `release-train:${view.id}`,
          scope: `release-train:${view.id}`,
        },
      });
    } catch (e) {
      this.deps.logger?.warn(
        `Could not notify the approvers of train ${view.id}: ${
          (e as Error).message
        }`,
      );
    }
  }

  /** A train, 404 when missing. */
  async get(id: string): Promise<StoredTrain> {
    const train = await this.deps.store.get(id);
    if (!train) throw new NotFoundError(`Train ${id} does not exist`);
    return train;
  }

  /** The member promotions, in deploy order. */
  private async memberPromotions(train: StoredTrain) {
    const out: StoredPromotion[] = [];
    for (const m of train.members) {
      const p = m.promotionId
        ? await this.deps.promotions.getPromotion(m.promotionId)
        : undefined;
      if (p) out.push(p);
    }
    return out;
  }

  private templateOf(p: StoredPromotion) {
    return this.deps.templates.get(p.snapshot?.template ?? '');
  }

  /** The train's status as its members make it (written back when it moved). */
  private async statusOf(train: StoredTrain, promotions: StoredPromotion[]) {
    const status: TrainStatus = train.rolledBackAt
      ? 'rolled_back'
      : trainStatusOf(promotions.map(p => p.status));
    if (status !== train.status) {
      await this.deps.store.settle(train.id, status);
    }
    return status;
  }

  /** The API view of the train as it is stored now. */
  private async viewOf(id: string, credentials: CallerCredentials) {
    return this.view((await this.deps.store.get(id))!, credentials);
  }

  /** The API view of a train, with what the caller may do with it. */
  async view(
    train: StoredTrain,
    credentials: CallerCredentials,
  ): Promise<TrainView> {
    const promotions = await this.memberPromotions(train);
    const byId = new Map(promotions.map(p => [p.id, p]));
    const status = await this.statusOf(train, promotions);
    const failure = new Map<string, string>();
    for (const p of promotions) {
      if (p.status === 'failed') {
        failure.set(
          p.id,
          (await this.deps.store.failureReason(p.id)) ??
            p.progress[p.progress.length - 1]?.message ??
            'the deployment failed',
        );
      } else if (p.status === 'cancelled' || p.status === 'rejected') {
        const reason = await this.deps.store.endReason(p.id, p.status);
        if (reason) failure.set(p.id, reason);
      }
    }
    const members = train.members
      .filter(m => m.promotionId && byId.has(m.promotionId))
      .map(m => {
        const p = byId.get(m.promotionId!)!;
        const last = p.progress[p.progress.length - 1];
        return {
          entityRef: m.entityRef,
          order: m.order,
          version: m.version,
          ...(m.fromVersion ? { fromVersion: m.fromVersion } : {}),
          promotionId: p.id,
          status: p.status,
          ...(p.status === 'deploying' || p.status === 'queued'
            ? {
                progress: {
                  ...(last?.percent !== undefined
                    ? { percent: last.percent }
                    : {}),
                  ...(last?.message ? { message: last.message } : {}),
                },
              }
            : {}),
          dependsOn: m.dependsOn,
          ...(failure.has(p.id) ? { failureReason: failure.get(p.id) } : {}),
        };
      });
    const stop = trainStopCause(
      members.map(m => ({
        entityRef: m.entityRef,
        status: m.status,
        failureReason: m.failureReason,
      })),
    );
    const first = promotions[0];
    const template = first ? this.templateOf(first) : undefined;
    const phase = template ? findPhase(template, train.phase) : undefined;
    const approvals = first
      ? (await this.deps.promotions.listApprovals([first.id])).filter(
          a => a.decision === 'approve' && !a.invalidated,
        )
      : [];
    const required = Math.max(
      0,
      ...promotions.map(
        p =>
          findPhase(this.templateOf(p) ?? { name: '', phases: [] }, p.phase)
            ?.approvals.required ?? 0,
      ),
    );
    const { canDecide, cannotDecideReason, canCancel } = await this.callerMay(
      train,
      status,
      promotions,
      credentials,
    );
    return {
      id: train.id,
      system: train.system,
      title: train.title,
      phase: train.phase,
      phaseTitle: phase?.title ?? train.phase,
      status,
      requestedBy: train.requestedBy,
      requestedAt: train.requestedAt,
      ...(train.comment ? { comment: train.comment } : {}),
      approvals: {
        required,
        given: approvals.map(a => ({
          by: a.userRef,
          at: a.decidedAt,
          ...(a.comment ? { comment: a.comment } : {}),
        })),
      },
      canDecide,
      ...(cannotDecideReason ? { cannotDecideReason } : {}),
      canCancel,
      members,
      ...(stop
        ? { stoppedBy: { entityRef: stop.entityRef, reason: stop.reason } }
        : {}),
      rollbackAvailable: trainRollbackAvailable(
        status,
        promotions.map(p => p.status),
      ),
    };
  }

  private async callerMay(
    train: StoredTrain,
    status: TrainStatus,
    promotions: StoredPromotion[],
    credentials: CallerCredentials,
  ) {
    const waiting = promotions.filter(p =>
      WAITING_PROMOTION_STATUSES.includes(p.status),
    );
    const user = credentials.principal.type === 'user';
    let canCancel = false;
    let canDecide = false;
    let cannotDecideReason: string | undefined;
    if (!user) {
      return {
        canDecide,
        cannotDecideReason: 'Only users decide on trains',
        canCancel,
      };
    }
    const me = actorRef(credentials);
    const mine = await this.deps.access.ownership(credentials);
    const targets = await this.deps.entities.resolveMany(
      promotions.map(p => p.entityRef),
      credentials,
    );
    const roleEverywhere = (
      list: StoredPromotion[],
      role: 'deployer' | 'approver',
    ) =>
      list.every(p => {
        const t = targets.get(p.entityRef);
        const phase = t && findPhase(t.template, p.phase);
        return Boolean(phase && hasPhaseRole(mine, phase, t!.owners, role));
      });
    const cancellable = promotions.filter(notStarted);
    canCancel =
      cancellable.length > 0 &&
      (me === train.requestedBy || roleEverywhere(cancellable, 'deployer'));
    if (status !== 'pending_approval') {
      cannotDecideReason = `The train is ${status.replace('_', ' ')}`;
    } else if (me === train.requestedBy) {
      cannotDecideReason = 'You requested this train';
    } else if (!roleEverywhere(waiting, 'approver')) {
      const not = waiting.find(p => {
        const t = targets.get(p.entityRef);
        const phase = t && findPhase(t.template, p.phase);
        return !(phase && hasPhaseRole(mine, phase, t!.owners, 'approver'));
      });
      cannotDecideReason = `You are not an approver of ${shortRef(
        not?.entityRef ?? '',
      )} in this phase`;
    } else {
      const decided = await this.deps.promotions.listApprovals(
        waiting.map(p => p.id),
      );
      if (
        waiting.every(p =>
          decided.some(
            a => a.promotionId === p.id && a.userRef === me && !a.invalidated,
          ),
        )
      ) {
        cannotDecideReason = 'You have already approved this train';
      } else {
        canDecide = true;
      }
    }
    return { canDecide, cannotDecideReason, canCancel };
  }

  /**
   * Whether the caller may read every member (catalog visibility and the
   * release read permission): a train shows versions of each of them.
   */
  private async visibleTo(credentials: CallerCredentials, train: StoredTrain) {
    const refs = train.members.map(m => m.entityRef);
    const visible = await this.deps.entities.resolveMany(refs, credentials);
    if (visible.size !== new Set(refs).size) return false;
    const allowed = await this.deps.access.filter(
      credentials,
      releaseReadPermission,
      refs,
    );
    return allowed.size === new Set(refs).size;
  }

  /** A train the caller may read, else a 404. */
  async readable(credentials: CallerCredentials, id: string) {
    const train = await this.get(id);
    if (!(await this.visibleTo(credentials, train))) {
      throw new NotFoundError(`Train ${id} does not exist`);
    }
    return train;
  }

  /**
   * Repairs what a crash between a member's end and its follow-up left
   * behind (run by the reconciler): an open train with a failed member has
   * the rest stopped, one whose member succeeded has the next one advanced.
   */
  async sweep(limit = 50): Promise<void> {
    for (const train of await this.deps.store.listOpen(limit)) {
      const promotions = await this.memberPromotions(train);
      const failed = promotions.find(p => p.status === 'failed');
      const done = [...promotions]
        .reverse()
        .find(p => p.status === 'succeeded');
      const last = failed ?? done;
      if (last) await this.afterMemberFinished(last);
      else await this.statusOf(train, promotions);
    }
  }

  /** `GET /trains` and `GET /entities/.../trains`. */
  async list(
    credentials: CallerCredentials,
    options: {
      system?: string;
      entity?: string;
      open: boolean;
      limit: number;
      offset: number;
    },
  ) {
    const page = await this.deps.store.list({
      ...options,
      limit: options.limit + 1,
    });
    const items = [];
    for (const t of page.slice(0, options.limit)) {
      if (await this.visibleTo(credentials, t)) {
        items.push(await this.view(t, credentials));
      }
    }
    return {
      items,
      next:
        page.length > options.limit
          ? options.offset + options.limit
          : undefined,
    };
  }

  /**
   * One decision covering the train: refused for every member before any
   * is recorded (who, self-approval, gates), then recorded on each member
   * promotion in deploy order through the one decision path.
   */
  async decide(options: {
    credentials: CallerCredentials;
    id: string;
    decision: 'approve' | 'reject';
    comment?: string;
  }): Promise<TrainView> {
    const { credentials, decision } = options;
    const train = await this.readable(credentials, options.id);
    if (decision === 'reject' && !options.comment?.trim()) {
      throw new InputError('A rejection needs a comment saying why');
    }
    const promotions = await this.memberPromotions(train);
    const status = await this.statusOf(train, promotions);
    if (status !== 'pending_approval') {
      throw new ConflictError(
        `Train ${
          train.id
        } is ${status}; only a train waiting for approval can be ${
          decision === 'approve' ? 'approved' : 'rejected'
        }`,
      );
    }
    if (
      credentials.principal.type === 'user' &&
      actorRef(credentials) === train.requestedBy &&
      decision === 'approve'
    ) {
      // Refused per member below as well; said once for the train here.
      const selfAllowed = promotions.every(
        p =>
          findPhase(this.templateOf(p) ?? { name: '', phases: [] }, p.phase)
            ?.approvals.allowSelfApproval,
      );
      if (!selfAllowed) {
        throw new NotAllowedError(
          `You requested train ${train.title}; someone else must approve it`,
        );
      }
    }
    const pending = promotions.filter(p => p.status === 'pending_approval');
    const targets = new Map<string, ReleaseEntity>();
    for (const p of pending) {
      const target = await this.deps.entities.resolve(p.entityRef, credentials);
      targets.set(p.entityRef, target);
      await this.deps.service.decisionRefusal({
        credentials,
        target,
        promotion: p,
        decision,
      });
    }
    for (const p of pending) {
      await this.deps.service.decide({
        credentials,
        target: targets.get(p.entityRef)!,
        promotion: p,
        decision,
        comment: options.comment,
        viaTrain: true,
      });
    }
    if (decision === 'reject') {
      await this.stopRest(
        train,
        `stopped: train rejected${
          options.comment ? `: ${options.comment}` : ''
        }`,
      );
    } else {
      // Every member was held while another waited for this approval; now
      // the first in order may be queued without waiting for the reconciler.
      await this.advanceApproved(train, 'system:train');
    }
    return this.viewOf(train.id, credentials);
  }

  /** `POST /trains/{id}/cancel`: cancels the members not deploying yet. */
  async cancel(options: {
    credentials: CallerCredentials;
    id: string;
    comment?: string;
  }): Promise<TrainView> {
    const { credentials } = options;
    const train = await this.readable(credentials, options.id);
    const promotions = await this.memberPromotions(train);
    const waiting = promotions.filter(notStarted);
    if (!waiting.length) {
      throw new ConflictError(
        `Train ${train.id} has no member left that has not started deploying`,
      );
    }
    // Refused for every member before any is cancelled.
    const status = await this.statusOf(train, promotions);
    const { canCancel } = await this.callerMay(
      train,
      status,
      promotions,
      credentials,
    );
    if (!canCancel) {
      throw new NotAllowedError(
        `Only the requester of train ${train.title} or a deployer of every member may cancel it`,
      );
    }
    const targets = new Map<string, ReleaseEntity>();
    for (const p of waiting) {
      targets.set(
        p.entityRef,
        await this.deps.entities.resolve(p.entityRef, credentials),
      );
    }
    const comment = `Train cancelled${
      options.comment ? `: ${options.comment}` : ''
    }`;
    for (const p of waiting) {
      await this.deps.service.cancel({
        credentials,
        target: targets.get(p.entityRef)!,
        promotion: p,
        comment,
        viaTrain: true,
      });
    }
    return this.viewOf(train.id, credentials);
  }

  /**
   * `POST /trains/{id}/rollback`: the members the failed train deployed go
   * back to what ran before, newest in the order first, each through the
   * normal rollback path (same access and gates).
   */
  async rollback(options: {
    credentials: CallerCredentials;
    id: string;
    comment?: string;
  }): Promise<TrainView> {
    const { credentials } = options;
    const train = await this.readable(credentials, options.id);
    const promotions = await this.memberPromotions(train);
    const status = await this.statusOf(train, promotions);
    if (
      !trainRollbackAvailable(
        status,
        promotions.map(p => p.status),
      )
    ) {
      throw new ConflictError(
        `Train ${train.id} is ${status}; only a failed train with deployed members can be rolled back`,
      );
    }
    const deployed = train.members
      .filter(m =>
        promotions.some(
          p => p.id === m.promotionId && p.status === 'succeeded',
        ),
      )
      .reverse();
    const targets = new Map<string, ReleaseEntity>();
    for (const m of deployed) {
      if (!m.fromVersion) {
        throw new ConflictError(
          `${shortRef(m.entityRef)} ran nothing in '${
            train.phase
          }' before this train; there is nothing to roll back to`,
        );
      }
      const target = await this.deps.entities.resolve(m.entityRef, credentials);
      targets.set(m.entityRef, target);
    }
    for (const m of deployed) {
      await this.deps.service.requestRollback({
        credentials,
        target: targets.get(m.entityRef)!,
        phaseId: train.phase,
        version: m.fromVersion,
        comment: `Rollback of train ${train.title}${
          options.comment ? `: ${options.comment}` : ''
        }`,
        idempotencyKey: `train-rollback:${train.id}:${m.entityRef}`.slice(
          0,
          255,
        ),
      });
    }
    await this.deps.store.markRolledBack(train.id, actorRef(credentials));
    return this.viewOf(train.id, credentials);
  }

  /** Cancels the members not deploying yet, with the reason. */
  private async stopRest(train: StoredTrain, message: string) {
    for (const p of (await this.memberPromotions(train)).filter(notStarted)) {
      const template = this.templateOf(p);
      if (template) {
        await this.deps.service.stopTrainMember(p, template, message);
      }
    }
  }

  /**
   * The `train_order` gate of a member promotion: why it may not be queued
   * or deployed yet (not overridable).
   */
  async orderBlocker(p: StoredPromotion): Promise<string | undefined> {
    if (!p.trainId || p.kind !== 'promote') return undefined;
    const train = await this.deps.store.get(p.trainId);
    if (!train) return undefined;
    const index = train.members.findIndex(m => m.promotionId === p.id);
    if (index < 0) return undefined;
    const promotions = await this.memberPromotions(train);
    const byId = new Map(promotions.map(x => [x.id, x]));
    return trainOrderBlocker(
      index,
      train.members.map(m => ({
        entityRef: m.entityRef,
        status: byId.get(m.promotionId ?? '')?.status ?? 'pending_approval',
      })),
    );
  }

  /** Offers every approved member to its phase (the train order decides). */
  private async advanceApproved(train: StoredTrain, actor: string) {
    for (const next of await this.memberPromotions(train)) {
      const template = this.templateOf(next);
      const phase = template && findPhase(template, next.phase);
      if (next.status === 'approved' && phase) {
        await this.deps.service.advance(next, phase, actor);
      }
    }
  }

  /**
   * After a member's deployment ended: on success the next members may be
   * queued; on failure the members not deploying yet are cancelled with
   * "stopped: <member> failed: <reason>" and the train is failed.
   */
  async afterMemberFinished(p: StoredPromotion): Promise<void> {
    if (!p.trainId) return;
    const train = await this.deps.store.get(p.trainId);
    if (!train) return;
    if (p.status === 'succeeded') {
      await this.advanceApproved(train, 'system:train');
    } else if (p.status === 'failed') {
      const reason =
        (await this.deps.store.failureReason(p.id)) ?? 'the deployment failed';
      await this.stopRest(
        train,
        `stopped: ${shortRef(p.entityRef)} failed: ${reason}`,
      );
    }
    const fresh = await this.memberPromotions(train);
    await this.statusOf(train, fresh);
  }
}
