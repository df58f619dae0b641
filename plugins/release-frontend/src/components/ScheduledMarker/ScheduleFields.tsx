import TextField from '@material-ui/core/TextField';
import { PipelinePhaseView } from '@release-manager/backstage-plugin-release-common';

/** When a promotion deploys: as soon as approved, at a time, or in the next window. */
export type ScheduleChoice = {
  when: 'now' | 'at' | 'window';
  /** The `datetime-local` value (the reader's time) when `when` is 'at'. */
  deployAt: string;
};

/** The request fields a choice stands for (the same for request and re-schedule). */
export function scheduleRequestOf(choice: ScheduleChoice): {
  deployAt?: string;
  deployInNextWindow?: boolean;
} {
  if (choice.when === 'at' && choice.deployAt) {
    return { deployAt: new Date(choice.deployAt).toISOString() };
  }
  if (choice.when === 'window') return { deployInNextWindow: true };
  return {};
}

/** Whether the choice is complete (a time is given when one is asked for). */
export function scheduleChoiceComplete(choice: ScheduleChoice): boolean {
  return choice.when !== 'at' || choice.deployAt !== '';
}

/**
 * The "When" select (as soon as approved, at a time, in the next deployment
 * window when the phase has windows) and the time field: shared by the
 * promote and the re-schedule dialogs.
 */
export function ScheduleFields(props: {
  id: string;
  phase?: PipelinePhaseView;
  value: ScheduleChoice;
  onChange: (value: ScheduleChoice) => void;
}) {
  const { id, phase, value, onChange } = props;
  return (
    <>
      <TextField
        id={`${id}-when`}
        select
        label="When"
        value={value.when}
        onChange={e =>
          onChange({ ...value, when: e.target.value as ScheduleChoice['when'] })
        }
        SelectProps={{ native: true }}
        fullWidth
        margin="normal"
        helperText="Approvals can be given before; at that time the gates are checked again."
      >
        <option value="now">As soon as it is approved</option>
        <option value="at">At a time</option>
        {phase?.deploymentWindows?.windows.length ? (
          <option value="window">In the next deployment window</option>
        ) : null}
      </TextField>
      {value.when === 'at' && (
        <TextField
          id={`${id}-deploy-at`}
          type="datetime-local"
          label="Deploy at (your local time)"
          value={value.deployAt}
          onChange={e => onChange({ ...value, deployAt: e.target.value })}
          fullWidth
          margin="normal"
          required
          InputLabelProps={{ shrink: true }}
        />
      )}
    </>
  );
}
