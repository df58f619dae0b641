import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  PipelinePhaseView,
  ReleaseWithStatus,
} from '@release-manager/backstage-plugin-release-common';
import useAsync from 'react-use/esm/useAsync';
import { releaseApiRef } from '../../api';
import { DetailList } from '../DetailList';
import { Person } from '../Person';
import { RelativeTime } from '../RelativeTime';
import { ReleaseStatusChip } from '../ReleaseStatusChip';

const useStyles = makeStyles({
  notes: {
    whiteSpace: 'pre-wrap',
    fontFamily: 'inherit',
    margin: 0,
  },
});

/** Props of {@link ReleaseDetailDialog}. */
export interface ReleaseDetailDialogProps {
  entityRef: string;
  /** The version to show; the dialog is closed while undefined. */
  version?: string;
  /** The pipeline's phases, to show the release's state in each. */
  phases: PipelinePhaseView[];
  onClose: () => void;
}

function ReleaseDetail(props: {
  release: ReleaseWithStatus;
  phases: PipelinePhaseView[];
}) {
  const { release, phases } = props;
  const classes = useStyles();
  return (
    <DetailList>
      <dt>Artifact</dt>
      <dd>
        <code>{release.artifact}</code>
      </dd>
      <dt>Commit</dt>
      <dd>{release.commit ? <code>{release.commit}</code> : '—'}</dd>
      <dt>Created by</dt>
      <dd>
        <Person entityRef={release.createdBy} />
      </dd>
      <dt>Created</dt>
      <dd>
        <RelativeTime value={release.createdAt} />
      </dd>
      {phases.map(phase => {
        const state = release.phases[phase.id];
        return [
          <dt key={`${phase.id}-t`}>{phase.title}</dt>,
          <dd key={`${phase.id}-d`}>
            {state ? (
              <ReleaseStatusChip
                status={state.status}
                updatedAt={state.updatedAt}
                current={state.current}
              />
            ) : (
              'Not promoted'
            )}
          </dd>,
        ];
      })}
      <dt>Notes</dt>
      <dd>
        {/* Notes are user input: rendered as plain text, never as HTML. */}
        {release.notes ? (
          <pre className={classes.notes}>{release.notes}</pre>
        ) : (
          'No notes'
        )}
      </dd>
    </DetailList>
  );
}

function ReleaseDetailLoader(props: {
  entityRef: string;
  version: string;
  phases: PipelinePhaseView[];
}) {
  const { entityRef, version, phases } = props;
  const api = useApi(releaseApiRef);
  const { value, loading, error } = useAsync(
    () => api.getRelease(entityRef, version),
    [api, entityRef, version],
  );
  if (loading) {
    return <Progress />;
  }
  if (error) {
    return <ResponseErrorPanel error={error} />;
  }
  if (!value) {
    return <Typography>Release {version} was not found.</Typography>;
  }
  return <ReleaseDetail release={value} phases={phases} />;
}

/**
 * The detail of one release: artifact, commit, creator, creation time, its
 * state in each phase, and its notes as plain text.
 */
export function ReleaseDetailDialog(props: ReleaseDetailDialogProps) {
  const { entityRef, version, phases, onClose } = props;
  return (
    <Dialog
      open={version !== undefined}
      onClose={onClose}
      fullWidth
      maxWidth="sm"
      aria-labelledby="release-detail-title"
    >
      <DialogTitle id="release-detail-title">Release {version}</DialogTitle>
      <DialogContent>
        {version !== undefined && (
          <ReleaseDetailLoader
            entityRef={entityRef}
            version={version}
            phases={phases}
          />
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
