import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { NotAllowedError } from '@backstage/errors';
import {
  PROMOTION_STATUSES,
  PromotionStatus,
} from '@release-manager/backstage-plugin-release-common';
import { actorRef, CallerCredentials } from '../access/AccessGuard';
import {
  audited,
  promotionDetails,
  readableTarget,
  requireSemver,
  RouteContext,
} from '../http/context';
import { parseEntityRefs, releaseStatus } from '../http/status';

/** What the release actions use: the same services the HTTP routes use. */
export type ReleaseActionsContext = Pick<
  RouteContext,
  | 'releases'
  | 'promotions'
  | 'service'
  | 'entities'
  | 'access'
  | 'auditor'
  | 'readCache'
>;

const STATUSES = PROMOTION_STATUSES as [PromotionStatus, ...PromotionStatus[]];

/**
 * The caller of an action as the release services know it: a user or a
 * service. The registry already refuses anonymous callers.
 */
function callerOf(credentials: BackstageCredentials): CallerCredentials {
  const { type } = credentials.principal as { type: string };
  if (type !== 'user' && type !== 'service') {
    throw new NotAllowedError(
      'Release actions must be invoked by a user or a service',
    );
  }
  return credentials as CallerCredentials;
}

/** A full entity ref with the same form checks as the HTTP API's path parts. */
function entityRefOf(ref: string): string {
  return parseEntityRefs([ref])[0];
}

/**
 * Registers the release actions with Backstage's actions registry, so that
 * agents (for example through the MCP actions backend) and other plugins can
 * read release status and request promotions. Each action calls the same
 * code as the HTTP route it mirrors, with the caller's credentials, so the
 * access checks are the same: catalog visibility (not visible → not found),
 * the release permissions, and phase access from the pipeline config.
 */
export function registerReleaseActions(
  actionsRegistry: ActionsRegistryService,
  ctx: ReleaseActionsContext,
) {
  actionsRegistry.register({
    name: 'get-release-status',
    title: 'Get release status',
    description: [
      'Shows, for each given catalog entity, every phase of its release pipeline',
      '(for example Dev, QA/Demo, Stage, Live) with the version that runs there,',
      'the status of a deployment in progress, and how many promotions wait.',
      'Entities that do not exist, that you may not see, or that have no release',
      'pipeline are listed under notFound.',
    ].join(' '),
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRefs: z
            .array(z.string().min(1).max(255))
            .min(1)
            .max(500)
            .describe(
              'Catalog entity refs, e.g. component:default/payments-api',
            ),
        }),
      output: z =>
        z.object({
          items: z.array(
            z.object({
              entityRef: z.string(),
              phases: z.array(
                z.object({
                  id: z.string(),
                  title: z.string(),
                  currentVersion: z
                    .string()
                    .optional()
                    .describe('The release that runs in the phase now'),
                  activeStatus: z
                    .enum(STATUSES)
                    .optional()
                    .describe('The state of a deployment in progress'),
                  pending: z
                    .number()
                    .describe('Promotions waiting for approval or a slot'),
                }),
              ),
            }),
          ),
          notFound: z
            .array(z.string())
            .describe(
              'Requested entities that do not exist, are not visible to you or have no release pipeline',
            ),
        }),
    },
    examples: [
      {
        title: 'Status of one service',
        input: { entityRefs: ['component:default/payments-api'] },
      },
    ],
    action: async ({ input, credentials }) => {
      const caller = callerOf(credentials);
      const items = await releaseStatus(ctx, caller, input.entityRefs);
      const shown = new Set(items.map(i => i.entityRef));
      const requested = [...new Set(parseEntityRefs(input.entityRefs))];
      return {
        output: { items, notFound: requested.filter(r => !shown.has(r)) },
      };
    },
  });

  actionsRegistry.register({
    name: 'request-promotion',
    title: 'Request a promotion',
    description: [
      'Requests that an existing release (version) of a catalog entity be deployed',
      'into a phase of its release pipeline. The promotion passes the same gates as',
      'in the portal: the release must have succeeded in the phase the target phase',
      'requires, locks and freeze windows hold it, and phases that need approvals',
      'wait for them (status pending_approval). Only deployers of the phase may ask.',
      'Give an idempotencyKey to make retries safe.',
    ].join(' '),
    attributes: { readOnly: false, idempotent: false, destructive: true },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .min(1)
            .max(255)
            .describe(
              'Catalog entity ref, e.g. component:default/payments-api',
            ),
          version: z
            .string()
            .min(1)
            .max(128)
            .describe('The release version, e.g. 1.4.0'),
          phase: z
            .string()
            .regex(/^[a-z][a-z0-9-]{0,62}$/)
            .describe('The target phase id, e.g. stage'),
          comment: z
            .string()
            .max(2000)
            .optional()
            .describe('Why, shown to approvers'),
          idempotencyKey: z
            .string()
            .min(1)
            .max(255)
            .optional()
            .describe(
              'Repeating a request with the same key returns the first result',
            ),
        }),
      output: z =>
        z.object({
          promotion: z.object({
            id: z.string(),
            entityRef: z.string(),
            phase: z.string(),
            version: z.string(),
            status: z.enum(STATUSES),
            requestedBy: z.string(),
            requestedAt: z.string(),
            comment: z.string().optional(),
            approvalsRequired: z.number(),
          }),
          replayed: z
            .boolean()
            .describe(
              'True when an earlier request with the same idempotencyKey is returned',
            ),
        }),
    },
    examples: [
      {
        title: 'Promote 1.4.0 of payments-api to Stage',
        input: {
          entityRef: 'component:default/payments-api',
          version: '1.4.0',
          phase: 'stage',
          comment: 'QA signed off',
        },
      },
    ],
    action: async ({ input, credentials }) => {
      requireSemver(input.version);
      const caller = callerOf(credentials);
      const target = await readableTarget(
        ctx,
        caller,
        entityRefOf(input.entityRef),
      );
      const { promotion, replayed } = await audited(
        ctx,
        undefined,
        'promotion-request',
        'medium',
        {
          entityRef: target.entityRef,
          phase: input.phase,
          version: input.version,
          skipRequires: false,
          override: false,
          actor: actorRef(caller),
          via: 'actions-registry',
        },
        () =>
          ctx.service.requestPromotion({
            credentials: caller,
            target,
            version: input.version,
            phaseId: input.phase,
            kind: 'promote',
            comment: input.comment,
            idempotencyKey: input.idempotencyKey,
          }),
      );
      const [detail] = await promotionDetails(ctx, target, [promotion]);
      return {
        output: {
          promotion: {
            id: detail.id,
            entityRef: detail.entityRef,
            phase: detail.phase,
            version: detail.version,
            status: detail.status,
            requestedBy: detail.requestedBy,
            requestedAt: detail.requestedAt,
            comment: detail.comment,
            approvalsRequired: detail.approvalsRequired,
          },
          replayed,
        },
      };
    },
  });
}
