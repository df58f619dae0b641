/*
 * Demo only: a stand-in for "publish to a repository, then catalog:register".
 *
 * The demo runs offline, so a template cannot push the component it
 * scaffolded to GitHub and register the pushed catalog-info.yaml. Instead the
 * action `demo:catalog:register` hands the scaffolded catalog-info.yaml to an
 * entity provider of the demo catalog and waits until the catalog serves the
 * entity. A real installation uses `publish:github` (or another publisher)
 * and `catalog:register` in its place; see
 * examples/templates/release-managed-service/template.yaml.
 */
import {
  createBackendModule,
  resolveSafeChildPath,
} from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
  CatalogService,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  createTemplateAction,
  scaffolderActionsExtensionPoint,
} from '@backstage/plugin-scaffolder-node';
import fs from 'node:fs/promises';
import { parse } from 'yaml';

/** Holds the components scaffolded in this (in-memory) demo. */
class ScaffoldedComponentsProvider implements EntityProvider {
  private connection?: EntityProviderConnection;

  getProviderName() {
    return 'release-demo-scaffolded-components';
  }

  async connect(connection: EntityProviderConnection) {
    this.connection = connection;
  }

  async add(entity: Entity) {
    if (!this.connection) {
      throw new Error('The demo catalog provider is not connected yet');
    }
    await this.connection.applyMutation({
      type: 'delta',
      added: [{ entity, locationKey: this.getProviderName() }],
      removed: [],
    });
  }
}

function createRegisterAction(options: {
  provider: ScaffoldedComponentsProvider;
  catalog: CatalogService;
  timeoutMs: number;
}) {
  return createTemplateAction({
    id: 'demo:catalog:register',
    description:
      'Demo only: adds the scaffolded catalog-info.yaml to the demo catalog (a stand-in for publishing to a repository and catalog:register) and waits until the catalog serves it',
    examples: [
      {
        description: 'Register the catalog-info.yaml that fetch:template wrote',
        example: `steps:
  - id: register
    action: demo:catalog:register
    input:
      catalogInfoPath: catalog-info.yaml`,
      },
    ],
    schema: {
      input: {
        catalogInfoPath: z =>
          z
            .string()
            .default('catalog-info.yaml')
            .describe('Path of the entity file in the workspace'),
      },
      output: {
        entityRef: z => z.string().describe('The registered entity'),
      },
    },
    async handler(ctx) {
      const file = resolveSafeChildPath(
        ctx.workspacePath,
        ctx.input.catalogInfoPath,
      );
      const entity = parse(await fs.readFile(file, 'utf8')) as Entity;
      if (
        !entity ||
        typeof entity !== 'object' ||
        typeof entity.kind !== 'string' ||
        typeof entity.metadata?.name !== 'string'
      ) {
        throw new InputError(
          `${ctx.input.catalogInfoPath} does not hold a catalog entity`,
        );
      }
      const location = `scaffolder-demo:task/${ctx.task.id}`;
      entity.metadata.annotations = {
        ...entity.metadata.annotations,
        [ANNOTATION_LOCATION]: location,
        [ANNOTATION_ORIGIN_LOCATION]: location,
      };
      const entityRef = stringifyEntityRef(entity);
      await options.provider.add(entity);

      const credentials = await ctx.getInitiatorCredentials();
      const deadline = Date.now() + options.timeoutMs;
      while (
        !(await options.catalog.getEntityByRef(entityRef, { credentials }))
      ) {
        if (Date.now() > deadline) {
          throw new NotFoundError(
            `${entityRef} did not appear in the catalog within ${
              options.timeoutMs / 1000
            }s; see the catalog's processing errors`,
          );
        }
        await new Promise(resolve => setTimeout(resolve, 500));
      }
      ctx.logger.info(`Registered ${entityRef} in the demo catalog`);
      ctx.output('entityRef', entityRef);
    },
  });
}

/**
 * The two demo modules that together stand in for publish + register: one
 * adds the entity provider to the catalog, the other the
 * `demo:catalog:register` action to the scaffolder. They share one provider.
 */
export function createScaffoldedComponentsModules(
  options: { timeoutMs?: number } = {},
) {
  const provider = new ScaffoldedComponentsProvider();
  const catalogModule = createBackendModule({
    pluginId: 'catalog',
    moduleId: 'release-demo-scaffolded-components',
    register(reg) {
      reg.registerInit({
        deps: { processing: catalogProcessingExtensionPoint },
        async init({ processing }) {
          processing.addEntityProvider(provider);
        },
      });
    },
  });
  const scaffolderModule = createBackendModule({
    pluginId: 'scaffolder',
    moduleId: 'release-demo-register',
    register(reg) {
      reg.registerInit({
        deps: {
          scaffolder: scaffolderActionsExtensionPoint,
          catalog: catalogServiceRef,
        },
        async init({ scaffolder, catalog }) {
          scaffolder.addActions(
            createRegisterAction({
              provider,
              catalog,
              timeoutMs: options.timeoutMs ?? 60_000,
            }),
          );
        },
      });
    },
  });
  return { catalogModule, scaffolderModule };
}
