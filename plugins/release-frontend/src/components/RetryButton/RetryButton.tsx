import { useApi } from '@backstage/core-plugin-api';
import CircularProgress from '@material-ui/core/CircularProgress';
import Typography from '@material-ui/core/Typography';
import ReplayIcon from '@material-ui/icons/Replay';
import { PipelinePhaseView } from '@release-manager/backstage-plugin-release-common';
import { useState } from 'react';
import { PromotionDetail, releaseApiRef } from '../../api';
import { errorMessage } from '../../errors';
import { newIdempotencyKey } from '../../idempotency';
import { GatedButton } from '../GatedButton';
import { phaseActionBlocker } from '../PipelineDrawing/phaseState';

/** Props of {@link RetryButton}. */
export interface RetryButtonProps {
  entityRef: string;
  /** The phase the failed attempt went to. */
  phase: PipelinePhaseView;
  /** The version that failed. */
  version: string;
  /** Called with the new promotion. */
  onRetried: (promotion: PromotionDetail) => void;
  size?: 'small' | 'medium';
}

/**
 * Retries a failed deployment: a new promotion request of the same version
 * to the same phase through the ordinary request API, so the same gates
 * (approvals, lock, freeze, requires) apply as to any promotion. Disabled
 * with the reason when the user may not deploy to the phase.
 */
export function RetryButton(props: RetryButtonProps) {
  const { entityRef, phase, version, onRetried, size = 'small' } = props;
  const api = useApi(releaseApiRef);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const blocker = phaseActionBlocker(
    phase,
    'deploy',
    `You may not deploy to ${phase.title}`,
  );

  const retry = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const promotion = await api.createPromotion(
        entityRef,
        {
          version,
          phase: phase.id,
          comment: `Retry of the failed deployment of ${version} to ${phase.title}`,
        },
        { idempotencyKey: newIdempotencyKey() },
      );
      onRetried(promotion);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const button = (
    <GatedButton
      size={size}
      variant="outlined"
      color="primary"
      startIcon={busy ? <CircularProgress size={14} /> : <ReplayIcon />}
      aria-label={`Retry ${version} in ${phase.title}`}
      disabled={busy}
      disabledReason={blocker}
      onClick={retry}
      style={{ whiteSpace: 'nowrap' }}
    >
      Retry
    </GatedButton>
  );
  return (
    <>
      {button}
      {error && (
        <Typography
          variant="caption"
          color="error"
          role="alert"
          component="p"
          style={{ overflowWrap: 'break-word' }}
        >
          {error}
        </Typography>
      )}
    </>
  );
}
