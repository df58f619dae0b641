/*
 * Features the bench backend adds to the real wiring:
 * - the `bench` plugin: GET /api/bench/floor, the floor baseline (an
 *   authenticated no-op: credentials are checked the way every release route
 *   checks them, then 200), GET /api/bench/memory (process.memoryUsage(),
 *   for P13's JSON; `?collect=1` first runs a full garbage collection, so
 *   that `heapUsed` is the live heap) and GET /api/bench/ready
 *   (unauthenticated);
 * - a module of the release plugin that seeds its tables at startup when
 *   BENCH_SEED=1 (after the plugin ran its migrations).
 */
'use strict';

const v8 = require('node:v8');
const inspector = require('node:inspector/promises');
const express = require('express');
const {
  coreServices,
  createBackendModule,
  createBackendPlugin,
} = require('@backstage/backend-plugin-api');
const { seed } = require('./seed');

/**
 * A full garbage collection without `--expose-gc` (the backend runs as in
 * production): the in-process inspector's HeapProfiler.collectGarbage. The
 * session is closed after the answer, not in its callback (which hangs the
 * process on Node 22).
 */
async function collectGarbage() {
  const session = new inspector.Session();
  session.connect();
  try {
    await session.post('HeapProfiler.collectGarbage');
  } finally {
    session.disconnect();
  }
}

const state = {
  seeded: process.env.BENCH_SEED !== '1',
  seedError: undefined,
  counts: undefined,
};

const benchPlugin = createBackendPlugin({
  pluginId: 'bench',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
      },
      async init({ httpRouter, httpAuth }) {
        const router = express.Router();
        router.get('/floor', async (req, res, next) => {
          try {
            await httpAuth.credentials(req, { allow: ['user', 'service'] });
            res.status(200).json({ ok: true });
          } catch (e) {
            next(e);
          }
        });
        // P13's diagnostics: where the resident set goes. No GC is forced
        // unless asked (`?collect=1`: the live heap, after the rows' RSS).
        router.get('/memory', async (req, res, next) => {
          try {
            await httpAuth.credentials(req, { allow: ['service'] });
            if (req.query.collect === '1') {
              await collectGarbage();
            }
            res.json({
              pid: process.pid,
              ...process.memoryUsage(),
              // Which V8 spaces hold the heap's committed size (P13).
              spaces: Object.fromEntries(
                v8
                  .getHeapSpaceStatistics()
                  .map(s => [s.space_name, s.space_size]),
              ),
            });
          } catch (e) {
            next(e);
          }
        });
        router.get('/ready', (_req, res) => {
          res.json({ pid: process.pid, ...state });
        });
        httpRouter.addAuthPolicy({ path: '/ready', allow: 'unauthenticated' });
        httpRouter.use(router);
      },
    });
  },
});

const seedModule = createBackendModule({
  pluginId: 'release',
  moduleId: 'bench-seed',
  register(env) {
    env.registerInit({
      deps: {
        database: coreServices.database,
        lifecycle: coreServices.lifecycle,
        logger: coreServices.logger,
      },
      async init({ database, lifecycle, logger }) {
        if (process.env.BENCH_SEED !== '1') return;
        lifecycle.addStartupHook(async () => {
          try {
            const knex = await database.getClient();
            state.counts = await seed(knex, logger);
            state.seeded = true;
          } catch (e) {
            state.seedError = String(e && e.stack ? e.stack : e).slice(0, 2000);
            logger.error(`bench seed failed: ${state.seedError}`);
          }
        });
      },
    });
  },
});

module.exports = { benchPlugin, seedModule };
