/* Generates the catalog entities and the app-config of one bench run. */
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');

const PIPELINE_ANNOTATION = 'release.backstage.io/pipeline';
/** Components with pipelines (P3, P9, P13); the first LEAD_COUNT are the lead's (P8, P11). */
const SVC_COUNT = 5000;
const LEAD_COUNT = 500;
const svcName = i => `bench-svc-${String(i).padStart(4, '0')}`;

function component(name, pipeline = 'default', owner = 'bench-team') {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      description: `Bench fixture ${name}`,
      annotations: { [PIPELINE_ANNOTATION]: pipeline },
      tags: ['bench'],
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: `group:default/${owner}`,
    },
  };
}

function entities() {
  const list = [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'bench-team' },
      spec: { type: 'team', children: [], members: ['bench-user'] },
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'bench-leads' },
      spec: { type: 'team', children: [], members: ['bench-user'] },
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: { name: 'bench-user' },
      spec: { memberOf: ['bench-team', 'bench-leads'] },
    },
    component('bench-large'),
    component('bench-small'),
    component('bench-1k'),
    component('bench-p5'),
    // P10: live runs the first of 1,001 releases; the change set of the
    // last one into live spans the 1,000 in between.
    component('bench-cs'),
    component('bench-p6-a', 'bench-webhook'),
    component('bench-p6-b', 'bench-webhook'),
    component('bench-p6-c', 'bench-webhook'),
  ];
  for (let i = 0; i < SVC_COUNT; i++)
    list.push(
      component(
        svcName(i),
        'default',
        i < LEAD_COUNT ? 'bench-leads' : 'bench-team',
      ),
    );
  return list;
}

/** Every entity ref the backend must serve before measuring. */
function expectedRefs() {
  return entities().map(
    e => `${e.kind.toLowerCase()}:default/${e.metadata.name}`,
  );
}

function pipelines(webhookUrl) {
  const phase = (id, title, extra = {}) => ({
    id,
    title,
    provider: { type: 'simulated' },
    config: {
      variables: { LOG_LEVEL: 'info' },
      sizing: { replicas: 1, cpu: '500m', memory: '512Mi' },
    },
    ...extra,
  });
  return {
    default: {
      title: 'Dev → QA/Demo → Stage → Live',
      phases: [
        phase('dev', 'Dev'),
        phase('qa', 'QA/Demo'),
        phase('stage', 'Stage', { approvals: { required: 1 } }),
        phase('live', 'Live', { approvals: { required: 2 } }),
      ],
    },
    'bench-webhook': {
      title: 'Webhook with one approval',
      phases: [
        {
          id: 'deploy',
          title: 'Deploy',
          requires: false,
          provider: { type: 'webhook', url: webhookUrl },
          approvals: { required: 1, allowSelfApproval: true },
        },
      ],
    },
  };
}

/**
 * Writes entities.yaml and one app-config per backend process into `dir`.
 * @returns {{ entitiesFile: string, configFile: (port:number)=>string }}
 */
function writeFixture(dir, opts) {
  fs.mkdirSync(dir, { recursive: true });
  const entitiesFile = path.join(dir, 'entities.yaml');
  fs.writeFileSync(
    entitiesFile,
    entities()
      .map(e => YAML.stringify(e))
      .join('---\n'),
  );
  const database =
    opts.db === 'postgres'
      ? {
          client: 'pg',
          connection: { host: '127.0.0.1', port: 5432, user: 'postgres' },
          // One database per plugin, all named with this run's prefix,
          // dropped at the end of the run.
          prefix: opts.pgPrefix,
          pluginDivisionMode: 'database',
        }
      : { client: 'better-sqlite3', connection: ':memory:' };

  const configFile = port => {
    const baseUrl = `http://127.0.0.1:${port}`;
    const config = {
      // The app-backend (P7, BENCH_APP=1) serves the built app from the backend.
      app: { baseUrl, title: 'Release Manager bench' },
      organization: { name: 'bench' },
      backend: {
        baseUrl,
        listen: { port, host: '127.0.0.1' },
        database,
        auth: {
          externalAccess: [
            {
              type: 'static',
              options: { token: opts.token, subject: 'bench' },
            },
          ],
        },
      },
      auth: {
        providers: {
          guest: {
            userEntityRef: 'user:default/bench-user',
            dangerouslyAllowOutsideDevelopment: true,
          },
        },
      },
      catalog: {
        rules: [{ allow: ['Component', 'User', 'Group', 'Location'] }],
        locations: [{ type: 'file', target: entitiesFile }],
        // The first pass reads everything; no refresh during the measurements.
        processingInterval: { minutes: 60 },
      },
      permission: { enabled: true },
      release: {
        secrets: { keys: [{ id: 'bench', key: opts.secretsKey }] },
        providers: {
          // P5's promotion stays open (deploying) for the whole burst, however
          // slow the machine: a request after it finished would be a new
          // deployment of the same release, rightly accepted.
          simulated: { durationMs: 120000 },
          webhook: { secret: opts.webhookSecret, timeoutMs: 5000 },
        },
        // A slow poll: P6 then shows the dispatcher is woken by the approval.
        dispatcher: { pollIntervalMs: 30000 },
        pipelines: pipelines(opts.webhookUrl),
      },
    };
    const file = path.join(dir, `app-config.${port}.yaml`);
    fs.writeFileSync(file, YAML.stringify(config));
    return file;
  };
  return { entitiesFile, configFile };
}

module.exports = {
  writeFixture,
  expectedRefs,
  svcName,
  SVC_COUNT,
  LEAD_COUNT,
};
