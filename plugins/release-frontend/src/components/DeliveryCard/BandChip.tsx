import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import { DoraBand } from '@release-manager/backstage-plugin-release-common';
import { BAND_LABEL } from './format';

const useStyles = makeStyles(theme => ({
  elite: {
    backgroundColor: theme.palette.success?.main ?? '#2e7d32',
    color: '#fff',
  },
  high: {
    backgroundColor: theme.palette.info?.main ?? '#0277bd',
    color: '#fff',
  },
  medium: {
    backgroundColor: theme.palette.warning?.main ?? '#ed6c02',
    color: '#000',
  },
  low: {
    backgroundColor: theme.palette.error?.main ?? '#c62828',
    color: '#fff',
  },
}));

/** A DORA performance band as a small coloured chip (with its name as text). */
export function BandChip(props: { band?: DoraBand; prefix?: string }) {
  const classes = useStyles();
  if (!props.band) {
    return null;
  }
  return (
    <Chip
      size="small"
      className={classes[props.band]}
      label={`${props.prefix ?? ''}${BAND_LABEL[props.band]}`}
    />
  );
}
