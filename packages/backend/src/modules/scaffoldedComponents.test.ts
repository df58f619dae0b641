import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleScaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { JsonObject } from '@backstage/types';
import releasePlugin from '@release-manager/backstage-plugin-release-backend';
import scaffolderModuleRelease from '@release-manager/backstage-plugin-scaffolder-backend-module-release';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import {
  actorAwareAuthFactory,
  userInfoFactory,
} from '../__testUtils__/services';
import { parse } from 'yaml';
import { createScaffoldedComponentsModules } from './scaffoldedComponents';

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '../../../..');
const GUEST = 'user:default/guest';
const TEMPLATE_REF = 'template:default/release-managed-service';

/** Membership of the demo users (examples/org.yaml), as sign-in resolves it. */
const MEMBERS: Record<string, string[]> = {
  [GUEST]: [
    'group:default/team-payments',
    'group:default/team-leads',
    'group:default/release-managers',
  ],
  'user:default/carol': ['group:default/team-storefront'],
};

/**
 * The demo's own configuration (app-config.yaml): its pipelines, and its
 * catalog locations with the example template, made absolute; deployments by
 * the simulated provider are quick and never fail here.
 */
function demoConfig(): JsonObject {
  const config = parse(
    fs.readFileSync(path.join(ROOT, 'app-config.yaml'), 'utf8'),
  );
  const locations = (config.catalog.locations as Array<{ target: string }>).map(
    l => ({
      ...l,
      target: path.resolve(ROOT, 'packages/backend', l.target),
    }),
  );
  return {
    catalog: { ...config.catalog, locations },
    release: {
      ...config.release,
      providers: { simulated: { durationMs: 100, failureRate: 0 } },
    },
  };
}

async function startDemo() {
  const scaffolded = createScaffoldedComponentsModules({ timeoutMs: 30_000 });
  const { server } = await startTestBackend({
    features: [
      catalogPlugin,
      catalogModuleScaffolderEntityModel,
      scaffolderPlugin,
      scaffolderModuleRelease,
      scaffolded.catalogModule,
      scaffolded.scaffolderModule,
      releasePlugin,
      mockServices.rootConfig.factory({ data: demoConfig() }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      actorAwareAuthFactory(),
      userInfoFactory(MEMBERS),
    ],
  });

  // The catalog reads the template from its file location.
  for (let i = 0; ; i++) {
    const res = await request(server)
      .get(
        '/api/catalog/entities/by-name/template/default/release-managed-service',
      )
      .set('Authorization', mockCredentials.user.header(GUEST));
    if (res.status === 200) break;
    if (i > 300) throw new Error('The catalog never served the template');
    await new Promise(r => setTimeout(r, 100));
  }
  return server;
}

type Server = Awaited<ReturnType<typeof startDemo>>;

const as = (user: string) => mockCredentials.user.header(user);

async function runTemplate(server: Server, user: string, values: JsonObject) {
  const created = await request(server)
    .post('/api/scaffolder/v2/tasks')
    .set('Authorization', as(user))
    .send({ templateRef: TEMPLATE_REF, values });
  expect(created.status).toBe(201);
  for (let i = 0; i < 600; i++) {
    const task = await request(server)
      .get(`/api/scaffolder/v2/tasks/${created.body.id}`)
      .set('Authorization', as(user));
    if (['completed', 'failed', 'cancelled'].includes(task.body.status)) {
      const events = (
        await request(server)
          .get(`/api/scaffolder/v2/tasks/${created.body.id}/events`)
          .set('Authorization', as(user))
      ).body as Array<{ type: string; body: JsonObject }>;
      return {
        status: task.body.status as string,
        output: (events.find(e => e.type === 'completion')?.body.output ??
          {}) as JsonObject,
        log: events
          .filter(e => e.type === 'log')
          .map(e => String(e.body.message))
          .join('\n'),
      };
    }
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error('The task did not finish');
}

describe('demo template release-managed-service', () => {
  it('scaffolds a component opted into the pipeline, registers it, creates its first release and deploys it to Dev', async () => {
    const server = await startDemo();
    const run = await runTemplate(server, GUEST, {
      name: 'new-api',
      description: 'A new API',
      owner: 'group:default/team-payments',
      pipeline: 'default',
      version: '0.1.0',
      deployToDev: true,
    });
    expect(run.log).not.toMatch(/Error/);
    expect(run.status).toBe('completed');

    // The scaffolded component is in the catalog, opted into the pipeline.
    const entity = await request(server)
      .get('/api/catalog/entities/by-name/component/default/new-api')
      .set('Authorization', as(GUEST));
    expect(entity.status).toBe(200);
    expect(entity.body.metadata.annotations).toMatchObject({
      'release.backstage.io/pipeline': 'default',
    });
    expect(entity.body.spec.owner).toBe('group:default/team-payments');

    // Its pipeline is the demo's default one, with the first release in Dev.
    const base = '/api/release/entities/component/default/new-api';
    const release = await request(server)
      .get(`${base}/releases/0.1.0`)
      .set('Authorization', as(GUEST));
    expect(release.body).toMatchObject({
      artifact: 'registry.example.com/new-api:0.1.0',
      createdBy: GUEST,
    });
    let pipeline;
    for (let i = 0; i < 100; i++) {
      pipeline = await request(server)
        .get(`${base}/pipeline`)
        .set('Authorization', as(GUEST));
      if (pipeline.body.phases[0].current?.version === '0.1.0') break;
      await new Promise(r => setTimeout(r, 100));
    }
    expect(pipeline!.body.phases.map((p: { id: string }) => p.id)).toEqual([
      'dev',
      'qa',
      'stage',
      'live',
    ]);
    expect(pipeline!.body.phases[0].current).toMatchObject({
      version: '0.1.0',
    });

    expect(run.output.links).toEqual([
      expect.objectContaining({ entityRef: 'component:default/new-api' }),
    ]);
    expect(JSON.stringify(run.output.text)).toMatch(
      /Its deployment to Dev is queued \(promotion [0-9a-f-]{36}\)/,
    );
  });

  it('can leave the first release undeployed, on the fast-track pipeline', async () => {
    const server = await startDemo();
    const run = await runTemplate(server, GUEST, {
      name: 'quiet-worker',
      owner: 'group:default/team-payments',
      pipeline: 'fast-track',
      version: '1.0.0',
      deployToDev: false,
    });
    expect(run.status).toBe('completed');
    const base = '/api/release/entities/component/default/quiet-worker';
    const pipeline = await request(server)
      .get(`${base}/pipeline`)
      .set('Authorization', as(GUEST));
    expect(pipeline.body.template).toBe('fast-track');
    const promotions = await request(server)
      .get(`${base}/promotions`)
      .set('Authorization', as(GUEST));
    expect(promotions.body.items).toEqual([]);
    expect(JSON.stringify(run.output.text)).toMatch(/It was not deployed yet/);
  });

  it('fails at the first release for a user who is not a deployer of the new component', async () => {
    const server = await startDemo();
    const run = await runTemplate(server, 'user:default/carol', {
      name: 'not-mine',
      owner: 'group:default/team-payments',
      pipeline: 'default',
      version: '0.1.0',
    });
    expect(run.status).toBe('failed');
    expect(run.log).toMatch(
      /NotAllowedError: Only the owners or deployers of component:default\/not-mine/,
    );
  });
});
