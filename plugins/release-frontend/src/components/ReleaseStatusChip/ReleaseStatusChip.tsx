import Typography from '@material-ui/core/Typography';
import { makeStyles, Theme } from '@material-ui/core/styles';
import PlayArrowIcon from '@material-ui/icons/PlayArrow';
import { PromotionStatus } from '@release-manager/backstage-plugin-release-common';
import { RelativeTime } from '../RelativeTime';
import { Tone, ToneChip } from './ToneChip';

const LABELS: Record<PromotionStatus, string> = {
  pending_approval: 'Pending approval',
  approved: 'Approved',
  queued: 'Queued',
  deploying: 'Deploying',
  succeeded: 'Succeeded',
  failed: 'Failed',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
  superseded: 'Superseded',
};

/** The human label of a promotion status, e.g. "Pending approval". */
export function promotionStatusLabel(status: PromotionStatus): string {
  return LABELS[status] ?? status;
}

const TONES: Record<PromotionStatus, Tone> = {
  pending_approval: 'waiting',
  approved: 'waiting',
  queued: 'running',
  deploying: 'running',
  succeeded: 'ok',
  failed: 'error',
  rejected: 'error',
  cancelled: 'neutral',
  superseded: 'neutral',
};

const useStyles = makeStyles((theme: Theme) => ({
  root: {
    display: 'inline-flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    gap: theme.spacing(0.5),
  },
  current: {
    display: 'inline-flex',
    alignItems: 'center',
    fontWeight: theme.typography.fontWeightBold as number,
  },
}));

/** Props of {@link ReleaseStatusChip}. */
export interface ReleaseStatusChipProps {
  status: PromotionStatus;
  /** When the status was last updated (ISO 8601). */
  updatedAt?: string;
  /** True when this release is what currently runs in the phase. */
  current?: boolean;
}

/**
 * The state of a release in one phase: the status and when it changed, and
 * a "Running here" marker for the release currently deployed in the phase.
 */
export function ReleaseStatusChip(props: ReleaseStatusChipProps) {
  const { status, updatedAt, current } = props;
  const classes = useStyles();
  return (
    <span className={classes.root}>
      <ToneChip
        tone={TONES[status]}
        label={
          <>
            {promotionStatusLabel(status)}
            {updatedAt && (
              <>
                {' · '}
                <RelativeTime value={updatedAt} />
              </>
            )}
          </>
        }
      />
      {current && (
        <Typography variant="caption" className={classes.current}>
          <PlayArrowIcon fontSize="inherit" aria-hidden />
          Running here
        </Typography>
      )}
    </span>
  );
}
