import { PromotionStatus } from './types';

/**
 * Release trains: one release per member service of a catalog System,
 * requested, approved and promoted as a unit, members deploying in the
 * catalog's `dependsOn` order. The rules here are pure; the backend stores
 * trains and applies every member's status change through the lifecycle.
 */

/** The status of a train, derived from its members' promotions. @public */
export type TrainStatus =
  | 'pending_approval'
  | 'approved'
  | 'deploying'
  | 'succeeded'
  | 'failed'
  | 'rejected'
  | 'cancelled'
  | 'rolled_back';

/** All train statuses. @public */
export const TRAIN_STATUSES: readonly TrainStatus[] = [
  'pending_approval',
  'approved',
  'deploying',
  'succeeded',
  'failed',
  'rejected',
  'cancelled',
  'rolled_back',
];

/** Train statuses a train never leaves by itself (rollback aside). @public */
export const FINAL_TRAIN_STATUSES: readonly TrainStatus[] = [
  'succeeded',
  'failed',
  'rejected',
  'cancelled',
  'rolled_back',
];

/** Whether a train is still open (waiting, approved or deploying). @public */
export function isOpenTrainStatus(status: TrainStatus): boolean {
  return !FINAL_TRAIN_STATUSES.includes(status);
}

/** The members of a train form a dependency cycle. @public */
export class TrainCycleError extends Error {
  readonly name = 'TrainCycleError';
  constructor(readonly cycle: string[]) {
    super(
      `The members' dependsOn relations form a cycle: ${cycle.join(
        ' → ',
      )}; a train needs an order`,
    );
  }
}

/**
 * The deploy order of a train's members: topological by the catalog's
 * `dependsOn` (a member that depends on another deploys after it), only
 * among members (dependencies outside the train are ignored), ties by
 * entity ref. A cycle among members throws {@link TrainCycleError}.
 * @public
 */
export function trainOrder(
  members: readonly string[],
  dependsOn: Readonly<Record<string, readonly string[] | undefined>>,
): string[] {
  const set = new Set(members);
  const deps = new Map<string, string[]>();
  for (const m of set) {
    deps.set(
      m,
      [...new Set(dependsOn[m] ?? [])].filter(d => d !== m && set.has(d)),
    );
  }
  const done = new Set<string>();
  const order: string[] = [];
  const remaining = [...set].sort();
  while (order.length < set.size) {
    const ready = remaining.find(
      m => !done.has(m) && deps.get(m)!.every(d => done.has(d)),
    );
    if (!ready) {
      throw new TrainCycleError(
        findCycle(
          remaining.filter(m => !done.has(m)),
          deps,
        ),
      );
    }
    done.add(ready);
    order.push(ready);
  }
  return order;
}

function findCycle(pending: string[], deps: Map<string, string[]>): string[] {
  const pendingSet = new Set(pending);
  // Every pending member has a pending dependency: walk until a repeat.
  const path: string[] = [];
  let at = pending[0];
  while (!path.includes(at)) {
    path.push(at);
    at = deps
      .get(at)!
      .filter(d => pendingSet.has(d))
      .sort()[0];
  }
  return [...path.slice(path.indexOf(at)), at];
}

/**
 * The train's status from its members' promotion statuses (in deploy
 * order). A failed member fails the train; a rejection rejects it; when
 * every member succeeded it succeeded; a cancelled or superseded member
 * with nothing still deploying ends it cancelled; anything queued,
 * deploying or already succeeded means it is deploying.
 * @public
 */
export function trainStatusOf(
  statuses: readonly PromotionStatus[],
): TrainStatus {
  if (statuses.length === 0) return 'cancelled';
  const any = (...s: PromotionStatus[]) => statuses.some(x => s.includes(x));
  if (any('failed')) return 'failed';
  if (any('rejected')) return 'rejected';
  if (statuses.every(s => s === 'succeeded')) return 'succeeded';
  if (any('cancelled', 'superseded')) {
    return any('queued', 'deploying') ? 'deploying' : 'cancelled';
  }
  if (any('queued', 'deploying', 'succeeded')) return 'deploying';
  if (any('pending_approval')) return 'pending_approval';
  return 'approved';
}

