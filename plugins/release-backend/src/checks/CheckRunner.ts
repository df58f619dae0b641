import { Entity } from '@backstage/catalog-model';
import {
  CheckOutcome,
  PhaseCheck,
  PhaseDefinition,
  PipelineTemplate,
  Release,
} from '@release-manager/backstage-plugin-release-common';
import { ReleaseCheck } from '@release-manager/backstage-plugin-release-node';
import { Knex } from 'knex';
import { toIso } from '../database/rows';
import { CatalogCheck } from './CatalogCheck';
import { HttpCheck } from './HttpCheck';
import { TechInsightsCheck } from './TechInsightsCheck';

/** Default deadline of one check evaluation. */
export const DEFAULT_CHECK_TIMEOUT_MS = 10_000;

/** A stored check result, as the pipeline view shows it. */
export interface StoredCheckResult extends CheckOutcome {
  version: string;
  promotionId?: string;
  evaluatedAt: string;
}

/** Settings validators of the built-in checks (run at startup). */
const VALIDATORS: Record<string, (s: Record<string, unknown>) => void> = {
  http: HttpCheck.validate,
  catalog: CatalogCheck.validate,
  'tech-insights': TechInsightsCheck.validate,
};

/**
 * The check providers known to the backend and the one way checks are
 * evaluated: with a deadline, a thrown error counted as failed, and the
 * last result of each check stored for the pipeline view.
 */
export class CheckRunner {
  private readonly checks = new Map<string, ReleaseCheck>();

  constructor(
    private readonly deps: {
      db: Knex;
      clock: () => Date;
      entityOf: (entityRef: string) => Promise<Entity | undefined>;
      timeoutMs?: number;
    },
  ) {}

  add(...checks: ReleaseCheck[]) {
    for (const check of checks) {
      if (this.checks.has(check.type)) {
        throw new Error(
          `A release check of type '${check.type}' is already registered`,
        );
      }
      this.checks.set(check.type, check);
    }
  }

  /**
   * Every check of every phase has an installed type and valid settings, or
   * this throws naming what is wrong (at startup).
   */
  validate(templates: Iterable<PipelineTemplate>) {
    const problems: string[] = [];
    for (const template of templates) {
      for (const phase of template.phases) {
        for (const check of phase.checks ?? []) {
          const where = `pipeline '${template.name}' phase '${phase.id}' check '${check.name}'`;
          if (!this.checks.has(check.type)) {
            problems.push(
              `${where}: unknown check type '${check.type}'; installed: ${[
                ...this.checks.keys(),
              ]
                .sort()
                .join(', ')}`,
            );
            continue;
          }
          try {
            VALIDATORS[check.type]?.(check.settings);
          } catch (e) {
            problems.push(`${where}: ${(e as Error).message}`);
          }
        }
      }
    }
    if (problems.length) {
      throw new Error(`Invalid release checks config: ${problems.join('; ')}`);
    }
  }

  /** Evaluates the checks of `phase` that run `when`, and stores the results. */
  async run(options: {
    entityRef: string;
    phase: PhaseDefinition;
    release: Release;
    when: PhaseCheck['when'];
    promotionId?: string;
    /** Only these checks (by name). */
    names?: string[];
  }): Promise<CheckOutcome[]> {
    const checks = (options.phase.checks ?? []).filter(
      c =>
        c.when === options.when &&
        (!options.names || options.names.includes(c.name)),
    );
    if (!checks.length) return [];
    const entity = await this.deps
      .entityOf(options.entityRef)
      .catch(() => undefined);
    const outcomes = await Promise.all(
      checks.map(check => this.runOne(check, { ...options, entity })),
    );
    await this.store(options, outcomes);
    return outcomes;
  }

