import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { ReleaseServiceClient } from '../client/ReleaseServiceClient';
import { parseTarget, stepIdempotencyKey, tokenForInitiator } from './common';

const ID = 'release:request-train-promotion';

const examples = [
  {
    description:
      "Move the shop system's services to Stage as one train (one approval, dependsOn order)",
    example: `steps:
  - id: shop-to-stage
    name: Shop to Stage
    action: release:request-train-promotion
    input:
      system: system:default/shop
      phase: stage
      comment: QA signed off`,
  },
  {
    description: 'A train of chosen members and versions',
    example: `steps:
  - id: train
    action: release:request-train-promotion
    input:
      system: system:default/shop
      phase: live
      members:
        - entityRef: component:default/payments-api
          version: 1.4.0
        - entityRef: component:default/cart-api
          version: 0.9.0`,
  },
];

/**
 * Creates the `release:request-train-promotion` action: requests a release
 * train (one promotion per member service of a catalog System, approved once
 * and deployed in the catalog's dependsOn order) through the release
 * backend's API, on behalf of the user who runs the template. The request
 * carries an `Idempotency-Key` derived from the task and step.
 *
 * @public
 */
export function createReleaseTrainPromotionAction(options: {
  discovery: DiscoveryService;
  auth: AuthService;
}) {
  const client = new ReleaseServiceClient(options.discovery);
  return createTemplateAction({
    id: ID,
    description:
      "Requests a release train: the services of a catalog System move into a phase as one unit, after one approval, in the catalog's dependsOn order; a failing member stops the rest. The action does not wait for the deployments.",
    examples,
    schema: {
      input: {
        system: z =>
          z
            .string()
            .min(1)
            .describe('The catalog System, e.g. system:default/shop'),
        phase: z =>
          z
            .string()
            .min(1)
            .describe("The id of the target phase, e.g. 'stage'"),
        members: z =>
          z
            .array(
              z.object({
                entityRef: z.string().min(1),
                version: z.string().min(1),
              }),
            )
            .optional()
            .describe(
              "Members and versions; default: each service's newest release that succeeded in the previous phase",
            ),
        comment: z =>
          z
            .string()
            .optional()
            .describe('Why; shown to approvers and in the history'),
      },
      output: {
        trainId: z => z.string().describe('The id of the train'),
        status: z =>
          z
            .string()
            .describe(
              'The state right after the request, e.g. pending_approval',
            ),
        members: z =>
          z
            .array(
              z.object({
                entityRef: z.string(),
                version: z.string(),
                promotionId: z.string(),
              }),
            )
            .describe('The members in deploy order'),
      },
    },
    async handler(ctx) {
      let system: string;
      try {
        system = stringifyEntityRef(
          parseEntityRef(ctx.input.system, {
            defaultKind: 'system',
            defaultNamespace: 'default',
          }),
        );
      } catch (error) {
        throw new InputError(
          `Invalid system '${ctx.input.system}': expected system:namespace/name, e.g. system:default/shop`,
          error,
        );
      }
      const { phase, comment } = ctx.input;
      const members = ctx.input.members?.map(m => ({
        entityRef: parseTarget(m.entityRef).entityRef,
        version: m.version,
      }));
      const train = await ctx.checkpoint({
        key: `release.train.${system}.${phase}`,
        fn: async () => {
          const token = await tokenForInitiator(ctx, options.auth, ID);
          const idempotencyKey = stepIdempotencyKey(ctx, {
            system,
            phase,
            ...(members ? { members } : {}),
          });
          const requested = await client.requestTrain(
            { system, phase, comment, ...(members ? { members } : {}) },
            { token, idempotencyKey, signal: ctx.signal },
          );
          return {
            id: requested.id,
            status: requested.status,
            members: requested.members.map(m => ({
              entityRef: m.entityRef,
              version: m.version,
              promotionId: m.promotionId,
            })),
          };
        },
      });
      ctx.logger.info(
        `Train ${train.id} into '${phase}' is ${train.status}: ${train.members
          .map(m => `${m.entityRef}@${m.version}`)
          .join(', ')}`,
      );
      ctx.output('trainId', train.id);
      ctx.output('status', train.status);
      ctx.output('members', train.members);
    },
  });
}
