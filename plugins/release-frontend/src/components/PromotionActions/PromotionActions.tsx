import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import BlockIcon from '@material-ui/icons/Block';
import CheckIcon from '@material-ui/icons/Check';
import CloseIcon from '@material-ui/icons/Close';
import {
  Promotion,
  releasePromotionApprovePermission,
  releasePromotionCancelPermission,
  toPhaseResourceRef,
} from '@release-manager/backstage-plugin-release-common';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { Approval, PromotionDetail, releaseApiRef } from '../../api';
import { errorMessage } from '../../errors';
import { useCurrentUser } from '../../hooks/useCurrentUser';
import { useDecisionInbox } from '../../hooks/DecisionInbox';
import { CommentDialog } from '../CommentDialog';
import { GatedButton } from '../GatedButton';

/** States in which a promotion can still be cancelled. */
const CANCELLABLE = ['pending_approval', 'approved', 'queued'];

/** Props of {@link PromotionActions}. */
export interface PromotionActionsProps {
  promotion: Pick<
    Promotion,
    'id' | 'entityRef' | 'phase' | 'version' | 'status' | 'requestedBy'
  > & { trainId?: string };
  /** Title of the promotion's phase, for messages ("Live"). */
  phaseTitle: string;
  /** Whether the phase lets the requester approve their own promotion. */
  allowSelfApproval: boolean;
  /** Decisions already made, when known (from the promotion detail). */
  approvals?: Approval[];
  /** Called with the promotion after a successful decision or cancel. */
  onChanged: (updated: PromotionDetail) => void;
  /** Which actions to offer; default all that fit the promotion's state. */
  actions?: Array<'approve' | 'reject' | 'cancel'>;
}

function sameRef(a: string, b: string) {
  return a.toLocaleLowerCase('en-US') === b.toLocaleLowerCase('en-US');
}

/**
 * Approve, reject and cancel buttons for one promotion. Each is shown
 * disabled with a tooltip saying why when the signed-in user may not use it:
 * the permission framework denies it, the user asked for the promotion, has
 * decided already, or is not an approver of the phase (the approvals inbox
 * says so). Approve and reject confirm with the one-line summary of what changes
 * ("Deploy 1.2.0 to Live, 3 config changes, 1 secret changed"); reject
 * asks for a comment; cancel confirms.
 */
