import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import {
  compareSemver,
  CONFIG_LIMITS,
  CONFIG_NAME_PATTERN,
  diffConfigurations,
  PhaseConfiguration,
  PhaseDefinition,
  releaseConfigReadPermission,
  releaseConfigUpdatePermission,
  releaseSecretUpdatePermission,
  toPhaseResourceRef,
  validatePhaseConfiguration,
} from '@release-manager/backstage-plugin-release-common';
import { ConfigStore, StoredPhaseConfig } from '../database/ConfigStore';
import { hashConfig } from '../database/DatabaseConfigStore';
import { StoredPromotion } from '../database/PromotionStore';
import { ReleaseStore } from '../database/ReleaseStore';
import { SecretCipher } from '../secrets/SecretCipher';
import {
  AccessGuard,
  actorRef,
  CallerCredentials,
} from '../access/AccessGuard';
import { ReleaseEntity } from '../access/EntityResolver';
import { requirePhaseRole } from '../access/phaseAccess';
import { PromotionService } from './PromotionService';

/**
 * Per-phase configuration and secrets: versioned, validated, editable by the
 * phase's config editors, secrets encrypted and never returned; a change
 * re-snapshots the phase's waiting promotions and voids their approvals.
 */
export class ConfigService {
  constructor(
    private readonly store: ConfigStore,
    private readonly releases: ReleaseStore,
    private readonly cipher: SecretCipher,
    private readonly access: AccessGuard,
  ) {}

  /** The configuration in force: the latest version, else the template's (version 0). */
  async effective(
    entityRef: string,
    phase: PhaseDefinition,
  ): Promise<StoredPhaseConfig> {
    const current = await this.store.getCurrent(entityRef, phase.id);
    if (current) return current;
    return {
      version: 0,
      config: phase.config,
      secrets: {},
      hash: hashConfig(phase.config, {}),
      createdBy: 'app-config',
      createdAt: new Date(0).toISOString(),
      change: 'template default',
    };
  }

  async view(
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
    const current = await this.effective(target.entityRef, phase);
    return {
      version: current.version,
      hash: current.hash,
      createdBy: current.createdBy,
      createdAt: current.createdAt,
      variables: current.config.variables ?? {},
      database: current.config.database,
      sizing: current.config.sizing,
      secrets: await this.store.listSecrets(target.entityRef, phase.id),
    };
  }

  private async requireEditor(
    credentials: CallerCredentials,
    target: ReleaseEntity,
    phase: PhaseDefinition,
    permission: typeof releaseConfigUpdatePermission,
  ) {
    if (credentials.principal.type !== 'user') {
      throw new NotAllowedError('Only users may change phase configuration');
    }
    await this.access.authorize(
      credentials,
      permission,
      toPhaseResourceRef(target.entityRef, phase.id),
    );
    requirePhaseRole(
      await this.access.ownership(credentials),
      target,
      phase,
      'configEditor',
    );
  }

  private effects(target: ReleaseEntity, phase: PhaseDefinition) {
    return {
      invalidate: true,
      approvalsRequired: phase.approvals.required > 0,
      template: target.template.name,
      provider: phase.provider,
    };
  }

  async replace(
    credentials: CallerCredentials,
    target: ReleaseEntity,
    phaseId: string,
    body: PhaseConfiguration & { expectedVersion: number },
  ) {
    const phase = PromotionService.phaseOf(target, phaseId);
    const { expectedVersion, ...config } = body;
    const problems = validatePhaseConfiguration({
      ...config,
      variables: config.variables ?? {},
    });
    if (problems.length) throw new InputError(problems.join('; '));
    await this.requireEditor(
      credentials,
      target,
      phase,
      releaseConfigUpdatePermission,
    );
    const base = await this.effective(target.entityRef, phase);
    return this.store.putConfig({
      entityRef: target.entityRef,
      phase: phase.id,
      config: {
        variables: config.variables ?? {},
        database: config.database,
        sizing: config.sizing,
      },
      expectedVersion,
      actor: actorRef(credentials),
      base,
      effects: this.effects(target, phase),
    });
  }

  async changeSecret(
    credentials: CallerCredentials,
    target: ReleaseEntity,
    phaseId: string,
    name: string,
    value: string | undefined,
  ) {
    const phase = PromotionService.phaseOf(target, phaseId);
    if (!CONFIG_NAME_PATTERN.test(name)) {
      throw new InputError(
        `Secret name '${name}' must match ${CONFIG_NAME_PATTERN}`,
      );
    }
    if (
      value !== undefined &&
      (value.length === 0 || value.length > CONFIG_LIMITS.secretValue)
    ) {
      throw new InputError(
        `A secret value must have 1 to ${CONFIG_LIMITS.secretValue} characters`,
      );
    }
    await this.requireEditor(
      credentials,
      target,
      phase,
      releaseSecretUpdatePermission,
    );
    const base = await this.effective(target.entityRef, phase);
    if (
      value !== undefined &&
      !(name in base.secrets) &&
      Object.keys(base.secrets).length >= CONFIG_LIMITS.secrets
    ) {
      throw new InputError(
        `A phase may hold at most ${CONFIG_LIMITS.secrets} secrets`,
      );
    }
    return this.store.changeSecret({
      entityRef: target.entityRef,
      phase: phase.id,
      name,
      ciphertext: value === undefined ? undefined : this.cipher.encrypt(value),
      fingerprint:
        value === undefined ? undefined : this.cipher.fingerprint(value),
      actor: actorRef(credentials),
      base,
      effects: this.effects(target, phase),
    });
  }

