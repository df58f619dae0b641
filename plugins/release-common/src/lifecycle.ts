import { parseEntityRef } from '@backstage/catalog-model';
import { PromotionStatus } from './types';

/**
 * The topic of Backstage's events service on which the release backend
 * publishes every release, promotion and phase lifecycle change, each as a
 * {@link ReleaseLifecycleEvent}.
 * @public
 */
export const RELEASE_LIFECYCLE_TOPIC = 'release.lifecycle';

/**
 * What a {@link ReleaseLifecycleEvent} reports.
 *
 * - `release.created`: a release (version) was recorded.
 * - `promotion.requested`: a promotion or rollback was requested; `status`
 *   is `pending_approval` when it waits for approvers, else `approved`.
 * - `promotion.decision_recorded`: one approver approved or rejected
 *   (`decision`); with N-of-M approvals the promotion may still wait.
 * - `promotion.approved`, `promotion.rejected`, `promotion.cancelled`,
 *   `promotion.superseded`, `promotion.queued`, `promotion.deploying`,
 *   `promotion.succeeded`, `promotion.failed`: the promotion moved to that
 *   status.
 * - `promotion.approvals_invalidated`: the phase configuration changed before
 *   deployment; earlier approvals no longer count and `status` says whether
 *   the promotion waits for approval again.
 * - `phase.locked`, `phase.unlocked`: a phase lock was set or lifted.
 * - `phase.config_changed`: a new version of the phase configuration
 *   (variables, database, sizing or the set of secret names) was saved.
 * @public
 */
export type ReleaseLifecycleEventType =
  | 'release.created'
  | 'promotion.requested'
  | 'promotion.decision_recorded'
  | 'promotion.approved'
  | 'promotion.rejected'
  | 'promotion.cancelled'
  | 'promotion.superseded'
  | 'promotion.queued'
  | 'promotion.deploying'
  | 'promotion.succeeded'
  | 'promotion.failed'
  | 'promotion.approvals_invalidated'
  | 'phase.locked'
  | 'phase.unlocked'
  | 'phase.config_changed';

/**
 * The payload of every event on {@link RELEASE_LIFECYCLE_TOPIC}. It never
 * holds secret values: configuration changes are reported by version only.
 * @public
 */
export interface ReleaseLifecycleEvent {
  /** What happened. */
  type: ReleaseLifecycleEventType;
  /** The catalog entity, e.g. `component:default/payments-api`. */
  entityRef: string;
  /** The phase id (every event but `release.created`). */
  phase?: string;
  /** The release version (release and promotion events). */
  version?: string;
  /** The promotion (promotion events). */
  promotionId?: string;
  /** The release train the promotion is a member of, if any. */
  trainId?: string;
  /** Whether the promotion is a promotion or a rollback (promotion events). */
  kind?: 'promote' | 'rollback';
  /** The promotion's status after the change (promotion status events). */
  status?: PromotionStatus;
  /** The promotion's status before the change, where it had one. */
  previousStatus?: PromotionStatus;
  /** The decision of `promotion.decision_recorded`. */
  decision?: 'approve' | 'reject';
  /** Who requested the promotion (promotion events). */
  requestedBy?: string;
  /** Who caused the change: a user or service ref, or `system:<part>`. */
  actor: string;
  /** The comment, reason or provider message that came with the change. */
  message?: string;
  /** The release artifact (`release.created`). */
  artifact?: string;
  /** The release commit (`release.created`), when known. */
  commit?: string;
  /** The phase configuration version (`phase.config_changed`, `promotion.approvals_invalidated`). */
  configVersion?: number;
  /** The deployment's page at the provider (`promotion.deploying` and later), when known. */
  externalUrl?: string;
  /** App-relative portal path that shows the promotion (or the release). */
  link: string;
  /** When the change was committed, ISO 8601. */
  at: string;
}

/**
 * The app-relative portal path of an entity's Releases tab, opening the
 * given promotion's detail (`?promotion=<id>`) when one is given.
 * @public
 */
export function releasesPageLink(
  entityRef: string,
  promotionId?: string,
): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  const path = [namespace, kind, name]
    .map(p => encodeURIComponent(p.toLocaleLowerCase('en-US')))
    .join('/');
  const query = promotionId
    ? `?promotion=${encodeURIComponent(promotionId)}`
    : '';
  return `/catalog/${path}/releases${query}`;
}

/** Severity of a planned notification (as Backstage notifications know it). @public */
export type ReleaseNotificationSeverity =
  | 'critical'
  | 'high'
  | 'normal'
  | 'low';

/**
 * A notification the release backend sends for a lifecycle event.
 * @public
 */
export interface ReleaseNotificationPlan {
  /** Who is addressed: the phase's approvers or the promotion's requester. */
  audience: 'approvers' | 'requester';
  /** User or group entity refs to notify. */
  recipients: string[];
  /** Refs removed from the resolved recipients (the requester, from "waits for you"). */
  excluded: string[];
  title: string;
  description: string;
  severity: ReleaseNotificationSeverity;
  /** Notifications topic, so users can mute a kind of notification. */
  topic: string;
  /** Notifications of one scope replace each other instead of piling up. */
  scope: string;
  link: string;
}

