import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { makeStyles, Theme } from '@material-ui/core/styles';
import AcUnitIcon from '@material-ui/icons/AcUnit';
import ArrowForwardIcon from '@material-ui/icons/ArrowForward';
import LockIcon from '@material-ui/icons/Lock';
import {
  PipelinePhaseView,
  RELEASE_PIPELINE_ANNOTATION,
} from '@release-manager/backstage-plugin-release-common';
import { Fragment, ReactNode } from 'react';
import { isReleaseAvailable } from '../../conditions';
import { usePipeline } from '../../hooks/usePipeline';
import { RelativeTime } from '../RelativeTime';
import { promotionStatusLabel } from '../ReleaseStatusChip';

const useStyles = makeStyles((theme: Theme) => ({
  pipeline: {
    display: 'flex',
    alignItems: 'stretch',
    gap: theme.spacing(1),
    overflowX: 'auto',
    paddingBottom: theme.spacing(1),
  },
  phase: {
    flex: '1 0 260px',
    maxWidth: 360,
    display: 'flex',
    flexDirection: 'column',
  },
  arrow: {
    alignSelf: 'center',
    color: theme.palette.text.secondary,
  },
  section: {
    marginBottom: theme.spacing(1.5),
  },
  badges: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5),
    marginBottom: theme.spacing(1.5),
  },
  gates: {
    margin: 0,
    paddingLeft: theme.spacing(2),
  },
}));

function Section(props: { label: string; children: ReactNode }) {
  const classes = useStyles();
  return (
    <div className={classes.section}>
      <Typography variant="overline" component="h3">
        {props.label}
      </Typography>
      {props.children}
    </div>
  );
}

function PhaseStatus(props: { phase: PipelinePhaseView }) {
  const { active, lastOutcome } = props.phase;
  if (active) {
    return (
      <>
        <Typography variant="body2">
          {promotionStatusLabel(active.status)} {active.version}
          {' · '}
          <RelativeTime value={active.updatedAt} />
        </Typography>
        {active.status === 'deploying' && (
          <Box my={0.5}>
            <LinearProgress aria-label={`Deploying ${active.version}`} />
          </Box>
        )}
        {active.progressMessage && (
          <Typography variant="body2" color="textSecondary">
            {active.progressMessage}
          </Typography>
        )}
        {active.externalUrl && (
          <Link to={active.externalUrl}>View deployment run</Link>
        )}
      </>
    );
  }
  if (lastOutcome) {
    return (
      <Typography variant="body2">
        Last: {promotionStatusLabel(lastOutcome.status)} {lastOutcome.version}
        {' · '}
        <RelativeTime value={lastOutcome.finishedAt ?? lastOutcome.updatedAt} />
      </Typography>
    );
  }
  return (
    <Typography variant="body2" color="textSecondary">
      Idle
    </Typography>
  );
}

function PhaseCard(props: {
  phase: PipelinePhaseView;
  titles: Map<string, string>;
}) {
  const { phase, titles } = props;
  const classes = useStyles();
  const { current, pending, lock, freeze, gates } = phase;
  const pendingText =
    pending.length === 1
      ? '1 pending approval'
      : `${pending.length} pending approvals`;

  return (
    <InfoCard title={phase.title} subheader={`Provider: ${phase.providerType}`}>
      {(lock || freeze) && (
        <div className={classes.badges}>
          {lock && (
            <Chip
              size="small"
              color="secondary"
              icon={<LockIcon />}
              label={`Locked: ${lock.reason}`}
              title={`Locked by ${lock.lockedBy} at ${new Date(
                lock.lockedAt,
              ).toLocaleString()}`}
            />
          )}
          {freeze && (
            <Chip
              size="small"
              color="primary"
              icon={<AcUnitIcon />}
              label={`Frozen${freeze.reason ? `: ${freeze.reason}` : ''}`}
              title={`Frozen until ${new Date(freeze.endsAt).toLocaleString()}`}
            />
          )}
        </div>
      )}

      <Section label="Current version">
        {current ? (
          <>
            <Typography variant="h6" component="p">
              {current.version}
            </Typography>
            <Typography variant="body2" color="textSecondary">
              Deployed <RelativeTime value={current.deployedAt} /> by{' '}
              {current.deployedBy}
            </Typography>
          </>
        ) : (
          <Typography variant="body2" color="textSecondary">
            Nothing deployed yet
          </Typography>
        )}
      </Section>

      <Section label="Status">
        <PhaseStatus phase={phase} />
        {pending.length > 0 && (
          <Typography variant="body2">
            <strong>{pendingText}</strong>
          </Typography>
        )}
      </Section>

      <Section label="Gates">
        <ul className={classes.gates}>
          <li>
            <Typography variant="body2">
              Requires:{' '}
              {gates.requires
                ? `succeeded in ${titles.get(gates.requires) ?? gates.requires}`
                : 'nothing (first phase)'}
            </Typography>
          </li>
          <li>
            <Typography variant="body2">
              Approvals required: {gates.approvalsRequired}
              {gates.approvalsRequired > 0 && !gates.allowSelfApproval
                ? ' (not by the requester)'
                : ''}
            </Typography>
          </li>
          <li>
            <Typography variant="body2">
              Auto-promote: {gates.autoPromote ? 'yes' : 'no'}
            </Typography>
          </li>
          {gates.soakTime && (
            <li>
              <Typography variant="body2">
                Soak time: {gates.soakTime}
              </Typography>
            </li>
          )}
          {gates.freezeWindows > 0 && (
            <li>
              <Typography variant="body2">
                Freeze windows: {gates.freezeWindows}
              </Typography>
            </li>
          )}
        </ul>
      </Section>
    </InfoCard>
  );
}

function Phases(props: { entityRef: string }) {
  const classes = useStyles();
  const { value, loading, error } = usePipeline(props.entityRef);
  if (loading) {
    return <Progress />;
  }
  if (error) {
    return <ResponseErrorPanel error={error} />;
  }
  const phases = [...(value?.phases ?? [])].sort((a, b) => a.order - b.order);
  const titles = new Map(phases.map(p => [p.id, p.title]));
  return (
    <div className={classes.pipeline} role="list" aria-label="Pipeline phases">
      {phases.map((phase, i) => (
        <Fragment key={phase.id}>
          {i > 0 && <ArrowForwardIcon className={classes.arrow} aria-hidden />}
          <section
            className={classes.phase}
            role="listitem"
            aria-label={phase.title}
          >
            <PhaseCard phase={phase} titles={titles} />
          </section>
        </Fragment>
      ))}
    </div>
  );
}

/**
 * The "Phases" entity tab: the pipeline left to right, a card per phase with
 * its current version, status, pending approvals, lock and freeze badges and
 * gate summary.
 *
 * @public
 */
export function PhasesContent() {
  const { entity } = useEntity();
  if (!isReleaseAvailable(entity)) {
    return (
      <MissingAnnotationEmptyState annotation={RELEASE_PIPELINE_ANNOTATION} />
    );
  }
  return <Phases entityRef={stringifyEntityRef(entity)} />;
}
