import { PhaseConfiguration } from '@release-manager/backstage-plugin-release-common';

/** A secret as anyone but a provider sees it. @public */
export interface SecretMetadata {
  name: string;
  fingerprint: string;
  updatedBy: string;
  updatedAt: string;
}

/** One version of a phase's configuration. @public */
export interface StoredPhaseConfig {
  version: number;
  config: PhaseConfiguration;
  /** Secret fingerprints by name. */
  secrets: Record<string, string>;
  hash: string;
  createdBy: string;
  createdAt: string;
  /** What changed, e.g. "3 variables changed, sizing changed". */
  change?: string;
  /** Why, as the author wrote it. */
  comment?: string;
}

/** What to do to open promotions of a phase whose configuration changed. @public */
export interface ConfigChangeEffects {
  /** Promotions of these states get the new snapshot and lose their approvals. */
  invalidate: boolean;
  /** Whether approved promotions must be approved again (the phase needs approvals). */
  approvalsRequired: boolean;
  /** The pipeline template (for the new snapshots). */
  template: string;
  provider: { type: string; [key: string]: unknown };
}

/** Versioned phase configuration and encrypted secrets. @public */
export interface ConfigStore {
  /** The latest version, or undefined when the entity uses the template defaults. */
  getCurrent(
    entityRef: string,
    phase: string,
  ): Promise<StoredPhaseConfig | undefined>;
  listSecrets(entityRef: string, phase: string): Promise<SecretMetadata[]>;
  /** Ciphertexts by name, for the provider call only. */
  getSecretCiphertexts(
    entityRef: string,
    phase: string,
  ): Promise<Record<string, string>>;
  /**
   * Writes a new version if the current one is `expectedVersion` (0 for the
   * template default); 409 otherwise. Open promotions of the phase that are
   * not yet queued get the new snapshot and lose their approvals.
   */
  putConfig(options: {
    entityRef: string;
    phase: string;
    config: PhaseConfiguration;
    expectedVersion: number;
    actor: string;
    base: StoredPhaseConfig;
    effects: ConfigChangeEffects;
    /** Why, as the author wrote it. */
    comment?: string;
    /** Says what the version is, before the summary (e.g. "restored version 3"). */
    changePrefix?: string;
  }): Promise<StoredPhaseConfig>;
  /** One stored version (1, 2, …); undefined when it does not exist. */
  getVersion(
    entityRef: string,
    phase: string,
    version: number,
  ): Promise<StoredPhaseConfig | undefined>;
  /** The latest version created at or before `at`, if any. */
  getVersionAt(
    entityRef: string,
    phase: string,
    at: string,
  ): Promise<StoredPhaseConfig | undefined>;
  /** Versions newest first, below `beforeVersion` when given. */
  listVersions(
    entityRef: string,
    phase: string,
    options: { limit: number; beforeVersion?: number },
  ): Promise<{ items: StoredPhaseConfig[]; hasMore: boolean }>;
  /** Sets (ciphertext) or removes (undefined) a secret; makes a new version. */
  changeSecret(options: {
    entityRef: string;
    phase: string;
    name: string;
    ciphertext?: string;
    fingerprint?: string;
    actor: string;
    base: StoredPhaseConfig;
    effects: ConfigChangeEffects;
  }): Promise<StoredPhaseConfig>;
}
