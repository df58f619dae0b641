import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import {
  findPhase,
  PipelineTemplate,
} from '@release-manager/backstage-plugin-release-common';
import { DispatchStore } from '../database/DispatchStore';
import { StoredPromotion } from '../database/PromotionStore';
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
      service: PromotionService;
      templates: Map<string, PipelineTemplate>;
      auditor: AuditorService;
      logger: LoggerService;
      clock: () => Date;
      onFinished: (promotion: StoredPromotion) => Promise<void>;
      wake: () => void;
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
    this.deps.wake();
  }
}
