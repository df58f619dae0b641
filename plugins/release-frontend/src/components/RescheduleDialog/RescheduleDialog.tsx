import { useApi } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import { PipelinePhaseView } from '@release-manager/backstage-plugin-release-common';
import { useEffect, useState } from 'react';
import { PromotionDetail, releaseApiRef } from '../../api';
import {
  ScheduleChoice,
  scheduleChoiceComplete,
  ScheduleFields,
  scheduleRequestOf,
} from '../ScheduledMarker';
import { FormDialog, useSubmission } from '../SubmitDialogActions';

/** Props of {@link RescheduleDialog}. */
export interface RescheduleDialogProps {
  open: boolean;
  promotion: Pick<PromotionDetail, 'id' | 'version' | 'scheduledAt'>;
  phase?: PipelinePhaseView;
  phaseTitle: string;
  onClose: () => void;
  onRescheduled: (updated: PromotionDetail) => void;
}

/** A `datetime-local` value (the reader's time) for an ISO time. */
function localInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(
    d.getHours(),
  )}:${pad(d.getMinutes())}`;
}

/**
 * Moves a waiting promotion to another time, to the phase's next deployment
 * window, or back to "as soon as approved" (`PUT /promotions/:id/schedule`);
 * the server's message is shown when it refuses.
 */
export function RescheduleDialog(props: RescheduleDialogProps) {
  const { open, promotion, phase, phaseTitle, onClose, onRescheduled } = props;
  const api = useApi(releaseApiRef);
  const initial = (): ScheduleChoice =>
    promotion.scheduledAt
      ? { when: 'at', deployAt: localInput(promotion.scheduledAt) }
      : { when: 'now', deployAt: '' };
  const [choice, setChoice] = useState<ScheduleChoice>(initial);
  const { submitting, error, setError, run } = useSubmission();
  useEffect(() => {
    if (open) {
      setChoice(initial());
      setError(undefined);
    }
    // Reset only when the dialog opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);

  const submit = () =>
    run(async () => {
      onRescheduled(
        await api.schedulePromotion(promotion.id, scheduleRequestOf(choice)),
      );
    });

  return (
    <FormDialog
      open={open}
      onClose={onClose}
      title={`Re-schedule ${promotion.version} to ${phaseTitle}`}
      submitting={submitting}
      error={error}
      onSubmit={submit}
      submitLabel="Re-schedule"
      submitDisabled={!scheduleChoiceComplete(choice)}
    >
      <Typography variant="body2">
        {promotion.scheduledAt
          ? `Now scheduled for ${new Date(
              promotion.scheduledAt,
            ).toLocaleString()}.`
          : 'Now deploys as soon as it is approved.'}{' '}
        Approvals given so far stay valid.
      </Typography>
      <ScheduleFields
        id="reschedule"
        phase={phase}
        value={choice}
        onChange={setChoice}
      />
    </FormDialog>
  );
}
