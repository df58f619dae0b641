import { createExtensionPoint } from '@backstage/backend-plugin-api';
import {
  PhaseConfiguration,
  PromotionStatus,
} from '@release-manager/backstage-plugin-release-common';

/**
 * A finished (or failed) run of a seeded release in one phase.
 * @public
 */
export interface ReleaseSeedOutcome {
  phase: string;
  /** A final state (succeeded, failed, rejected, cancelled, superseded). */
  status: PromotionStatus;
  requestedBy: string;
  requestedAt: Date;
  finishedAt?: Date;
}

/**
 * A release to seed, with its outcome per phase.
 * @public
 */
export interface ReleaseSeedRelease {
  entityRef: string;
  version: string;
  artifact: string;
  commit?: string;
  notes?: string;
  createdBy: string;
  createdAt: Date;
  outcomes?: ReleaseSeedOutcome[];
}

/**
 * The phase configuration (and secrets, as plain values: the plugin
 * encrypts them with its key) of one entity in one phase.
 * @public
 */
export interface ReleaseSeedPhaseConfig {
  entityRef: string;
  phase: string;
  config: PhaseConfiguration;
  secrets?: Record<string, string>;
  actor: string;
}

/**
 * A promotion waiting for approval.
 * @public
 */
export interface ReleaseSeedPendingPromotion {
  entityRef: string;
  /** The pipeline template of the entity (default: `default`). */
  template?: string;
  phase: string;
  version: string;
  requestedBy: string;
  comment?: string;
}

/**
 * A release train waiting for approval: each member is seeded as a waiting
 * promotion of the train, in the order given (the deploy order).
 * @public
 */
export interface ReleaseSeedPendingTrain {
  /** The catalog System, e.g. `system:default/shop`. */
  system: string;
  title: string;
  phase: string;
  requestedBy: string;
  comment?: string;
  members: Array<{
    entityRef: string;
    /** The pipeline template of the member (default: `default`). */
    template?: string;
    version: string;
    /** The other members it depends on (catalog dependsOn). */
    dependsOn?: string[];
  }>;
}

/**
 * Declarative data for the release plugin to write into an empty database:
 * releases with their outcomes per phase, phase configuration and secrets,
 * and promotions waiting for approval. Each seed is applied once per
 * database (by its `id`), when `release.seed.enabled` is true.
 * @public
 */
export interface ReleaseSeed {
  /** Names the seed; a database that has applied a seed of this id never applies it again. */
  id: string;
  releases?: ReleaseSeedRelease[];
  phaseConfigs?: ReleaseSeedPhaseConfig[];
  pendingPromotions?: ReleaseSeedPendingPromotion[];
  /** Release trains waiting for approval. */
  pendingTrains?: ReleaseSeedPendingTrain[];
}

/**
 * Lets backend modules contribute seed data to the release plugin.
 * @public
 */
export interface ReleaseSeedExtensionPoint {
  /** Adds seeds; an id may be added once. */
  addSeed(...seeds: ReleaseSeed[]): void;
}

/**
 * The extension point for seed data (demo installations, fixtures). The
 * plugin applies each seed once per database, in one transaction with a
 * claim on its id, so replicas starting together seed exactly once; and only
 * when `release.seed.enabled` is true.
 *
 * @example
 * ```ts
 * export default createBackendModule({
 *   pluginId: 'release',
 *   moduleId: 'demo-data',
 *   register(reg) {
 *     reg.registerInit({
 *       deps: { seed: releaseSeedExtensionPoint },
 *       async init({ seed }) {
 *         seed.addSeed({ id: 'demo', releases: [ ... ] });
 *       },
 *     });
 *   },
 * });
 * ```
 * @public
 */
export const releaseSeedExtensionPoint =
  createExtensionPoint<ReleaseSeedExtensionPoint>({
    id: 'release.seed',
  });
