import { LoggerService } from '@backstage/backend-plugin-api';
import {
  findPhase,
  PipelineTemplate,
} from '@release-manager/backstage-plugin-release-common';
import { ReleaseSeed } from '@release-manager/backstage-plugin-release-node';
import { Knex } from 'knex';
import {
  DatabaseConfigStore,
  hashConfig,
} from '../database/DatabaseConfigStore';
import { DatabasePromotionStore } from '../database/DatabasePromotionStore';
import { DatabaseReleaseStore } from '../database/DatabaseReleaseStore';
import { DatabaseTrainStore } from '../database/DatabaseTrainStore';
import { StoredPhaseConfig } from '../database/ConfigStore';
import { isUniqueViolation } from '../database/rows';
import { SecretCipher } from '../secrets/SecretCipher';

/** Thrown inside the transaction when another process holds the claim. */
class AlreadyClaimed extends Error {}

/**
 * Applies each seed once per database: in one transaction that first claims
 * the seed's id (an insert into `release_seeds`, whose primary key makes a
 * second claim wait for the first transaction and then fail), then writes
 * its data through the stores. Replicas starting together on an empty
 * database therefore both start, and exactly one writes the seed; a restart
 * finds the claim and writes nothing. A seed that fails leaves nothing
 * behind (not even the claim), and the plugin does not start.
 *
 * Returns the ids of the seeds this call applied.
 */
export async function applySeeds(options: {
  knex: Knex;
  seeds: ReleaseSeed[];
  templates: Map<string, PipelineTemplate>;
  cipher: SecretCipher;
  logger: LoggerService;
  clock?: () => Date;
}): Promise<string[]> {
  const { knex, seeds, templates, cipher, logger } = options;
  const clock = options.clock ?? (() => new Date());
  const applied: string[] = [];
  for (const seed of seeds) {
    if (await knex('release_seeds').where('id', seed.id).first()) {
      continue;
    }
    try {
      await knex.transaction(async tx => {
        try {
          await tx('release_seeds').insert({
            id: seed.id,
            applied_at: clock(),
          });
        } catch (e) {
          if (isUniqueViolation(e)) throw new AlreadyClaimed();
          throw e;
        }
        await writeSeed(tx, seed, templates, cipher, clock);
      });
      applied.push(seed.id);
      logger.info(
        `Applied release seed '${seed.id}': ${
          seed.releases?.length ?? 0
        } releases, ${seed.phaseConfigs?.length ?? 0} phase configurations, ${
          seed.pendingPromotions?.length ?? 0
        } waiting promotions`,
      );
    } catch (e) {
      if (e instanceof AlreadyClaimed) {
        logger.info(`Release seed '${seed.id}' was applied by another process`);
        continue;
      }
      throw e;
    }
  }
  return applied;
}

