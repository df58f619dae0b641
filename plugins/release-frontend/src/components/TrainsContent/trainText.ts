import { parseEntityRef } from '@backstage/catalog-model';
import { Train, TrainStatus } from '../../api';

/** States of a train that is not finished yet. */
export const OPEN_TRAIN_STATUSES: TrainStatus[] = [
  'pending_approval',
  'approved',
  'deploying',
];

/** True while the train is not finished. */
export function isOpenTrain(train: Pick<Train, 'status'>): boolean {
  return OPEN_TRAIN_STATUSES.includes(train.status);
}

/** The name of an entity ref ("payments-api" of component:default/payments-api). */
export function refName(ref: string): string {
  try {
    return parseEntityRef(ref).name;
  } catch {
    return ref;
  }
}

/** "Shop → Stage". */
export function trainLabel(train: Pick<Train, 'title' | 'phaseTitle'>) {
  return `${train.title} → ${train.phaseTitle}`;
}

/** How many members succeeded, e.g. "1 of 3 deployed". */
export function deployedCount(train: Pick<Train, 'members'>): string {
  const done = train.members.filter(m => m.status === 'succeeded').length;
  return `${done} of ${train.members.length} deployed`;
}

/**
 * What approving the train does, in one line: "Deploy 3 services to Stage:
 * payments-api 1.2.1, cart-api 3.1.0, checkout-web 2.5.1".
 */
export function trainSummary(
  train: Pick<Train, 'members' | 'phaseTitle'>,
): string {
  const n = train.members.length;
  const list = train.members
    .map(m => `${refName(m.entityRef)} ${m.version}`)
    .join(', ');
  return `Deploy ${n} ${n === 1 ? 'service' : 'services'} to ${
    train.phaseTitle
  }: ${list}`;
}

const LABELS: Record<TrainStatus, string> = {
  pending_approval: 'Pending approval',
  approved: 'Approved',
  deploying: 'Deploying',
  succeeded: 'Succeeded',
  failed: 'Failed',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
  rolled_back: 'Rolled back',
};

/** The human label of a train status, e.g. "Pending approval". */
export function trainStatusLabel(status: TrainStatus): string {
  return LABELS[status] ?? status;
}
