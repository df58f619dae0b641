import { Link, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import AccessTimeIcon from '@material-ui/icons/AccessTime';
import {
  isActiveStatus,
  PipelinePhaseView,
  WAITING_PROMOTION_STATUSES,
} from '@release-manager/backstage-plugin-release-common';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useLiveUpdates } from '../../hooks/useLiveUpdates';
import { Person } from '../Person';
import { Approval, PromotionDetail, releaseApiRef } from '../../api';
import { ChangeSetView } from '../ChangeSetView';
import { PromotionActions } from '../PromotionActions';
import { DetailList } from '../DetailList';
import { RelativeTime } from '../RelativeTime';
import { ReleaseStatusChip } from '../ReleaseStatusChip';
import { GatedButton } from '../GatedButton';
import { phaseActionBlocker } from '../PipelineDrawing';
import { RescheduleDialog } from '../RescheduleDialog';
import { scheduleRule } from '../ScheduledMarker';

const useStyles = makeStyles({
  text: {
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
  },
});

/** Props of {@link PromotionDetailDialog}. */
export interface PromotionDetailDialogProps {
  /** The promotion to show; the dialog is closed while undefined. */
  promotionId?: string;
  /** The pipeline's phases, for titles and gates. */
  phases: PipelinePhaseView[];
  onClose: () => void;
  /** Called after a decision or cancel changed the promotion. */
  onChanged?: (updated: PromotionDetail) => void;
}

function ApprovalTrail(props: { approvals: Approval[] }) {
  const classes = useStyles();
  if (props.approvals.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No decisions yet
      </Typography>
    );
  }
  return (
    <List dense disablePadding aria-label="Approvals">
      {props.approvals.map(a => (
        <ListItem key={`${a.userRef}-${a.decidedAt}`} disableGutters>
          <ListItemText
            primary={
              <>
                <strong>
                  {a.decision === 'approve' ? 'Approved' : 'Rejected'}
                </strong>{' '}
                by <Person entityRef={a.userRef} />{' '}
                <RelativeTime value={a.decidedAt} />
                {!a.valid && (
                  <>
                    {' '}
                    <Chip size="small" label="No longer valid" />{' '}
                    <Typography
                      variant="caption"
                      color="textSecondary"
                      component="span"
                    >
                      (the release artifact or the phase configuration changed
                      after this decision)
                    </Typography>
                  </>
                )}
              </>
            }
            secondary={
              a.comment ? (
                <span className={classes.text}>{a.comment}</span>
              ) : undefined
            }
          />
        </ListItem>
      ))}
    </List>
  );
}