/** The notifications topic of "waits for your approval". @public */
export const RELEASE_APPROVALS_NOTIFICATION_TOPIC = 'release-approvals';
/** The notifications topic of outcomes sent to requesters. @public */
export const RELEASE_OUTCOMES_NOTIFICATION_TOPIC = 'release-outcomes';

const isUserRef = (ref: string | undefined): ref is string =>
  Boolean(ref && /^user:/i.test(ref));

const sameRef = (a: string, b: string) =>
  a.toLocaleLowerCase('en-US') === b.toLocaleLowerCase('en-US');

const MAX_TEXT = 500;
const clip = (text: string) =>
  text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;

/**
 * Who is notified of a lifecycle event, and what they are told:
 *
 * - approvers, when a promotion waits for their approval (requested, or
 *   back to waiting after a configuration change), never the requester;
 * - the requester (a user), when their promotion was approved, rejected or
 *   cancelled by someone else, deployed or failed.
 *
 * Other events notify no one. `approvers` are the phase's approver refs
 * (users or groups) as the pipeline resolves them for the entity.
 * @public
 */
export function planReleaseNotification(
  event: ReleaseLifecycleEvent,
  context: {
    approvers: string[];
    /** Display name of the entity, e.g. its title or name. */
    entityName: string;
    /** Display title of the phase. */
    phaseTitle: string;
  },
): ReleaseNotificationPlan | undefined {
  const { entityName, phaseTitle } = context;
  if (!event.promotionId || !event.version) {
    return undefined;
  }
  const requester = event.requestedBy;
  const rollback = event.kind === 'rollback';
  const what = rollback
    ? `rollback of ${entityName} to ${event.version} in ${phaseTitle}`
    : `${entityName} ${event.version} into ${phaseTitle}`;
  const withMessage = (text: string) =>
    event.message?.trim() ? `${text}: ${clip(event.message.trim())}` : text;

  const waiting =
    event.status === 'pending_approval' &&
    (event.type === 'promotion.requested' ||
      event.type === 'promotion.approvals_invalidated');
  if (waiting) {
    const recipients = context.approvers.filter(
      a => !requester || !sameRef(a, requester),
    );
    if (recipients.length === 0) {
      return undefined;
    }
    const again = event.type === 'promotion.approvals_invalidated';
    const asker = requester ?? event.actor;
    return {
      audience: 'approvers',
      recipients,
      excluded: requester ? [requester] : [],
      title: again ? `Approve again: ${what}` : `Approval needed: ${what}`,
      description: again
        ? `The configuration of ${phaseTitle} changed (by ${event.actor}); earlier approvals no longer count. Requested by ${asker}.`
        : withMessage(
            rollback
              ? `${asker} asks to roll back ${event.entityRef} to ${event.version} in ${phaseTitle}`
              : `${asker} asks to promote ${event.entityRef} ${event.version} into ${phaseTitle}`,
          ),
      severity: 'normal',
      topic: RELEASE_APPROVALS_NOTIFICATION_TOPIC,
      scope: `release-promotion:${event.promotionId}:approval`,
      link: event.link,
    };
  }

  if (!isUserRef(requester)) {
    return undefined;
  }
  const byOther = !sameRef(event.actor, requester);
  const toRequester = (
    title: string,
    description: string,
    severity: ReleaseNotificationSeverity,
  ): ReleaseNotificationPlan => ({
    audience: 'requester',
    recipients: [requester],
    excluded: [],
    title,
    description,
    severity,
    topic: RELEASE_OUTCOMES_NOTIFICATION_TOPIC,
    scope: `release-promotion:${event.promotionId}`,
    link: event.link,
  });
  switch (event.type) {
    case 'promotion.approved':
      return byOther
        ? toRequester(
            `Approved: ${what}`,
            `Approved by ${event.actor}; it deploys when ${phaseTitle} is free.`,
            'normal',
          )
        : undefined;
    case 'promotion.rejected':
      return byOther
        ? toRequester(
            `Rejected: ${what}`,
            withMessage(`Rejected by ${event.actor}`),
            'high',
          )
        : undefined;
    case 'promotion.cancelled':
      return byOther
        ? toRequester(
            `Cancelled: ${what}`,
            withMessage(`Cancelled by ${event.actor}`),
            'normal',
          )
        : undefined;
    case 'promotion.succeeded':
      return toRequester(
        `Deployed: ${what}`,
        `${entityName} ${event.version} is running in ${phaseTitle}.`,
        'normal',
      );
    case 'promotion.failed':
      return toRequester(
        `Deployment failed: ${what}`,
        withMessage(`The deployment to ${phaseTitle} failed`),
        'high',
      );
    default:
      return undefined;
  }
}

/**
 * The Backstage signals channel on which the backend announces every
 * lifecycle change (broadcast), so open pages refresh without polling.
 * @public
 */
export const RELEASE_SIGNAL_CHANNEL = 'release:lifecycle';

/**
 * What a signal on {@link RELEASE_SIGNAL_CHANNEL} carries: which entity (and
 * phase, promotion) changed and how, nothing more: a page reads the new state
 * through the API, with the reader's own access. No versions, no secrets.
 * @public
 */
export interface ReleaseSignalMessage {
  entityRef: string;
  type: ReleaseLifecycleEventType;
  phase?: string;
  promotionId?: string;
  /** The release train of the promotion, if any. */
  trainId?: string;
  /** An index signature, so the message is a JSON object for the signals API. */
  [key: string]: string | undefined;
}
