import {
  DEFAULT_ENVIRONMENT_NAMING,
  phaseEnvironment,
  readEnvironmentNaming,
} from './environment';

describe('phaseEnvironment', () => {
  it('maps variables, database, sizing and secrets by the documented names', () => {
    expect(
      phaseEnvironment({
        variables: { LOG_LEVEL: 'debug' },
        database: {
          engine: 'postgres',
          host: 'db',
          port: 5432,
          name: 'app',
          user: 'u',
          passwordSecret: 'PG_PASS',
        },
        sizing: { replicas: 0, cpu: '1', memory: '1Gi' },
        secrets: { PG_PASS: 's1', TOKEN: 's2' },
      }),
    ).toEqual({
      variables: {
        LOG_LEVEL: 'debug',
        DB_ENGINE: 'postgres',
        DB_HOST: 'db',
        DB_PORT: '5432',
        DB_NAME: 'app',
        DB_USER: 'u',
        REPLICAS: '0',
        CPU: '1',
        MEMORY: '1Gi',
      },
      secrets: { PG_PASS: 's1', TOKEN: 's2', DB_PASSWORD: 's1' },
    });
  });

  it('leaves out what is not set', () => {
    expect(phaseEnvironment({ variables: {} })).toEqual({
      variables: {},
      secrets: {},
    });
  });

  it('refuses a name given twice and a password secret that is not set, without echoing values', () => {
    expect(() =>
      phaseEnvironment({
        variables: { DB_HOST: 'x' },
        database: { host: 'y' },
      }),
    ).toThrow(
      'gives the environment variable DB_HOST twice (variables.DB_HOST and database.host)',
    );
    expect(() =>
      phaseEnvironment({
        variables: { TOKEN: 'x' },
        secrets: { TOKEN: 'hidden-value' },
      }),
    ).toThrow(/TOKEN twice \(variables.TOKEN and secrets.TOKEN\); rename/);
    expect(() =>
      phaseEnvironment({
        variables: { TOKEN: 'x' },
        secrets: { TOKEN: 'hidden-value' },
      }),
    ).not.toThrow(/hidden-value/);
    expect(() =>
      phaseEnvironment({
        variables: {},
        database: { passwordSecret: 'MISSING' },
        secrets: {},
      }),
    ).toThrow('database.passwordSecret names the secret MISSING');
  });

  it('uses renamed names; a password secret named like the password name is given once', () => {
    const naming = readEnvironmentNaming({
      database: { host: 'DATABASE_HOST', password: 'PG_PASS' },
      sizing: { replicas: 'INSTANCES' },
    });
    expect(
      phaseEnvironment(
        {
          variables: {},
          database: { host: 'db', passwordSecret: 'PG_PASS' },
          sizing: { replicas: 2 },
          secrets: { PG_PASS: 's' },
        },
        naming,
      ),
    ).toEqual({
      variables: { DATABASE_HOST: 'db', INSTANCES: '2' },
      secrets: { PG_PASS: 's' },
    });
  });

  it('readEnvironmentNaming refuses unknown keys and invalid names, and defaults', () => {
    expect(readEnvironmentNaming(undefined)).toEqual(
      DEFAULT_ENVIRONMENT_NAMING,
    );
    expect(() => readEnvironmentNaming({ db: {} })).toThrow(
      "'naming.db' is unknown",
    );
    expect(() =>
      readEnvironmentNaming({ database: { host: 'db-host' } }),
    ).toThrow("'naming.database.host' must be an environment variable name");
    expect(() => readEnvironmentNaming({ sizing: { disk: 'DISK' } })).toThrow(
      "'naming.sizing.disk' is unknown",
    );
  });
});