async function writeSeed(
  tx: Knex.Transaction,
  seed: ReleaseSeed,
  templates: Map<string, PipelineTemplate>,
  cipher: SecretCipher,
  clock: () => Date,
) {
  // The stores on the seed's transaction (their own transactions become
  // savepoints of it); no lifecycle listener: seed data notifies no one.
  const releases = await DatabaseReleaseStore.create({
    database: {
      getClient: async () => tx,
      migrations: { skip: true },
    },
  });
  // Seeded phase configuration is dated before the seeded history, so the
  // releases it records ran with it (their change sets compare like for like).
  const earliest = Math.min(
    clock().getTime(),
    ...(seed.releases ?? []).map(r => r.createdAt.getTime()),
  );
  const configs = new DatabaseConfigStore(
    tx,
    () => new Date(earliest - 24 * 3600_000),
  );
  const promotions = new DatabasePromotionStore(tx, clock);

  for (const r of seed.releases ?? []) {
    await releases.createRelease({
      entityRef: r.entityRef,
      version: r.version,
      artifact: r.artifact,
      commit: r.commit,
      notes: r.notes,
      createdBy: r.createdBy,
      createdAt: r.createdAt.toISOString(),
    });
    for (const o of r.outcomes ?? []) {
      await releases.importPromotion({
        entityRef: r.entityRef,
        phase: o.phase,
        version: r.version,
        status: o.status,
        requestedBy: o.requestedBy,
        requestedAt: o.requestedAt,
        finishedAt: o.finishedAt,
      });
    }
  }

  const effects = {
    invalidate: false,
    approvalsRequired: false,
    template: 'default',
    provider: { type: 'simulated' },
  };
  for (const c of seed.phaseConfigs ?? []) {
    const base: StoredPhaseConfig = (await configs.getCurrent(
      c.entityRef,
      c.phase,
    )) ?? {
      version: 0,
      config: { variables: {} },
      secrets: {},
      hash: '',
      createdBy: 'app-config',
      createdAt: new Date(0).toISOString(),
    };
    let version = await configs.putConfig({
      entityRef: c.entityRef,
      phase: c.phase,
      config: c.config,
      expectedVersion: base.version,
      actor: c.actor,
      base,
      effects,
    });
    for (const [name, value] of Object.entries(c.secrets ?? {})) {
      version = await configs.changeSecret({
        entityRef: c.entityRef,
        phase: c.phase,
        name,
        ciphertext: cipher.encrypt(value),
        fingerprint: cipher.fingerprint(value),
        actor: c.actor,
        base: version,
        effects,
      });
    }
  }

  const seedPending = async (
    w: NonNullable<ReleaseSeed['pendingPromotions']>[number],
    trainId?: string,
  ) => {
    const templateName = w.template ?? 'default';
    const template = templates.get(templateName);
    const phase = template && findPhase(template, w.phase);
    if (!phase) {
      throw new Error(
        `Release seed '${seed.id}': pipeline '${templateName}' has no phase '${w.phase}'`,
      );
    }
    const release = await releases.getRelease(w.entityRef, w.version);
    if (!release) {
      throw new Error(
        `Release seed '${seed.id}': release ${w.version} of ${w.entityRef} is not in the seed`,
      );
    }
    const current = await configs.getCurrent(w.entityRef, w.phase);
    const config = current?.config ?? phase.config;
    const secrets = current?.secrets ?? {};
    return promotions.createPromotion(
      {
        entityRef: w.entityRef,
        phase: w.phase,
        release,
        kind: 'promote',
        requestedBy: w.requestedBy,
        comment: w.comment,
        skippedRequires: false,
        status: 'pending_approval',
        trainId,
        configVersion: current?.version ?? 0,
        configHash: current?.hash ?? hashConfig(config, secrets),
        snapshot: {
          template: templateName,
          provider: phase.provider,
          config,
          secrets,
        },
      },
      () => [],
    );
  };
  for (const w of seed.pendingPromotions ?? []) {
    await seedPending(w);
  }
  const trains = new DatabaseTrainStore(tx, clock);
  for (const t of seed.pendingTrains ?? []) {
    const members = [];
    for (const [i, m] of t.members.entries()) {
      const [current] = await promotions.successfulReleasesInPhase(
        m.entityRef,
        t.phase,
        1,
      );
      members.push({
        entityRef: m.entityRef,
        order: i + 1,
        version: m.version,
        fromVersion: current?.version,
        dependsOn: m.dependsOn ?? [],
      });
    }
    const { train } = await trains.create({
      system: t.system,
      title: t.title,
      phase: t.phase,
      requestedBy: t.requestedBy,
      comment: t.comment,
      members,
    });
    for (const m of t.members) {
      const { promotion } = await seedPending(
        {
          entityRef: m.entityRef,
          template: m.template,
          phase: t.phase,
          version: m.version,
          requestedBy: t.requestedBy,
          comment: `Train ${t.title}${t.comment ? `: ${t.comment}` : ''}`,
        },
        train.id,
      );
      await trains.setPromotion(train.id, m.entityRef, promotion.id);
    }
  }
}
