import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import LinearProgress from '@material-ui/core/LinearProgress';
import MuiLink from '@material-ui/core/Link';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { makeStyles, Theme } from '@material-ui/core/styles';
import AcUnitIcon from '@material-ui/icons/AcUnit';
import HistoryIcon from '@material-ui/icons/History';
import SettingsIcon from '@material-ui/icons/Settings';
import LockIcon from '@material-ui/icons/Lock';
import LockOpenIcon from '@material-ui/icons/LockOpen';
import {
  PipelinePhaseView,
  Promotion,
  RELEASE_PIPELINE_ANNOTATION,
  releasePhaseLockPermission,
  releasePromotionCreatePermission,
  toPhaseResourceRef,
} from '@release-manager/backstage-plugin-release-common';
import { ReactNode, useCallback, useEffect, useState } from 'react';
import { releaseApiRef } from '../../api';
import { isReleaseAvailable } from '../../conditions';
import { errorMessage } from '../../errors';
import { DecisionInboxProvider } from '../../hooks/DecisionInbox';
import { usePipeline } from '../../hooks/usePipeline';
import { CommentDialog } from '../CommentDialog';
import { GatedButton } from '../GatedButton';
import { HistoryCard } from '../HistoryCard';
import { PhaseDetailDrawer } from '../PhaseDetail';
import { Person } from '../Person';
import {
  failureReason,
  PipelineDrawing,
  phaseActionBlocker,
} from '../PipelineDrawing';
import { RetryButton } from '../RetryButton';
import { PromotionActions } from '../PromotionActions';
import { PromotionDetailDialog } from '../PromotionDetailDialog';
import { DeploymentWindowStatus } from '../DeploymentWindowStatus';
import { RelativeTime } from '../RelativeTime';
import { RollbackDialog } from '../RollbackDialog';
import { promotionStatusLabel, ReleaseStatusChip } from '../ReleaseStatusChip';

