import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  DatabaseConfigStore,
  DatabasePromotionStore,
  DatabaseReleaseStore,
  SecretCipher,
} from '@release-manager/backstage-plugin-release-backend';
import { PromotionStatus } from '@release-manager/backstage-plugin-release-common';
import { createHash } from 'crypto';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

type DemoRelease = {
  version: string;
  daysAgo: number;
  notes: string;
  /** Outcome per phase, in pipeline order. */
  phases: Array<[phase: string, status: PromotionStatus]>;
};

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** Demo releases per component: some already in later phases. */
export const DEMO_RELEASES: Record<string, DemoRelease[]> = {
  // payments-api's Live history gives non-trivial delivery (DORA) figures
  // for the last 30 days: six successful Live deployments, one failed Live
  // deployment fixed by a hotfix that skipped QA and Stage. The release
  // README shows the hand computation.
  'component:default/payments-api': [
    {
      version: '1.0.0',
      daysAgo: 40,
      notes: 'First production release.',
      phases: [
        ['dev', 'succeeded'],
        ['qa', 'succeeded'],
        ['stage', 'succeeded'],
        ['live', 'succeeded'],
      ],
    },
    {
      version: '1.0.1',
      daysAgo: 25,
      notes: 'Retries card authorisation once on a gateway timeout.',
      phases: [
        ['dev', 'succeeded'],
        ['qa', 'succeeded'],
        ['stage', 'succeeded'],
        ['live', 'succeeded'],
      ],
    },
    {
      version: '1.0.2',
      daysAgo: 21,
      notes: 'New settlement batch job.',
      phases: [
        ['dev', 'succeeded'],
        ['qa', 'succeeded'],
        ['stage', 'succeeded'],
        ['live', 'failed'],
      ],
    },
    {
      version: '1.0.3',
      daysAgo: 20.5,
      notes: 'Hotfix for the failed 1.0.2 Live deployment (settlement job).',
      phases: [
        ['dev', 'succeeded'],
        ['live', 'succeeded'],
      ],
    },
    {
      version: '1.1.0',
      daysAgo: 14,
      notes: 'Adds refunds.\n<b>HTML in notes is shown as text.</b>',
      phases: [
        ['dev', 'succeeded'],
        ['qa', 'succeeded'],
        ['stage', 'succeeded'],
        ['live', 'succeeded'],
      ],
    },
    {
      version: '1.1.1',
      daysAgo: 9,
      notes: 'Refund e-mails in the customer’s language.',
      phases: [
        ['dev', 'succeeded'],
        ['qa', 'succeeded'],
        ['stage', 'succeeded'],
        ['live', 'succeeded'],
      ],
    },
    {
      version: '1.1.2',
      daysAgo: 7.5,
      notes: 'Partial refunds.',
      phases: [
        ['dev', 'succeeded'],
        ['qa', 'succeeded'],
        ['stage', 'succeeded'],
        ['live', 'succeeded'],
      ],
    },
    {
      version: '1.1.3',
      daysAgo: 6,
      notes: 'Faster refund lookups.',
      phases: [
        ['dev', 'succeeded'],
        ['qa', 'succeeded'],
        ['stage', 'succeeded'],
        ['live', 'succeeded'],
      ],
    },
    {
      version: '1.2.0',
      daysAgo: 5,
      notes: 'Faster card authorisation.',
      phases: [
        ['dev', 'succeeded'],
        ['qa', 'succeeded'],
        ['stage', 'succeeded'],
      ],
    },
    {
      version: '1.3.0-rc.1',
      daysAgo: 1,
      notes: 'Release candidate: new payment provider.',
      phases: [
        ['dev', 'succeeded'],
        ['qa', 'failed'],
      ],
    },
    {
      version: '1.3.0-rc.2',
      daysAgo: 0.2,
      notes: 'Fixes the QA failure of rc.1.',
      phases: [['dev', 'succeeded']],
    },
  ],
  'component:default/checkout-web': [
    {
      version: '2.4.0',
      daysAgo: 20,
      notes: 'New basket page.',
      phases: [
        ['dev', 'succeeded'],
        ['qa', 'succeeded'],
        ['stage', 'succeeded'],
        ['live', 'succeeded'],
      ],
    },
    {
      version: '2.5.0',
      daysAgo: 3,
      notes: 'Address autocomplete.',
      phases: [
        ['dev', 'succeeded'],
        ['qa', 'succeeded'],
      ],
    },
    {
      version: '2.5.1',
      daysAgo: 0.5,
      notes: 'Fixes autocomplete in Safari.',
      phases: [['dev', 'succeeded']],
    },
  ],
  'component:default/ledger-worker': [
    {
      version: '0.9.0',
      daysAgo: 10,
      notes: 'Nightly ledger sync.',
      phases: [
        ['dev', 'succeeded'],
        ['live', 'succeeded'],
      ],
    },
    {
      version: '0.10.0',
      daysAgo: 2,
      notes: 'Hourly ledger sync.',
      phases: [['dev', 'succeeded']],
    },
  ],
};

