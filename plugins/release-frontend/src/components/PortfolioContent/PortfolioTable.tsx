import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  entityRouteRef,
  humanizeEntityRef,
} from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import { PortfolioEntry } from '../../api';
import { releaseTranslationRef } from '../../translation';
import { PhaseSummary } from './PhaseSummary';

const useStyles = makeStyles(theme => ({
  table: { tableLayout: 'fixed', width: '100%' },
  entityColumn: { width: '32%' },
  entity: { overflowWrap: 'anywhere', verticalAlign: 'top' },
  phases: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.75),
  },
}));

/** An owner as people say it: `team-payments`, not `group:default/team-payments`. */
function ownerName(owner: string | undefined): string | undefined {
  if (!owner) return undefined;
  try {
    return humanizeEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: 'default',
      }),
      { defaultKind: 'group' },
    );
  } catch {
    return owner;
  }
}

/** The entities of one portfolio page, each with its phases in order. */
export function PortfolioTable(props: { items: PortfolioEntry[] }) {
  const classes = useStyles();
  const { t } = useTranslationRef(releaseTranslationRef);
  const entityRoute = useRouteRef(entityRouteRef);
  return (
    <Table
      size="small"
      className={classes.table}
      aria-label={t('portfolio.tableLabel')}
    >
      <TableHead>
        <TableRow>
          <TableCell className={classes.entityColumn}>
            {t('portfolio.columns.entity')}
          </TableCell>
          <TableCell>{t('portfolio.columns.phases')}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.items.map(entry => {
          const releasesTab = `${entityRoute({
            kind: entry.kind.toLocaleLowerCase('en-US'),
            namespace: entry.namespace.toLocaleLowerCase('en-US'),
            name: entry.name,
          })}/releases`;
          const name = entry.title ?? entry.name;
          return (
            <TableRow key={entry.entityRef} data-testid="portfolio-row">
              <TableCell className={classes.entity}>
                <Link
                  to={releasesTab}
                  aria-label={t('portfolio.openReleases', { name })}
                >
                  {name}
                </Link>
                <Typography
                  variant="caption"
                  color="textSecondary"
                  component="div"
                >
                  {[ownerName(entry.owner), entry.system, entry.lifecycle]
                    .filter(Boolean)
                    .join(' · ')}
                </Typography>
              </TableCell>
              <TableCell>
                {entry.problem ? (
                  <Alert severity="warning">
                    {t('portfolio.pipelineProblem', {
                      problem: entry.problem,
                    })}
                  </Alert>
                ) : (
                  <Box className={classes.phases}>
                    {entry.phases.map(phase => (
                      <PhaseSummary key={phase.id} phase={phase} />
                    ))}
                  </Box>
                )}
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
