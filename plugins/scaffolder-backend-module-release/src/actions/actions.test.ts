import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import scaffolderModuleRelease from '..';
import {
  actionCollector,
  ALICE,
  CAROL,
  createTestDatabases,
  ENTITIES,
  getAs,
  releaseConfig,
  startBackend,
} from '../__testUtils__/backend';

jest.setTimeout(120_000);

const NEW_SERVICE = '/entities/component/default/new-service';
const GATED_SERVICE = '/entities/component/default/gated-service';

/**
 * The actions run as the scaffolder runs them: added by the module through
 * the extension point, with the scaffolder's discovery and auth services,
 * calling the release backend's real HTTP API in the same test backend.
 */
describe('release actions against the real release backend', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    async function start() {
      const collector = actionCollector();
      const server = await startBackend({
        knex: await databases.init(databaseId),
        features: [collector.plugin, scaffolderModuleRelease],
      });
      const action = (id: string) => {
        const found = collector.actions.get(id);
        if (!found) throw new Error(`Action ${id} was not registered`);
        return found as TemplateAction<JsonObject, JsonObject>;
      };
      return {
        server,
        create: action('release:create'),
        promote: action('release:promote'),
      };
    }

    function context(
      input: JsonObject,
      options: {
        credentials?: BackstageCredentials;
        taskId?: string;
        stepId?: string;
      } = {},
    ) {
      const logger = mockServices.logger.mock();
      const ctx = {
        ...createMockActionContext<JsonObject, JsonObject>({
          input,
          logger,
          task: { id: options.taskId ?? '5b2d7f3e-task' },
        }),
        // createMockActionContext takes neither of these from its options.
        getInitiatorCredentials: async () =>
          options.credentials ?? mockCredentials.user(ALICE),
        step: { id: options.stepId ?? 'step-1', name: 'A step' },
      };
      const outputs = () =>
        Object.fromEntries(
          (ctx.output as jest.Mock).mock.calls.map(([k, v]) => [k, v]),
        );
      return { ctx, outputs, logger };
    }

    describe('release:create', () => {
      it('creates the release on behalf of the user running the template', async () => {
        const t = await start();
        const { ctx, outputs, logger } = context({
          entityRef: 'component:default/new-service',
          version: '0.1.0',
          artifact: 'registry.example.com/new-service:0.1.0',
          commit: '9fceb02d0ae598e95dc970b74767f19372d61af8',
          notes: 'First release',
        });
        await t.create.handler(ctx);

        const stored = await getAs(
          t.server,
          ALICE,
          `${NEW_SERVICE}/releases/0.1.0`,
        );
        expect(stored.status).toBe(200);
        expect(stored.body).toMatchObject({
          entityRef: 'component:default/new-service',
          version: '0.1.0',
          artifact: 'registry.example.com/new-service:0.1.0',
          commit: '9fceb02d0ae598e95dc970b74767f19372d61af8',
          notes: 'First release',
          // the user who ran the template, not the scaffolder's own identity
          createdBy: ALICE,
        });
        expect(outputs()).toEqual({
          entityRef: 'component:default/new-service',
          version: '0.1.0',
          artifact: 'registry.example.com/new-service:0.1.0',
          createdBy: ALICE,
          createdAt: stored.body.createdAt,
        });
        expect(logger.info).toHaveBeenCalledWith(
          expect.stringContaining(
            'Created release 0.1.0 of component:default/new-service',
          ),
        );
      });

      it('accepts a short entity ref (kind component, namespace default)', async () => {
        const t = await start();
        const { ctx, outputs } = context({
          entityRef: 'new-service',
          version: '1.0.0',
          artifact: 'img:1.0.0',
        });
        await t.create.handler(ctx);
        expect(outputs().entityRef).toBe('component:default/new-service');
        const list = await getAs(t.server, ALICE, `${NEW_SERVICE}/releases`);
        expect(list.body.items.map((r: JsonObject) => r.version)).toEqual([
          '1.0.0',
        ]);
      });

      it('surfaces the 409 of an existing version as a ConflictError and keeps the first release', async () => {
        const t = await start();
        const input = {
          entityRef: 'component:default/new-service',
          version: '0.1.0',
          artifact: 'img:first',
        };
        await t.create.handler(context(input).ctx);
        const second = context({ ...input, artifact: 'img:second' });
        const error = await t.create.handler(second.ctx).catch(e => e);
        expect(error.name).toBe('ConflictError');
        expect(error.message).toMatch(/0\.1\.0/);
        expect(error.cause?.statusCode).toBe(409);
        expect(second.outputs()).toEqual({});

        const stored = await getAs(
          t.server,
          ALICE,
          `${NEW_SERVICE}/releases/0.1.0`,
        );
        expect(stored.body.artifact).toBe('img:first');
      });

      it("surfaces the 400 of an invalid version with the API's message and creates nothing", async () => {
        const t = await start();
        const { ctx, outputs } = context({
          entityRef: 'component:default/new-service',
          version: 'first-ever',
          artifact: 'img:1',
        });
        const error = await t.create.handler(ctx).catch(e => e);
        expect(error.name).toBe('InputError');
        expect(error.message).toMatch(/first-ever/);
        expect(error.message).toMatch(/semver|semantic/i);
        expect(outputs()).toEqual({});
        const list = await getAs(t.server, ALICE, `${NEW_SERVICE}/releases`);
        expect(list.body.items).toEqual([]);
      });

      it('applies the access of the user running the template: a non-owner is refused', async () => {
        const t = await start();
        const { ctx } = context(
          {
            entityRef: 'component:default/new-service',
            version: '0.1.0',
            artifact: 'img:1',
          },
          { credentials: mockCredentials.user(CAROL) },
        );
        const error = await t.create.handler(ctx).catch(e => e);
        expect(error.name).toBe('NotAllowedError');
        expect(error.message).toMatch(/owners or deployers/);
        const list = await getAs(t.server, ALICE, `${NEW_SERVICE}/releases`);
        expect(list.body.items).toEqual([]);
      });

      it.each([
        ['no credentials', mockCredentials.none()],
        // On behalf of a service the auth service would issue the
        // scaffolder's own token: the action must not act as the scaffolder.
        ['a service', mockCredentials.service('external:ci')],
      ])(
        'refuses a task started with %s instead of a user',
        async (_, credentials) => {
          const t = await start();
          const { ctx } = context(
            {
              entityRef: 'component:default/new-service',
              version: '0.1.0',
              artifact: 'img:1',
            },
            { credentials },
          );
          const error = await t.create.handler(ctx).catch(e => e);
          expect(error.name).toBe('NotAllowedError');
          expect(error.message).toMatch(
            /release:create acts on behalf of the user who runs the template, but this task was not started by a user/,
          );
          const list = await getAs(t.server, ALICE, `${NEW_SERVICE}/releases`);
          expect(list.body.items).toEqual([]);
        },
      );

      it('rejects a malformed entity ref before calling the API', async () => {
        const t = await start();
        const { ctx } = context({
          entityRef: 'component:default/',
          version: '0.1.0',
          artifact: 'img:1',
        });
        const error = await t.create.handler(ctx).catch(e => e);
        expect(error.name).toBe('InputError');
        expect(error.message).toMatch(
          /Invalid entityRef 'component:default\/'/,
        );
      });

      it('reports an entity the catalog does not have as a NotFoundError', async () => {
        const t = await start();
        const { ctx } = context({
          entityRef: 'component:default/not-registered',
          version: '0.1.0',
          artifact: 'img:1',
        });
        const error = await t.create.handler(ctx).catch(e => e);
        expect(error.name).toBe('NotFoundError');
        expect(error.message).toMatch(/not-registered/);
      });
    });

    describe('release:request-train-promotion', () => {
      const DUO = 'system:default/duo';
      const NEW = 'component:default/new-service';
      const OTHER = 'component:default/other-service';
      const entities: Entity[] = [
        ...ENTITIES.map(e =>
          e.metadata.name === 'new-service'
            ? {
                ...e,
                relations: [
                  ...(e.relations ?? []),
                  { type: 'partOf', targetRef: DUO },
                ],
              }
            : e,
        ),
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: {
            name: 'other-service',
            namespace: 'default',
            annotations: { 'release.backstage.io/pipeline': 'starter' },
          },
          spec: { type: 'service', lifecycle: 'experimental', owner: ALICE },
          relations: [
            { type: 'ownedBy', targetRef: ALICE },
            { type: 'partOf', targetRef: DUO },
            { type: 'dependsOn', targetRef: NEW },
          ],
        },
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'System',
          metadata: { name: 'duo', namespace: 'default' },
          spec: { owner: ALICE },
          relations: [
            { type: 'hasPart', targetRef: OTHER },
            { type: 'hasPart', targetRef: NEW },
          ],
        },
      ];

      it('requests the train on behalf of the template user, members in dependsOn order; a retried step returns the same train', async () => {
        const collector = actionCollector();
        const config = releaseConfig() as { release: JsonObject };
        const server = await startBackend({
          knex: await databases.init(databaseId),
          features: [collector.plugin, scaffolderModuleRelease],
          entities,
          config: {
            release: {
              ...config.release,
              trains: [{ system: DUO, phases: ['dev', 'live'] }],
            },
          },
        });
        const create = collector.actions.get('release:create')!;
        const train = collector.actions.get('release:request-train-promotion')!;
        for (const entityRef of [NEW, OTHER]) {
          await create.handler(
            context({ entityRef, version: '0.1.0', artifact: 'img:0.1.0' })
              .ctx as any,
          );
        }
        const input = {
          system: 'system:default/duo',
          phase: 'dev',
          members: [
            { entityRef: OTHER, version: '0.1.0' },
            { entityRef: NEW, version: '0.1.0' },
          ],
          comment: 'together',
        };
        const first = context(input, { stepId: 'train' });
        await train.handler(first.ctx as any);
        const out = first.outputs();
        expect(out.members.map((m: any) => m.entityRef)).toEqual([NEW, OTHER]);
        const stored = await getAs(server, ALICE, `/trains/${out.trainId}`);
        expect(stored.status).toBe(200);
        expect(stored.body).toMatchObject({
          id: out.trainId,
          system: DUO,
          phase: 'dev',
          requestedBy: ALICE,
          comment: 'together',
        });

        const again = context(input, { stepId: 'train' });
        await train.handler(again.ctx as any);
        expect(again.outputs().trainId).toBe(out.trainId);
      });
    });

    describe('release:promote', () => {
      async function withRelease(version = '0.1.0') {
        const t = await start();
        await t.create.handler(
          context({
            entityRef: 'component:default/new-service',
            version,
            artifact: `img:${version}`,
          }).ctx,
        );
        return t;
      }

      it('queues a promotion into a phase without approvals, requested by the template user', async () => {
        const t = await withRelease();
        const { ctx, outputs } = context({
          entityRef: 'component:default/new-service',
          version: '0.1.0',
          phase: 'dev',
          comment: 'First deployment',
        });
        await t.promote.handler(ctx);

        const out = outputs();
        expect(out).toMatchObject({
          status: 'queued',
          entityRef: 'component:default/new-service',
          phase: 'dev',
          version: '0.1.0',
          approvalsRequired: 0,
        });
        const stored = await getAs(
          t.server,
          ALICE,
          `/promotions/${out.promotionId}`,
        );
        expect(stored.status).toBe(200);
        expect(stored.body).toMatchObject({
          id: out.promotionId,
          status: 'queued',
          phase: 'dev',
          version: '0.1.0',
          requestedBy: ALICE,
          comment: 'First deployment',
        });
      });

      it('leaves a promotion into a gated phase waiting for approval', async () => {
        const t = await start();
        await t.create.handler(
          context({
            entityRef: 'component:default/gated-service',
            version: '2.0.0',
            artifact: 'img:2.0.0',
          }).ctx,
        );
        const { ctx, outputs, logger } = context({
          entityRef: 'component:default/gated-service',
          version: '2.0.0',
          phase: 'dev',
        });
        await t.promote.handler(ctx);
        expect(outputs()).toMatchObject({
          status: 'pending_approval',
          approvalsRequired: 1,
        });
        expect(logger.info).toHaveBeenCalledWith(
          expect.stringMatching(/waits for 1 approval/),
        );
        const pending = await getAs(
          t.server,
          ALICE,
          `${GATED_SERVICE}/promotions?status=pending_approval`,
        );
        expect(pending.body.items.map((p: JsonObject) => p.id)).toEqual([
          outputs().promotionId,
        ]);
      });

      it('a retried step returns the first promotion instead of requesting a second one', async () => {
        const t = await withRelease();
        const input = {
          entityRef: 'component:default/new-service',
          version: '0.1.0',
          phase: 'dev',
        };
        const first = context(input, { taskId: 'task-a', stepId: 'deploy' });
        await t.promote.handler(first.ctx);
        // The same step of the same task again, as after a retry or a
        // recovered task whose checkpoint was not stored.
        const retry = context(input, { taskId: 'task-a', stepId: 'deploy' });
        await t.promote.handler(retry.ctx);

        expect(retry.outputs().promotionId).toBe(first.outputs().promotionId);
        const all = await getAs(
          t.server,
          ALICE,
          `${NEW_SERVICE}/promotions?phase=dev`,
        );
        expect(all.body.items).toHaveLength(1);

        // Another task is another request: it gets no replayed result but
        // meets the running promotion (at most one queued per phase).
        const other = context(input, { taskId: 'task-b', stepId: 'deploy' });
        const error = await t.promote.handler(other.ctx).catch(e => e);
        expect(error.name).toBe('ConflictError');
      });

      it('surfaces a missing release as a NotFoundError', async () => {
        const t = await withRelease();
        const { ctx } = context({
          entityRef: 'component:default/new-service',
          version: '9.9.9',
          phase: 'dev',
        });
        const error = await t.promote.handler(ctx).catch(e => e);
        expect(error.name).toBe('NotFoundError');
        expect(error.message).toMatch(/Release 9\.9\.9 .* does not exist/);
      });

      it('surfaces an unknown phase as an InputError naming the phases', async () => {
        const t = await withRelease();
        const { ctx } = context({
          entityRef: 'component:default/new-service',
          version: '0.1.0',
          phase: 'prod',
        });
        const error = await t.promote.handler(ctx).catch(e => e);
        expect(error.name).toBe('InputError');
        expect(error.message).toMatch(/'prod'.*phases: dev, live/);
      });

      it('surfaces the gate: live needs the release to have succeeded in dev first', async () => {
        const t = await withRelease();
        const { ctx } = context({
          entityRef: 'component:default/new-service',
          version: '0.1.0',
          phase: 'live',
        });
        const error = await t.promote.handler(ctx).catch(e => e);
        expect(error.message).toMatch(/dev/);
        const all = await getAs(t.server, ALICE, `${NEW_SERVICE}/promotions`);
        expect(all.body.items).toEqual([]);
      });

      it('applies the access of the user running the template: a non-deployer is refused', async () => {
        const t = await withRelease();
        const { ctx } = context(
          {
            entityRef: 'component:default/new-service',
            version: '0.1.0',
            phase: 'dev',
          },
          { credentials: mockCredentials.user(CAROL) },
        );
        const error = await t.promote.handler(ctx).catch(e => e);
        expect(error.name).toBe('NotAllowedError');
        expect(error.message).toMatch(
          /You are not a deployer of Dev of component:default\/new-service/,
        );
      });
    });
  });
});