/**
 * Promotions waiting for approval. The guest (a payments lead) may approve
 * the payments ones; the checkout one is for the storefront team.
 */
export const DEMO_WAITING = [
  {
    entityRef: 'component:default/payments-api',
    template: 'default',
    phase: 'live',
    version: '1.2.0',
    requestedBy: 'user:default/alice',
    comment: 'Faster card authorisation; verified on Stage for 4 days.',
  },
  {
    entityRef: 'component:default/ledger-worker',
    template: 'fast-track',
    phase: 'live',
    version: '0.10.0',
    requestedBy: 'user:default/alice',
    comment: 'Hourly sync, ready for Live.',
  },
  {
    entityRef: 'component:default/checkout-web',
    template: 'default',
    phase: 'stage',
    version: '2.5.0',
    requestedBy: 'user:default/carol',
    comment: 'Address autocomplete for UAT.',
  },
];

/** Phase configuration of payments-api: different database, sizing and secrets per phase. */
export const DEMO_CONFIG = ['dev', 'qa', 'stage', 'live'].map((phase, i) => ({
  entityRef: 'component:default/payments-api',
  phase,
  config: {
    variables: {
      LOG_LEVEL: ['debug', 'info', 'info', 'warn'][i],
      PAYMENT_GATEWAY_URL: [
        'https://sandbox.pay.example.com',
        'https://sandbox.pay.example.com',
        'https://pay.example.com',
        'https://pay.example.com',
      ][i],
      ...(phase === 'live' ? { CARD_3DS: 'enforced' } : {}),
    },
    database: {
      engine: 'postgres',
      host: `payments-db.${phase}.internal`,
      port: 5432,
      name: 'payments',
      user: `payments_${phase}`,
      passwordSecret: 'DB_PASSWORD',
    },
    sizing: {
      replicas: [1, 1, 2, 4][i],
      cpu: ['250m', '500m', '500m', '1'][i],
      memory: ['256Mi', '512Mi', '1Gi', '2Gi'][i],
    },
  },
  secrets: {
    DB_PASSWORD: `demo-${phase}-password`,
    ...(phase === 'live' || phase === 'stage'
      ? { GATEWAY_API_KEY: 'demo-gateway-key' }
      : {}),
  },
}));

const DEMO_ACTORS = [
  'user:default/alice',
  'user:default/guest',
  'user:default/bob',
];

/**
 * Seeds the demo's release history into the release plugin's database. Only
 * the demo backend adds this module; it does nothing when data exists.
 */
