import { JsonObject } from '@backstage/types';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { ENTITIES } from '../__testUtils__/fixtures';
import { json, startFakeServer } from '../__testUtils__/fakeServer';
import { readPipelineTemplates } from '../config/readPipelineTemplates';
import { BLOCKED_ANNOTATION, CatalogCheck } from './CatalogCheck';
import { CheckRunner } from './CheckRunner';
import { HttpCheck } from './HttpCheck';
import { TechInsightsCheck } from './TechInsightsCheck';

const release = {
  entityRef: 'component:default/payments-api',
  version: '2.0.0',
  artifact: 'registry.example.com/app@sha256:2',
  createdBy: 'service:external:ci',
  createdAt: new Date().toISOString(),
};
const base = {
  entityRef: 'component:default/payments-api',
  release,
  phase: 'live',
  name: 'ready',
};
const signal = () => ({ signal: AbortSignal.timeout(5_000) });

describe('http check', () => {
  it('calls the templated URL, passes on 2xx, fails otherwise, follows no redirect and honours a deadline', async () => {
    let answer: { status: number; body?: unknown; location?: string } = {
      status: 200,
      body: { ready: true },
    };
    const server = await startFakeServer(async (req, res) => {
      if (req.path.startsWith('/slow')) {
        await new Promise(r => setTimeout(r, 3_000));
      }
      if (answer.location) res.setHeader('location', answer.location);
      json(res, answer.status, answer.body ?? {});
    });
    try {
      const check = new HttpCheck();
      const settings = {
        url: `${server.url}/ready/{{ entity.name }}/{{ phase }}?v={{ version }}`,
      };
      const ok = await check.evaluate({ ...base, settings }, signal());
      expect(ok.status).toBe('passed');
      expect(server.received[0].path).toBe('/ready/payments-api/live?v=2.0.0');

      answer = { status: 503 };
      const down = await check.evaluate({ ...base, settings }, signal());
      expect(down).toMatchObject({ status: 'failed' });
      expect(down.summary).toMatch(/HTTP 503/);

      answer = { status: 302, location: 'https://example.com/elsewhere' };
      await expect(
        check.evaluate({ ...base, settings }, signal()),
      ).rejects.toThrow(/redirects are not followed/);
      expect(server.received.map(r => r.path)).not.toContain('/elsewhere');

      await expect(
        check.evaluate(
          { ...base, settings: { url: `${server.url}/slow`, timeoutMs: 300 } },
          signal(),
        ),
      ).rejects.toThrow(/deadline/);

      await expect(
        check.evaluate(
          { ...base, settings: { url: `${server.url}/{{ entity.owner }}` } },
          signal(),
        ),
      ).rejects.toThrow(/Unknown placeholder \{\{ entity.owner \}\}/);
    } finally {
      await server.close();
    }
  });

  it("resolves a URL given as a path against this backend's baseUrl", async () => {
    const server = await startFakeServer(async (_req, res) => {
      json(res, 200, { ready: true });
    });
    try {
      const settings = {
        url: '/api/demo-checks/{{ entity.name }}/{{ version }}',
      };
      expect(() => HttpCheck.validate(settings)).not.toThrow();
      expect(() => HttpCheck.validate({ url: '//elsewhere/x' })).toThrow(
        /http\(s\) URL, or a path/,
      );
      const check = new HttpCheck({ baseUrl: `${server.url}/` });
      const ok = await check.evaluate({ ...base, settings }, signal());
      expect(ok.status).toBe('passed');
      expect(server.received[0].path).toBe(
        '/api/demo-checks/payments-api/2.0.0',
      );
      const without = await new HttpCheck().evaluate(
        { ...base, settings },
        signal(),
      );
      expect(without).toMatchObject({ status: 'failed' });
      expect(without.summary).toMatch(/no backend.baseUrl/);
    } finally {
      await server.close();
    }
  });

  it('requires a JSON field value; listed values mean pending', async () => {
    let body: unknown = { analysis: { verdict: 'running' } };
    const server = await startFakeServer((_req, res) => json(res, 200, body));
    try {
      const settings = {
        url: `${server.url}/canary`,
        json: {
          path: 'analysis.verdict',
          equals: 'pass',
          pendingValues: ['running'],
        },
      };
      const check = new HttpCheck();
      expect(
        await check.evaluate({ ...base, settings }, signal()),
      ).toMatchObject({
        status: 'pending',
        summary: 'analysis.verdict is "running", waiting for "pass"',
      });
      body = { analysis: { verdict: 'fail' } };
      expect(
        await check.evaluate({ ...base, settings }, signal()),
      ).toMatchObject({
        status: 'failed',
        summary: 'analysis.verdict is "fail", not "pass"',
      });
      body = { analysis: { verdict: 'pass' } };
      expect(
        await check.evaluate({ ...base, settings }, signal()),
      ).toMatchObject({
        status: 'passed',
      });
    } finally {
      await server.close();
    }
  });
});

