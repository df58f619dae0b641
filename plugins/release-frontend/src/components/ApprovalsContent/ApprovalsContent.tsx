import {
  EmptyState,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import IconButton from '@material-ui/core/IconButton';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles, Theme } from '@material-ui/core/styles';
import ExpandLessIcon from '@material-ui/icons/ExpandLess';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import RefreshIcon from '@material-ui/icons/Refresh';
import Alert from '@material-ui/lab/Alert';
import { releasesPageLink } from '@release-manager/backstage-plugin-release-common';
import { Fragment, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { EntityStatus, PromotionDetail, releaseApiRef } from '../../api';
import { ChangeSetView } from '../ChangeSetView';
import { PromotionActions } from '../PromotionActions';
import { useLiveUpdates } from '../../hooks/useLiveUpdates';
import { Person } from '../Person';
import { RelativeTime } from '../RelativeTime';
import { promotionStatusLabel } from '../ReleaseStatusChip';

type PhaseSummary = EntityStatus['phases'][number];

const useStyles = makeStyles((theme: Theme) => ({
  table: {
    '& th, & td': { verticalAlign: 'top', padding: theme.spacing(1) },
  },
  // Names, versions and buttons never break mid-word; on a narrow screen
  // the table scrolls inside its card instead.
  nowrap: { whiteSpace: 'nowrap' },
  comment: {
    whiteSpace: 'pre-wrap',
    overflowWrap: 'normal',
    minWidth: 180,
    maxWidth: 320,
  },
}));

/** Phase summaries by entity ref and phase id, for titles and what runs now. */
function usePhaseSummaries(promotions: PromotionDetail[] | undefined) {
  const api = useApi(releaseApiRef);
  const refs = [...new Set((promotions ?? []).map(p => p.entityRef))].sort();
  const key = refs.join('\n');
  const { value } = useAsync(async () => {
    const byEntity = new Map<string, Map<string, PhaseSummary>>();
    if (refs.length === 0) {
      return byEntity;
    }
    for (const status of await api.getStatus(refs)) {
      byEntity.set(
        status.entityRef,
        new Map(status.phases.map(p => [p.id, p])),
      );
    }
    return byEntity;
    // `key` stands for `refs`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, key]);
  return value;
}

function outcomeMessage(p: PromotionDetail, phaseTitle: string): string {
  const what = `${p.release.version} of ${p.entityRef} to ${phaseTitle}`;
  switch (p.status) {
    case 'pending_approval':
      return `You approved ${what}; it waits for more approvals.`;
    case 'rejected':
      return `You rejected ${what}.`;
    case 'cancelled':
      return `The promotion of ${what} is cancelled.`;
    default:
      return `You approved ${what}; it is now ${promotionStatusLabel(
        p.status,
      ).toLocaleLowerCase('en-US')}.`;
  }
}

/**
 * The approvals inbox: every promotion the signed-in user may decide, across
 * entities — entity, version and phase (and what runs there now), requester
 * and comment, approvals so far of those required, a link to the
 * promotion's page — with what changes (the first item open), and Approve
 * and Reject that confirm with a one-line summary of what changes.
 *
 * @public
 */
export function ApprovalsContent() {
  const classes = useStyles();
  const api = useApi(releaseApiRef);
  const inbox = useAsyncRetry(() => api.listApprovals(), [api]);
  // The inbox spans entities: any lifecycle change may add or remove a row.
  useLiveUpdates({ refresh: inbox.retry });
  const summaries = usePhaseSummaries(inbox.value);
  const [message, setMessage] = useState<string>();
  // Toggled away from the default: the first item open, the others closed.
  const [toggled, setToggled] = useState<Set<string>>(new Set());
  const toggle = (id: string) =>
    setToggled(current => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const refresh = (
    <Tooltip title="Refresh">
      <IconButton
        aria-label="Refresh approvals"
        onClick={inbox.retry}
        size="small"
      >
        <RefreshIcon />
      </IconButton>
    </Tooltip>
  );

  let body;
  if (!inbox.value && inbox.loading) {
    body = <Progress />;
  } else if (inbox.error) {
    body = <ResponseErrorPanel error={inbox.error} />;
  } else if (!inbox.value || inbox.value.length === 0) {
    body = (
      <EmptyState
        missing="content"
        title="Nothing waits for your approval"
        description="Promotions you may approve or reject appear here: those into phases where you are an approver, requested by someone else."
      />
    );
  } else {
    body = (
      <TableContainer style={{ position: 'relative' }}>
        <Table
          size="small"
          aria-label="Promotions waiting for your decision"
          className={classes.table}
        >
          <TableHead>
            <TableRow>
              <TableCell className={classes.nowrap}>Entity</TableCell>
              <TableCell className={classes.nowrap}>Promotion</TableCell>
              <TableCell className={classes.nowrap}>Requested</TableCell>
              <TableCell className={classes.nowrap}>Comment</TableCell>
              <TableCell className={classes.nowrap}>Approvals</TableCell>
              <TableCell>
                <Typography variant="srOnly">Actions</Typography>
              </TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {inbox.value.map((p, index) => {
              const phase = summaries?.get(p.entityRef)?.get(p.phase);
              const phaseTitle = phase?.title ?? p.phase;
              const approvals = p.approvals.filter(
                a => a.valid && a.decision === 'approve',
              ).length;
              const open = (index === 0) !== toggled.has(p.id);
              const what = `${p.release.version} to ${phaseTitle}`;
              return (
                <Fragment key={p.id}>
                  <TableRow data-testid={`approval-${p.id}`}>
                    <TableCell className={classes.nowrap}>
                      <EntityRefLink entityRef={p.entityRef} />
                    </TableCell>
                    <TableCell style={{ whiteSpace: 'nowrap' }}>
                      <strong>{p.release.version}</strong> → {phaseTitle}
                      {p.kind === 'rollback' && ' (rollback)'}
                      <Typography variant="caption" display="block">
                        <Link
                          to={releasesPageLink(p.entityRef, p.id)}
                          aria-label={`Open the promotion of ${what}`}
                        >
                          Open promotion
                        </Link>
                      </Typography>
                      <Tooltip
                        title={open ? 'Hide what changes' : 'Show what changes'}
                      >
                        <IconButton
                          size="small"
                          aria-label={`What changes with ${what}`}
                          aria-expanded={open}
                          onClick={() => toggle(p.id)}
                        >
                          {open ? <ExpandLessIcon /> : <ExpandMoreIcon />}
                        </IconButton>
                      </Tooltip>
                      {phase?.currentVersion && (
                        <Typography
                          variant="caption"
                          color="textSecondary"
                          display="block"
                        >
                          {phase.currentVersion} runs there now
                        </Typography>
                      )}
                    </TableCell>
                    <TableCell className={classes.nowrap}>
                      <Person entityRef={p.requestedBy} />
                      <Typography
                        variant="caption"
                        color="textSecondary"
                        display="block"
                      >
                        <RelativeTime value={p.requestedAt} />
                      </Typography>
                    </TableCell>
                    <TableCell className={classes.comment}>
                      {p.comment ?? '—'}
                    </TableCell>
                    <TableCell className={classes.nowrap}>
                      {approvals} of {p.approvalsRequired}
                    </TableCell>
                    <TableCell className={classes.nowrap}>
                      <PromotionActions
                        promotion={p}
                        phaseTitle={phaseTitle}
                        // The server lists only what this user may decide.
                        allowSelfApproval
                        approvals={p.approvals}
                        actions={['approve', 'reject']}
                        onChanged={updated => {
                          setMessage(outcomeMessage(updated, phaseTitle));
                          inbox.retry();
                        }}
                      />
                    </TableCell>
                  </TableRow>
                  {open && (
                    <TableRow>
                      <TableCell colSpan={6}>
                        <ChangeSetView promotionId={p.id} />
                      </TableCell>
                    </TableRow>
                  )}
                </Fragment>
              );
            })}
          </TableBody>
        </Table>
      </TableContainer>
    );
  }

  return (
    <>
      {message && (
        <Box mb={2}>
          <Alert
            severity="success"
            role="status"
            onClose={() => setMessage(undefined)}
          >
            {message}
          </Alert>
        </Box>
      )}
      <InfoCard
        title="Waiting for your decision"
        action={<Box m={1}>{refresh}</Box>}
      >
        {body}
      </InfoCard>
    </>
  );
}
