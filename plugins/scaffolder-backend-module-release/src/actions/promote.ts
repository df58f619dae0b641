import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { ReleaseServiceClient } from '../client/ReleaseServiceClient';
import { parseTarget, stepIdempotencyKey, tokenForInitiator } from './common';

const ID = 'release:promote';

const examples = [
  {
    description: 'Promote the release the previous step created into Dev',
    example: `steps:
  - id: first-release
    action: release:create
    input:
      entityRef: component:default/\${{ parameters.name }}
      version: 0.1.0
      artifact: registry.example.com/\${{ parameters.name }}:0.1.0
  - id: to-dev
    name: Deploy 0.1.0 to Dev
    action: release:promote
    input:
      entityRef: \${{ steps['first-release'].output.entityRef }}
      version: \${{ steps['first-release'].output.version }}
      phase: dev
      comment: First deployment of a new service`,
  },
  {
    description:
      'Request a promotion into Live; it waits for approval when the phase needs it',
    example: `steps:
  - id: to-live
    name: Request 1.4.0 in Live
    action: release:promote
    input:
      entityRef: component:default/payments-api
      version: 1.4.0
      phase: live
      comment: Quarterly release`,
  },
];

/**
 * Creates the `release:promote` action: requests a promotion of a release into
 * a phase through the release backend's API, on behalf of the user who runs
 * the template, with the same gates and approvals as in the portal. The
 * request carries an `Idempotency-Key` derived from the task and step, so a
 * retried step does not promote twice.
 *
 * @public
 */
export function createReleasePromoteAction(options: {
  discovery: DiscoveryService;
  auth: AuthService;
}) {
  const client = new ReleaseServiceClient(options.discovery);
  return createTemplateAction({
    id: ID,
    description:
      'Requests a promotion of a release into a phase of its pipeline, on behalf of the user running the template. The promotion is queued, or waits for approval when the phase needs it; the action does not wait for the deployment.',
    examples,
    schema: {
      input: {
        entityRef: z =>
          z
            .string()
            .min(1)
            .describe(
              'The entity whose release is promoted, e.g. component:default/payments-api',
            ),
        version: z =>
          z.string().min(1).describe('The version of an existing release'),
        phase: z =>
          z
            .string()
            .min(1)
            .describe("The id of the target phase, e.g. 'dev' or 'live'"),
        comment: z =>
          z
            .string()
            .optional()
            .describe('Why; shown to approvers and in the history'),
      },
      output: {
        promotionId: z => z.string().describe('The id of the promotion'),
        status: z =>
          z
            .string()
            .describe(
              'The state right after the request: pending_approval, queued, or later when it was requested before',
            ),
        entityRef: z =>
          z.string().describe('The entity of the promotion, as a full ref'),
        phase: z => z.string().describe('The target phase'),
        version: z => z.string().describe('The promoted version'),
        approvalsRequired: z =>
          z
            .number()
            .describe('How many distinct approvals the phase needs (0: none)'),
      },
    },
    async handler(ctx) {
      const { target, entityRef } = parseTarget(ctx.input.entityRef);
      const { version, phase, comment } = ctx.input;
      const promotion = await ctx.checkpoint({
        key: `release.promote.${entityRef}.${phase}.${version}`,
        fn: async () => {
          const token = await tokenForInitiator(ctx, options.auth, ID);
          const idempotencyKey = stepIdempotencyKey(ctx, {
            entityRef,
            version,
            phase,
          });
          const requested = await client.requestPromotion(
            target,
            { version, phase, comment },
            { token, idempotencyKey, signal: ctx.signal },
          );
          return {
            id: requested.id,
            status: requested.status,
            entityRef: requested.entityRef,
            phase: requested.phase,
            version: requested.version,
            approvalsRequired: requested.approvalsRequired,
          };
        },
      });
      ctx.logger.info(
        promotion.status === 'pending_approval'
          ? `Promotion ${promotion.id} of ${promotion.version} into '${promotion.phase}' waits for ${promotion.approvalsRequired} approval(s)`
          : `Promotion ${promotion.id} of ${promotion.version} into '${promotion.phase}' is ${promotion.status}`,
      );
      ctx.output('promotionId', promotion.id);
      ctx.output('status', promotion.status);
      ctx.output('entityRef', promotion.entityRef);
      ctx.output('phase', promotion.phase);
      ctx.output('version', promotion.version);
      ctx.output('approvalsRequired', promotion.approvalsRequired);
    },
  });
}