  private async runOne(
    check: PhaseCheck,
    options: {
      entityRef: string;
      entity?: Entity;
      phase: PhaseDefinition;
      release: Release;
      promotionId?: string;
    },
  ): Promise<CheckOutcome> {
    const base = { name: check.name, type: check.type, when: check.when };
    const provider = this.checks.get(check.type);
    if (!provider) {
      return {
        ...base,
        status: 'failed',
        summary: `No check of type '${check.type}' is installed`,
      };
    }
    const signal = AbortSignal.timeout(
      this.deps.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS,
    );
    try {
      const result = await Promise.race([
        provider.evaluate(
          {
            entityRef: options.entityRef,
            entity: options.entity,
            release: options.release,
            phase: options.phase.id,
            promotionId: options.promotionId,
            settings: check.settings,
            name: check.name,
          },
          { signal },
        ),
        new Promise<never>((_, reject) =>
          signal.addEventListener('abort', () =>
            reject(new Error('no answer within the deadline')),
          ),
        ),
      ]);
      if (!['passed', 'failed', 'pending'].includes(result?.status)) {
        return {
          ...base,
          status: 'failed',
          summary: `The check answered an unknown status '${result?.status}'`,
        };
      }
      return {
        ...base,
        status: result.status,
        summary: String(result.summary ?? '').slice(0, 1000),
        url: result.url,
      };
    } catch (e) {
      return {
        ...base,
        status: 'failed',
        summary: `Could not be evaluated: ${(e as Error).message}`,
      };
    }
  }

  private async store(
    options: {
      entityRef: string;
      phase: PhaseDefinition;
      release: Release;
      promotionId?: string;
    },
    outcomes: CheckOutcome[],
  ) {
    const now = this.deps.clock();
    for (const o of outcomes) {
      await this.deps
        .db('release_check_results')
        .insert({
          entity_ref: options.entityRef,
          phase: options.phase.id,
          check_name: o.name,
          check_type: o.type,
          check_when: o.when,
          status: o.status,
          summary: o.summary,
          url: o.url ?? null,
          version: options.release.version,
          promotion_id: options.promotionId ?? null,
          evaluated_at: now,
        })
        .onConflict(['entity_ref', 'phase', 'check_name'])
        .merge();
    }
  }

  /**
   * The results of the phase's `before-deploy` checks for a release, as they
   * stand now: a stored result for the same version at most `maxAgeMs` old,
   * else a new evaluation (stored like any other).
   */
  async current(options: {
    entityRef: string;
    phase: PhaseDefinition;
    release: Release;
    promotionId?: string;
    maxAgeMs?: number;
  }): Promise<StoredCheckResult[]> {
    const checks = (options.phase.checks ?? []).filter(
      c => c.when === 'before-deploy',
    );
    if (!checks.length) return [];
    const maxAgeMs = options.maxAgeMs ?? 30_000;
    const now = this.deps.clock().getTime();
    const stored = (await this.lastResults(options.entityRef)).get(
      options.phase.id,
    );
    const fresh = new Map(
      (stored ?? [])
        .filter(
          r =>
            r.when === 'before-deploy' &&
            r.version === options.release.version &&
            now - Date.parse(r.evaluatedAt) <= maxAgeMs,
        )
        .map(r => [r.name, r]),
    );
    const stale = checks.filter(c => !fresh.has(c.name)).map(c => c.name);
    if (stale.length) {
      const evaluatedAt = new Date(now).toISOString();
      const outcomes = await this.run({
        ...options,
        when: 'before-deploy',
        names: stale,
      });
      for (const o of outcomes) {
        fresh.set(o.name, {
          ...o,
          version: options.release.version,
          promotionId: options.promotionId,
          evaluatedAt,
        });
      }
    }
    return checks
      .map(c => fresh.get(c.name))
      .filter((r): r is StoredCheckResult => Boolean(r));
  }

  /** The last stored results of an entity's checks, by phase. */
  async lastResults(
    entityRef: string,
  ): Promise<Map<string, StoredCheckResult[]>> {
    const rows = await this.deps
      .db('release_check_results')
      .where({ entity_ref: entityRef });
    const byPhase = new Map<string, StoredCheckResult[]>();
    for (const r of rows) {
      const list = byPhase.get(r.phase) ?? [];
      list.push({
        name: r.check_name,
        type: r.check_type,
        when: r.check_when,
        status: r.status,
        summary: r.summary,
        url: r.url ?? undefined,
        version: r.version,
        promotionId: r.promotion_id ?? undefined,
        evaluatedAt: toIso(r.evaluated_at),
      });
      byPhase.set(r.phase, list);
    }
    return byPhase;
  }
}
