import {
  AuditorService,
  AuthService,
  DatabaseService,
  DiscoveryService,
  LoggerService,
  PermissionsService,
  RootConfigService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { EventsService } from '@backstage/plugin-events-node';
import { SignalsService } from '@backstage/plugin-signals-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { findPhase } from '@release-manager/backstage-plugin-release-common';
import {
  DeploymentProvider,
  ReleaseCheck,
  ReleaseSeed,
} from '@release-manager/backstage-plugin-release-node';
import { CatalogCheck } from '../checks/CatalogCheck';
import { CheckRunner } from '../checks/CheckRunner';
import { HttpCheck } from '../checks/HttpCheck';
import { TechInsightsCheck } from '../checks/TechInsightsCheck';
import { coalescePermissions } from '../access/coalescePermissions';
import { AccessGuard } from '../access/AccessGuard';
import { EntityResolver } from '../access/EntityResolver';
import { EntityReadCache } from '../cache/EntityReadCache';
import { LedgerCommitListener } from '../database/ReleaseStore';
import { PostgresChangeListener } from '../cache/PostgresChangeListener';
import { SqliteChangeFeed, SqliteFileMode } from '../cache/SqliteChangeFeed';
import { readDispatcherOptions } from '../config/readDispatcherOptions';
import { readPipelineTemplates } from '../config/readPipelineTemplates';
import { DatabaseConfigStore } from '../database/DatabaseConfigStore';
import { DatabaseDispatchStore } from '../database/DatabaseDispatchStore';
import { DatabaseMetricsStore } from '../database/DatabaseMetricsStore';
import { DatabasePromotionStore } from '../database/DatabasePromotionStore';
import { DatabaseReleaseStore } from '../database/DatabaseReleaseStore';
import { StoredPromotion } from '../database/PromotionStore';
import { EventsPublisher } from '../lifecycle/EventsPublisher';
import { SignalsPublisher } from '../lifecycle/SignalsPublisher';
import { LifecycleHub } from '../lifecycle/LifecycleHub';
import { ReleaseNotifier } from '../lifecycle/ReleaseNotifier';
import { ProviderRegistry } from '../providers/ProviderRegistry';
import { SimulatedProvider } from '../providers/SimulatedProvider';
import { WebhookProvider } from '../providers/WebhookProvider';
import { SecretCipher } from '../secrets/SecretCipher';
import { ChangeSetService } from '../changes/ChangeSetService';
import { ConfigVersions } from '../changes/ConfigVersions';
import { SourceCommits } from '../changes/SourceCommits';
import { ConfigService } from './ConfigService';
import { Dispatcher } from './Dispatcher';
import { PromotionService } from './PromotionService';
import { Reconciler } from './Reconciler';
import { readTrainDefinitions, TrainService } from './TrainService';
import { DatabaseTrainStore } from '../database/DatabaseTrainStore';
import { applySeeds } from '../seed/applySeeds';

/** The services the engine is built from. */
export interface ReleaseEngineDeps {
  config: RootConfigService;
  database: DatabaseService;
  auth: AuthService;
  userInfo: UserInfoService;
  permissions: PermissionsService;
  auditor: AuditorService;
  logger: LoggerService;
  catalog: CatalogService;
  events: EventsService;
  notifications: NotificationService;
  discovery: DiscoveryService;
  /** Announces lifecycle changes to open pages (Backstage signals). */
  signals: SignalsService;
  /** Providers contributed by modules through the extension point. */
  providers: DeploymentProvider[];
  /** Check providers contributed by modules through the extension point. */
  checks: ReleaseCheck[];
  /** Seed data contributed by modules (written when `release.seed.enabled`). */
  seeds?: ReleaseSeed[];
}

/**
 * Builds the release engine's object graph, once: the stores (migrations
 * run once, in `DatabaseReleaseStore.create`), the lifecycle hub that turns
 * committed ledger rows into events, signals and notifications, the services that
 * evaluate the gates and apply every change through the transition module,
 * the dispatcher and the reconciler. `plugin.ts` only wires the result into
 * the backend.
 */
export async function createReleaseEngine(deps: ReleaseEngineDeps) {
  const clock = () => new Date();
  const templates = readPipelineTemplates(deps.config);
  const entities = new EntityResolver(deps.catalog, templates, deps.auth);
  const knex = await deps.database.getClient();
  // Hot reads are cached and kept in step with the database through a
  // change feed: LISTEN/NOTIFY on PostgreSQL, connection-local triggers on
  // SQLite (see README, "Read cache").
  const readCache = new EntityReadCache();
  let changes: PostgresChangeListener | SqliteChangeFeed | undefined;
  if (PostgresChangeListener.supports(knex)) {
    changes = new PostgresChangeListener(knex, readCache, deps.logger);
  } else if (SqliteChangeFeed.supports(knex)) {
    changes = new SqliteChangeFeed(knex, readCache, deps.logger, {
      fileMode: readSqliteFileMode(deps.config),
    });
  }
  // Every committed change reaches the events service and notifications
  // through this one hook, which the stores call after each commit.
  const reader = new DatabasePromotionStore(knex, clock);
  const lifecycle = new LifecycleHub({
    promotionOf: id => reader.getPromotion(id),
    logger: deps.logger,
  });
  // A commit of this process drops the entities it changed from the read
  // cache at once (the change feed tells the other processes, and this one
  // again a moment later), then goes to the lifecycle listeners.
  const onCommit: LedgerCommitListener = entries => {
    if (changes) {
      for (const ref of new Set(entries.map(e => e.entityRef))) {
        readCache.invalidate(ref);
      }
    }
    lifecycle.onCommit(entries);
  };
  const releases = await DatabaseReleaseStore.create({
    database: deps.database,
    onCommit,
    cache: changes ? readCache : undefined,
  });
  await changes?.start();
  const promotions = new DatabasePromotionStore(
    knex,
    clock,
    onCommit,
    changes ? readCache : undefined,
  );
  const dispatch = new DatabaseDispatchStore(knex, clock, onCommit);
  lifecycle.add(
    new EventsPublisher(deps.events),
    new SignalsPublisher(deps.signals),
  );
  if (deps.config.getOptionalBoolean('release.notifications.enabled') ?? true) {
    lifecycle.add(
      new ReleaseNotifier({
        notifications: deps.notifications,
        entityOf: async ref =>
          entities.resolve(ref, await deps.auth.getOwnServiceCredentials()),
        logger: deps.logger,
      }),
    );
  }

  const webhook = WebhookProvider.fromConfig(deps.config);
  const providers = new ProviderRegistry();
  providers.add(
    SimulatedProvider.fromConfig(deps.config),
    webhook,
    ...deps.providers,
  );

  // Verification checks: built in and from modules; every configured check
  // must name an installed type (a clear error at startup otherwise).
  const checks = new CheckRunner({
    db: knex,
    clock,
    timeoutMs: deps.config.getOptionalNumber('release.checks.timeoutMs'),
    entityOf: async ref =>
      deps.catalog.getEntityByRef(ref, {
        credentials: await deps.auth.getOwnServiceCredentials(),
      }),
  });
  checks.add(
    new HttpCheck({
      baseUrl: deps.config.getOptionalString('backend.baseUrl'),
    }),
    new CatalogCheck(),
    new TechInsightsCheck({ auth: deps.auth, discovery: deps.discovery }),
    ...deps.checks,
  );
  checks.validate(templates.values());
  const phaseOf = (p: StoredPromotion) =>
    findPhase(
      templates.get(p.snapshot?.template ?? '') ?? { name: '', phases: [] },
      p.phase,
    );

  const listDecisionsMs =
    deps.config.getOptionalNumber('release.readCache.listDecisionsMs') ?? 5_000;
  if (!Number.isFinite(listDecisionsMs) || listDecisionsMs < 0) {
    throw new Error(
      `release.readCache.listDecisionsMs must be a number of milliseconds, 0 or more, not ${listDecisionsMs}`,
    );
  }
  // Identical decisions asked at once by one caller share a round trip.
  const access = new AccessGuard(
    coalescePermissions(deps.permissions),
    deps.userInfo,
    {
      listDecisionTtlMs: listDecisionsMs,
      maxListDecisions: 50_000,
    },
  );
  const cipher = SecretCipher.fromConfig(deps.config, {
    warn: m => deps.logger.warn(m),
  });
  const configStore = new DatabaseConfigStore(knex, clock, onCommit);
  await cipher.loadFingerprintKey({
    get: key => configStore.getSetting(key),
    putIfAbsent: (key, value) => configStore.putSettingIfAbsent(key, value),
  });
  // Seed data from modules: once per database, only when enabled.
  const seeds = deps.seeds ?? [];
  if (deps.config.getOptionalBoolean('release.seed.enabled') ?? false) {
    await applySeeds({ knex, seeds, templates, cipher, logger: deps.logger });
  } else if (seeds.length > 0) {
    deps.logger.info(
      `Release seeds ${seeds
        .map(s => `'${s.id}'`)
        .join(', ')} not applied: release.seed.enabled is not true`,
    );
  }
  const configs = new ConfigService(configStore, releases, cipher, access);
  // What an approver approves, and the history of phase configurations:
  // read-only views over the same stores.
  const changeSets = new ChangeSetService({
    releases,
    promotions,
    configStore,
    configs,
    commits: SourceCommits.fromConfig(deps.config, deps.logger),
    checks,
    clock,
    cache: changes ? readCache : undefined,
  });
  const configVersions = new ConfigVersions(configStore, configs, access);
  // Created below; the service needs to wake it.
  // eslint-disable-next-line prefer-const
  let dispatcher: Dispatcher | undefined;
  // eslint-disable-next-line prefer-const
  let trains: TrainService | undefined;
  const service = new PromotionService(releases, promotions, access, clock, {
    onQueued: () => dispatcher?.wake(),
    trainBlocker: async p => trains?.orderBlocker(p),
    runChecks: options => checks.run({ ...options, when: 'before-deploy' }),
    configOf: (entityRef, phase) => configs.bind(entityRef, phase),
  });
  const trainStore = new DatabaseTrainStore(knex, clock);
  trains = new TrainService({
    store: trainStore,
    promotions,
    service,
    entities,
    catalog: deps.catalog,
    auth: deps.auth,
    access,
    templates,
    definitions: readTrainDefinitions(deps.config),
    notifications:
      deps.config.getOptionalBoolean('release.notifications.enabled') ?? true
        ? deps.notifications
        : undefined,
    logger: deps.logger,
  });
  const onFinished = async (p: StoredPromotion) => {
    const template = templates.get(p.snapshot?.template ?? '');
    if (template) await service.afterFinished(p, template);
    // A train member: the next members may go, or a failure stops the rest.
    await trains?.afterMemberFinished(p);
  };
  dispatcher = new Dispatcher(
    {
      store: dispatch,
      releases,
      providers,
      logger: deps.logger,
      auditor: deps.auditor,
      clock,
      gate: async p => {
        const phase = findPhase(
          templates.get(p.snapshot?.template ?? '') ?? {
            name: '',
            phases: [],
          },
          p.phase,
        );
        return phase ? service.deployBlocker(p, phase) : undefined;
      },
      secretsFor: p => configs.secretsFor(p),
      onFinished,
      verification: {
        checksOf: p =>
          (phaseOf(p)?.checks ?? []).filter(c => c.when === 'after-deploy'),
        run: async p => {
          const phase = phaseOf(p);
          const release = await releases.getRelease(p.entityRef, p.version);
          if (!phase || !release) return [];
          return checks.run({
            entityRef: p.entityRef,
            phase,
            release,
            promotionId: p.id,
            when: 'after-deploy',
          });
        },
        rollback: async (p, reason) => {
          const template = templates.get(p.snapshot?.template ?? '');
          if (template) {
            await service.requestVerificationRollback(p, template, reason);
          }
        },
      },
    },
    readDispatcherOptions(deps.config),
  );
  const reconciler = new Reconciler({
    dispatch,
    promotions,
    service,
    templates,
    auditor: deps.auditor,
    logger: deps.logger,
    clock,
    onFinished,
    wake: () => dispatcher?.wake(),
    sweepTrains: () => trains!.sweep(),
    templateOf: async ref => {
      try {
        return (
          await entities.resolve(
            ref,
            await deps.auth.getOwnServiceCredentials(),
          )
        ).template;
      } catch {
        return undefined; // gone from the catalog, or no pipeline any more
      }
    },
  });

  return {
    templates,
    entities,
    readCache,
    changes,
    lifecycle,
    releases,
    promotions,
    /** Reads for delivery (DORA) metrics. */
    metrics: new DatabaseMetricsStore(knex),
    dispatch,
    webhook,
    access,
    configs,
    checks,
    changeSets,
    configVersions,
    service,
    trains,
    dispatcher,
    reconciler,
    clock,
    /** Re-encrypts every stored secret under the first key (after a rotation). */
    onFinished,
    reencryptSecrets: () =>
      configStore.reencrypt(stored => cipher.reencrypt(stored)),
  };
}

/** The engine built by {@link createReleaseEngine}. */
export type ReleaseEngine = Awaited<ReturnType<typeof createReleaseEngine>>;

/** `release.readCache.sqliteFile`: how a SQLite database file is used. */
function readSqliteFileMode(config: RootConfigService): SqliteFileMode {
  const mode =
    config.getOptionalString('release.readCache.sqliteFile') ?? 'shared';
  if (mode !== 'exclusive' && mode !== 'shared') {
    throw new Error(
      `release.readCache.sqliteFile must be 'exclusive' or 'shared', not '${mode}'`,
    );
  }
  return mode;
}