function PromotionDetailView(props: {
  promotion: PromotionDetail;
  phases: PipelinePhaseView[];
  onChanged: (updated: PromotionDetail) => void;
}) {
  const { promotion, phases, onChanged } = props;
  const classes = useStyles();
  const phase = phases.find(p => p.id === promotion.phase);
  const phaseTitle = phase?.title ?? promotion.phase;
  const [rescheduling, setRescheduling] = useState(false);
  const validApprovals = promotion.approvals.filter(
    a => a.valid && a.decision === 'approve',
  ).length;
  return (
    <>
      <DetailList>
        <dt>Status</dt>
        <dd>
          <ReleaseStatusChip
            status={promotion.status}
            updatedAt={promotion.updatedAt}
          />
        </dd>
        <dt>Kind</dt>
        <dd>{promotion.kind === 'rollback' ? 'Rollback' : 'Promotion'}</dd>
        <dt>Version</dt>
        <dd>
          {promotion.version} → {phaseTitle}
        </dd>
        <dt>Artifact</dt>
        <dd>
          <code>{promotion.release.artifact}</code>
        </dd>
        <dt>Requested by</dt>
        <dd>
          <Person entityRef={promotion.requestedBy} />{' '}
          <RelativeTime value={promotion.requestedAt} />
        </dd>
        {promotion.scheduledAt && (
          <>
            <dt>Scheduled</dt>
            <dd data-testid="promotion-scheduled">
              Deploys no earlier than{' '}
              {new Date(promotion.scheduledAt).toLocaleString()} (
              <RelativeTime value={promotion.scheduledAt} />){' '}
              <Typography variant="caption" color="textSecondary">
                {scheduleRule(promotion.scheduledAt, phase)}
              </Typography>
            </dd>
          </>
        )}
        <dt>Comment</dt>
        <dd>
          {promotion.comment ? (
            <span className={classes.text}>{promotion.comment}</span>
          ) : (
            '—'
          )}
        </dd>
        {promotion.startedAt && (
          <>
            <dt>Started</dt>
            <dd>
              <RelativeTime value={promotion.startedAt} />
            </dd>
          </>
        )}
        {promotion.finishedAt && (
          <>
            <dt>Finished</dt>
            <dd>
              <RelativeTime value={promotion.finishedAt} />
            </dd>
          </>
        )}
        {promotion.progress && promotion.progress.length > 0 ? (
          <>
            <dt>Progress</dt>
            <dd>
              <List dense disablePadding aria-label="Progress">
                {promotion.progress.map((entry, i) => (
                  <ListItem key={`${entry.at}-${i}`} disableGutters>
                    <ListItemText
                      primary={
                        <span className={classes.text}>
                          {entry.message}
                          {entry.percent !== undefined &&
                            ` (${Math.round(entry.percent)}%)`}
                        </span>
                      }
                      secondary={<RelativeTime value={entry.at} />}
                    />
                  </ListItem>
                ))}
              </List>
            </dd>
          </>
        ) : (
          promotion.progressMessage && (
            <>
              <dt>Progress</dt>
              <dd className={classes.text}>{promotion.progressMessage}</dd>
            </>
          )
        )}
        {promotion.deadlineAt &&
          (promotion.status === 'queued' ||
            promotion.status === 'deploying') && (
            <>
              <dt>Deadline</dt>
              <dd>
                Fails if not finished{' '}
                <RelativeTime value={promotion.deadlineAt} />
              </dd>
            </>
          )}
        {promotion.externalUrl && (
          <>
            <dt>Deployment</dt>
            <dd>
              <Link to={promotion.externalUrl}>View deployment run</Link>
            </dd>
          </>
        )}
        {promotion.overrideReason && (
          <>
            <dt>Override reason</dt>
            <dd className={classes.text}>{promotion.overrideReason}</dd>
          </>
        )}
        {promotion.skippedRequires && (
          <>
            <dt>Required phase</dt>
            <dd>
              Skipped: the release had not succeeded in{' '}
              {phases.find(p => p.id === phase?.gates.requires)?.title ??
                phase?.gates.requires ??
                'the required phase'}
            </dd>
          </>
        )}
        {phase?.checks?.length ? (
          <>
            <dt>Checks</dt>
            <dd>
              {phase.checks.map(check => (
                <div key={check.name}>
                  {check.name} ({check.when}):{' '}
                  {check.last
                    ? `${check.last.status} for ${check.last.version} — ${check.last.summary}`
                    : 'not evaluated yet'}
                  {check.last?.url && (
                    <>
                      {' '}
                      <Link to={check.last.url}>details</Link>
                    </>
                  )}
                </div>
              ))}
            </dd>
          </>
        ) : null}
        <dt>Approvals</dt>
        <dd>
          {validApprovals} of {promotion.approvalsRequired} required
          <ApprovalTrail approvals={promotion.approvals} />
        </dd>
      </DetailList>
      <Box mt={2}>
        <ChangeSetView promotionId={promotion.id} />
      </Box>
      <Box mt={2} display="flex" flexWrap="wrap" style={{ gap: 8 }}>
        <PromotionActions
          promotion={promotion}
          phaseTitle={phaseTitle}
          allowSelfApproval={phase?.gates.allowSelfApproval ?? false}
          approvals={promotion.approvals}
          onChanged={onChanged}
        />
        {WAITING_PROMOTION_STATUSES.includes(promotion.status) && (
          <GatedButton
            size="small"
            variant="outlined"
            startIcon={<AccessTimeIcon />}
            aria-label={`Re-schedule ${promotion.version} to ${phaseTitle}`}
            disabledReason={
              phase
                ? phaseActionBlocker(
                    phase,
                    'deploy',
                    `You may not request promotions to ${phaseTitle}`,
                  )
                : undefined
            }
            onClick={() => setRescheduling(true)}
          >
            Re-schedule
          </GatedButton>
        )}
      </Box>
      <RescheduleDialog
        open={rescheduling}
        promotion={promotion}
        phase={phase}
        phaseTitle={phaseTitle}
        onClose={() => setRescheduling(false)}
        onRescheduled={updated => {
          setRescheduling(false);
          onChanged(updated);
        }}
      />
    </>
  );
}

function PromotionLoader(props: {
  promotionId: string;
  phases: PipelinePhaseView[];
  onChanged?: (updated: PromotionDetail) => void;
}) {
  const { promotionId, phases, onChanged } = props;
  const api = useApi(releaseApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getPromotion(promotionId),
    [api, promotionId],
  );
  // The dialog follows the promotion: progress, decisions, the outcome.
  useLiveUpdates({
    entityRef: value?.entityRef,
    refresh: retry,
    active: value ? isActiveStatus(value.status) : false,
  });
  if (!value && loading) {
    return <Progress />;
  }
  if (error) {
    return <ResponseErrorPanel error={error} />;
  }
  if (!value) {
    return null;
  }
  return (
    <PromotionDetailView
      promotion={value}
      phases={phases}
      onChanged={updated => {
        retry();
        onChanged?.(updated);
      }}
    />
  );
}

/**
 * The detail of one promotion: status, kind, requester and comment, the
 * approvals trail (who, when, comment, still valid or not), override reason,
 * a skipped required phase, progress and the link to the deployment run,
 * what changes (the change set), with approve, reject and cancel where the
 * user may.
 */
export function PromotionDetailDialog(props: PromotionDetailDialogProps) {
  const { promotionId, phases, onClose, onChanged } = props;
  return (
    <Dialog
      open={promotionId !== undefined}
      onClose={onClose}
      fullWidth
      maxWidth="md"
      aria-labelledby="promotion-detail-title"
    >
      <DialogTitle id="promotion-detail-title">Promotion</DialogTitle>
      <DialogContent>
        {promotionId !== undefined && (
          <PromotionLoader
            promotionId={promotionId}
            phases={phases}
            onChanged={onChanged}
          />
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
