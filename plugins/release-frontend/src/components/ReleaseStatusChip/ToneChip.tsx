import { ReactNode } from 'react';
import Chip from '@material-ui/core/Chip';
import { makeStyles, Theme } from '@material-ui/core/styles';

/** How a status reads at a glance. */
export type Tone = 'ok' | 'error' | 'running' | 'waiting' | 'neutral';

const useStyles = makeStyles((theme: Theme) => ({
  ok: {
    borderColor: theme.palette.success.main,
    color: theme.palette.success.dark,
  },
  error: {
    borderColor: theme.palette.error.main,
    color: theme.palette.error.dark,
  },
  running: {
    borderColor: theme.palette.info.main,
    color: theme.palette.info.dark,
  },
  waiting: {
    borderColor: theme.palette.warning.main,
    color: theme.palette.warning.dark,
  },
  neutral: {
    borderColor: theme.palette.divider,
    color: theme.palette.text.secondary,
  },
}));

/**
 * A small outlined chip coloured by its tone: the one look of a promotion's
 * and a train's status.
 */
export function ToneChip(props: {
  tone: Tone | undefined;
  label: ReactNode;
  'data-testid'?: string;
}) {
  const classes = useStyles();
  return (
    <Chip
      size="small"
      variant="outlined"
      className={classes[props.tone ?? 'neutral']}
      label={props.label}
      data-testid={props['data-testid']}
    />
  );
}
