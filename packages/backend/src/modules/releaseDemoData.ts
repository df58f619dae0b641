import { createBackendModule } from '@backstage/backend-plugin-api';
import { PromotionStatus } from '@release-manager/backstage-plugin-release-common';
import {
  ReleaseSeed,
  releaseSeedExtensionPoint,
} from '@release-manager/backstage-plugin-release-node';
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
    // Passed QA after 1.2.0 (which runs in Stage): the shop train's
    // payments-api member. Dev runs 1.3.0-rc.2, deployed after it.
    {
      version: '1.2.1',
      daysAgo: 0.9,
      notes: 'Card authorisation metrics for the cart.',
      phases: [
        ['dev', 'succeeded'],
        ['qa', 'succeeded'],
      ],
    },
    {
      version: '1.3.0-rc.2',
      daysAgo: 0.2,
      notes: 'Fixes the QA failure of rc.1.',
      phases: [['dev', 'succeeded']],
    },
  ],
  'component:default/cart-api': [
    {
      version: '0.4.0',
      daysAgo: 12,
      notes: 'Saved carts.',
      phases: [
        ['dev', 'succeeded'],
        ['qa', 'succeeded'],
        ['stage', 'succeeded'],
        ['live', 'succeeded'],
      ],
    },
    {
      version: '0.5.0',
      daysAgo: 1.5,
      notes: 'Cart totals with the new card authorisation.',
      phases: [
        ['dev', 'succeeded'],
        ['qa', 'succeeded'],
      ],
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
 * Promotions waiting for approval; the guest (a payments lead) may approve
 * them. (The shop's Stage promotions wait in a train, {@link DEMO_TRAINS}.)
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
];

/**
 * A release train waiting for approval: the shop's three services to Stage,
 * in dependsOn order (payments-api ← cart-api ← checkout-web), requested by
 * carol; the guest, a team lead, may approve it (Stage approvers: team leads).
 */
export const DEMO_TRAINS = [
  {
    system: 'system:default/shop',
    title: 'Shop',
    phase: 'stage',
    requestedBy: 'user:default/carol',
    comment:
      'Address autocomplete for UAT, with its cart and payments changes.',
    members: [
      { entityRef: 'component:default/payments-api', version: '1.2.1' },
      {
        entityRef: 'component:default/cart-api',
        version: '0.5.0',
        dependsOn: ['component:default/payments-api'],
      },
      {
        entityRef: 'component:default/checkout-web',
        version: '2.5.0',
        dependsOn: ['component:default/cart-api'],
      },
    ],
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
 * The demo's release history as seed data, with times relative to `now`:
 * releases and their outcome per phase, phase configuration and secrets of
 * payments-api, and promotions waiting for a decision.
 */
export function demoSeed(now: number): ReleaseSeed {
  return {
    id: 'release-demo-data',
    releases: Object.entries(DEMO_RELEASES).flatMap(([entityRef, releases]) =>
      releases.map((r, i) => {
        const createdAt = new Date(now - r.daysAgo * DAY);
        const actor = DEMO_ACTORS[i % DEMO_ACTORS.length];
        return {
          entityRef,
          version: r.version,
          artifact: `registry.example.com/${
            entityRef.split('/')[1]
          }@sha256:${sha256(`${entityRef}@${r.version}`)}`,
          commit: sha256(r.version).slice(0, 40),
          notes: r.notes,
          createdBy: 'service:external:ci',
          createdAt,
          outcomes: r.phases.map(([phase, status], j) => {
            const requestedAt = new Date(
              createdAt.getTime() + (j + 1) * 2 * HOUR,
            );
            return {
              phase,
              status,
              requestedBy: actor,
              requestedAt,
              finishedAt: new Date(requestedAt.getTime() + 10 * 60_000),
            };
          }),
        };
      }),
    ),
    phaseConfigs: DEMO_CONFIG.map(c => ({ ...c, actor: 'user:default/alice' })),
    pendingPromotions: DEMO_WAITING,
    pendingTrains: DEMO_TRAINS,
  };
}

/**
 * Contributes the demo's release history to the release plugin, which
 * writes it once per database when `release.seed.enabled` is true (the
 * demo's app-config enables it). Only the demo backend adds this module.
 */
export const releaseDemoDataModule = createBackendModule({
  pluginId: 'release',
  moduleId: 'demo-data',
  register(reg) {
    reg.registerInit({
      deps: { seed: releaseSeedExtensionPoint },
      async init({ seed }) {
        seed.addSeed(demoSeed(Date.now()));
      },
    });
  },
});
