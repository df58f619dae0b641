import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import {
  findPhase,
  parseIsoDuration,
  PipelineTemplate,
} from '@release-manager/backstage-plugin-release-common';
import { DispatchStore } from '../database/DispatchStore';
import { PromotionStore, StoredPromotion } from '../database/PromotionStore';

/** How long after the soak time a success still leads to an automatic promotion. */
const AUTO_PROMOTION_HORIZON_MS = 24 * 3600_000;
import { PromotionService } from './PromotionService';

/**
 * Background repair, run on the Backstage scheduler with `scope: 'global'`
 * (one replica at a time): fails promotions stuck past their deadline
 * (audited), and queues approved promotions whose phase became free or whose
 * freeze ended. Promotions whose lease expired are claimed again by the
 * dispatchers, which ask the provider before dispatching again.
 */
export class Reconciler {
  constructor(
    private readonly deps: {
      dispatch: DispatchStore;
      promotions: PromotionStore;
      service: PromotionService;
      templates: Map<string, PipelineTemplate>;
      auditor: AuditorService;
      logger: LoggerService;
      clock: () => Date;
      onFinished: (promotion: StoredPromotion) => Promise<void>;
      wake: () => void;
      /** The pipeline an entity follows now (for promotions without a snapshot). */
      templateOf?: (entityRef: string) => Promise<PipelineTemplate | undefined>;
      /** Repairs open release trains (a member ended, its follow-up lost). */
      sweepTrains?: () => Promise<void>;
    },
  ) {}

  async run() {
    const { dispatch, auditor, clock } = this.deps;
    for (const p of await dispatch.listOverdue(clock(), 100)) {
      const event = await auditor.createEvent({
        eventId: 'promotion-deadline',
        severityLevel: 'high',
        meta: {
          promotionId: p.id,
          entityRef: p.entityRef,
          phase: p.phase,
          version: p.version,
        },
      });
      const done = await dispatch.finish(p.id, undefined, 'failed', {
        actor: 'system:reconciler',
        report: {
          message: 'The deployment did not finish before its deadline',
        },
      });
      await event.fail({
        error: new Error(`Promotion ${p.id} passed its deadline`),
      });
      if (done) await this.deps.onFinished(done);
    }
    for (const { entityRef, phase } of await dispatch.listPhasesWithApproved(
      200,
    )) {
      const promotions = await this.deps.service.approvedIn(entityRef, phase);
      const template = this.deps.templates.get(
        promotions[0]?.snapshot?.template ?? '',
      );
      const def = template && findPhase(template, phase);
      if (def) {
        await this.deps.service.advance(
          { entityRef },
          def,
          'system:reconciler',
        );
      }
    }
    await this.runScheduled();
    await this.autoPromoteSoaked();
    await this.deps.sweepTrains?.();
    this.deps.wake();
  }

  /** Scheduled promotions whose time has come: queued, or ended with the reason. */
  async runScheduled() {
    const due = await this.deps.promotions.listDueScheduled(
      this.deps.clock(),
      100,
    );
    for (const p of due) {
      const name =
        p.snapshot?.template ??
        (await this.deps.templateOf?.(p.entityRef))?.name;
      const template = this.deps.templates.get(name ?? '');
      if (!template) continue;
      try {
        await this.deps.service.runScheduled(p, template);
      } catch (e) {
        this.deps.logger.warn(`Scheduled promotion ${p.id} failed: ${e}`);
      }
    }
  }

  /**
   * Automatic promotions that wait for a soak time (or whose immediate
   * request was lost in a crash): once the release has run in the required
   * phase long enough, it is requested through the same gates as any other
   * request. The task runs on one replica at a time, and a release already
   * requested for the next phase is not requested again: exactly once.
   */
  async autoPromoteSoaked() {
    const now = this.deps.clock().getTime();
    for (const template of this.deps.templates.values()) {
      for (const next of template.phases) {
        if (!next.autoPromote || !next.requires) continue;
        const soakMs = next.soakTime ? parseIsoDuration(next.soakTime) ?? 0 : 0;
        const candidates =
          await this.deps.promotions.listAutoPromotionCandidates({
            phase: next.requires,
            nextPhase: next.id,
            from: new Date(now - soakMs - AUTO_PROMOTION_HORIZON_MS),
            to: new Date(now - soakMs),
            limit: 100,
          });
        for (const done of candidates) {
          const pipeline =
            done.snapshot?.template ??
            (await this.deps.templateOf?.(done.entityRef))?.name;
          if (pipeline !== template.name) continue;
          try {
            await this.deps.service.autoPromote(
              { entityRef: done.entityRef, template },
              next,
              done.version,
            );
          } catch (e) {
            this.deps.logger.warn(
              `Automatic promotion of ${done.entityRef} ${done.version} into ${next.id} failed: ${e}`,
            );
          }
        }
      }
    }
  }
}
