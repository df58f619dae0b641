import releaseModuleGithubActions from '.';
import { FakeGithub, HOST, TOKEN } from './__testUtils__/fakeGithub';
import {
  createTestDatabases,
  ENTITY_REF,
  eventually,
  getPromotion,
  leaksOf,
  promoteWithConfig,
  releaseConfig,
  startRelease,
} from '@internal/release-test-utils';

jest.setTimeout(60_000);

const SECRETS = {
  API_KEY: 'SECRET-VALUE-gh-api-key-7f3a',
  DATABASE_PASSWORD: 'SECRET-VALUE-gh-db-password-91c2',
};

describe('the github-actions module in the release backend', () => {
  const databases = createTestDatabases();
  let github: FakeGithub;
  beforeEach(async () => {
    github = await FakeGithub.start();
  });
  afterEach(async () => {
    await github.server.close();
  });

  const config = () =>
    releaseConfig(
      {
        type: 'github-actions',
        host: HOST,
        owner: 'acme',
        repo: 'shop',
        workflow: 'deploy.yml',
      },
      {
        integrations: {
          github: [{ host: HOST, apiBaseUrl: github.server.url, token: TOKEN }],
        },
      },
    );

  it.each(databases.eachSupportedId())(
    'invariant 29: loads through releaseProvidersExtensionPoint and deploys a promotion with its bound config snapshot and decrypted secrets, exactly, to the GitHub Environment (%p)',
    async databaseId => {
      const env = github.addEnvironment('live');
      const server = await startRelease({
        module: releaseModuleGithubActions,
        knex: await databases.init(databaseId),
        config: config(),
      });
      const { promotionId } = await promoteWithConfig(server, {
        version: '1.4.0',
        artifact: 'ghcr.io/acme/shop@sha256:1111',
        config: {
          variables: { LOG_LEVEL: 'warn' },
          database: {
            engine: 'postgres',
            host: 'db.live.internal',
            port: 5432,
            name: 'shop',
            user: 'shop_app',
            passwordSecret: 'DATABASE_PASSWORD',
          },
          sizing: { replicas: 4, cpu: '250m', memory: '256Mi' },
        },
        secrets: SECRETS,
      });

      const deploying = await eventually(async () => {
        const p = await getPromotion(server, promotionId);
        return p.status === 'deploying' && p;
      });
      expect(deploying.providerType).toBe('github-actions');

      const variables = Object.fromEntries(env.variables);
      delete variables.RELEASE_MANAGER_NAMES;
      expect(variables).toEqual({
        LOG_LEVEL: 'warn',
        DB_ENGINE: 'postgres',
        DB_HOST: 'db.live.internal',
        DB_PORT: '5432',
        DB_NAME: 'shop',
        DB_USER: 'shop_app',
        REPLICAS: '4',
        CPU: '250m',
        MEMORY: '256Mi',
      });
      // The fake decrypted the sealed boxes with its private key.
      expect(Object.fromEntries(env.secrets)).toEqual({
        ...SECRETS,
        DB_PASSWORD: SECRETS.DATABASE_PASSWORD,
      });
      const [dispatch] = github.dispatches();
      expect(JSON.parse(dispatch.body).inputs).toMatchObject({
        promotion_id: promotionId,
        entity_ref: ENTITY_REF,
        phase: 'live',
        version: '1.4.0',
        artifact: 'ghcr.io/acme/shop@sha256:1111',
        environment: 'live',
      });

      // The run finishes: the promotion succeeds.
      github.runs[0].status = 'completed';
      github.runs[0].conclusion = 'success';
      await eventually(
        async () =>
          (await getPromotion(server, promotionId)).status === 'succeeded',
      );

      // Nobody but GitHub's secret store saw a value: not a variable, an
      // input, a request in the clear, a log line or an API response.
      for (const value of Object.values(SECRETS)) {
        expect(leaksOf(value)).toEqual([]);
        for (const req of github.server.requests) {
          expect(req.body).not.toContain(value);
        }
        expect([...env.variables.values()].join('\n')).not.toContain(value);
      }
    },
  );

  it('refuses a github-actions phase with bad settings at startup, naming the phase', async () => {
    const bad = config();
    (bad as any).release.pipelines.default.phases[0].provider.repo =
      'shop/../admin';
    await expect(
      startRelease({
        module: releaseModuleGithubActions,
        knex: await databases.init('SQLITE_3'),
        config: bad,
      }),
    ).rejects.toThrow(
      /release\.pipelines\.default, phase 'live': github-actions provider: phase setting 'repo' is not a valid GitHub name/,
    );
  });
});
