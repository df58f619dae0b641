import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles, Theme } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import {
  MapDiff,
  PipelinePhaseView,
} from '@release-manager/backstage-plugin-release-common';
import useAsync from 'react-use/esm/useAsync';
import { releaseApiRef } from '../../api';
import { errorMessage } from '../../errors';

const useStyles = makeStyles((theme: Theme) => ({
  lines: {
    margin: 0,
    paddingLeft: theme.spacing(2),
    fontFamily: 'monospace',
    overflowWrap: 'anywhere',
  },
}));

/**
 * The phase a release comes from when promoted to `targetId`: the phase the
 * target requires, or else the one before it in pipeline order; undefined
 * for the first phase.
 */
export function sourcePhaseOf(
  phases: PipelinePhaseView[],
  targetId: string,
): PipelinePhaseView | undefined {
  const sorted = [...phases].sort((a, b) => a.order - b.order);
  const index = sorted.findIndex(p => p.id === targetId);
  if (index < 0) return undefined;
  const requires = sorted[index].gates.requires;
  if (requires) {
    return sorted.find(p => p.id === requires);
  }
  return index > 0 ? sorted[index - 1] : undefined;
}

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The lines of one map diff; secrets without their fingerprints. */
function diffLines(
  diff: MapDiff<unknown>,
  secret: boolean,
  targetTitle: string,
  sourceTitle: string,
): string[] {
  return [
    ...diff.added.map(c =>
      secret
        ? `Only in ${targetTitle}: ${c.key}`
        : `Only in ${targetTitle}: ${c.key} = ${show(c.to)}`,
    ),
    ...diff.removed.map(c =>
      secret
        ? `Only in ${sourceTitle}: ${c.key}`
        : `Only in ${sourceTitle}: ${c.key} = ${show(c.from)}`,
    ),
    ...diff.changed.map(c =>
      secret
        ? `Changed: ${c.key}`
        : `Changed: ${c.key}: ${show(c.from)} → ${show(c.to)}`,
    ),
  ];
}

/** Props of {@link PhaseDiffView}. */
export interface PhaseDiffViewProps {
  entityRef: string;
  /** The phase the release comes from. */
  from: { id: string; title: string };
  /** The phase it is promoted to. */
  to: { id: string; title: string };
}

/**
 * What changes if the target phase gets what runs in the source phase: the
 * version, the releases in between, and how the target's variables,
 * database, sizing and secrets differ from the source's (secrets by
 * fingerprint, so only "changed", never a value).
 */
export function PhaseDiffView(props: PhaseDiffViewProps) {
  const { entityRef, from, to } = props;
  const classes = useStyles();
  const api = useApi(releaseApiRef);
  const { value, loading, error } = useAsync(
    () => api.getPhaseDiff(entityRef, from.id, to.id),
    [api, entityRef, from.id, to.id],
  );
  const label = `What changes if promoted from ${from.title} to ${to.title}`;

  let body;
  if (loading) {
    body = (
      <Typography variant="body2" color="textSecondary">
        Comparing {from.title} with {to.title}…
      </Typography>
    );
  } else if (error || !value) {
    body = (
      <Alert severity="error" role="alert">
        Could not compare {from.title} with {to.title}: {errorMessage(error)}
      </Alert>
    );
  } else {
    const sections: Array<[string, MapDiff<unknown>, boolean]> = [
      ['Variables', value.variables, false],
      ['Database', value.database, false],
      ['Sizing', value.sizing, false],
      ['Secrets', value.secrets, true],
    ];
    const changed = sections
      .map(
        ([name, diff, secret]) =>
          [name, diffLines(diff, secret, to.title, from.title)] as const,
      )
      .filter(([, lines]) => lines.length > 0);
    body = (
      <>
        <Typography variant="body2">
          Version in {to.title}: {value.to.version ?? 'nothing deployed'} →{' '}
          {value.from.version ?? 'nothing deployed'}
        </Typography>
        <Typography variant="body2">
          Releases in between:{' '}
          {value.releases.length ? value.releases.join(', ') : 'none'}
        </Typography>
        <Typography variant="body2" color="textSecondary">
          Configuration of {to.title} (version {value.to.configVersion})
          compared with {from.title} (version {value.from.configVersion})
          {changed.length === 0 ? ': the same' : ':'}
        </Typography>
        {changed.map(([name, lines]) => (
          <Box key={name} mt={0.5}>
            <Typography variant="subtitle2" component="h4">
              {name}
            </Typography>
            <ul className={classes.lines} aria-label={`${name} differences`}>
              {lines.map(line => (
                <li key={line}>
                  <Typography variant="body2" component="span">
                    {line}
                  </Typography>
                </li>
              ))}
            </ul>
          </Box>
        ))}
      </>
    );
  }
  return (
    <Box role="region" aria-label={label} my={1}>
      <Typography variant="subtitle1" component="h3">
        What changes if promoted
      </Typography>
      {body}
    </Box>
  );
}
