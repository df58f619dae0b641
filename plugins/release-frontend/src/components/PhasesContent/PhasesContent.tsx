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
import Chip from '@material-ui/core/Chip';
import LinearProgress from '@material-ui/core/LinearProgress';
import MuiLink from '@material-ui/core/Link';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { makeStyles, Theme } from '@material-ui/core/styles';
import AcUnitIcon from '@material-ui/icons/AcUnit';
import ArrowForwardIcon from '@material-ui/icons/ArrowForward';
import HistoryIcon from '@material-ui/icons/History';
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
import { Fragment, ReactNode, useCallback, useState } from 'react';
import { releaseApiRef } from '../../api';
import { isReleaseAvailable } from '../../conditions';
import { errorMessage } from '../../errors';
import { DecisionInboxProvider } from '../../hooks/DecisionInbox';
import { usePipeline } from '../../hooks/usePipeline';
import { CommentDialog } from '../CommentDialog';
import { GatedButton } from '../GatedButton';
import { HistoryCard } from '../HistoryCard';
import { PhaseConfigSection } from '../PhaseConfig';
import { PromotionActions } from '../PromotionActions';
import { PromotionDetailDialog } from '../PromotionDetailDialog';
import { DeploymentWindowStatus } from '../DeploymentWindowStatus';
import { RelativeTime } from '../RelativeTime';
import { RollbackDialog } from '../RollbackDialog';
import { promotionStatusLabel, ReleaseStatusChip } from '../ReleaseStatusChip';

const useStyles = makeStyles((theme: Theme) => ({
  pipeline: {
    display: 'flex',
    alignItems: 'stretch',
    gap: theme.spacing(1),
    overflowX: 'auto',
    paddingBottom: theme.spacing(1),
    marginBottom: theme.spacing(2),
  },
  phase: {
    flex: '1 0 280px',
    maxWidth: 380,
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
    flexDirection: 'column',
    alignItems: 'flex-start',
    gap: theme.spacing(0.5),
    marginBottom: theme.spacing(1.5),
  },
  gates: {
    margin: 0,
    paddingLeft: theme.spacing(2),
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
    overflowWrap: 'anywhere',
  },
  actions: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    marginTop: 'auto',
    paddingTop: theme.spacing(1),
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
        <RelativeTime value={startedAt} />, requested by {promotion.requestedBy}
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
            requested by {promotion.requestedBy}{' '}
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
  titles: Map<string, string>;
  onSelectPromotion: (id: string) => void;
  onRollback: (phase: PipelinePhaseView) => void;
  onChanged: () => void;
}) {
  const { entityRef, phase, titles, onSelectPromotion, onRollback, onChanged } =
    props;
  const classes = useStyles();
  const api = useApi(releaseApiRef);
  const { current, active, pending, lastOutcome, lock, freeze, gates } = phase;
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

  let lockBlocker: string | undefined;
  if (lockPermission.loading) {
    lockBlocker = 'Checking whether you may lock this phase…';
  } else if (!lockPermission.allowed) {
    lockBlocker = `You may not lock or unlock ${phase.title}`;
  }
  let rollbackBlocker: string | undefined;
  if (promotePermission.loading) {
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

  return (
    <InfoCard
      title={phase.title}
      subheader={`Provider: ${phase.providerType}`}
      variant="gridItem"
    >
      {(lock || freeze) && (
        <div className={classes.badges}>
          {lock && (
            <>
              <Chip
                size="small"
                color="secondary"
                icon={<LockIcon />}
                label={`Locked: ${lock.reason}`}
              />
              <Typography variant="caption" color="textSecondary">
                Locked by {lock.lockedBy} <RelativeTime value={lock.lockedAt} />
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
        {active && (
          <ActivePromotion
            promotion={active}
            phase={phase}
            onSelect={onSelectPromotion}
            onChanged={onChanged}
          />
        )}
        {!active && lastOutcome && (
          <Typography variant="body2">
            Last: {promotionStatusLabel(lastOutcome.status)}{' '}
            {lastOutcome.version}
            {' · '}
            <RelativeTime
              value={lastOutcome.finishedAt ?? lastOutcome.updatedAt}
            />
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
          {phase.deploymentWindows?.restricted && (
            <li>
              <DeploymentWindowStatus phase={phase} />
            </li>
          )}
        </ul>
      </Section>

      <Section label="Configuration">
        <PhaseConfigSection
          entityRef={entityRef}
          phaseId={phase.id}
          phaseTitle={phase.title}
        />
      </Section>

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
          lock
            ? `Locked by ${lock.lockedBy}: “${lock.reason}”. Approved promotions may deploy once the phase is unlocked.`
            : undefined
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
  const { value, loading, error, retry } = usePipeline(entityRef, {
    pollWhileActive: true,
  });
  const [selectedPromotion, setSelectedPromotion] = useState<string>();
  const [rollbackPhase, setRollbackPhase] = useState<string>();
  const [changes, setChanges] = useState(0);
  const changed = useCallback(() => {
    retry();
    setChanges(n => n + 1);
  }, [retry]);

  if (!value && loading) {
    return <Progress />;
  }
  if (error && !value) {
    return <ResponseErrorPanel error={error} />;
  }
  const phases = [...(value?.phases ?? [])].sort((a, b) => a.order - b.order);
  const titles = new Map(phases.map(p => [p.id, p.title]));
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
      <div
        className={classes.pipeline}
        role="list"
        aria-label="Pipeline phases"
      >
        {phases.map((phase, i) => (
          <Fragment key={phase.id}>
            {i > 0 && (
              <ArrowForwardIcon className={classes.arrow} aria-hidden />
            )}
            <section
              className={classes.phase}
              role="listitem"
              aria-label={phase.title}
            >
              <PhaseCard
                entityRef={entityRef}
                phase={phase}
                titles={titles}
                onSelectPromotion={setSelectedPromotion}
                onRollback={p => setRollbackPhase(p.id)}
                onChanged={changed}
              />
            </section>
          </Fragment>
        ))}
      </div>
      <HistoryCard entityRef={entityRef} phases={phases} refreshKey={changes} />
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
 * The "Phases" entity tab: the pipeline left to right, a card per phase with
 * its current version, the running deployment (progress, elapsed time, link
 * to the run; reloaded every 5 seconds while one runs), the promotions
 * waiting for approval with approve and reject, lock and freeze badges, lock
 * / unlock and rollback, and the gate summary; below, the entity's history.
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
