import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  PipelinePhaseView,
  releaseCreatePermission,
  ReleaseWithStatus,
} from '@release-manager/backstage-plugin-release-common';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { releaseApiRef } from '../../api';
import { DetailList } from '../DetailList';
import { Person } from '../Person';
import { RelativeTime } from '../RelativeTime';
import { GatedButton } from '../GatedButton';
import { PlanEditor, planText } from '../ReleasePlan';
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

/** Planned vs actual per phase, and the plan editor for those allowed. */
function ReleasePlanSection(props: {
  entityRef: string;
  release: ReleaseWithStatus;
  phases: PipelinePhaseView[];
  onChanged: () => void;
}) {
  const { entityRef, release, phases, onChanged } = props;
  const [editing, setEditing] = useState(false);
  const { loading, allowed } = usePermission({
    permission: releaseCreatePermission,
    resourceRef: entityRef,
  });
  if (editing) {
    return (
      <PlanEditor
        entityRef={entityRef}
        version={release.version}
        phases={phases}
        plannedAt={release.plannedAt ?? {}}
        onSaved={() => {
          setEditing(false);
          onChanged();
        }}
        onCancel={() => setEditing(false)}
      />
    );
  }
  let reason: string | undefined;
  if (loading) reason = 'Checking your permissions…';
  else if (!allowed)
    reason = 'Only those who may create releases may plan them';
  return (
    <Box mt={2}>
      <GatedButton
        size="small"
        variant="outlined"
        disabledReason={reason}
        onClick={() => setEditing(true)}
      >
        Edit plan
      </GatedButton>
    </Box>
  );
}

function ReleaseDetail(props: {
  entityRef: string;
  release: ReleaseWithStatus;
  phases: PipelinePhaseView[];
  onChanged: () => void;
}) {
  const { release, phases } = props;
  const classes = useStyles();
  return (
    <>
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
              {release.plannedAt?.[phase.id] && (
                <Typography variant="caption" component="p">
                  {planText(release.plannedAt[phase.id], state)}
                </Typography>
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
      <ReleasePlanSection
        entityRef={props.entityRef}
        release={release}
        phases={phases}
        onChanged={props.onChanged}
      />
    </>
  );
}

function ReleaseDetailLoader(props: {
  entityRef: string;
  version: string;
  phases: PipelinePhaseView[];
}) {
  const { entityRef, version, phases } = props;
  const api = useApi(releaseApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getRelease(entityRef, version),
    [api, entityRef, version],
  );
  if (loading && !value) {
    return <Progress />;
  }
  if (error) {
    return <ResponseErrorPanel error={error} />;
  }
  if (!value) {
    return <Typography>Release {version} was not found.</Typography>;
  }
  return (
    <ReleaseDetail
      entityRef={entityRef}
      release={value}
      phases={phases}
      onChanged={retry}
    />
  );
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
