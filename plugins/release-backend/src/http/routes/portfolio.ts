import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { EntityStatus } from '@release-manager/backstage-plugin-release-common';
import { CallerCredentials } from '../../access/AccessGuard';
import { callerCredentials, ReleaseApiRouter, RouteContext } from '../context';
import { readableStatusEntries } from '../status';

const DEFAULT_PAGE_SIZE = 50;
/** Catalog page size while a CSV walks every matching entity. */
const CSV_PAGE_SIZE = 500;
/** A CSV holds at most this many entities. */
const CSV_MAX_ENTITIES = 20_000;

interface PortfolioFilters {
  owner?: string;
  system?: string;
  lifecycle?: string;
  text?: string;
}

interface PortfolioEntry {
  entityRef: string;
  kind: string;
  namespace: string;
  name: string;
  title?: string;
  owner?: string;
  system?: string;
  lifecycle?: string;
  pipeline: string;
  problem?: string;
  phases: EntityStatus['phases'];
}

/** An owner or system filter as a full entity ref; a bare name gets defaults. */
function normalizeRef(
  value: string | undefined,
  defaultKind: string,
  label: string,
): string | undefined {
  if (!value) return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(value, { defaultKind, defaultNamespace: 'default' }),
    );
  } catch (e) {
    throw new InputError(
      `Invalid ${label} '${value}': ${(e as Error).message}`,
    );
  }
}

/**
 * One page of the portfolio: the catalog finds the entities with a pipeline
 * the caller may read (filters and cursor are the catalog's), the bulk
 * status read gives their phases (one query for the page).
 */
async function portfolioPage(
  ctx: RouteContext,
  credentials: CallerCredentials,
  filters: PortfolioFilters,
  limit: number,
  cursor: string | undefined,
) {
  const page = await ctx.entities.query(credentials, {
    ...filters,
    limit,
    cursor,
  });
  const statuses = await readableStatusEntries(
    ctx,
    credentials,
    page.items.flatMap(i => (i.target ? [i.target] : [])),
  );
  const phasesOf = new Map(
    statuses.map(s => [s.item.entityRef, s.item.phases]),
  );
  const items: PortfolioEntry[] = [];
  for (const { entity, target, problem } of page.items) {
    const entityRef = stringifyEntityRef(entity);
    const phases = phasesOf.get(entityRef);
    // Release read permission denied: not listed (a list filters).
    if (target && !phases) continue;
    const spec = (entity.spec ?? {}) as Record<string, unknown>;
    const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
    items.push({
      entityRef,
      kind: entity.kind,
      namespace: entity.metadata.namespace ?? 'default',
      name: entity.metadata.name,
      title: entity.metadata.title,
      owner: text(spec.owner),
      system: text(spec.system),
      lifecycle: text(spec.lifecycle),
      pipeline:
        target?.template.name ??
        entity.metadata.annotations?.['release.backstage.io/pipeline'] ??
        '',
      problem,
      phases: phases ?? [],
    });
  }
  return { items, nextCursor: page.nextCursor, totalItems: page.totalItems };
}

const CSV_COLUMNS = [
  'entity',
  'title',
  'owner',
  'system',
  'lifecycle',
  'pipeline',
  'phase',
  'phase title',
  'current version',
  'in progress',
  'waiting approvals',
  'scheduled',
  'failed since current',
];

/** A CSV field (RFC 4180), safe to open in a spreadsheet. */
function csvField(value: string | number | undefined): string {
  let s = value === undefined ? '' : String(value);
  // A leading =, +, - or @ would be read as a formula by spreadsheets.
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csvRows(entry: PortfolioEntry): string[] {
  const base = [
    entry.entityRef,
    entry.title,
    entry.owner,
    entry.system,
    entry.lifecycle,
    entry.pipeline,
  ];
  const phases = entry.phases.length
    ? entry.phases
    : [{ id: '', title: entry.problem ?? '', pending: 0 }];
  return phases.map(p =>
    [
      ...base,
      p.id,
      p.title,
      'currentVersion' in p ? p.currentVersion : undefined,
      'activeStatus' in p ? p.activeStatus : undefined,
      p.pending,
      'scheduled' in p ? p.scheduled : undefined,
      'failed' in p && p.failed ? 'yes' : undefined,
    ]
      .map(csvField)
      .join(','),
  );
}

/** The portfolio: every entity with a pipeline × its phases. */
export function registerPortfolioRoutes(
  router: ReleaseApiRouter,
  ctx: RouteContext,
) {
  router.get('/portfolio', async (req, res) => {
    const credentials = await callerCredentials(ctx, req);
    const filters: PortfolioFilters = {
      owner: normalizeRef(req.query.owner, 'group', 'owner'),
      system: normalizeRef(req.query.system, 'system', 'system'),
      lifecycle: req.query.lifecycle,
      text: req.query.q?.trim() || undefined,
    };
    const csv =
      req.query.format === 'csv' ||
      (req.query.format === undefined &&
        req.accepts(['application/json', 'text/csv']) === 'text/csv');

    if (!csv) {
      const page = await portfolioPage(
        ctx,
        credentials,
        filters,
        req.query.limit ?? DEFAULT_PAGE_SIZE,
        req.query.cursor,
      );
      res.json(page);
      return;
    }

    // Every matching entity, one row per phase, page by page.
    const lines = [CSV_COLUMNS.join(',')];
    let cursor: string | undefined;
    let seen = 0;
    do {
      const page = await portfolioPage(
        ctx,
        credentials,
        filters,
        CSV_PAGE_SIZE,
        cursor,
      );
      for (const entry of page.items) lines.push(...csvRows(entry));
      seen += CSV_PAGE_SIZE;
      cursor = page.nextCursor;
    } while (cursor && seen < CSV_MAX_ENTITIES);
    res
      .status(200)
      .type('text/csv; charset=utf-8')
      .attachment('releases-portfolio.csv')
      .send(`${lines.join('\r\n')}\r\n`);
  });
}
