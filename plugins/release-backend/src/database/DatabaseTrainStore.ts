import { ConflictError } from '@backstage/errors';
import {
  FINAL_TRAIN_STATUSES,
  TrainStatus,
} from '@release-manager/backstage-plugin-release-common';
import { randomUUID } from 'crypto';
import { Knex } from 'knex';
import { isUniqueViolation, toIso } from './rows';

/** A train as stored. @public */
export interface StoredTrain {
  id: string;
  system: string;
  title: string;
  phase: string;
  requestedBy: string;
  requestedAt: string;
  comment?: string;
  /** The last status written (the members' statuses decide). */
  status: TrainStatus;
  rolledBackAt?: string;
  rolledBackBy?: string;
  members: StoredTrainMember[];
}

/** A member of a train, in deploy order. @public */
export interface StoredTrainMember {
  entityRef: string;
  order: number;
  version: string;
  fromVersion?: string;
  dependsOn: string[];
  promotionId?: string;
}

type TrainRow = {
  id: string;
  system_ref: string;
  title: string;
  phase: string;
  requested_by: string;
  requested_at: Date | string | number;
  comment: string | null;
  idempotency_key: string | null;
  status: string;
  rolled_back_at: Date | string | number | null;
  rolled_back_by: string | null;
  updated_at: Date | string | number;
};

type MemberRow = {
  train_id: string;
  entity_ref: string;
  position: number;
  version: string;
  from_version: string | null;
  depends_on: string;
  promotion_id: string | null;
  open_key: string | null;
};

const openKey = (entityRef: string, phase: string) => `${entityRef}#${phase}`;

/**
 * Persistence of release trains. The member promotions are ordinary
 * promotions (with `train_id`); this store keeps the train, its members in
 * deploy order, and the key that allows one open train per member and
 * phase (the database refuses a second, so concurrent trains over the same
 * service cannot both be created).
 */
