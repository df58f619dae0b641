/*
 * Seeds the release plugin's own tables with knex (much faster than the API).
 *
 * - bench-large: 10,000 releases, each promoted through the 4 phases
 *   (40,000 promotions) with their approvals (1 for stage, 2 for live:
 *   30,000 approvals) and the current release of each phase;
 * - bench-small: the same shape with 10 releases;
 * - bench-1k: the same shape with 1,000 releases (the Releases tab of P7);
 * - bench-svc-0000 … bench-svc-0999: 2 releases each, dev and qa deployed,
 *   every 5th with a promotion waiting for approval in stage;
 * - bench-p5, bench-p6-a/b/c: one release 1.0.0 each, nothing deployed.
 */
'use strict';

const { randomUUID } = require('node:crypto');

const { SVC_COUNT, LEAD_COUNT } = require('../lib/fixture');

const MINUTE = 60_000;
const PHASES = ['dev', 'qa', 'stage', 'live'];
const APPROVERS = {
  dev: [],
  qa: [],
  stage: ['user:default/bench-approver-1'],
  live: ['user:default/bench-approver-1', 'user:default/bench-approver-2'],
};

const ref = name => `component:default/${name}`;

function snapshot(phase) {
  return JSON.stringify({
    template: 'default',
    provider: { type: 'simulated' },
    config: {
      variables: { LOG_LEVEL: phase === 'live' ? 'warn' : 'info' },
      sizing: {
        replicas: phase === 'live' ? 4 : 1,
        cpu: '500m',
        memory: '512Mi',
      },
    },
  });
}

async function insertChunks(knex, table, rows, size) {
  for (let i = 0; i < rows.length; i += size) {
    await knex(table).insert(rows.slice(i, i + size));
  }
}

/**
 * Releases with a full history. `shape(i)` returns, per release index, the
 * phases it went through and with which status.
 */
/** The release rows of one entity (not inserted yet). */
function releaseRows(entityRef, count) {
  const start = Date.now() - (count * 10 + 24 * 60) * MINUTE;
  const releases = [];
  for (let i = 0; i < count; i++) {
    const version = `1.${Math.floor(i / 100)}.${i % 100}`;
    releases.push({
      entity_ref: entityRef,
      version,
      version_key: version,
      artifact: `registry.example.com/${
        entityRef.split('/')[1]
      }@sha256:${String(i).padStart(64, '0')}`,
      commit: String(i).padStart(40, 'a'),
      notes: `Release ${version}: bench fixture.`,
      created_by: 'service:external:bench',
      created_at: new Date(start + i * 10 * MINUTE),
    });
  }
  return releases;
}

/**
 * Seeds many entities at once: their releases in chunks, their ids in one
 * read per chunk of entities, then their promotions (returned, inserted by
 * the caller). One entity at a time took minutes for 5,000 entities.
 */
async function seedEntities(knex, specs, chunk) {
  const all = specs.map(spec => ({
    ...spec,
    releases: releaseRows(spec.entityRef, spec.count),
  }));
  await insertChunks(
    knex,
    'release_releases',
    all.flatMap(e => e.releases),
    chunk,
  );
  const ids = new Map();
  const refs = all.map(e => e.entityRef);
  for (let i = 0; i < refs.length; i += 500) {
    const rows = await knex('release_releases')
      .select('id', 'entity_ref', 'version')
      .whereIn('entity_ref', refs.slice(i, i + 500));
    for (const r of rows) ids.set(`${r.entity_ref}@${r.version}`, r.id);
  }
  const out = { promotions: [], approvals: [], current: [] };
  for (const e of all) {
    const part = promotionRows(e.entityRef, e.releases, e.shape, v =>
      ids.get(`${e.entityRef}@${v}`),
    );
    out.promotions.push(...part.promotions);
    out.approvals.push(...part.approvals);
    out.current.push(...part.current);
  }
  return out;
}

async function seedEntity(knex, entityRef, count, shape, chunk) {
  return seedEntities(knex, [{ entityRef, count, shape }], chunk);
}