export function PromotionActions(props: PromotionActionsProps) {
  const {
    promotion,
    phaseTitle,
    allowSelfApproval,
    approvals,
    onChanged,
    actions = ['approve', 'reject', 'cancel'],
  } = props;
  const api = useApi(releaseApiRef);
  const user = useCurrentUser();
  const inbox = useDecisionInbox();
  const resourceRef = toPhaseResourceRef(promotion.entityRef, promotion.phase);
  const approvePermission = usePermission({
    permission: releasePromotionApprovePermission,
    resourceRef,
  });
  const cancelPermission = usePermission({
    permission: releasePromotionCancelPermission,
    resourceRef,
  });
  const [dialog, setDialog] = useState<
    'approve' | 'reject' | 'cancel' | undefined
  >();
  const deciding = dialog === 'approve' || dialog === 'reject';
  // What the decision is about, in one line, fetched when a decision opens.
  const summary = useAsync(
    async () =>
      deciding
        ? (await api.getPromotionChanges(promotion.id)).summary.text
        : undefined,
    [api, promotion.id, deciding],
  );
  const [error, setError] = useState<string>();

  const pending = promotion.status === 'pending_approval';
  const me = user.value?.userEntityRef;

  const decisionBlocker = (verb: 'approve' | 'reject') => {
    if (approvePermission.loading || user.loading) {
      return 'Checking whether you may decide on this promotion…';
    }
    if (!approvePermission.allowed) {
      return `You may not ${verb} promotions to ${phaseTitle}`;
    }
    if (me && !allowSelfApproval && sameRef(promotion.requestedBy, me)) {
      return verb === 'approve'
        ? 'You requested this promotion; someone else must approve it'
        : 'You requested this promotion; cancel it instead of rejecting it';
    }
    if (me && approvals?.some(a => a.valid && sameRef(a.userRef, me))) {
      return 'You have already decided on this promotion';
    }
    if (inbox.decidable && !inbox.decidable.has(promotion.id)) {
      return `You are not an approver of ${phaseTitle} for this entity`;
    }
    return undefined;
  };

  const cancelBlocker = () => {
    if (cancelPermission.loading) {
      return 'Checking whether you may cancel this promotion…';
    }
    if (!cancelPermission.allowed) {
      return `You may not cancel promotions to ${phaseTitle}`;
    }
    return undefined;
  };

  const done = (updated: PromotionDetail) => {
    setError(undefined);
    inbox.refresh();
    onChanged(updated);
  };

  const summaryLine = (
    <strong data-testid="decision-summary">
      {summary.value ??
        (summary.error
          ? `What changes could not be loaded: ${errorMessage(summary.error)}`
          : 'Loading what changes…')}
    </strong>
  );

  const label = `${promotion.version} to ${phaseTitle}`;
  const showDecisions = pending;
  const showCancel =
    actions.includes('cancel') && CANCELLABLE.includes(promotion.status);
  if (!showDecisions && !showCancel) {
    return null;
  }
  // A train member is decided and cancelled with its train (the API refuses
  // a decision on the member alone).
  if (promotion.trainId) {
    return (
      <Typography
        variant="body2"
        color="textSecondary"
        data-testid="train-member-note"
      >
        Part of a release train: approve, reject or cancel the train.
      </Typography>
    );
  }

  return (
    <>
      <Box display="flex" flexWrap="wrap" style={{ gap: 8 }}>
        {showDecisions && actions.includes('approve') && (
          <GatedButton
            size="small"
            variant="contained"
            color="primary"
            startIcon={<CheckIcon />}
            aria-label={`Approve ${label}`}
            disabledReason={decisionBlocker('approve')}
            onClick={() => setDialog('approve')}
          >
            Approve
          </GatedButton>
        )}
        {showDecisions && actions.includes('reject') && (
          <GatedButton
            size="small"
            variant="outlined"
            startIcon={<CloseIcon />}
            aria-label={`Reject ${label}`}
            disabledReason={decisionBlocker('reject')}
            onClick={() => setDialog('reject')}
          >
            Reject
          </GatedButton>
        )}
        {showCancel && (
          <GatedButton
            size="small"
            variant="text"
            startIcon={<BlockIcon />}
            aria-label={`Cancel promotion of ${label}`}
            disabledReason={cancelBlocker()}
            onClick={() => setDialog('cancel')}
          >
            Cancel
          </GatedButton>
        )}
      </Box>
      {error && (
        <Box mt={1}>
          <Alert severity="error" role="alert">
            {error}
          </Alert>
        </Box>
      )}
      <CommentDialog
        open={dialog === 'approve'}
        title={`Approve ${label}`}
        description={
          <>
            {summaryLine}
            <br />
            Your approval is bound to this release and this configuration; a
            change to either voids it.
          </>
        }
        label="Comment (optional)"
        confirmLabel="Approve"
        onClose={() => setDialog(undefined)}
        onConfirm={async comment => {
          const updated = await api.approvePromotion(
            promotion.id,
            comment ? { comment } : {},
          );
          setDialog(undefined);
          done(updated);
        }}
      />
      <CommentDialog
        open={dialog === 'reject'}
        title={`Reject ${label}`}
        description={
          <>
            {summaryLine}
            <br />
            The requester sees your comment; say what has to change.
          </>
        }
        label="Comment"
        required
        helperText="Required: why the promotion is rejected"
        confirmLabel="Reject"
        onClose={() => setDialog(undefined)}
        onConfirm={async comment => {
          const updated = await api.rejectPromotion(promotion.id, { comment });
          setDialog(undefined);
          done(updated);
        }}
      />
      <CommentDialog
        open={dialog === 'cancel'}
        title={`Cancel the promotion of ${label}`}
        description="The promotion will not be deployed. This cannot be undone."
        label="Comment (optional)"
        confirmLabel="Cancel promotion"
        onClose={() => setDialog(undefined)}
        onConfirm={async comment => {
          const updated = await api.cancelPromotion(
            promotion.id,
            comment ? { comment } : {},
          );
          setDialog(undefined);
          done(updated);
        }}
      />
    </>
  );
}
