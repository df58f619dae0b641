import { voidApprovals } from '../lifecycle/transitions';
import { rowToStoredPromotion } from './DatabasePromotionStore';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  PhaseConfiguration,
  PromotionStatus,
  WAITING_PROMOTION_STATUSES,
} from '@release-manager/backstage-plugin-release-common';
import { createHash } from 'crypto';
import { Knex } from 'knex';
import {
  ConfigChangeEffects,
  ConfigStore,
  SecretMetadata,
  StoredPhaseConfig,
} from './ConfigStore';
import { LedgerCommitListener } from './ReleaseStore';
import {
  DbTime,
  inTransaction,
  insertHistory,
  isUniqueViolation,
  PromotionRow,
  toIso,
} from './rows';

type ConfigRow = {
  entity_ref: string;
  phase: string;
  version: number;
  config: string;
  hash: string;
  created_by: string;
  created_at: DbTime;
  change: string | null;
};

/** Stable JSON: keys sorted, so equal configurations hash equally. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .filter(k => o[k] !== undefined)
      .map(k => `${JSON.stringify(k)}:${stableJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The hash approvals are bound to: configuration plus secret fingerprints. */
export function hashConfig(
  config: PhaseConfiguration,
  secrets: Record<string, string>,
): string {
  return createHash('sha256')
    .update(stableJson({ config, secrets }))
    .digest('hex');
}

function rowToConfig(row: ConfigRow): StoredPhaseConfig {
  const parsed = JSON.parse(row.config) as {
    config: PhaseConfiguration;
    secrets: Record<string, string>;
  };
  return {
    version: row.version,
    config: parsed.config,
    secrets: parsed.secrets ?? {},
    hash: row.hash,
    createdBy: row.created_by,
    createdAt: toIso(row.created_at),
    change: row.change ?? undefined,
  };
}

/** The knex implementation of {@link ConfigStore}. @public */
export class DatabaseConfigStore implements ConfigStore {
  constructor(
    private readonly db: Knex,
    private readonly clock: () => Date = () => new Date(),
    /** Told of the ledger rows of every committed change. */
    private readonly onCommit?: LedgerCommitListener,
  ) {}

  /** A setting kept in the database. */
  async getSetting(key: string): Promise<string | undefined> {
    const row = await this.db('release_settings').where({ key }).first();
    return row?.value;
  }

  /** Stores a setting unless one exists (the first writer wins). */
  async putSettingIfAbsent(key: string, value: string): Promise<void> {
    await this.db('release_settings')
      .insert({ key, value })
      .onConflict('key')
      .ignore();
  }

  /**
   * Re-encrypts stored ciphertexts (secrets, the values bound to open
   * promotions, encrypted settings) with `reencrypt`, each row by a
   * compare-and-set on its old ciphertext. Returns how many were rewritten.
   */
  async reencrypt(reencrypt: (stored: string) => string | undefined) {
    let rewritten = 0;
    const secrets = await this.db('release_secrets').select(
      'entity_ref',
      'phase',
      'name',
      'ciphertext',
    );
    for (const row of secrets) {
      const next = reencrypt(row.ciphertext);
      if (!next) continue;
      rewritten += await this.db('release_secrets')
        .where({
          entity_ref: row.entity_ref,
          phase: row.phase,
          name: row.name,
          ciphertext: row.ciphertext,
        })
        .update({ ciphertext: next });
    }
    const bound = await this.db('release_promotions')
      .select('id', 'secret_ciphertexts')
      .whereNotNull('secret_ciphertexts');
    for (const row of bound) {
      const values: Record<string, string> = JSON.parse(row.secret_ciphertexts);
      let changed = false;
      for (const [name, c] of Object.entries(values)) {
        const next = reencrypt(c);
        if (next) {
          values[name] = next;
          changed = true;
        }
      }
      if (!changed) continue;
      rewritten += await this.db('release_promotions')
        .where({ id: row.id, secret_ciphertexts: row.secret_ciphertexts })
        .update({ secret_ciphertexts: JSON.stringify(values) });
    }
    const settings = await this.db('release_settings').select('key', 'value');
    for (const row of settings) {
      const next = reencrypt(row.value);
      if (!next) continue;
      rewritten += await this.db('release_settings')
        .where({ key: row.key, value: row.value })
        .update({ value: next });
    }
    return rewritten;
  }

  async getCurrent(entityRef: string, phase: string) {
    const row = await this.db<ConfigRow>('release_phase_configs')
      .where({ entity_ref: entityRef, phase })
      .orderBy('version', 'desc')
      .first();
    return row ? rowToConfig(row) : undefined;
  }

  async listSecrets(
    entityRef: string,
    phase: string,
  ): Promise<SecretMetadata[]> {
    const rows = await this.db('release_secrets')
      .select('name', 'fingerprint', 'updated_by', 'updated_at')
      .where({ entity_ref: entityRef, phase })
      .orderBy('name');
    return rows.map(r => ({
      name: r.name,
      fingerprint: r.fingerprint,
      updatedBy: r.updated_by,
      updatedAt: toIso(r.updated_at),
    }));
  }

  async getSecretCiphertexts(entityRef: string, phase: string) {
    const rows = await this.db('release_secrets')
      .select('name', 'ciphertext')
      .where({ entity_ref: entityRef, phase });
    return Object.fromEntries(rows.map(r => [r.name, r.ciphertext as string]));
  }