export const releaseDemoDataModule = createBackendModule({
  pluginId: 'release',
  moduleId: 'demo-data',
  register(reg) {
    reg.registerInit({
      deps: {
        database: coreServices.database,
        logger: coreServices.logger,
        config: coreServices.rootConfig,
      },
      async init({ database, logger, config }) {
        const store = await DatabaseReleaseStore.create({ database });
        const now = Date.now();
        let created = 0;
        for (const [entityRef, releases] of Object.entries(DEMO_RELEASES)) {
          const existing = await store.listReleases(entityRef, { limit: 1 });
          if (existing.items.length > 0) {
            continue;
          }
          for (const [i, r] of releases.entries()) {
            const createdAt = new Date(now - r.daysAgo * DAY);
            const actor = DEMO_ACTORS[i % DEMO_ACTORS.length];
            await store.createRelease({
              entityRef,
              version: r.version,
              artifact: `registry.example.com/${
                entityRef.split('/')[1]
              }@sha256:${sha256(`${entityRef}@${r.version}`)}`,
              commit: sha256(r.version).slice(0, 40),
              notes: r.notes,
              createdBy: 'service:external:ci',
              createdAt: createdAt.toISOString(),
            });
            for (const [j, [phase, status]] of r.phases.entries()) {
              const requestedAt = new Date(
                createdAt.getTime() + (j + 1) * 2 * HOUR,
              );
              await store.importPromotion({
                entityRef,
                phase,
                version: r.version,
                status,
                requestedBy: actor,
                requestedAt,
                finishedAt: new Date(requestedAt.getTime() + 10 * 60_000),
              });
            }
            created++;
          }
        }
        // Per-entity phase configuration and secrets for payments-api.
        const configs = new DatabaseConfigStore(await database.getClient());
        const cipher = SecretCipher.fromConfig(config);
        const effects = {
          invalidate: false,
          approvalsRequired: false,
          template: 'default',
          provider: { type: 'simulated' },
        };
        for (const c of DEMO_CONFIG) {
          if (await configs.getCurrent(c.entityRef, c.phase)) continue;
          let version = await configs.putConfig({
            entityRef: c.entityRef,
            phase: c.phase,
            config: c.config,
            expectedVersion: 0,
            actor: 'user:default/alice',
            base: {
              version: 0,
              config: { variables: {} },
              secrets: {},
              hash: '',
              createdBy: 'app-config',
              createdAt: new Date(0).toISOString(),
            },
            effects,
          });
          for (const [name, value] of Object.entries(c.secrets)) {
            version = await configs.changeSecret({
              entityRef: c.entityRef,
              phase: c.phase,
              name,
              ciphertext: cipher.encrypt(value),
              fingerprint: cipher.fingerprint(value),
              actor: 'user:default/alice',
              base: version,
              effects,
            });
          }
        }
        // Promotions waiting for a decision, so a visitor can approve one.
        const promotions = new DatabasePromotionStore(
          await database.getClient(),
        );
        for (const w of DEMO_WAITING) {
          const release = await store.getRelease(w.entityRef, w.version);
          const open = await promotions.listPromotions({
            entityRef: w.entityRef,
            phase: w.phase,
            // Any open promotion of this release means it was seeded (and
            // maybe approved) already, e.g. before a dev-server restart.
            status: ['pending_approval', 'approved', 'queued', 'deploying'],
            limit: 10,
          });
          if (!release || open.some(o => o.version === w.version)) {
            continue;
          }
          const current = await configs.getCurrent(w.entityRef, w.phase);
          await promotions.createPromotion(
            {
              entityRef: w.entityRef,
              phase: w.phase,
              release,
              kind: 'promote',
              requestedBy: w.requestedBy,
              comment: w.comment,
              skippedRequires: false,
              status: 'pending_approval',
              configVersion: current?.version ?? 0,
              configHash: current?.hash,
              snapshot: {
                template: w.template,
                provider: { type: 'simulated' },
                config: current?.config ?? { variables: {} },
                secrets: current?.secrets ?? {},
              },
            },
            () => [],
          );
        }
        logger.info(
          `Seeded ${created} demo releases, ${DEMO_WAITING.length} waiting promotions and ${DEMO_CONFIG.length} phase configurations`,
        );
      },
    });
  },
});
