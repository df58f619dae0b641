import { makeStyles, Theme } from '@material-ui/core/styles';
import { ReactNode } from 'react';

const useStyles = makeStyles((theme: Theme) => ({
  list: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(1),
    margin: 0,
    '& dt': { fontWeight: theme.typography.fontWeightBold as number },
    '& dd': { margin: 0, overflowWrap: 'anywhere' },
  },
}));

/** A definition list laid out as a two-column grid: terms, then values. */
export function DetailList(props: { children: ReactNode }) {
  const classes = useStyles();
  return <dl className={classes.list}>{props.children}</dl>;
}