describe('catalog check', () => {
  const payments = ENTITIES.find(e => e.metadata.name === 'payments-api')!;
  const check = new CatalogCheck();
  const run = (entity: Entity | undefined, settings = {}) =>
    check.evaluate({ ...base, entity, settings });

  it('passes for the fixture entity with an owner and an allowed lifecycle', async () => {
    expect(
      await run(payments, { lifecycles: ['production', 'experimental'] }),
    ).toMatchObject({ status: 'passed' });
  });

  it('fails on the blocked annotation with its value as the summary, a missing owner, a lifecycle not listed, and an entity not in the catalog', async () => {
    const blocked = {
      ...payments,
      metadata: {
        ...payments.metadata,
        annotations: {
          ...payments.metadata.annotations,
          [BLOCKED_ANNOTATION]: 'incident INC-42 in progress',
        },
      },
    };
    expect(await run(blocked)).toEqual({
      status: 'failed',
      summary: 'Blocked: incident INC-42 in progress',
    });
    const ownerless = { ...payments, spec: { ...payments.spec, owner: '' } };
    expect(await run(ownerless)).toMatchObject({
      status: 'failed',
      summary: 'component:default/payments-api has no owner',
    });
    expect(await run(ownerless, { requireOwner: false })).toMatchObject({
      status: 'passed',
    });
    expect(await run(payments, { lifecycles: ['experimental'] })).toMatchObject(
      {
        status: 'failed',
        summary: "Lifecycle 'production' is not one of experimental",
      },
    );
    expect(await run(undefined)).toMatchObject({ status: 'failed' });
  });
});

describe('tech-insights check', () => {
  it('runs the named checks through the Tech Insights API with a service token and passes when all results are true', async () => {
    const results: Record<string, boolean> = {
      'has-readme': true,
      'has-runbook': false,
    };
    const server = await startFakeServer((req, res) => {
      const m = req.path.match(
        /^\/api\/tech-insights\/checks\/run\/([^/]+)\/([^/]+)\/([^/]+)$/,
      );
      if (req.method !== 'POST' || !m) return json(res, 404, {});
      if (!req.headers.authorization?.startsWith('Bearer ')) {
        return json(res, 401, { error: { name: 'AuthenticationError' } });
      }
      const { checks } = JSON.parse(req.body) as { checks: string[] };
      // The shape of @backstage-community/plugin-tech-insights-backend's
      // answer: one result per check with its facts and the check itself.
      return json(
        res,
        200,
        checks.map(id => ({
          facts: {},
          result: results[id],
          check: {
            id,
            type: 'json-rules-engine',
            name: `Check ${id}`,
            description: '',
            factIds: [],
          },
        })),
      );
    });
    try {
      const discovery = {
        getBaseUrl: async (id: string) => `${server.url}/api/${id}`,
        getExternalBaseUrl: async (id: string) => `${server.url}/api/${id}`,
      };
      const check = new TechInsightsCheck({
        auth: mockServices.auth(),
        discovery,
      });
      const settings = { checks: ['has-readme', 'has-runbook'] };
      expect(await check.evaluate({ ...base, settings }, signal())).toEqual({
        status: 'failed',
        summary: 'Failing: Check has-runbook',
      });
      const req = server.received[0];
      expect(req.path).toBe(
        '/api/tech-insights/checks/run/default/component/payments-api',
      );
      expect(JSON.parse(req.body)).toEqual({
        checks: ['has-readme', 'has-runbook'],
      });
      expect(req.headers.authorization).toMatch(/^Bearer .+/);
      results['has-runbook'] = true;
      expect(await check.evaluate({ ...base, settings }, signal())).toEqual({
        status: 'passed',
        summary: 'All 2 Tech Insights checks pass',
      });
    } finally {
      await server.close();
    }
  });
});

describe('checks config', () => {
  const config = (checks: JsonObject[]) =>
    new ConfigReader({
      release: {
        pipelines: {
          default: { phases: [{ id: 'dev' }, { id: 'live', checks }] },
        },
      },
    });

  it('reads checks with their settings, and refuses an unknown type or a bad window at startup', async () => {
    const templates = readPipelineTemplates(
      config([
        {
          type: 'http',
          name: 'smoke',
          when: 'after-deploy',
          window: 'PT5M',
          onFailure: 'rollback',
          url: 'http://127.0.0.1:1/smoke',
        },
      ]),
    );
    expect(templates.get('default')!.phases[1].checks).toEqual([
      {
        type: 'http',
        name: 'smoke',
        when: 'after-deploy',
        window: 'PT5M',
        onFailure: 'rollback',
        settings: { url: 'http://127.0.0.1:1/smoke' },
      },
    ]);
    const runner = new CheckRunner({
      db: undefined as any,
      clock: () => new Date(),
      entityOf: async () => undefined,
    });
    runner.add(new HttpCheck(), new CatalogCheck());
    expect(() => runner.validate(templates.values())).not.toThrow();
    expect(() =>
      runner.validate(
        readPipelineTemplates(
          config([{ type: 'no-such', name: 'x', when: 'before-deploy' }]),
        ).values(),
      ),
    ).toThrow(
      "Invalid release checks config: pipeline 'default' phase 'live' check 'x': unknown check type 'no-such'; installed: catalog, http",
    );
    expect(() =>
      readPipelineTemplates(
        config([
          {
            type: 'http',
            name: 'x',
            when: 'after-deploy',
            window: 'soon',
            url: 'http://a',
          },
        ]),
      ),
    ).toThrow(/window 'soon' is not an ISO 8601 duration/);
    expect(() =>
      readPipelineTemplates(
        config([
          {
            type: 'http',
            name: 'x',
            when: 'before-deploy',
            onFailure: 'rollback',
            url: 'http://a',
          },
        ]),
      ),
    ).toThrow(/onFailure applies to after-deploy checks only/);
    expect(() =>
      runner.validate(
        readPipelineTemplates(
          config([{ type: 'http', name: 'x', when: 'before-deploy' }]),
        ).values(),
      ),
    ).toThrow(/an http check needs url/);
  });
});
