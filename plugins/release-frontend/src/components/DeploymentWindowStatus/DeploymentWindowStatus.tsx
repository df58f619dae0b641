import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { PipelinePhaseView } from '@release-manager/backstage-plugin-release-common';
import { RelativeTime } from '../RelativeTime';
import { describeWindows } from '../ScheduledMarker';

/**
 * Whether a phase's deployment window is open and when it closes or the
 * next opens; hovering lists the windows as configured. Nothing for a
 * phase without windows.
 */
export function DeploymentWindowStatus(props: { phase: PipelinePhaseView }) {
  const state = props.phase.deploymentWindows;
  if (!state?.restricted) {
    return null;
  }
  const windows = describeWindows(state.windows);
  return (
    <Tooltip title={`Deployment windows: ${windows}`}>
      <Typography variant="body2" tabIndex={0}>
        {state.open && state.current ? (
          <>
            Deployment window open until{' '}
            {new Date(state.current.endsAt).toLocaleString()} (
            <RelativeTime value={state.current.endsAt} />)
          </>
        ) : (
          <>
            Outside deployment windows
            {state.next && (
              <>
                ; next opens {new Date(state.next.startedAt).toLocaleString()} (
                <RelativeTime value={state.next.startedAt} />)
              </>
            )}
          </>
        )}
      </Typography>
    </Tooltip>
  );
}
