import { TrainStatus } from '../../api';
import { trainStatusLabel } from './trainText';
import { Tone, ToneChip } from '../ReleaseStatusChip/ToneChip';

const TONES: Record<TrainStatus, Tone> = {
  pending_approval: 'waiting',
  approved: 'waiting',
  deploying: 'running',
  succeeded: 'ok',
  failed: 'error',
  rejected: 'error',
  cancelled: 'neutral',
  rolled_back: 'neutral',
};

/** The state of a train as a coloured chip ("Pending approval"). */
export function TrainStatusChip(props: { status: TrainStatus }) {
  return (
    <ToneChip
      tone={TONES[props.status]}
      label={trainStatusLabel(props.status)}
      data-testid="train-status"
    />
  );
}
