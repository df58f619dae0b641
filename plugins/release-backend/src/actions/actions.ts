import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  PROMOTION_STATUSES,
  PromotionStatus,
  trainsPageLink,
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

/** The fields every request action takes: the comment and the idempotency key. */
function requestFields(z: typeof import('zod/v3').z) {
  return {
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
  };
}

/** What the release actions use: the same services the HTTP routes use. */
export type ReleaseActionsContext = Pick<
  RouteContext,
  | 'releases'
  | 'promotions'
  | 'service'
  | 'changes'
  | 'entities'
  | 'access'
  | 'auditor'
  | 'readCache'
> &
  Partial<Pick<RouteContext, 'trains'>>;

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

  const trains = ctx.trains;
  if (trains) {
    actionsRegistry.register({
      name: 'request-train-promotion',
      title: 'Request a release train promotion',
      description: [
        'Requests a release train: one promotion per member service of a catalog',
        'System into a phase, as a unit. Members deploy in the catalog dependsOn order',
        'after one approval of the train; a failing member stops the rest. Every',
        'member passes the same gates as a promotion of its own, and the caller must',
        'be allowed to request promotions of each member. Members default to each',
        "service's newest release that succeeded in the previous phase.",
      ].join(' '),
      attributes: { readOnly: false, idempotent: false, destructive: true },
      schema: {
        input: z =>
          z.object({
            system: z
              .string()
              .min(1)
              .max(255)
              .describe('Catalog System ref, e.g. system:default/shop'),
            phase: z
              .string()
              .regex(/^[a-z][a-z0-9-]{0,62}$/)
              .describe('The target phase id, e.g. stage'),
            members: z
              .array(
                z.object({
                  entityRef: z.string().min(1).max(255),
                  version: z.string().min(1).max(128),
                }),
              )
              .min(1)
              .max(50)
              .optional()
              .describe(
                "Members and versions (default: the plan's candidates)",
              ),
            ...requestFields(z),
          }),
        output: z =>
          z.object({
            train: z.object({
              id: z.string(),
              system: z.string(),
              phase: z.string(),
              status: z.string(),
              requestedBy: z.string(),
              link: z.string().describe('The train in the portal'),
              members: z.array(
                z.object({
                  entityRef: z.string(),
                  order: z.number(),
                  version: z.string(),
                  promotionId: z.string(),
                  status: z.enum(STATUSES),
                }),
              ),
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
          title: 'Move the shop system to Stage as one train',
          input: {
            system: 'system:default/shop',
            phase: 'stage',
            comment: 'QA signed off',
          },
        },
      ],
      action: async ({ input, credentials }) => {
        for (const m of input.members ?? []) requireSemver(m.version);
        const caller = callerOf(credentials);
        const { train, replayed } = await audited(
          ctx,
          undefined,
          'train-request',
          'medium',
          {
            system: input.system,
            phase: input.phase,
            members: (input.members ?? []).map(
              m => `${m.entityRef}@${m.version}`,
            ),
            actor: actorRef(caller),
            via: 'actions-registry',
          },
          () =>
            trains.request({
              credentials: caller,
              system: input.system,
              phase: input.phase,
              members: input.members,
              comment: input.comment,
              idempotencyKey: input.idempotencyKey,
            }),
        );
        return {
          output: {
            train: {
              id: train.id,
              system: train.system,
              phase: train.phase,
              status: train.status,
              requestedBy: train.requestedBy,
              link: trainsPageLink(train.system, train.id),
              members: train.members.map(m => ({
                entityRef: m.entityRef,
                order: m.order,
                version: m.version,
                promotionId: m.promotionId,
                status: m.status,
              })),
            },
            replayed,
          },
        };
      },
    });
  }

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
          ...requestFields(z),
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

  actionsRegistry.register({
    name: 'get-promotion-changes',
    title: 'Get the changes of a promotion',
    description: [
      'Shows what a promotion changes in its target phase, as an approver sees it:',
      'the version that runs there now and the one to deploy (upgrade, rollback,',
      'first deploy), the releases in between with their notes, the commits (a',
      'compare link, and the list where a GitHub integration is configured), the',
      'configuration and secret changes (secret names and fingerprints only), the',
      'gates as they stand now (approvals, requires and soak time, lock, freeze),',
      'and the comparison with the phase where the release was tested. Give',
      'promotionId for a requested promotion, or entityRef, version and phase for',
      'a preview of one not yet requested.',
    ].join(' '),
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          promotionId: z
            .string()
            .uuid()
            .optional()
            .describe('The promotion id'),
          entityRef: z
            .string()
            .min(1)
            .max(255)
            .optional()
            .describe('For a preview: the catalog entity ref'),
          version: z
            .string()
            .min(1)
            .max(128)
            .optional()
            .describe('For a preview: the release version'),
          phase: z
            .string()
            .regex(/^[a-z][a-z0-9-]{0,62}$/)
            .optional()
            .describe('For a preview: the target phase id'),
        }),
      output: z =>
        z.object({
          changes: z
            .record(z.string(), z.unknown())
            .describe(
              'The change set, as GET /promotions/{id}/changes answers it',
            ),
        }),
    },
    examples: [
      {
        title: 'What a waiting promotion changes',
        input: { promotionId: '3f1c2a9e-4b7d-4e2a-9c1f-0a2b3c4d5e6f' },
      },
      {
        title: 'What promoting 1.4.0 of payments-api to Live would change',
        input: {
          entityRef: 'component:default/payments-api',
          version: '1.4.0',
          phase: 'live',
        },
      },
    ],
    action: async ({ input, credentials }) => {
      const caller = callerOf(credentials);
      if (input.promotionId) {
        const promotion = await ctx.service.get(input.promotionId);
        const target = await readableTarget(ctx, caller, promotion.entityRef);
        const changes = await ctx.changes.ofPromotion(
          target,
          promotion,
          ctx.access.configReader(caller, target),
        );
        return { output: { changes: { ...changes } } };
      }
      if (!input.entityRef || !input.version || !input.phase) {
        throw new InputError(
          'Give promotionId, or entityRef, version and phase for a preview',
        );
      }
      const target = await readableTarget(
        ctx,
        caller,
        entityRefOf(input.entityRef),
      );
      const changes = await ctx.changes.preview(
        target,
        input.version,
        input.phase,
        ctx.access.configReader(caller, target),
      );
      return { output: { changes: { ...changes } } };
    },
  });
}
