import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import HistoryIcon from '@material-ui/icons/History';
import Alert from '@material-ui/lab/Alert';
import {
  releaseConfigUpdatePermission,
  toPhaseResourceRef,
} from '@release-manager/backstage-plugin-release-common';
import { useCallback, useState } from 'react';
import { PhaseConfigVersion, releaseApiRef } from '../../api';
import { useCursorPages } from '../../hooks/useCursorPages';
import { CommentDialog } from '../CommentDialog';
import { GatedButton } from '../GatedButton';
import { RelativeTime } from '../RelativeTime';
import { VersionDiff, VersionView } from './VersionPanels';

/** Props of {@link ConfigVersions}. */
export interface ConfigVersionsProps {
  entityRef: string;
  phaseId: string;
  phaseTitle: string;
  /** The version in force (what a restore is based on). */
  currentVersion: number;
  /** Called after a restore made a new version. */
  onRestored?: (version: PhaseConfigVersion) => void;
}

/**
 * The history of a phase's configuration: every version with author, time,
 * what changed and comment (paginated); view any version (secrets as
 * fingerprints), compare any two, and restore an old one as a new version
 * (config editors only, with a confirmation).
 */
export function ConfigVersions(props: ConfigVersionsProps) {
  const { entityRef, phaseId, phaseTitle, currentVersion, onRestored } = props;
  const api = useApi(releaseApiRef);
  const [open, setOpen] = useState(false);
  const [viewing, setViewing] = useState<number>();
  const [compare, setCompare] = useState<number[]>([]);
  const [restoring, setRestoring] = useState<number>();
  const [message, setMessage] = useState<string>();
  const update = usePermission({
    permission: releaseConfigUpdatePermission,
    resourceRef: toPhaseResourceRef(entityRef, phaseId),
  });
  const fetchPage = useCallback(
    (cursor: string | undefined) =>
      open
        ? api.listConfigVersions(entityRef, phaseId, { limit: 20, cursor })
        : Promise.resolve({ items: [] as PhaseConfigVersion[] }),
    // A restore (a new current version) starts the list again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, entityRef, phaseId, open, currentVersion],
  );
  const pages = useCursorPages<PhaseConfigVersion>(fetchPage);
  const toggleCompare = (v: number) =>
    setCompare(c =>
      c.includes(v) ? c.filter(x => x !== v) : [...c, v].slice(-2),
    );
  const [a, b] = [...compare].sort((x, y) => x - y);
  let restoreBlocker: string | undefined;
  if (update.loading) restoreBlocker = 'Checking whether you may edit…';
  else if (!update.allowed)
    restoreBlocker = `You may not change the configuration of ${phaseTitle}`;

  return (
    <>
      <Button
        size="small"
        startIcon={<HistoryIcon />}
        onClick={() => setOpen(true)}
      >
        History
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        fullWidth
        maxWidth="md"
        aria-labelledby={`config-history-${phaseId}`}
      >
        <DialogTitle id={`config-history-${phaseId}`}>
          Configuration history of {phaseTitle}
        </DialogTitle>
        <DialogContent>
          {message && (
            <Alert severity="success" role="status">
              {message}
            </Alert>
          )}
          {pages.error && (
            <Alert severity="error" role="alert">
              {pages.error.message}
            </Alert>
          )}
          <Table
            size="small"
            aria-label={`Configuration versions of ${phaseTitle}`}
          >
            <TableHead>
              <TableRow>
                <TableCell padding="checkbox">Compare</TableCell>
                <TableCell>Version</TableCell>
                <TableCell>By</TableCell>
                <TableCell>What changed</TableCell>
                <TableCell>Comment</TableCell>
                <TableCell />
              </TableRow>
            </TableHead>
            <TableBody>
              {pages.items.map(v => (
                <TableRow
                  key={v.version}
                  data-testid={`config-version-${v.version}`}
                >
                  <TableCell padding="checkbox">
                    <Checkbox
                      size="small"
                      checked={compare.includes(v.version)}
                      onChange={() => toggleCompare(v.version)}
                      inputProps={{
                        'aria-label': `Compare version ${v.version}`,
                      }}
                    />
                  </TableCell>
                  <TableCell>
                    {v.version}
                    {v.version === currentVersion && ' (current)'}
                  </TableCell>
                  <TableCell>
                    {v.createdBy} <RelativeTime value={v.createdAt} />
                  </TableCell>
                  <TableCell>{v.change ?? '—'}</TableCell>
                  <TableCell style={{ whiteSpace: 'pre-wrap' }}>
                    {v.comment ?? '—'}
                  </TableCell>
                  <TableCell>
                    <Box display="flex" style={{ gap: 4 }}>
                      <Button
                        size="small"
                        aria-label={`View version ${v.version}`}
                        onClick={() => setViewing(v.version)}
                      >
                        View
                      </Button>
                      {v.version !== currentVersion && (
                        <GatedButton
                          size="small"
                          aria-label={`Restore version ${v.version}`}
                          disabledReason={restoreBlocker}
                          onClick={() => setRestoring(v.version)}
                        >
                          Restore
                        </GatedButton>
                      )}
                    </Box>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {pages.nextCursor && (
            <Button
              size="small"
              onClick={pages.loadMore}
              disabled={pages.loading}
            >
              {pages.loading ? 'Loading…' : 'Older versions'}
            </Button>
          )}
          {compare.length === 2 && (
            <Box mt={2}>
              <VersionDiff
                entityRef={entityRef}
                phaseId={phaseId}
                from={a}
                to={b}
              />
            </Box>
          )}
          {compare.length === 1 && (
            <Box mt={2}>
              <Alert severity="info">Select one more version to compare.</Alert>
            </Box>
          )}
          {viewing !== undefined && (
            <Box mt={2}>
              <VersionView
                entityRef={entityRef}
                phaseId={phaseId}
                version={viewing}
              />
            </Box>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)}>Close</Button>
        </DialogActions>
      </Dialog>
      <CommentDialog
        open={restoring !== undefined}
        title={`Restore version ${restoring} of ${phaseTitle}`}
        description={`Makes version ${restoring} the configuration of ${phaseTitle} again, as version ${
          currentVersion + 1
        }. Secrets keep their current values. Promotions waiting for ${phaseTitle} lose their approvals.`}
        label="Comment (optional)"
        confirmLabel="Restore"
        onClose={() => setRestoring(undefined)}
        onConfirm={async comment => {
          const saved = await api.restoreConfigVersion(entityRef, phaseId, {
            version: restoring!,
            expectedVersion: currentVersion,
            comment: comment || undefined,
          });
          setRestoring(undefined);
          setMessage(
            `Version ${restoring} restored as version ${saved.version}.`,
          );
          onRestored?.(saved);
        }}
      />
    </>
  );
}
