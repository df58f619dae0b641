import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import request from 'supertest';
import scaffolderModuleRelease from '.';
import {
  ALICE,
  CAROL,
  ENTITIES,
  getAs,
  releaseConfig,
  startBackend,
} from './__testUtils__/backend';

jest.setTimeout(120_000);

/**
 * A template that creates the first release of a component and deploys it to
 * Dev, as the demo template does after scaffolding the component.
 */
const TEMPLATE: Entity = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name: 'first-release', namespace: 'default' },
  spec: {
    type: 'service',
    owner: ALICE,
    parameters: [
      {
        type: 'object',
        required: ['version'],
        properties: { version: { type: 'string' } },
      },
    ],
    steps: [
      {
        id: 'create',
        name: 'Create the first release',
        action: 'release:create',
        input: {
          entityRef: 'component:default/new-service',
          version: '${{ parameters.version }}',
          artifact:
            'registry.example.com/new-service:${{ parameters.version }}',
          notes: 'Created by a template',
        },
      },
      {
        id: 'deploy',
        name: 'Deploy it to Dev',
        action: 'release:promote',
        input: {
          entityRef: "${{ steps['create'].output.entityRef }}",
          version: "${{ steps['create'].output.version }}",
          phase: 'dev',
        },
      },
    ],
    output: {
      version: "${{ steps['create'].output.version }}",
      promotionId: "${{ steps['deploy'].output.promotionId }}",
      promotionStatus: "${{ steps['deploy'].output.status }}",
    },
  },
};

type Server = Awaited<ReturnType<typeof startBackend>>;

async function runTemplate(server: Server, user: string, values: JsonObject) {
  const created = await request(server)
    .post('/api/scaffolder/v2/tasks')
    .set('Authorization', mockCredentials.user.header(user))
    .send({ templateRef: 'template:default/first-release', values });
  expect(created.status).toBe(201);
  const taskId = created.body.id as string;

  for (let i = 0; i < 200; i++) {
    const task = await request(server)
      .get(`/api/scaffolder/v2/tasks/${taskId}`)
      .set('Authorization', mockCredentials.user.header(user));
    if (['completed', 'failed', 'cancelled'].includes(task.body.status)) {
      const events = await request(server)
        .get(`/api/scaffolder/v2/tasks/${taskId}/events`)
        .set('Authorization', mockCredentials.user.header(user));
      const log = (events.body as Array<{ type: string; body: JsonObject }>)
        .filter(e => e.type === 'log')
        .map(e => String(e.body.message));
      const completion = (
        events.body as Array<{ type: string; body: JsonObject }>
      ).find(e => e.type === 'completion');
      return {
        status: task.body.status as string,
        output: (completion?.body.output ?? {}) as JsonObject,
        log,
      };
    }
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(`Task ${taskId} did not finish`);
}

async function waitForPromotion(server: Server, id: string, status: string) {
  for (let i = 0; i < 100; i++) {
    const res = await getAs(server, ALICE, `/promotions/${id}`);
    if (res.body.status === status) return res.body;
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(`Promotion ${id} never became ${status}`);
}

/**
 * The module in the real scaffolder backend: a task started by a user runs
 * the actions with that user's initiator credentials against the real
 * release backend, and the promotion is really deployed by its dispatcher.
 */
describe('release actions in the real scaffolder backend', () => {
  async function start() {
    return startBackend({
      features: [scaffolderPlugin, scaffolderModuleRelease],
      config: releaseConfig({ dispatcher: true }),
      entities: [...ENTITIES, TEMPLATE],
    });
  }

  it('creates the release and deploys it to Dev on behalf of the user who ran the template', async () => {
    const server = await start();
    const run = await runTemplate(server, ALICE, { version: '0.1.0' });

    expect(run.status).toBe('completed');
    expect(run.output).toMatchObject({
      version: '0.1.0',
      promotionId: expect.any(String),
      promotionStatus: 'queued',
    });
    expect(run.log.join('\n')).toContain(
      'Created release 0.1.0 of component:default/new-service',
    );

    const release = await getAs(
      server,
      ALICE,
      '/entities/component/default/new-service/releases/0.1.0',
    );
    expect(release.body).toMatchObject({
      artifact: 'registry.example.com/new-service:0.1.0',
      createdBy: ALICE,
    });
    const promotion = await waitForPromotion(
      server,
      String(run.output.promotionId),
      'succeeded',
    );
    expect(promotion).toMatchObject({ requestedBy: ALICE, phase: 'dev' });
  });

  it("fails the task with the release backend's message when the version exists", async () => {
    const server = await start();
    expect(
      (await runTemplate(server, ALICE, { version: '0.1.0' })).status,
    ).toBe('completed');
    const again = await runTemplate(server, ALICE, { version: '0.1.0' });
    expect(again.status).toBe('failed');
    expect(again.log.join('\n')).toMatch(
      /ConflictError: .*0\.1\.0.*component:default\/new-service/,
    );
    const promotions = await getAs(
      server,
      ALICE,
      '/entities/component/default/new-service/promotions',
    );
    expect(promotions.body.items).toHaveLength(1);
  });

  it('fails the task for a user who may not create releases of the component', async () => {
    const server = await start();
    const run = await runTemplate(server, CAROL, { version: '0.1.0' });
    expect(run.status).toBe('failed');
    expect(run.log.join('\n')).toMatch(/NotAllowedError: Only the owners/);
    const releases = await getAs(
      server,
      ALICE,
      '/entities/component/default/new-service/releases',
    );
    expect(releases.body.items).toEqual([]);
  });
});