const useStyles = makeStyles((theme: Theme) => ({
  pipeline: {
    display: 'grid',
    // Compact cards side by side; they wrap on narrow screens.
    gridTemplateColumns: 'repeat(auto-fill, minmax(260px, 1fr))',
    alignItems: 'stretch',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
  phase: {
    minWidth: 0,
    display: 'flex',
    flexDirection: 'column',
  },
  version: {
    fontFamily: 'monospace',
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
  },
  chip: {
    maxWidth: '100%',
  },
  failure: {
    borderLeft: `3px solid ${theme.palette.error.main}`,
    paddingLeft: theme.spacing(1),
    color: theme.palette.error.dark,
  },
  section: {
    marginBottom: theme.spacing(1.5),
  },
  badges: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    gap: theme.spacing(0.5),
    marginBottom: theme.spacing(1.5),
  },
  pendingList: {
    listStyle: 'none',
    margin: 0,
    padding: 0,
    '& > li': {
      padding: theme.spacing(1, 0),
      borderTop: `1px solid ${theme.palette.divider}`,
    },
  },
  text: {
    whiteSpace: 'pre-wrap',
    overflowWrap: 'break-word',
  },
  actions: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    marginTop: 'auto',
    paddingTop: theme.spacing(1),
    '& button': { whiteSpace: 'nowrap' },
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

/** What runs now: the queued or deploying promotion with its progress. */
function ActivePromotion(props: {
  promotion: Promotion;
  phase: PipelinePhaseView;
  onSelect: (id: string) => void;
  onChanged: () => void;
}) {
  const { promotion, phase, onSelect, onChanged } = props;
  const classes = useStyles();
  const startedAt = promotion.startedAt ?? promotion.updatedAt;
  return (
    <div aria-label={`Active promotion in ${phase.title}`} role="group">
      <Typography variant="body2" component="div">
        <MuiLink
          component="button"
          variant="body2"
          onClick={() => onSelect(promotion.id)}
        >
          {promotion.version}
        </MuiLink>{' '}
        <ReleaseStatusChip status={promotion.status} />
      </Typography>
      {promotion.status === 'deploying' && (
        <Box my={0.5}>
          <LinearProgress aria-label={`Deploying ${promotion.version}`} />
        </Box>
      )}
      {promotion.progressMessage && (
        <Typography
          variant="body2"
          color="textSecondary"
          className={classes.text}
        >
          {promotion.progressMessage}
        </Typography>
      )}
      <Typography variant="body2" color="textSecondary">
        {promotion.status === 'deploying' ? 'Started' : 'Queued'}{' '}
        <RelativeTime value={startedAt} />, requested by{' '}
        <Person entityRef={promotion.requestedBy} />
      </Typography>
      {promotion.externalUrl && (
        <Link to={promotion.externalUrl}>View deployment run</Link>
      )}
      <Box mt={1}>
        <PromotionActions
          promotion={promotion}
          phaseTitle={phase.title}
          allowSelfApproval={phase.gates.allowSelfApproval}
          onChanged={onChanged}
          actions={['cancel']}
        />
      </Box>
    </div>
  );
}

function PendingPromotions(props: {
  phase: PipelinePhaseView;
  onSelect: (id: string) => void;
  onChanged: () => void;
}) {
  const { phase, onSelect, onChanged } = props;
  const classes = useStyles();
  return (
    <ul
      className={classes.pendingList}
      aria-label={`Waiting for approval in ${phase.title}`}
    >
      {phase.pending.map(promotion => (
        <li key={promotion.id}>
          <Typography variant="body2">
            <MuiLink
              component="button"
              variant="body2"
              onClick={() => onSelect(promotion.id)}
            >
              {promotion.version}
            </MuiLink>{' '}
            requested by <Person entityRef={promotion.requestedBy} />{' '}
            <RelativeTime value={promotion.requestedAt} />
          </Typography>
          {promotion.comment && (
            <Typography
              variant="body2"
              color="textSecondary"
              className={classes.text}
            >
              “{promotion.comment}”
            </Typography>
          )}
          <Box mt={0.5}>
            <PromotionActions
              promotion={promotion}
              phaseTitle={phase.title}
              allowSelfApproval={phase.gates.allowSelfApproval}
              onChanged={onChanged}
            />
          </Box>
        </li>
      ))}
    </ul>
  );
}

function PhaseCard(props: {
  entityRef: string;
  phase: PipelinePhaseView;
  onSelectPromotion: (id: string) => void;
  onRollback: (phase: PipelinePhaseView) => void;
  onOpenDetail: (phase: PipelinePhaseView) => void;
  onChanged: () => void;
}) {
  const {
    entityRef,
    phase,
    onSelectPromotion,
    onRollback,
    onOpenDetail,
    onChanged,
  } = props;
  const classes = useStyles();
  const api = useApi(releaseApiRef);
  const { current, active, pending, lastOutcome, lock, freeze } = phase;
  const resourceRef = toPhaseResourceRef(entityRef, phase.id);
  const lockPermission = usePermission({
    permission: releasePhaseLockPermission,
    resourceRef,
  });
  const promotePermission = usePermission({
    permission: releasePromotionCreatePermission,
    resourceRef,
  });
  const [dialog, setDialog] = useState<'lock' | 'unlock'>();

  let lockBlocker = phaseActionBlocker(
    phase,
    'lock',
    `You may not lock or unlock ${phase.title}`,
  );
  if (lockBlocker) {
    // The server said no.
  } else if (lockPermission.loading) {
    lockBlocker = 'Checking whether you may lock this phase…';
  } else if (!lockPermission.allowed) {
    lockBlocker = `You may not lock or unlock ${phase.title}`;
  }
  let rollbackBlocker = phaseActionBlocker(
    phase,
    'rollback',
    `You may not roll back ${phase.title}`,
  );
  if (rollbackBlocker) {
    // The server said no.
  } else if (promotePermission.loading) {
    rollbackBlocker = 'Checking whether you may roll back this phase…';
  } else if (!promotePermission.allowed) {
    rollbackBlocker = `You may not roll back ${phase.title}`;
  } else if (!current) {
    rollbackBlocker = `Nothing runs in ${phase.title} yet, so there is nothing to roll back`;
  }

  const pendingText =
    pending.length === 1
      ? '1 pending approval'
      : `${pending.length} pending approvals`;
  const failed =
    !active && lastOutcome?.status === 'failed' ? lastOutcome : null;
  const failedBecause = failed ? failureReason(failed) : undefined;
  const lastAttemptFailed =
    lastOutcome && lastOutcome.status !== 'succeeded' && current;

  return (
    <InfoCard title={phase.title} variant="gridItem">
      {(lock || freeze) && (
        <div className={classes.badges}>
          {lock && (
            <>
              <Chip
                size="small"
                color="secondary"
                icon={<LockIcon />}
                label={`Locked: ${lock.reason}`}
                className={classes.chip}
              />
              <Typography variant="caption" color="textSecondary">
                Locked by <Person entityRef={lock.lockedBy} />{' '}
                <RelativeTime value={lock.lockedAt} />
              </Typography>
            </>
          )}
          {freeze && (
            <>
              <Chip
                size="small"
                color="primary"
                icon={<AcUnitIcon />}
                label={`Frozen${freeze.reason ? `: ${freeze.reason}` : ''}`}
                className={classes.chip}
              />
              <Typography variant="caption" color="textSecondary">
                Until {new Date(freeze.endsAt).toLocaleString()} (
                <RelativeTime value={freeze.endsAt} />)
              </Typography>
            </>
          )}
        </div>
      )}

      <Section label="Current version">
        {current ? (
          <>
            <Typography variant="h6" component="p" className={classes.version}>
              {current.version}
            </Typography>
            <Typography variant="body2" color="textSecondary">
              Deployed <RelativeTime value={current.deployedAt} /> by{' '}
              <Person entityRef={current.deployedBy} />
            </Typography>
          </>
        ) : (
          <Typography variant="body2" color="textSecondary">
            Nothing deployed yet
          </Typography>
        )}
      </Section>

      <Section label="Status">
        {active && (
          <ActivePromotion
            promotion={active}
            phase={phase}
            onSelect={onSelectPromotion}
            onChanged={onChanged}
          />
        )}
        {failed && (
          <div
            role="group"
            aria-label={`Failure in ${phase.title}`}
            className={classes.failure}
          >
            <Typography variant="body2">
              <strong>
                Last: Failed{' '}
                <MuiLink
                  component="button"
                  variant="body2"
                  onClick={() => onSelectPromotion(failed.id)}
                >
                  {failed.version}
                </MuiLink>
              </strong>
              {' · '}
              <RelativeTime value={failed.finishedAt ?? failed.updatedAt} />
            </Typography>
            <Typography variant="body2" className={classes.text}>
              {failedBecause ?? 'The provider gave no reason.'}
            </Typography>
            {!pending.some(p => p.version === failed.version) && (
              <Box mt={1}>
                <RetryButton
                  entityRef={entityRef}
                  phase={phase}
                  version={failed.version}
                  onRetried={promotion => {
                    onChanged();
                    onSelectPromotion(promotion.id);
                  }}
                />
              </Box>
            )}
          </div>
        )}
        {!active && !failed && lastOutcome && (
          <Typography variant="body2">
            Last: {promotionStatusLabel(lastOutcome.status)}{' '}
            {lastOutcome.version}
            {' · '}
            <RelativeTime
              value={lastOutcome.finishedAt ?? lastOutcome.updatedAt}
            />
          </Typography>
        )}
        {!active && lastAttemptFailed && current && (
          <Typography variant="body2" color="textSecondary">
            Last success: {current.version} ·{' '}
            <RelativeTime value={current.deployedAt} />
          </Typography>
        )}
        {!active && !lastOutcome && (
          <Typography variant="body2" color="textSecondary">
            Idle
          </Typography>
        )}
      </Section>

      {pending.length > 0 && (
        <Section label="Waiting for approval">
          <Typography variant="body2">
            <strong>{pendingText}</strong>
          </Typography>
          <PendingPromotions
            phase={phase}
            onSelect={onSelectPromotion}
            onChanged={onChanged}
          />
        </Section>
      )}

      {phase.deploymentWindows?.restricted && (
        <Section label="Deployment window">
          <DeploymentWindowStatus phase={phase} />
        </Section>
      )}

      <div className={classes.actions}>
        <GatedButton
          size="small"
          variant="outlined"
          startIcon={lock ? <LockOpenIcon /> : <LockIcon />}
          aria-label={`${lock ? 'Unlock' : 'Lock'} ${phase.title}`}
          disabledReason={lockBlocker}
          onClick={() => setDialog(lock ? 'unlock' : 'lock')}
        >
          {lock ? 'Unlock' : 'Lock'}
        </GatedButton>
        <GatedButton
          size="small"
          variant="outlined"
          startIcon={<HistoryIcon />}
          aria-label={`Roll back ${phase.title}`}
          disabledReason={rollbackBlocker}
          onClick={() => onRollback(phase)}
        >
          Roll back
        </GatedButton>
        <Button
          size="small"
          startIcon={<SettingsIcon />}
          aria-label={`Configuration and gates of ${phase.title}`}
          onClick={() => onOpenDetail(phase)}
        >
          Configuration
        </Button>
      </div>

      <CommentDialog
        open={dialog === 'lock'}
        title={`Lock ${phase.title}`}
        description="While the phase is locked nothing is deployed to it; promotions wait."
        label="Reason"
        required
        helperText="Required: shown to everyone who tries to deploy"
        confirmLabel="Lock"
        onClose={() => setDialog(undefined)}
        onConfirm={async reason => {
          await api.lockPhase(entityRef, phase.id, reason);
          setDialog(undefined);
          onChanged();
        }}
      />
      <CommentDialog
        open={dialog === 'unlock'}
        title={`Unlock ${phase.title}`}
        description={
          lock ? (
            <>
              Locked by <Person entityRef={lock.lockedBy} />: “{lock.reason}”.
              Approved promotions may deploy once the phase is unlocked.
            </>
          ) : undefined
        }
        confirmLabel="Unlock"
        onClose={() => setDialog(undefined)}
        onConfirm={async () => {
          await api.unlockPhase(entityRef, phase.id);
          setDialog(undefined);
          onChanged();
        }}
      />
    </InfoCard>
  );
}

function Phases(props: { entityRef: string }) {
  const { entityRef } = props;
  const classes = useStyles();
  const { value, loading, error, retry } = usePipeline(entityRef);
  const [selectedPromotion, setSelectedPromotion] = useState<string>();
  const [rollbackPhase, setRollbackPhase] = useState<string>();
  const [detailPhase, setDetailPhase] = useState<string>();
  const [changes, setChanges] = useState(0);
  const changed = useCallback(() => {
    retry();
    setChanges(n => n + 1);
  }, [retry]);
  // Every reload of the pipeline (a signal, polling) reloads the history too.
  useEffect(() => {
    if (value) setChanges(n => n + 1);
  }, [value]);

  if (!value && loading) {
    return <Progress />;
  }
  if (error && !value) {
    return <ResponseErrorPanel error={error} />;
  }
  const phases = [...(value?.phases ?? [])].sort((a, b) => a.order - b.order);
  return (
    <>
      {error && (
        <Box mb={2}>
          <Alert severity="warning" role="alert">
            Could not refresh the pipeline ({errorMessage(error)}); showing what
            was last loaded.
          </Alert>
        </Box>
      )}
      <PipelineDrawing
        entityRef={entityRef}
        phases={phases}
        onOpenPhase={p => setDetailPhase(p.id)}
        onChanged={changed}
      />
      <div
        className={classes.pipeline}
        role="list"
        aria-label="Pipeline phases"
      >
        {phases.map(phase => (
          <section
            key={phase.id}
            className={classes.phase}
            role="listitem"
            aria-label={phase.title}
          >
            <PhaseCard
              entityRef={entityRef}
              phase={phase}
              onSelectPromotion={setSelectedPromotion}
              onRollback={p => setRollbackPhase(p.id)}
              onOpenDetail={p => setDetailPhase(p.id)}
              onChanged={changed}
            />
          </section>
        ))}
      </div>
      <HistoryCard entityRef={entityRef} phases={phases} refreshKey={changes} />
      <PhaseDetailDrawer
        entityRef={entityRef}
        phase={phases.find(p => p.id === detailPhase)}
        phases={phases}
        onClose={() => setDetailPhase(undefined)}
      />
      <PromotionDetailDialog
        promotionId={selectedPromotion}
        phases={phases}
        onClose={() => setSelectedPromotion(undefined)}
        onChanged={changed}
      />
      <RollbackDialog
        entityRef={entityRef}
        phase={phases.find(p => p.id === rollbackPhase)}
        onClose={() => setRollbackPhase(undefined)}
        onRequested={promotion => {
          setRollbackPhase(undefined);
          setSelectedPromotion(promotion.id);
          changed();
        }}
      />
    </>
  );
}

/**
 * The "Phases" entity tab: the pipeline drawing (every phase's version,
 * health, failure with Retry, waiting count and gates), then a compact card
 * per phase with its current version, the running deployment (progress,
 * elapsed time, link to the run), the last failure with its reason and the
 * last success, the promotions waiting for approval with approve and reject,
 * lock and freeze badges, lock / unlock, rollback and the phase's detail
 * drawer (gates and configuration); below, the entity's history. It stays
 * current through Backstage signals, with polling as the fallback.
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
  return (
    <DecisionInboxProvider>
      <Phases entityRef={stringifyEntityRef(entity)} />
    </DecisionInboxProvider>
  );
}
