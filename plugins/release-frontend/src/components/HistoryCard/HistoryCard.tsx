import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import IconButton from '@material-ui/core/IconButton';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import RefreshIcon from '@material-ui/icons/Refresh';
import { PipelinePhaseView } from '@release-manager/backstage-plugin-release-common';
import { useEffect, useState } from 'react';
import { useHistoryPages } from '../../hooks/useHistoryPages';
import { Person } from '../Person';
import { RelativeTime } from '../RelativeTime';
import { LoadMore } from '../LoadMore';

const ACTIONS: Record<string, string> = {
  'release.create': 'Created the release',
  'promotion.request': 'Requested a promotion',
  'promotion.import': 'Imported a promotion',
  'rollback.request': 'Requested a rollback',
  'approval.approve': 'Approved',
  'approval.reject': 'Rejected',
  'promotion.approved': 'Promotion approved',
  'promotion.pending_approval': 'Promotion back to pending approval',
  'promotion.queued': 'Promotion queued',
  'promotion.deploying': 'Deployment started',
  'promotion.succeeded': 'Deployment succeeded',
  'promotion.failed': 'Deployment failed',
  'promotion.rejected': 'Promotion rejected',
  'promotion.cancelled': 'Promotion cancelled',
  'promotion.superseded': 'Promotion superseded',
  'promotion.config_changed': 'Phase configuration changed under the promotion',
  'phase.lock': 'Locked the phase',
  'phase.unlock': 'Unlocked the phase',
  'config.change': 'Changed the phase configuration',
};

/** The human text of a ledger action; unknown actions are shown as they are. */
export function historyActionLabel(action: string): string {
  return ACTIONS[action] ?? action;
}

/** Props of {@link HistoryCard}. */
export interface HistoryCardProps {
  entityRef: string;
  /** The pipeline's phases, for the filter and for titles. */
  phases: PipelinePhaseView[];
  /** Entries per page; default 20. */
  pageSize?: number;
  /** Changes when something happened that the ledger should show. */
  refreshKey?: unknown;
}

/**
 * The entity's ledger, newest first: when (relative, absolute on hover),
 * who, what, version, phase and reason, all as plain text; filterable by
 * phase and paginated with "Load more".
 */
export function HistoryCard(props: HistoryCardProps) {
  const { entityRef, phases, pageSize = 20, refreshKey } = props;
  const [phase, setPhase] = useState('');
  const history = useHistoryPages(entityRef, {
    phase: phase || undefined,
    pageSize,
  });
  const titles = new Map(phases.map(p => [p.id, p.title]));
  const { reload } = history;

  useEffect(() => {
    if (refreshKey !== undefined) {
      reload();
    }
    // Only an outside change reloads; `reload` changes with the filter.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [refreshKey]);

  let body;
  if (history.loading && history.items.length === 0) {
    body = <Progress />;
  } else if (history.error && history.items.length === 0) {
    body = <ResponseErrorPanel error={history.error} />;
  } else if (history.items.length === 0) {
    body = (
      <EmptyState
        missing="data"
        title="No history yet"
        description="Releases, promotions, decisions and locks appear here."
      />
    );
  } else {
    body = (
      <TableContainer>
        {/* At narrow widths the table scrolls inside the card (not the page). */}
        <Table size="small" aria-label="History" style={{ minWidth: 760 }}>
          <TableHead>
            <TableRow>
              <TableCell>When</TableCell>
              <TableCell>Who</TableCell>
              <TableCell>What</TableCell>
              <TableCell>Version</TableCell>
              <TableCell>Phase</TableCell>
              <TableCell>Reason</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {history.items.map(entry => (
              <TableRow key={entry.id}>
                <TableCell style={{ whiteSpace: 'nowrap' }}>
                  <RelativeTime value={entry.createdAt} />
                  <Typography
                    variant="caption"
                    color="textSecondary"
                    display="block"
                  >
                    {new Date(entry.createdAt).toLocaleString()}
                  </Typography>
                </TableCell>
                <TableCell style={{ minWidth: 150 }}>
                  <Person entityRef={entry.actor} />
                </TableCell>
                <TableCell style={{ whiteSpace: 'nowrap' }}>
                  {historyActionLabel(entry.action)}
                </TableCell>
                <TableCell style={{ whiteSpace: 'nowrap' }}>
                  {entry.version ?? '—'}
                </TableCell>
                <TableCell style={{ whiteSpace: 'nowrap' }}>
                  {entry.phase ? titles.get(entry.phase) ?? entry.phase : '—'}
                </TableCell>
                <TableCell style={{ whiteSpace: 'pre-wrap', minWidth: 260 }}>
                  {entry.reason ?? '—'}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        <LoadMore pages={history} />
      </TableContainer>
    );
  }

  return (
    <InfoCard
      title="History"
      action={
        <Box display="flex" alignItems="center" m={1} style={{ gap: 8 }}>
          <TextField
            id="history-phase"
            select
            label="Phase"
            value={phase}
            onChange={e => setPhase(e.target.value)}
            SelectProps={{ native: true }}
            InputLabelProps={{ shrink: true }}
            size="small"
            variant="outlined"
          >
            <option value="">All phases</option>
            {phases.map(p => (
              <option key={p.id} value={p.id}>
                {p.title}
              </option>
            ))}
          </TextField>
          <Tooltip title="Refresh history">
            <IconButton
              aria-label="Refresh history"
              onClick={reload}
              size="small"
            >
              <RefreshIcon />
            </IconButton>
          </Tooltip>
        </Box>
      }
    >
      {body}
    </InfoCard>
  );
}
