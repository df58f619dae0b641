import { useApi } from '@backstage/core-plugin-api';
import Dialog from '@material-ui/core/Dialog';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { PipelinePhaseView } from '@release-manager/backstage-plugin-release-common';
import { FormEvent, useEffect, useState } from 'react';
import { PromotionDetail, releaseApiRef } from '../../api';
import { errorMessage } from '../../errors';
import {
  ScheduleChoice,
  scheduleChoiceComplete,
  ScheduleFields,
  scheduleRequestOf,
} from '../ScheduledMarker';
import { SubmitDialogActions } from '../SubmitDialogActions';

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
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (open) {
      setChoice(initial());
      setError(undefined);
    }
    // Reset only when the dialog opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitting(true);
    setError(undefined);
    try {
      onRescheduled(
        await api.schedulePromotion(promotion.id, scheduleRequestOf(choice)),
      );
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Dialog
      open={open}
      onClose={submitting ? undefined : onClose}
      fullWidth
      maxWidth="sm"
      aria-labelledby="reschedule-title"
    >
      <form onSubmit={submit} noValidate>
        <DialogTitle id="reschedule-title">
          Re-schedule {promotion.version} to {phaseTitle}
        </DialogTitle>
        <DialogContent>
          {error && (
            <Alert severity="error" role="alert">
              {error}
            </Alert>
          )}
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
        </DialogContent>
        <SubmitDialogActions
          label="Re-schedule"
          onClose={onClose}
          submitting={submitting}
          disabled={!scheduleChoiceComplete(choice)}
        />
      </form>
    </Dialog>
  );
}