/**
 * Whether the member at `index` (0-based, deploy order) may be queued and
 * dispatched: only when every earlier member succeeded.
 * @public
 */
export function trainMemberReady(
  index: number,
  statuses: readonly PromotionStatus[],
): boolean {
  return statuses.slice(0, index).every(s => s === 'succeeded');
}

/**
 * Why a member is held by the train order, in words, or undefined when it
 * may go (the `train_order` gate; it cannot be overridden).
 * @public
 */
export function trainOrderBlocker(
  index: number,
  members: ReadonlyArray<{ entityRef: string; status: PromotionStatus }>,
): string | undefined {
  // One approval covers the train: no member deploys while another still
  // waits for it (a decision recorded member by member is never half-done).
  const unapproved = members.filter(m => m.status === 'pending_approval');
  if (unapproved.length) {
    return `Waiting for the train's approval: ${unapproved
      .map(m => shortRef(m.entityRef))
      .join(', ')}`;
  }
  const waiting = members.slice(0, index).filter(m => m.status !== 'succeeded');
  if (!waiting.length) return undefined;
  return `Waiting for the train's earlier members to succeed: ${waiting
    .map(m => `${shortRef(m.entityRef)} (${m.status})`)
    .join(', ')}`;
}

/**
 * The member that stopped a train (the first failed one, in deploy order)
 * with the reason of its failure, if any did; and the members its failure
 * stops (those still waiting or queued after it).
 * @public
 */
export function trainStopCause(
  members: ReadonlyArray<{
    entityRef: string;
    status: PromotionStatus;
    failureReason?: string;
  }>,
):
  | { entityRef: string; reason: string; stops: string[]; message: string }
  | undefined {
  const index = members.findIndex(m => m.status === 'failed');
  if (index < 0) return undefined;
  const failed = members[index];
  const reason = failed.failureReason ?? 'the deployment failed';
  return {
    entityRef: failed.entityRef,
    reason,
    stops: members
      .filter(
        (m, i) =>
          i !== index &&
          (m.status === 'pending_approval' ||
            m.status === 'approved' ||
            m.status === 'queued'),
      )
      .map(m => m.entityRef),
    message: `stopped: ${shortRef(failed.entityRef)} failed: ${reason}`,
  };
}

/**
 * Whether the members a failed train already deployed can be rolled back:
 * the train failed (not rolled back yet) and a member succeeded.
 * @public
 */
export function trainRollbackAvailable(
  status: TrainStatus,
  statuses: readonly PromotionStatus[],
): boolean {
  return status === 'failed' && statuses.some(s => s === 'succeeded');
}

/** `component:default/cart-api` → `cart-api`. */
function shortRef(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1);
}

/**
 * The deep link to a train: the Trains tab of its System's entity page,
 * `/catalog/{namespace}/system/{name}/trains?train=<id>`.
 * @public
 */
export function trainsPageLink(systemRef: string, trainId?: string): string {
  const [kindPart, rest] = systemRef.includes(':')
    ? [
        systemRef.slice(0, systemRef.indexOf(':')),
        systemRef.slice(systemRef.indexOf(':') + 1),
      ]
    : ['system', systemRef];
  const [namespace, name] = rest.includes('/')
    ? [rest.slice(0, rest.indexOf('/')), rest.slice(rest.indexOf('/') + 1)]
    : ['default', rest];
  const path = [namespace, kindPart, name]
    .map(p => encodeURIComponent(p.toLocaleLowerCase('en-US')))
    .join('/');
  const query = trainId ? `?train=${encodeURIComponent(trainId)}` : '';
  return `/catalog/${path}/trains${query}`;
}