export class DatabaseTrainStore {
  constructor(
    private readonly db: Knex,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** The train first requested with this key by this requester. */
  async findByIdempotencyKey(requestedBy: string, key: string) {
    const row = await this.db<TrainRow>('release_trains')
      .where({ requested_by: requestedBy, idempotency_key: key })
      .first();
    return row ? this.get(row.id) : undefined;
  }

  /**
   * Records a train and its members, claiming each member's open key; a 409
   * naming the member when another open train holds one.
   */
  async create(train: {
    system: string;
    title: string;
    phase: string;
    requestedBy: string;
    comment?: string;
    idempotencyKey?: string;
    members: Array<Omit<StoredTrainMember, 'promotionId'>>;
  }): Promise<{ train: StoredTrain; replayed: boolean }> {
    const id = randomUUID();
    const now = this.clock();
    try {
      await this.db.transaction(async tx => {
        await tx('release_trains').insert({
          id,
          system_ref: train.system,
          title: train.title,
          phase: train.phase,
          requested_by: train.requestedBy,
          requested_at: now,
          comment: train.comment ?? null,
          idempotency_key: train.idempotencyKey ?? null,
          status: 'pending_approval',
          updated_at: now,
        });
        for (const m of train.members) {
          await tx('release_train_members').insert({
            train_id: id,
            entity_ref: m.entityRef,
            position: m.order,
            version: m.version,
            from_version: m.fromVersion ?? null,
            depends_on: JSON.stringify(m.dependsOn),
            promotion_id: null,
            open_key: openKey(m.entityRef, train.phase),
          });
        }
      });
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      if (train.idempotencyKey) {
        const first = await this.findByIdempotencyKey(
          train.requestedBy,
          train.idempotencyKey,
        );
        if (first) return { train: first, replayed: true };
      }
      const held = await this.db<MemberRow>('release_train_members')
        .whereIn(
          'open_key',
          train.members.map(m => openKey(m.entityRef, train.phase)),
        )
        .first();
      throw new ConflictError(
        held
          ? `${shortRef(held.entity_ref)} is already in the open train ${
              held.train_id
            } into '${train.phase}'`
          : `A member is already in an open train into '${train.phase}'`,
      );
    }
    return { train: (await this.get(id))!, replayed: false };
  }

  /** Binds a member to its promotion. */
  async setPromotion(trainId: string, entityRef: string, promotionId: string) {
    await this.db('release_train_members')
      .where({ train_id: trainId, entity_ref: entityRef })
      .update({ promotion_id: promotionId });
  }

  /**
   * Writes the train's status as its members make it; a final status frees
   * the members for other trains.
   */
  async settle(id: string, status: TrainStatus) {
    await this.db.transaction(async tx => {
      await tx('release_trains')
        .where({ id })
        .whereNot({ status })
        .update({ status, updated_at: this.clock() });
      if (FINAL_TRAIN_STATUSES.includes(status)) {
        await tx('release_train_members')
          .where({ train_id: id })
          .update({ open_key: null });
      }
    });
  }

  /** Records that the deployed members were rolled back (once). */
  async markRolledBack(id: string, actor: string): Promise<boolean> {
    const updated = await this.db('release_trains')
      .where({ id, rolled_back_at: null })
      .update({
        rolled_back_at: this.clock(),
        rolled_back_by: actor,
        status: 'rolled_back',
        updated_at: this.clock(),
      });
    await this.db('release_train_members')
      .where({ train_id: id })
      .update({ open_key: null });
    return updated === 1;
  }

  /** Open trains holding a member's key: which train holds entity#phase. */
  async openTrainOf(entityRef: string, phase: string) {
    const row = await this.db<MemberRow>('release_train_members')
      .where({ open_key: openKey(entityRef, phase) })
      .first();
    return row?.train_id;
  }

  async get(id: string): Promise<StoredTrain | undefined> {
    const row = await this.db<TrainRow>('release_trains').where({ id }).first();
    if (!row) return undefined;
    const members = await this.db<MemberRow>('release_train_members')
      .where({ train_id: id })
      .orderBy('position', 'asc');
    return toTrain(row, members);
  }

  /** Deletes a train that never got a member promotion (a refused request). */
  async discard(id: string) {
    await this.db.transaction(async tx => {
      const bound = await tx('release_train_members')
        .where({ train_id: id })
        .whereNotNull('promotion_id')
        .first();
      if (bound) {
        throw new ConflictError(`Train ${id} has member promotions`);
      }
      await tx('release_train_members').where({ train_id: id }).delete();
      await tx('release_trains').where({ id }).delete();
    });
  }

  /** Trains newest first, of a system and/or with an entity as member or system. */
  async list(options: {
    system?: string;
    entity?: string;
    open?: boolean;
    limit: number;
    offset: number;
  }): Promise<StoredTrain[]> {
    const q = this.db<TrainRow>('release_trains')
      .select('release_trains.*')
      .orderBy([
        { column: 'requested_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(options.limit)
      .offset(options.offset);
    if (options.system) q.where('system_ref', options.system);
    if (options.entity) {
      const entity = options.entity;
      q.where(w =>
        w
          .where('system_ref', entity)
          .orWhereIn(
            'id',
            this.db('release_train_members')
              .select('train_id')
              .where('entity_ref', entity),
          ),
      );
    }
    if (options.open) {
      q.whereNotIn('status', FINAL_TRAIN_STATUSES as TrainStatus[]);
    }
    const rows = await q;
    if (!rows.length) return [];
    const members = await this.db<MemberRow>('release_train_members')
      .whereIn(
        'train_id',
        rows.map(r => r.id),
      )
      .orderBy('position', 'asc');
    return rows.map(r =>
      toTrain(
        r,
        members.filter(m => m.train_id === r.id),
      ),
    );
  }

  /** Open trains (for the reconciler's sweep). */
  async listOpen(limit: number): Promise<StoredTrain[]> {
    return this.list({ open: true, limit, offset: 0 });
  }

  /** The reason a promotion was cancelled or rejected, from its ledger row. */
  async endReason(
    promotionId: string,
    status: 'cancelled' | 'rejected',
  ): Promise<string | undefined> {
    const row = await this.db('release_history')
      .where({ promotion_id: promotionId, action: `promotion.${status}` })
      .orderBy('id', 'desc')
      .first();
    return row?.reason ?? undefined;
  }

  /** The reason a promotion failed, from its ledger row. */
  async failureReason(promotionId: string): Promise<string | undefined> {
    const row = await this.db('release_history')
      .where({ promotion_id: promotionId, action: 'promotion.failed' })
      .orderBy('id', 'desc')
      .first();
    return row?.reason ?? undefined;
  }
}

function toTrain(row: TrainRow, members: MemberRow[]): StoredTrain {
  return {
    id: row.id,
    system: row.system_ref,
    title: row.title,
    phase: row.phase,
    requestedBy: row.requested_by,
    requestedAt: toIso(row.requested_at),
    comment: row.comment ?? undefined,
    status: row.status as TrainStatus,
    rolledBackAt: row.rolled_back_at ? toIso(row.rolled_back_at) : undefined,
    rolledBackBy: row.rolled_back_by ?? undefined,
    members: members.map(m => ({
      entityRef: m.entity_ref,
      order: Number(m.position),
      version: m.version,
      fromVersion: m.from_version ?? undefined,
      dependsOn: JSON.parse(m.depends_on),
      promotionId: m.promotion_id ?? undefined,
    })),
  };
}

/** `component:default/cart-api` → `cart-api`. */
export function shortRef(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1);
}
