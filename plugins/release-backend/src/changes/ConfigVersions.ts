import {
  diffConfigurations,
  releaseConfigReadPermission,
  summarizeConfigDiff,
  toPhaseResourceRef,
} from '@release-manager/backstage-plugin-release-common';
import { ConfigStore, StoredPhaseConfig } from '../database/ConfigStore';
import { AccessGuard, CallerCredentials } from '../access/AccessGuard';
import { ReleaseEntity } from '../access/EntityResolver';
import { ConfigService } from '../engine/ConfigService';
import { PromotionService } from '../engine/PromotionService';

function meta(v: StoredPhaseConfig) {
  return {
    version: v.version,
    hash: v.hash,
    createdBy: v.createdBy,
    createdAt: v.createdAt,
    change: v.change,
    comment: v.comment,
  };
}

/**
 * The history of a phase's configuration: list, view and compare its
 * versions (secrets as names and fingerprints only). Restoring one is a
 * replace through {@link ConfigService.restore}.
 */
export class ConfigVersions {
  constructor(
    private readonly store: ConfigStore,
    private readonly configs: ConfigService,
    private readonly access: AccessGuard,
  ) {}

  private async readable(
    credentials: CallerCredentials,
    target: ReleaseEntity,
    phaseId: string,
  ) {
    const phase = PromotionService.phaseOf(target, phaseId);
    await this.access.authorize(
      credentials,
      releaseConfigReadPermission,
      toPhaseResourceRef(target.entityRef, phase.id),
    );
    return phase;
  }

  /** Newest first; the template default (version 0) ends the last page. */
  async list(
    credentials: CallerCredentials,
    target: ReleaseEntity,
    phaseId: string,
    options: { limit: number; beforeVersion?: number },
  ) {
    const phase = await this.readable(credentials, target, phaseId);
    if (options.beforeVersion === 0) return { items: [] };
    const page = await this.store.listVersions(
      target.entityRef,
      phase.id,
      options,
    );
    const items = page.items.map(meta);
    if (!page.hasMore) {
      items.push(meta(await this.configs.versionOf(target, phase, 0)));
    }
    const last = items[items.length - 1];
    return {
      items,
      nextCursor: page.hasMore && last ? String(last.version) : undefined,
    };
  }

  async view(
    credentials: CallerCredentials,
    target: ReleaseEntity,
    phaseId: string,
    version: number,
  ) {
    const phase = await this.readable(credentials, target, phaseId);
    const v = await this.configs.versionOf(target, phase, version);
    return {
      ...meta(v),
      variables: v.config.variables ?? {},
      database: v.config.database,
      sizing: v.config.sizing,
      secrets: Object.entries(v.secrets)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, fingerprint]) => ({ name, fingerprint })),
    };
  }

  async diff(
    credentials: CallerCredentials,
    target: ReleaseEntity,
    phaseId: string,
    from: number,
    to: number,
  ) {
    const phase = await this.readable(credentials, target, phaseId);
    const [a, b] = await Promise.all([
      this.configs.versionOf(target, phase, from),
      this.configs.versionOf(target, phase, to),
    ]);
    const diff = diffConfigurations(
      { ...a.config, secrets: a.secrets },
      { ...b.config, secrets: b.secrets },
    );
    return {
      from: meta(a),
      to: meta(b),
      ...diff,
      summary: summarizeConfigDiff(diff).text || 'no changes',
    };
  }
}
