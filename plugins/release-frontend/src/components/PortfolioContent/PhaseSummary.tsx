import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import { makeStyles, Theme } from '@material-ui/core/styles';
import ErrorIcon from '@material-ui/icons/Error';
import AccessTimeIcon from '@material-ui/icons/AccessTime';
import HourglassEmptyIcon from '@material-ui/icons/HourglassEmpty';
import SyncIcon from '@material-ui/icons/Sync';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { PortfolioEntry } from '../../api';
import { releaseTranslationRef } from '../../translation';
import { promotionStatusLabel } from '../ReleaseStatusChip';

type PortfolioPhase = PortfolioEntry['phases'][number];

const useStyles = makeStyles((theme: Theme) => ({
  chip: {
    maxWidth: '100%',
    height: 'auto',
    minHeight: 24,
  },
  label: {
    whiteSpace: 'normal',
    overflowWrap: 'anywhere',
    paddingTop: 2,
    paddingBottom: 2,
  },
  title: { fontWeight: theme.typography.fontWeightMedium as number },
  none: { color: theme.palette.text.secondary, fontStyle: 'italic' },
  waiting: { color: theme.palette.warning.dark, whiteSpace: 'nowrap' },
  failed: {
    borderColor: theme.palette.error.main,
    color: theme.palette.error.dark,
    backgroundColor: theme.palette.background.paper,
    '& $icon': { color: theme.palette.error.main },
  },
  failedText: { color: theme.palette.error.dark, whiteSpace: 'nowrap' },
  icon: {},
}));

/**
 * One phase of an entity in the portfolio: its title and current version,
 * a deployment in progress, and how many promotions wait for approval.
 */
export function PhaseSummary(props: { phase: PortfolioPhase }) {
  const { phase } = props;
  const classes = useStyles();
  const { t } = useTranslationRef(releaseTranslationRef);
  const running = phase.activeStatus;
  const label = (
    <>
      <span className={classes.title}>{phase.title}</span>{' '}
      {phase.currentVersion ? (
        <span>{phase.currentVersion}</span>
      ) : (
        <span className={classes.none}>{t('portfolio.noVersion')}</span>
      )}
      {phase.failed && (
        <span className={classes.failedText}>
          {' · '}
          {t('portfolio.failed')}
        </span>
      )}
      {phase.pending > 0 && (
        <span className={classes.waiting}>
          {' · '}
          {t('portfolio.waiting', { count: phase.pending })}
        </span>
      )}
      {phase.scheduled ? (
        <span className={classes.waiting} data-testid={`scheduled-${phase.id}`}>
          {' · '}
          {t('portfolio.scheduled', { count: phase.scheduled })}
        </span>
      ) : null}
    </>
  );
  let icon: JSX.Element | undefined;
  if (running) {
    icon = <SyncIcon aria-label={promotionStatusLabel(running)} />;
  } else if (phase.failed) {
    icon = <ErrorIcon />;
  } else if (phase.pending > 0) {
    icon = <HourglassEmptyIcon />;
  } else if (phase.scheduled) {
    icon = <AccessTimeIcon />;
  }
  const chip = (
    <Chip
      size="small"
      variant={phase.currentVersion && !phase.failed ? 'default' : 'outlined'}
      color={running ? 'primary' : 'default'}
      icon={icon}
      label={label}
      classes={{
        root: phase.failed ? `${classes.chip} ${classes.failed}` : classes.chip,
        label: classes.label,
        icon: classes.icon,
      }}
      data-testid={`phase-${phase.id}`}
    />
  );
  return running ? (
    <Tooltip title={promotionStatusLabel(running)}>{chip}</Tooltip>
  ) : (
    chip
  );
}
