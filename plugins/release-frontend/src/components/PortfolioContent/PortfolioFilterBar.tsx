import { useTranslationRef } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import TextField from '@material-ui/core/TextField';
import { makeStyles } from '@material-ui/core/styles';
import { PortfolioFilters } from '../../api';
import { releaseTranslationRef } from '../../translation';

const useStyles = makeStyles(theme => ({
  bar: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
  field: { flex: '1 1 160px', minWidth: 0 },
}));

/** Text, owner, system and lifecycle filters, side by side while they fit. */
export function PortfolioFilterBar(props: {
  value: PortfolioFilters;
  onChange: (value: PortfolioFilters) => void;
}) {
  const classes = useStyles();
  const { t } = useTranslationRef(releaseTranslationRef);
  const field = (key: keyof PortfolioFilters, label: string, help?: string) => (
    <TextField
      className={classes.field}
      label={label}
      helperText={help}
      variant="outlined"
      size="small"
      value={props.value[key] ?? ''}
      onChange={e =>
        props.onChange({ ...props.value, [key]: e.target.value || undefined })
      }
      inputProps={{ 'aria-label': label }}
    />
  );
  return (
    <Box className={classes.bar} role="search">
      {field('q', t('portfolio.filters.search'))}
      {field('owner', t('portfolio.filters.owner'))}
      {field('system', t('portfolio.filters.system'))}
      {field('lifecycle', t('portfolio.filters.lifecycle'))}
    </Box>
  );
}
