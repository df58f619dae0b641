import { Link, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles, Theme } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import { ChangeSet } from '@release-manager/backstage-plugin-release-common';
import { ReactNode } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { releaseApiRef } from '../../api';
import { errorMessage } from '../../errors';
import { Person } from '../Person';
import { RelativeTime } from '../RelativeTime';
import { ConfigDiffList } from './ConfigDiffList';
import { ApprovalsGiven, GatesNow } from './GatesNow';

const useStyles = makeStyles((theme: Theme) => ({
  section: { marginTop: theme.spacing(1.5) },
  notes: { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' },
  list: { margin: 0, paddingLeft: theme.spacing(2) },
  sha: { fontFamily: 'monospace' },
}));

const DIRECTION: Record<ChangeSet['direction'], string> = {
  upgrade: 'upgrade',
  rollback: 'rollback',
  first_deploy: 'first deployment',
  same: 'the same release again',
};

function Section(props: { title: string; children: ReactNode }) {
  const classes = useStyles();
  return (
    <section className={classes.section} aria-label={props.title}>
      <Typography variant="subtitle2" component="h4">
        {props.title}
      </Typography>
      {props.children}
    </section>
  );
}

function Commits(props: { changes: ChangeSet }) {
  const classes = useStyles();
  const { commits } = props.changes;
  return (
    <Section title="Commits">
      {commits.compareUrl && (
        <Typography variant="body2">
          <Link to={commits.compareUrl}>
            Compare {commits.fromCommit?.slice(0, 7)}…
            {commits.toCommit?.slice(0, 7)} on {commits.host}
          </Link>
          {commits.total !== undefined && ` (${commits.total} commits)`}
        </Typography>
      )}
      {commits.list && commits.list.length > 0 && (
        <ul className={classes.list} aria-label="Commit list">
          {commits.list.map(c => (
            <li key={c.sha}>
              <Typography variant="body2" component="span">
                <span className={classes.sha}>{c.sha.slice(0, 7)}</span>{' '}
                {c.message}
                {c.author && ` — ${c.author}`}
              </Typography>
            </li>
          ))}
        </ul>
      )}
      {commits.unavailable && (
        <Typography variant="body2" color="textSecondary">
          {commits.unavailable}
        </Typography>
      )}
    </Section>
  );
}

/**
 * A change set as an approver reads it: the version move, the releases in
 * between with their notes, the commits, the configuration and secret
 * changes from what runs in the phase to what deploys, the gates as they
 * stand now, and — separately — the comparison with the phase where the
 * release was tested.
 */
export function ChangeSetDetails(props: { changes: ChangeSet }) {
  const { changes } = props;
  const classes = useStyles();
  const { from, to, phase } = changes;
  // A promotion that started deploying or ended shows the change it made
  // (from what ran before it) and who approved it, not today's gates.
  const settled =
    changes.promotion !== undefined &&
    !['pending_approval', 'approved', 'queued'].includes(
      changes.promotion.status,
    );
  let ran = `Nothing runs in ${phase.title} yet`;
  if (settled) {
    ran = from.version
      ? `${from.version} ran in ${phase.title} before this promotion`
      : `Nothing ran in ${phase.title} before this promotion`;
  } else if (from.version) {
    ran = `${from.version} runs in ${phase.title} now`;
  }
  return (
    <Box role="region" aria-label={`What changes in ${phase.title}`}>
      <Typography variant="subtitle1" component="h3">
        What changes in {phase.title}
      </Typography>
      <Typography variant="body2" data-testid="change-set-summary">
        {changes.summary.text}
      </Typography>
      <Typography variant="body1" data-testid="change-set-versions">
        <strong>{from.version ?? 'nothing'}</strong> →{' '}
        <strong>{to.version}</strong> ({DIRECTION[changes.direction]})
      </Typography>
      <Typography variant="caption" color="textSecondary" display="block">
        {ran}
        {from.deployedAt && (
          <>
            , deployed <RelativeTime value={from.deployedAt} />
            {from.deployedBy && (
              <>
                {' '}
                (requested by <Person entityRef={from.deployedBy} />)
              </>
            )}
          </>
        )}
      </Typography>

      <Section
        title={
          changes.direction === 'rollback'
            ? 'Releases undone'
            : 'Releases in this change'
        }
      >
        <ul className={classes.list} aria-label="Releases">
          {changes.releases.map(r => (
            <li key={r.version}>
              <Typography variant="body2" component="span">
                <strong>{r.version}</strong>{' '}
                <RelativeTime value={r.createdAt} />
                {r.notes && (
                  <span className={classes.notes}>
                    {' — '}
                    {r.notes}
                  </span>
                )}
              </Typography>
            </li>
          ))}
        </ul>
      </Section>

      <Commits changes={changes} />

      <Section title="Configuration and secrets">
        <Typography variant="caption" color="textSecondary" display="block">
          {from.version
            ? `From the configuration ${from.version} was deployed with${
                from.configVersion !== null
                  ? ` (version ${from.configVersion})`
                  : ''
              }`
            : 'Nothing is deployed yet: all of the configuration is new'}
          {` to the one this promotion deploys${
            to.configVersion !== null ? ` (version ${to.configVersion})` : ''
          }`}
        </Typography>
        <ConfigDiffList
          diff={changes.config}
          label={`Changes in ${phase.title}`}
          none="No configuration or secret changes."
          hidden={`Not shown: you may not read the configuration of ${
            phase.title
          } (${changes.summary.configChanges} configuration and ${
            changes.summary.secretChanges
          } secret ${
            changes.summary.configChanges + changes.summary.secretChanges === 1
              ? 'change'
              : 'changes'
          }).`}
        />
      </Section>

      {settled ? (
        <Section title="Approvals">
          <Typography variant="body2" data-testid="change-set-approvals">
            <ApprovalsGiven changes={changes} />
          </Typography>
        </Section>
      ) : (
        <Section title="Gates now">
          <GatesNow changes={changes} />
        </Section>
      )}

      {changes.comparedWithSource && (
        <Section
          title={`Compared with ${changes.comparedWithSource.phase.title}, where it was tested`}
        >
          <Typography variant="caption" color="textSecondary" display="block">
            {changes.comparedWithSource.version
              ? `${changes.comparedWithSource.version} in ${changes.comparedWithSource.phase.title}`
              : `Nothing ran in ${changes.comparedWithSource.phase.title}`}{' '}
            against what deploys to {phase.title}. Not a change to {phase.title}
            : how the two phases differ.
          </Typography>
          <ConfigDiffList
            diff={changes.comparedWithSource.config}
            label={`${changes.comparedWithSource.phase.title} compared with ${phase.title}`}
            none="The same configuration and secrets."
            hidden={`Not shown: you may not read the configuration of ${changes.comparedWithSource.phase.title} and ${phase.title}.`}
          />
        </Section>
      )}
    </Box>
  );
}

/** Props of {@link ChangeSetView}: a promotion, or a preview of one. */
export type ChangeSetViewProps =
  | { promotionId: string }
  | { entityRef: string; version: string; phase: string };

/**
 * Loads and shows the change set of a promotion (`promotionId`) or of one not
 * yet requested (`entityRef`, `version`, `phase`). The one view of what an
 * approver approves: used by the Promote dialog, the approvals inbox and the
 * promotion's page.
 */
export function ChangeSetView(props: ChangeSetViewProps) {
  const api = useApi(releaseApiRef);
  const key =
    'promotionId' in props
      ? props.promotionId
      : `${props.entityRef}|${props.version}|${props.phase}`;
  const { value, loading, error } = useAsync(
    () =>
      'promotionId' in props
        ? api.getPromotionChanges(props.promotionId)
        : api.previewChanges(props.entityRef, props.version, props.phase),
    // `key` stands for the props.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, key],
  );
  if (loading) return <Progress />;
  if (error || !value) {
    return (
      <Alert severity="error" role="alert">
        Could not load what changes: {errorMessage(error)}
      </Alert>
    );
  }
  return <ChangeSetDetails changes={value} />;
}