function promotionRows(entityRef, releases, shape, idOf) {
  const ids = { get: idOf };
  const promotions = [];
  const approvals = [];
  const current = {};
  releases.forEach((release, i) => {
    const created = release.created_at.getTime();
    for (const [k, [phase, status]] of shape(i).entries()) {
      const requestedAt = new Date(created + (k * 2 + 1) * MINUTE);
      const finished = ![
        'pending_approval',
        'approved',
        'queued',
        'deploying',
      ].includes(status);
      const finishedAt = finished
        ? new Date(requestedAt.getTime() + MINUTE)
        : null;
      const id = randomUUID();
      promotions.push({
        id,
        entity_ref: entityRef,
        phase,
        release_id: ids.get(release.version),
        version: release.version,
        status,
        active_key: null,
        open_key: finished ? null : `${entityRef}#${phase}#${release.version}`,
        // Waiting ones were asked for by someone else: the bench user may
        // decide them (no self-approval), so they fill the P8 inbox.
        requested_by: finished
          ? 'user:default/bench-user'
          : 'user:default/bench-requester',
        requested_at: requestedAt,
        comment: null,
        idempotency_key: null,
        kind: 'promote',
        override_reason: null,
        skipped_requires: false,
        config_version: 0,
        config_hash: null,
        snapshot: snapshot(phase),
        external_id: finished ? `run-${i}-${phase}` : null,
        external_url: finished
          ? `https://deploy.example.com/runs/${i}-${phase}`
          : null,
        progress: finished
          ? JSON.stringify([
              {
                at: requestedAt.toISOString(),
                message: 'Deploying',
                percent: 10,
              },
              {
                at: finishedAt.toISOString(),
                message: status === 'succeeded' ? 'Deployed' : 'Failed',
                percent: 100,
              },
            ])
          : null,
        lease_owner: null,
        lease_expires_at: null,
        attempts: finished ? 1 : 0,
        next_attempt_at: null,
        deadline_at: null,
        started_at: finished ? requestedAt : null,
        finished_at: finishedAt,
        updated_at: finishedAt ?? requestedAt,
      });
      const approvers =
        finished || status === 'approved' ? APPROVERS[phase] : [];
      for (const userRef of approvers) {
        approvals.push({
          promotion_id: id,
          user_ref: userRef,
          decision: 'approve',
          comment: null,
          artifact: release.artifact,
          config_hash: null,
          invalidated: false,
          decided_at: requestedAt,
          decision_key: `${id}#${userRef}`,
        });
      }
      if (status === 'succeeded') {
        current[phase] = {
          entity_ref: entityRef,
          phase,
          release_id: ids.get(release.version),
          version: release.version,
          promotion_id: id,
          deployed_by: 'user:default/bench-user',
          deployed_at: finishedAt,
        };
      }
    }
  });
  return { promotions, approvals, current: Object.values(current) };
}

async function seed(knex, logger) {
  const t0 = Date.now();
  const sqlite = knex.client.config.client.includes('sqlite');
  // SQLite allows 32,766 bound values per statement; PostgreSQL 65,535.
  const chunk = sqlite ? 400 : 1000;
  const all = { promotions: [], approvals: [], current: [] };
  const add = part => {
    all.promotions.push(...part.promotions);
    all.approvals.push(...part.approvals);
    all.current.push(...part.current);
  };

  const fullHistory = i =>
    PHASES.map(p => [
      p,
      i % 50 === 49 && p === 'live' ? 'failed' : 'succeeded',
    ]);
  add(await seedEntity(knex, ref('bench-large'), 10_000, fullHistory, chunk));
  add(await seedEntity(knex, ref('bench-small'), 10, fullHistory, chunk));
  // The Releases tab of P7 (headless Chromium).
  add(await seedEntity(knex, ref('bench-1k'), 1000, fullHistory, chunk));

  // P10: 1,001 releases; live runs the first, the others reached dev only.
  add(
    await seedEntity(
      knex,
      ref('bench-cs'),
      1001,
      i => (i === 0 ? fullHistory(i) : [['dev', 'succeeded']]),
      chunk,
    ),
  );

  // The 5,000 entities of the bulk status call and the portfolio. The lead's
  // 500 (bench-leads) each have two promotions waiting for a decision, one
  // in Stage and one in Live: the 1,000 of the P8 inbox.
  const svc = [];
  for (let e = 0; e < SVC_COUNT; e++) {
    const lead = e < LEAD_COUNT;
    svc.push({
      entityRef: ref(`bench-svc-${String(e).padStart(4, '0')}`),
      count: 2,
      shape: i =>
        i === 0
          ? [
              ['dev', 'succeeded'],
              ['qa', 'succeeded'],
              ...(lead
                ? [
                    ['stage', 'succeeded'],
                    ['live', 'pending_approval'],
                  ]
                : []),
            ]
          : [
              ['dev', 'succeeded'],
              ...(lead ? [['stage', 'pending_approval']] : []),
            ],
    });
  }
  add(await seedEntities(knex, svc, chunk));
  for (const name of ['bench-p5', 'bench-p6-a', 'bench-p6-b', 'bench-p6-c']) {
    add(await seedEntity(knex, ref(name), 1, () => [], chunk));
  }

  await insertChunks(
    knex,
    'release_promotions',
    all.promotions,
    sqlite ? 400 : 1500,
  );
  await insertChunks(knex, 'release_approvals', all.approvals, chunk);
  await insertChunks(knex, 'release_phase_state', all.current, chunk);
  if (!sqlite) {
    await knex.raw('ANALYZE');
  }
  const counts = {
    releases: Number((await knex('release_releases').count({ n: '*' }))[0].n),
    promotions: all.promotions.length,
    approvals: all.approvals.length,
    phaseState: all.current.length,
  };
  logger.info(
    `bench seed done in ${Date.now() - t0} ms: ${JSON.stringify(counts)}`,
  );
  return counts;
}

module.exports = { seed };