  /**
   * The decrypted secrets a deployment gets — only for the provider call.
   * They must be the ones the promotion was requested (and approved) with.
   */
  async secretsFor(
    promotion: StoredPromotion,
  ): Promise<Record<string, string>> {
    // A promotion carries the encrypted values it was bound to: the
    // deployment uses exactly those, whatever changed since (invariant 34).
    if (promotion.secretCiphertexts) {
      return Object.fromEntries(
        Object.entries(promotion.secretCiphertexts).map(([name, c]) => [
          name,
          this.cipher.decrypt(c),
        ]),
      );
    }
    // Promotions recorded before secrets were bound to them: the current
    // values, which must still be the ones it was requested with.
    const ciphertexts = await this.store.getSecretCiphertexts(
      promotion.entityRef,
      promotion.phase,
    );
    const expected = promotion.snapshot?.secrets ?? {};
    const values: Record<string, string> = {};
    for (const [name, ciphertext] of Object.entries(ciphertexts)) {
      values[name] = this.cipher.decrypt(ciphertext);
    }
    const now = Object.fromEntries(
      Object.entries(values).map(([n, v]) => [n, this.cipher.fingerprint(v)]),
    );
    const changed = [
      ...new Set([...Object.keys(now), ...Object.keys(expected)]),
    ].filter(n => now[n] !== expected[n]);
    if (changed.length) {
      throw new ConflictError(
        `Secrets changed after the promotion was requested (${changed.join(
          ', ',
        )}); request it again`,
      );
    }
    return values;
  }

  /**
   * The configuration a new promotion binds to, with the encrypted secret
   * values whose fingerprints it lists (read again if a secret changed
   * between the two reads).
   */
  async bind(entityRef: string, phase: PhaseDefinition) {
    for (let attempt = 0; ; attempt++) {
      const current = await this.effective(entityRef, phase);
      const secretCiphertexts = await this.store.getSecretCiphertexts(
        entityRef,
        phase.id,
      );
      const consistent =
        Object.keys(secretCiphertexts).length ===
          Object.keys(current.secrets).length &&
        Object.entries(secretCiphertexts).every(
          ([name, c]) =>
            current.secrets[name] ===
            this.cipher.fingerprint(this.cipher.decrypt(c)),
        );
      if (consistent || attempt >= 2) {
        return { ...current, secretCiphertexts };
      }
    }
  }

  /** What differs between two phases: versions, releases between, configuration. */
  async diff(
    credentials: CallerCredentials,
    target: ReleaseEntity,
    fromId: string,
    toId: string,
  ) {
    const from = PromotionService.phaseOf(target, fromId);
    const to = PromotionService.phaseOf(target, toId);
    for (const phase of [from, to]) {
      await this.access.authorize(
        credentials,
        releaseConfigReadPermission,
        toPhaseResourceRef(target.entityRef, phase.id),
      );
    }
    const state = await this.releases.getPipelineState(target.entityRef, [
      from.id,
      to.id,
    ]);
    const fromVersion = state.current[from.id]?.version;
    const toVersion = state.current[to.id]?.version;
    const [fromConfig, toConfig] = await Promise.all([
      this.effective(target.entityRef, from),
      this.effective(target.entityRef, to),
    ]);
    // Releases the target phase would move past: newer than what runs there,
    // up to what runs in the source phase.
    const between: string[] = [];
    if (fromVersion) {
      let afterId: string | undefined;
      for (let page = 0; page < 10; page++) {
        const { items, hasMore } = await this.releases.listReleases(
          target.entityRef,
          { limit: 100, afterId },
        );
        for (const r of items) {
          if (
            compareSemver(r.version, fromVersion) <= 0 &&
            (!toVersion || compareSemver(r.version, toVersion) > 0)
          ) {
            between.push(r.version);
          }
        }
        if (!hasMore || items.length === 0) break;
        afterId = items[items.length - 1].id;
      }
      between.sort(compareSemver);
    }
    return {
      from: {
        phase: from.id,
        version: fromVersion ?? null,
        configVersion: fromConfig.version,
      },
      to: {
        phase: to.id,
        version: toVersion ?? null,
        configVersion: toConfig.version,
      },
      releases: between,
      ...diffConfigurations(
        { ...fromConfig.config, secrets: fromConfig.secrets },
        { ...toConfig.config, secrets: toConfig.secrets },
      ),
    };
  }
}
