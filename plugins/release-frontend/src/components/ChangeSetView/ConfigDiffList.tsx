import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles, Theme } from '@material-ui/core/styles';
import {
  ConfigurationDiff,
  MapDiff,
} from '@release-manager/backstage-plugin-release-common';

const useStyles = makeStyles((theme: Theme) => ({
  lines: {
    margin: 0,
    paddingLeft: theme.spacing(2),
    fontFamily: 'monospace',
    overflowWrap: 'anywhere',
  },
}));

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function short(fingerprint: unknown): string {
  return String(fingerprint).slice(0, 8);
}

/** The lines of one map diff; secrets by name and short fingerprint only. */
export function diffLines(diff: MapDiff<unknown>, secret: boolean): string[] {
  return [
    ...diff.added.map(c =>
      secret
        ? `+ ${c.key} (new, fingerprint ${short(c.to)})`
        : `+ ${c.key} = ${show(c.to)}`,
    ),
    ...diff.removed.map(c =>
      secret ? `− ${c.key} (removed)` : `− ${c.key} (was ${show(c.from)})`,
    ),
    ...diff.changed.map(c =>
      secret
        ? `~ ${c.key} changed (fingerprint ${short(c.from)} → ${short(c.to)})`
        : `~ ${c.key}: ${show(c.from)} → ${show(c.to)}`,
    ),
  ];
}

/**
 * A configuration diff as lists per section (variables, database, sizing,
 * secrets), or `none` when nothing differs. Secret values are never known
 * here: only names and fingerprints.
 */
export function ConfigDiffList(props: {
  /** `hidden`: the caller may not read a compared phase's configuration. */
  diff: ConfigurationDiff & { hidden?: boolean };
  /** Label prefix of each list, for screen readers. */
  label: string;
  none: string;
  /** Shown instead of the lists when the diff is hidden. */
  hidden?: string;
}) {
  const { diff, label, none } = props;
  const classes = useStyles();
  if (diff.hidden) {
    return (
      <Typography variant="body2" color="textSecondary">
        {props.hidden ?? 'Not shown: you may not read this configuration.'}
      </Typography>
    );
  }
  const sections: Array<[string, MapDiff<unknown>, boolean]> = [
    ['Variables', diff.variables, false],
    ['Database', diff.database, false],
    ['Sizing', diff.sizing, false],
    ['Secrets', diff.secrets, true],
  ];
  const changed = sections
    .map(([name, d, secret]) => [name, diffLines(d, secret)] as const)
    .filter(([, lines]) => lines.length > 0);
  if (changed.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        {none}
      </Typography>
    );
  }
  return (
    <>
      {changed.map(([name, lines]) => (
        <Box key={name} mt={0.5}>
          <Typography variant="subtitle2" component="h5">
            {name}
          </Typography>
          <ul className={classes.lines} aria-label={`${label}: ${name}`}>
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
