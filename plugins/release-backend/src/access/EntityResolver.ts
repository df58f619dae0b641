import {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import {
  Entity,
  parseEntityRef,
  RELATION_OWNED_BY,
  RELATION_PART_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  PipelineTemplate,
  RELEASE_PIPELINE_ANNOTATION,
  entityRefPartsProblem,
} from '@release-manager/backstage-plugin-release-common';
import { setExpiring } from '../cache/expiring';
import { shareInFlight } from '../cache/inFlight';

/** An entity that takes part in release management, as the caller may see it. */
export interface ReleaseEntity {
  entityRef: string;
  entity: Entity;
  template: PipelineTemplate;
  /** Owner refs (groups or users) from the catalog's ownedBy relations. */
  owners: string[];
}

interface CacheEntry {
  at: number;
  entity: Entity | undefined;
  /** The release view of the entity, or why it has none; set on first use. */
  target?: ReleaseEntity | Error;
}

/**
 * Finds an entity in the catalog with the caller's own credentials, so a
 * caller who may not read the entity gets a 404, and resolves its pipeline.
 *
 * Service callers (CI with an external access token, other plugins) are the
 * exception: the catalog does not apply its permission policy to service
 * principals, and Backstage refuses to pass a token with access
 * restrictions on to the catalog unless it may do anything there. So for a
 * service the plugin asks the catalog as itself, and the release
 * permissions (which honour a token's `accessRestrictions`) decide.
 */
export class EntityResolver {
  /**
   * Entities as each caller last saw them, for a few seconds: every release
   * route needs the entity, and asking the catalog each time costs as much as
   * the route itself. Keyed by the caller, so visibility stays per caller.
   */
  private readonly cache = new Map<string, CacheEntry>();
  /**
   * Answers of catalog queries (a portfolio page, the refs of an owner's or a
   * system's entities) as each caller last got them, for the same few
   * seconds: the catalog's filtered, counted query costs tens of times the
   * release read it feeds. Keyed by the caller and the query.
   */
  private readonly queries = new Map<string, { at: number; value: unknown }>();
  /**
   * Catalog calls in flight, by the same key as their cache entry: callers
   * that miss the cache at the same moment (every few seconds, when a busy
   * entry expires under load) share one call instead of each asking the
   * catalog. Nothing stays here once the answer arrives.
   */
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(
    private readonly catalog: CatalogService,
    private readonly templates: Map<string, PipelineTemplate>,
    private readonly auth: Pick<AuthService, 'getOwnServiceCredentials'>,
    private readonly options: { ttlMs: number; maxEntries: number } = {
      ttlMs: 5_000,
      maxEntries: 10_000,
    },
  ) {}

  private key(credentials: BackstageCredentials, entityRef: string): string {
    return `${EntityResolver.caller(credentials)}|${entityRef.toLowerCase()}`;
  }

  /** Who asks, as a cache key: visibility is per caller. */
  private static caller(credentials: BackstageCredentials): string {
    const p = credentials.principal as {
      type: string;
      userEntityRef?: string;
      subject?: string;
      actor?: { subject: string };
    };
    return `${p.type}:${p.userEntityRef ?? p.subject ?? ''}:${
      p.actor?.subject ?? ''
    }`;
  }

  /**
   * A catalog query's answer for this caller, from the last few seconds or
   * asked now. A failed query is not kept.
   */
  private async cachedQuery<T>(
    credentials: BackstageCredentials,
    query: unknown,
    ask: () => Promise<T>,
  ): Promise<T> {
    const key = `${EntityResolver.caller(credentials)}|${JSON.stringify(
      query,
    )}`;
    const hit = this.queries.get(key);
    if (hit && Date.now() - hit.at < this.options.ttlMs) {
      return hit.value as T;
    }
    if (hit) this.queries.delete(key);
    return shareInFlight(this.inFlight, `query|${key}`, async () => {
      const value = await ask();
      const now = Date.now();
      setExpiring(
        this.queries,
        key,
        { at: now, value },
        {
          maxEntries: EntityResolver.MAX_QUERIES,
          expired: e => now - e.at >= this.options.ttlMs,
        },
      );
      return value;
    });
  }

  /** The most catalog query answers kept. */
  private static readonly MAX_QUERIES = 1_000;

  /** Whom the catalog is asked as: the caller, or the plugin for services. */
  private async catalogCredentials(
    credentials: BackstageCredentials,
  ): Promise<BackstageCredentials> {
    const { type } = credentials.principal as { type: string };
    return type === 'service'
      ? this.auth.getOwnServiceCredentials()
      : credentials;
  }

  private cached(key: string): CacheEntry | undefined {
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < this.options.ttlMs) {
      return hit;
    }
    if (hit) this.cache.delete(key);
    return undefined;
  }

  private remember(key: string, entity: Entity | undefined): CacheEntry {
    const now = Date.now();
    const entry: CacheEntry = { at: now, entity };
    setExpiring(this.cache, key, entry, {
      maxEntries: this.options.maxEntries,
      expired: e => now - e.at >= this.options.ttlMs,
    });
    return entry;
  }

  /**
   * The entity's release view, worked out once per cache entry (the bulk
   * status asks for hundreds of entities on every request).
   */
  private targetOf(entityRef: string, entry: CacheEntry): ReleaseEntity {
    if (!entry.target) {
      try {
        entry.target = entry.entity
          ? this.toReleaseEntity(entityRef, entry.entity)
          : new NotFoundError(
              `Entity ${entityRef} was not found in the catalog`,
            );
      } catch (e) {
        entry.target = e as Error;
      }
    }
    if (entry.target instanceof Error) {
      throw entry.target;
    }
    return entry.target;
  }

  /** Builds the entity ref from path parts, checking their form. */
  static toEntityRef(kind: string, namespace: string, name: string): string {
    const problem = entityRefPartsProblem({ kind, namespace, name });
    if (problem) {
      throw new InputError(problem);
    }
    return stringifyEntityRef({ kind, namespace, name });
  }

  async resolve(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<ReleaseEntity> {
    const key = this.key(credentials, entityRef);
    const entry =
      this.cached(key) ??
      (await shareInFlight(this.inFlight, `entity|${key}`, async () =>
        this.remember(
          key,
          await this.catalog.getEntityByRef(entityRef, {
            credentials: await this.catalogCredentials(credentials),
          }),
        ),
      ));
    return this.targetOf(entityRef, entry);
  }

  /**
   * Resolves many entities in one catalog call; entities the caller may not
   * read, that do not exist or have no usable pipeline are left out.
   */
  async resolveMany(
    entityRefs: string[],
    credentials: BackstageCredentials,
  ): Promise<Map<string, ReleaseEntity>> {
    const result = new Map<string, ReleaseEntity>();
    if (entityRefs.length === 0) {
      return result;
    }
    const found = new Map<string, CacheEntry>();
    const misses: string[] = [];
    for (const ref of entityRefs) {
      const hit = this.cached(this.key(credentials, ref));
      if (hit) found.set(ref, hit);
      else misses.push(ref);
    }
    if (misses.length) {
      const { items } = await this.catalog.getEntitiesByRefs(
        {
          entityRefs: misses,
          fields: [
            'kind',
            'metadata.namespace',
            'metadata.name',
            'metadata.annotations',
            'relations',
          ],
        },
        { credentials: await this.catalogCredentials(credentials) },
      );
      items.forEach((entity, i) => {
        found.set(
          misses[i],
          this.remember(this.key(credentials, misses[i]), entity),
        );
      });
    }
    for (const ref of entityRefs) {
      const entry = found.get(ref);
      if (!entry?.entity) {
        continue;
      }
      try {
        const target = this.targetOf(ref, entry);
        result.set(target.entityRef, target);
      } catch {
        // No pipeline: not part of release management.
      }
    }
    return result;
  }

  /**
   * One page of the entities with a release pipeline that the caller may
   * read in the catalog (the catalog applies its read permission to the
   * query), filtered and ordered by the catalog; each with its release view,
   * or why it has none (a pipeline template that is not defined).
   */
  async query(
    credentials: BackstageCredentials,
    options: {
      /** Owner entity ref (normalized). */
      owner?: string;
      /** System entity ref (normalized). */
      system?: string;
      lifecycle?: string;
      text?: string;
      limit: number;
      cursor?: string;
    },
  ): Promise<{
    items: Array<{ entity: Entity; target?: ReleaseEntity; problem?: string }>;
    nextCursor?: string;
    totalItems: number;
  }> {
    return this.cachedQuery(credentials, ['query', options], () =>
      this.askQuery(credentials, options),
    );
  }

  private async askQuery(
    credentials: BackstageCredentials,
    options: Parameters<EntityResolver['query']>[1],
  ): Promise<Awaited<ReturnType<EntityResolver['query']>>> {
    const fields = [
      'kind',
      'metadata.namespace',
      'metadata.name',
      'metadata.title',
      'metadata.annotations',
      'spec.owner',
      'spec.system',
      'spec.lifecycle',
      'relations',
    ];
    const filter: Record<string, string | symbol> = {
      [`metadata.annotations.${RELEASE_PIPELINE_ANNOTATION}`]:
        CATALOG_FILTER_EXISTS,
    };
    if (options.owner) filter[`relations.${RELATION_OWNED_BY}`] = options.owner;
    if (options.system)
      filter[`relations.${RELATION_PART_OF}`] = options.system;
    if (options.lifecycle) filter['spec.lifecycle'] = options.lifecycle;
    const response = await this.catalog.queryEntities(
      options.cursor
        ? { cursor: options.cursor, limit: options.limit, fields }
        : {
            filter,
            fullTextFilter: options.text
              ? {
                  term: options.text,
                  fields: [
                    'metadata.name',
                    'metadata.title',
                    'spec.owner',
                    'spec.system',
                  ],
                }
              : undefined,
            orderFields: [
              { field: 'metadata.name', order: 'asc' },
              { field: 'metadata.namespace', order: 'asc' },
            ],
            limit: options.limit,
            fields,
          },
      { credentials: await this.catalogCredentials(credentials) },
    );
    return {
      items: response.items.map(entity => {
        const entityRef = stringifyEntityRef(entity);
        try {
          return {
            entity,
            target: this.toReleaseEntity(entityRef, entity),
          };
        } catch (e) {
          return { entity, problem: (e as Error).message };
        }
      }),
      nextCursor: response.pageInfo.nextCursor,
      totalItems: response.totalItems,
    };
  }

  /** The most entities a group query reads from the catalog. */
  static readonly MAX_GROUP_ENTITIES = 5_000;

  /**
   * The refs of the entities with a release pipeline that the caller may
   * see in the catalog and that match the filters: owned by `owner` (a user
   * or group ref; kind defaults to group), part of `system` (kind defaults
   * to system), using pipeline template `pipeline`. Read with the caller's
   * own credentials, so the catalog's permissions apply.
   */
  async findRefs(
    filters: { owner?: string; system?: string; pipeline?: string },
    credentials: BackstageCredentials,
  ): Promise<string[]> {
    return this.cachedQuery(credentials, ['refs', filters], () =>
      this.askRefs(filters, credentials),
    );
  }

  private async askRefs(
    filters: { owner?: string; system?: string; pipeline?: string },
    credentials: BackstageCredentials,
  ): Promise<string[]> {
    const filter: Record<string, string | symbol> = {
      [`metadata.annotations.${RELEASE_PIPELINE_ANNOTATION}`]:
        filters.pipeline ?? CATALOG_FILTER_EXISTS,
    };
    const ref = (value: string, defaultKind: string, label: string) => {
      try {
        return stringifyEntityRef(
          parseEntityRef(value, { defaultKind, defaultNamespace: 'default' }),
        );
      } catch (e) {
        throw new InputError(
          `Invalid ${label} '${value}': ${(e as Error).message}`,
        );
      }
    };
    if (filters.owner) {
      filter[`relations.${RELATION_OWNED_BY}`] = ref(
        filters.owner,
        'group',
        'owner',
      );
    }
    if (filters.system) {
      filter[`relations.${RELATION_PART_OF}`] = ref(
        filters.system,
        'system',
        'system',
      );
    }
    const refs: string[] = [];
    let cursor: string | undefined;
    const catalogCredentials = await this.catalogCredentials(credentials);
    do {
      const page = await this.catalog.queryEntities(
        cursor
          ? { cursor, limit: 500 }
          : {
              filter,
              fields: ['kind', 'metadata.namespace', 'metadata.name'],
              orderFields: { field: 'metadata.name', order: 'asc' },
              limit: 500,
            },
        { credentials: catalogCredentials },
      );
      refs.push(...page.items.map(e => stringifyEntityRef(e)));
      cursor = page.pageInfo.nextCursor;
    } while (cursor && refs.length < EntityResolver.MAX_GROUP_ENTITIES);
    return refs.slice(0, EntityResolver.MAX_GROUP_ENTITIES);
  }

  private toReleaseEntity(entityRef: string, entity: Entity): ReleaseEntity {
    const templateName =
      entity.metadata.annotations?.[RELEASE_PIPELINE_ANNOTATION];
    if (!templateName) {
      throw new NotFoundError(
        `Entity ${entityRef} has no release pipeline; add the annotation ${RELEASE_PIPELINE_ANNOTATION}`,
      );
    }
    const template = this.templates.get(templateName);
    if (!template) {
      throw new NotFoundError(
        `Entity ${entityRef} uses release pipeline '${templateName}', which is not defined under release.pipelines in app-config`,
      );
    }
    const owners = (entity.relations ?? [])
      .filter(r => r.type === RELATION_OWNED_BY)
      .map(r => r.targetRef);
    return {
      entityRef: stringifyEntityRef(entity),
      entity,
      template,
      owners,
    };
  }
}
