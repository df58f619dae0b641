import { phaseRoleMembers } from '../access/phaseAccess';
import { LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import {
  findPhase,
  planReleaseNotification,
  ReleaseLifecycleEvent,
  ReleaseLifecycleEventType,
} from '@release-manager/backstage-plugin-release-common';
import { ReleaseEntity } from '../access/EntityResolver';
import { LifecycleListener } from './LifecycleHub';

/** The only events that may notify someone (others need no catalog lookup). */
const NOTIFYING: ReadonlySet<ReleaseLifecycleEventType> = new Set([
  'promotion.requested',
  'promotion.approvals_invalidated',
  'promotion.approved',
  'promotion.rejected',
  'promotion.cancelled',
  'promotion.succeeded',
  'promotion.failed',
]);

/**
 * Sends Backstage notifications for lifecycle events: approvers when a
 * promotion waits for them, requesters when it was decided, deployed or
 * failed (who and what: `planReleaseNotification` of release-common).
 * Notifications link to the promotion in the portal and carry no secret
 * values. When the notifications backend is not installed, sending fails:
 * that is logged once as a warning, and at debug level afterwards.
 */
export class ReleaseNotifier implements LifecycleListener {
  readonly name = 'notifier';
  private failing = false;

  constructor(
    private readonly deps: {
      notifications: NotificationService;
      /** The entity with its pipeline and owners, as the plugin itself sees it. */
      entityOf: (entityRef: string) => Promise<ReleaseEntity>;
      logger: LoggerService;
    },
  ) {}

  async handle(event: ReleaseLifecycleEvent): Promise<void> {
    if (!NOTIFYING.has(event.type)) {
      return;
    }
    if (event.trainId && event.type === 'promotion.requested') {
      return; // the train notifies its approvers once, linking to the train
    }
    let target: ReleaseEntity;
    try {
      target = await this.deps.entityOf(event.entityRef);
    } catch (e) {
      this.deps.logger.debug(
        `No release notification for ${event.type} of ${event.entityRef}: ${
          (e as Error).message
        }`,
      );
      return;
    }
    const phase = event.phase
      ? findPhase(target.template, event.phase)
      : undefined;
    const plan = planReleaseNotification(event, {
      approvers: phase
        ? phaseRoleMembers(phase, target.owners, 'approver')
        : [],
      entityName: target.entity.metadata.title ?? target.entity.metadata.name,
      phaseTitle: phase?.title ?? event.phase ?? '',
    });
    if (!plan) {
      return;
    }
    try {
      await this.deps.notifications.send({
        recipients: {
          type: 'entity',
          entityRef: plan.recipients,
          ...(plan.excluded.length ? { excludeEntityRef: plan.excluded } : {}),
        },
        payload: {
          title: plan.title,
          description: plan.description,
          link: plan.link,
          severity: plan.severity,
          topic: plan.topic,
          scope: plan.scope,
          metadata: {
            eventType: event.type,
            entityRef: event.entityRef,
            ...(event.promotionId ? { promotionId: event.promotionId } : {}),
          },
        },
      });
      if (this.failing) {
        this.failing = false;
        this.deps.logger.info('Release notifications are delivered again');
      }
    } catch (e) {
      const message = `Could not send the release notification "${
        plan.title
      }": ${(e as Error).message}`;
      if (this.failing) {
        this.deps.logger.debug(message);
      } else {
        this.failing = true;
        this.deps.logger.warn(
          `${message}. Is the notifications backend plugin installed? Further failures are logged at debug level; set release.notifications.enabled: false to stop sending.`,
        );
      }
    }
  }
}
