import {
  Promotion,
  PromotionStatus,
  ReleaseLedgerAction,
} from '@release-manager/backstage-plugin-release-common';
import { Knex } from 'knex';
import {
  CommittedHistoryEntry,
  HistoryEntry,
  LedgerCommitListener,
  StoredHistoryEntry,
  StoredRelease,
} from './ReleaseStore';

export type DbTime = Date | string | number;

export type ReleaseRow = {
  id: number | string;
  entity_ref: string;
  version: string;
  version_key?: string | null;
  artifact: string;
  commit: string | null;
  notes: string | null;
  committed_at?: Date | string | number | null;
  planned_at?: string | null;
  created_by: string;
  created_at: Date | string | number;
};

export type PromotionRow = {
  id: string;
  entity_ref: string;
  phase: string;
  release_id: number | string;
  version: string;
  status: PromotionStatus;
  requested_by: string;
  requested_at: Date | string | number;
  comment: string | null;
  external_id: string | null;
  external_url: string | null;
  progress: string | null;
  snapshot: string | null;
  attempts: number;
  lease_owner: string | null;
  lease_expires_at: DbTime | null;
  next_attempt_at: DbTime | null;
  deadline_at: DbTime | null;
  verify_until?: DbTime | null;
  kind: 'promote' | 'rollback';
  config_version: number | null;
  config_hash: string | null;
  override_reason: string | null;
  override_gates?: string | null;
  scheduled_at?: DbTime | null;
  train_id?: string | null;
  secret_ciphertexts?: string | null;
  skipped_requires: boolean | number;
  started_at: Date | string | number | null;
  finished_at: Date | string | number | null;
  updated_at: Date | string | number;
};

export type HistoryRow = {
  id: number | string;
  entity_ref: string;
  phase: string | null;
  version: string | null;
  promotion_id: string | null;
  action: string;
  actor: string;
  before: string | null;
  after: string | null;
  reason: string | null;
  created_at: Date | string | number;
};

/** Canonical ISO 8601 in UTC with milliseconds, as toISOString() writes it. */
const CANONICAL_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Timestamps come back as Date (PostgreSQL), number or string (SQLite), or
 * already formatted by the query.
 */
export function toIso(value: Date | string | number): string {
  if (typeof value === 'string' && CANONICAL_ISO.test(value)) {
    return value;
  }
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

export function toIsoOrUndefined(value: Date | string | number | null) {
  return value === null || value === undefined ? undefined : toIso(value);
}

export function rowToRelease(row: ReleaseRow): StoredRelease {
  return {
    id: String(row.id),
    entityRef: row.entity_ref,
    version: row.version,
    artifact: row.artifact,
    commit: row.commit ?? undefined,
    notes: row.notes ?? undefined,
    committedAt: row.committed_at ? toIso(row.committed_at) : undefined,
    plannedAt: row.planned_at
      ? (JSON.parse(row.planned_at) as Record<string, string>)
      : undefined,
    createdBy: row.created_by,
    createdAt: toIso(row.created_at),
  };
}

export function rowToPromotion(row: PromotionRow): Promotion {
  let progressMessage: string | undefined;
  if (row.progress) {
    const progress = JSON.parse(row.progress) as Array<{ message: string }>;
    progressMessage = progress[progress.length - 1]?.message;
  }
  return {
    id: row.id,
    entityRef: row.entity_ref,
    phase: row.phase,
    version: row.version,
    status: row.status,
    requestedBy: row.requested_by,
    requestedAt: toIso(row.requested_at),
    comment: row.comment ?? undefined,
    updatedAt: toIso(row.updated_at),
    startedAt: toIsoOrUndefined(row.started_at),
    finishedAt: toIsoOrUndefined(row.finished_at),
    externalUrl: row.external_url ?? undefined,
    progressMessage,
    ...(row.scheduled_at ? { scheduledAt: toIso(row.scheduled_at) } : {}),
    ...(row.train_id ? { trainId: row.train_id } : {}),
  };
}

export function rowToHistory(row: HistoryRow): StoredHistoryEntry {
  return {
    id: String(row.id),
    entityRef: row.entity_ref,
    phase: row.phase ?? undefined,
    version: row.version ?? undefined,
    promotionId: row.promotion_id ?? undefined,
    action: row.action as ReleaseLedgerAction,
    actor: row.actor,
    before: row.before ? JSON.parse(row.before) : undefined,
    after: row.after ? JSON.parse(row.after) : undefined,
    reason: row.reason ?? undefined,
    createdAt: toIso(row.created_at),
  };
}

export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  return (
    err?.code === '23505' || // PostgreSQL
    err?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    err?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    /UNIQUE constraint failed/i.test(err?.message ?? '')
  );
}

/** Ledger rows written inside each open transaction, until it commits. */
const written = new WeakMap<Knex.Transaction, CommittedHistoryEntry[]>();

/**
 * Runs `fn` in a transaction and, once it has committed, hands the ledger
 * rows it appended to `onCommit` — the one place every state change passes
 * through, so listeners (events, notifications) see each committed change
 * exactly once and never a rolled-back one.
 */
export async function inTransaction<T>(
  db: Knex,
  onCommit: LedgerCommitListener | undefined,
  fn: (tx: Knex.Transaction) => Promise<T>,
): Promise<T> {
  const entries: CommittedHistoryEntry[] = [];
  const result = await db.transaction(async tx => {
    written.set(tx, entries);
    return fn(tx);
  });
  if (onCommit && entries.length > 0) {
    try {
      onCommit(entries);
    } catch {
      // The change is committed; a listener cannot undo or fail it.
    }
  }
  return result;
}

/** The only write to the ledger: an insert. Nothing updates or deletes it. */
export async function insertHistory(
  db: Knex | Knex.Transaction,
  entry: HistoryEntry,
) {
  const at = new Date();
  await db('release_history').insert({
    entity_ref: entry.entityRef,
    phase: entry.phase ?? null,
    version: entry.version ?? null,
    promotion_id: entry.promotionId ?? null,
    action: entry.action,
    actor: entry.actor,
    before: entry.before === undefined ? null : JSON.stringify(entry.before),
    after: entry.after === undefined ? null : JSON.stringify(entry.after),
    reason: entry.reason ?? null,
    created_at: at,
  });
  written.get(db as Knex.Transaction)?.push({ ...entry, at: at.toISOString() });
}
