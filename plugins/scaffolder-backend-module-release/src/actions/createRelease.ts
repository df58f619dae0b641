import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { ReleaseServiceClient } from '../client/ReleaseServiceClient';
import { parseTarget, tokenForInitiator } from './common';

const ID = 'release:create';

const examples = [
  {
    description: 'Create the first release of the component the template made',
    example: `steps:
  - id: first-release
    name: Create the first release
    action: release:create
    input:
      entityRef: component:default/\${{ parameters.name }}
      version: 0.1.0
      artifact: registry.example.com/\${{ parameters.name }}:0.1.0
      notes: Created by the template`,
  },
  {
    description: 'Create a release with the commit it was built from',
    example: `steps:
  - id: release
    name: Create release 1.4.0
    action: release:create
    input:
      entityRef: component:default/payments-api
      version: 1.4.0
      artifact: registry.example.com/payments-api@sha256:4f2a9c0e
      commit: 9fceb02d0ae598e95dc970b74767f19372d61af8`,
  },
];

/**
 * Creates the `release:create` action: creates an immutable release of a
 * catalog entity through the release backend's API, on behalf of the user
 * who runs the template.
 *
 * @public
 */
export function createReleaseCreateAction(options: {
  discovery: DiscoveryService;
  auth: AuthService;
}) {
  const client = new ReleaseServiceClient(options.discovery);
  return createTemplateAction({
    id: ID,
    description:
      'Creates an immutable release (version and artifact) of a catalog entity in the Release Manager, on behalf of the user running the template. Fails when the version exists.',
    examples,
    schema: {
      input: {
        entityRef: z =>
          z
            .string()
            .min(1)
            .describe(
              'The entity the release belongs to, e.g. component:default/payments-api; it must carry the release.backstage.io/pipeline annotation',
            ),
        version: z =>
          z
            .string()
            .min(1)
            .describe('Semantic version, unique per entity, e.g. 1.0.0'),
        artifact: z =>
          z
            .string()
            .min(1)
            .describe(
              'What is deployed: an image digest, a package coordinate or a commit',
            ),
        commit: z =>
          z
            .string()
            .min(1)
            .optional()
            .describe('The commit the release was built from'),
        notes: z =>
          z.string().optional().describe('Release notes, shown as plain text'),
      },
      output: {
        entityRef: z =>
          z.string().describe('The entity of the release, as a full ref'),
        version: z => z.string().describe('The version of the release'),
        artifact: z => z.string().describe('The artifact of the release'),
        createdBy: z =>
          z.string().describe('Who created the release (the template user)'),
        createdAt: z =>
          z.string().describe('When the release was created (ISO 8601)'),
      },
    },
    async handler(ctx) {
      const { target, entityRef } = parseTarget(ctx.input.entityRef);
      const { version, artifact, commit, notes } = ctx.input;
      const release = await ctx.checkpoint({
        key: `release.create.${entityRef}.${version}`,
        fn: async () => {
          const token = await tokenForInitiator(ctx, options.auth, ID);
          const created = await client.createRelease(
            target,
            { version, artifact, commit, notes },
            { token, signal: ctx.signal },
          );
          return {
            entityRef: created.entityRef,
            version: created.version,
            artifact: created.artifact,
            createdBy: created.createdBy,
            createdAt: created.createdAt,
          };
        },
      });
      ctx.logger.info(
        `Created release ${release.version} of ${release.entityRef} (artifact ${release.artifact})`,
      );
      ctx.output('entityRef', release.entityRef);
      ctx.output('version', release.version);
      ctx.output('artifact', release.artifact);
      ctx.output('createdBy', release.createdBy);
      ctx.output('createdAt', release.createdAt);
    },
  });
}