  private async writeVersion(
    tx: Knex.Transaction,
    options: {
      entityRef: string;
      phase: string;
      expectedVersion: number;
      config: PhaseConfiguration;
      secrets: Record<string, string>;
      actor: string;
      change: string;
      effects: ConfigChangeEffects;
    },
  ): Promise<StoredPhaseConfig> {
    const {
      entityRef,
      phase,
      expectedVersion,
      config,
      secrets,
      actor,
      change,
      effects,
    } = options;
    const current = await tx<ConfigRow>('release_phase_configs')
      .where({ entity_ref: entityRef, phase })
      .max({ v: 'version' })
      .first();
    const currentVersion = Number(
      (current as { v?: number } | undefined)?.v ?? 0,
    );
    if (currentVersion !== expectedVersion) {
      throw new ConflictError(
        `The configuration of phase '${phase}' is at version ${currentVersion}, not ${expectedVersion}; someone changed it meanwhile — reload and apply your change again`,
      );
    }
    const now = this.clock();
    const version = expectedVersion + 1;
    const hash = hashConfig(config, secrets);
    // The primary key (entity, phase, version) makes concurrent writers of
    // the same expected version conflict: one wins.
    await tx('release_phase_configs').insert({
      entity_ref: entityRef,
      phase,
      version,
      config: JSON.stringify({ config, secrets }),
      hash,
      created_by: actor,
      created_at: now,
      change,
    });
    await insertHistory(tx, {
      entityRef,
      phase,
      action: 'config.change',
      actor,
      before: { version: expectedVersion },
      after: { version, hash, change },
    });

    if (effects.invalidate) {
      const open = await tx<PromotionRow>('release_promotions')
        .where({ entity_ref: entityRef, phase })
        .whereIn('status', WAITING_PROMOTION_STATUSES as PromotionStatus[]);
      const ciphertexts = open.length
        ? await tx('release_secrets')
            .where({ entity_ref: entityRef, phase })
            .select('name', 'ciphertext')
        : [];
      for (const p of open) {
        await voidApprovals(
          tx,
          rowToStoredPromotion(p),
          {
            actor,
            reason: `configuration changed: ${change}`,
            approvalsRequired: effects.approvalsRequired,
            set: {
              config_version: version,
              config_hash: hash,
              snapshot: JSON.stringify({
                template: effects.template,
                provider: effects.provider,
                config,
                secrets,
              }),
              secret_ciphertexts: JSON.stringify(
                Object.fromEntries(
                  ciphertexts.map(r => [r.name, r.ciphertext as string]),
                ),
              ),
            },
            before: { configVersion: p.config_version },
            after: { configVersion: version },
          },
          now,
        );
      }
    }
    return {
      version,
      config,
      secrets,
      hash,
      createdBy: actor,
      createdAt: now.toISOString(),
      change,
    };
  }

  async putConfig(options: {
    entityRef: string;
    phase: string;
    config: PhaseConfiguration;
    expectedVersion: number;
    actor: string;
    base: StoredPhaseConfig;
    effects: ConfigChangeEffects;
  }): Promise<StoredPhaseConfig> {
    try {
      return await inTransaction(this.db, this.onCommit, tx =>
        this.writeVersion(tx, {
          ...options,
          secrets: options.base.secrets,
          change: 'configuration replaced',
        }),
      );
    } catch (e) {
      if (isUniqueViolation(e)) {
        throw new ConflictError(
          `The configuration of phase '${options.phase}' changed meanwhile; reload and apply your change again`,
        );
      }
      throw e;
    }
  }

  async changeSecret(options: {
    entityRef: string;
    phase: string;
    name: string;
    ciphertext?: string;
    fingerprint?: string;
    actor: string;
    base: StoredPhaseConfig;
    effects: ConfigChangeEffects;
  }): Promise<StoredPhaseConfig> {
    const {
      entityRef,
      phase,
      name,
      ciphertext,
      fingerprint,
      actor,
      base,
      effects,
    } = options;
    for (let attempt = 0; ; attempt++) {
      try {
        return await inTransaction(this.db, this.onCommit, async tx => {
          const latest = await tx<ConfigRow>('release_phase_configs')
            .where({ entity_ref: entityRef, phase })
            .orderBy('version', 'desc')
            .first();
          const current = latest ? rowToConfig(latest) : base;
          const secrets = { ...current.secrets };
          if (ciphertext && fingerprint) {
            await tx('release_secrets')
              .insert({
                entity_ref: entityRef,
                phase,
                name,
                ciphertext,
                fingerprint,
                updated_by: actor,
                updated_at: this.clock(),
              })
              .onConflict(['entity_ref', 'phase', 'name'])
              .merge();
            secrets[name] = fingerprint;
          } else {
            const removed = await tx('release_secrets')
              .where({ entity_ref: entityRef, phase, name })
              .delete();
            if (removed === 0) {
              throw new NotFoundError(
                `Phase '${phase}' has no secret '${name}'`,
              );
            }
            delete secrets[name];
          }
          return this.writeVersion(tx, {
            entityRef,
            phase,
            expectedVersion: latest ? latest.version : 0,
            config: current.config,
            secrets,
            actor,
            change: ciphertext
              ? `secret ${name} set`
              : `secret ${name} removed`,
            effects,
          });
        });
      } catch (e) {
        // A concurrent change of the same phase: try again on top of it.
        if ((isUniqueViolation(e) || e instanceof ConflictError) && attempt < 3)
          continue;
        throw e;
      }
    }
  }
}
