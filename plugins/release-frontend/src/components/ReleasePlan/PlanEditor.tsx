import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { PipelinePhaseView } from '@release-manager/backstage-plugin-release-common';
import { useState } from 'react';
import { releaseApiRef } from '../../api';

/**
 * Edits a release's planned date per phase (a date field per phase; an
 * emptied field clears the date). Saves only what changed.
 */
export function PlanEditor(props: {
  entityRef: string;
  version: string;
  phases: PipelinePhaseView[];
  plannedAt: Record<string, string>;
  onSaved: () => void;
  onCancel: () => void;
}) {
  const api = useApi(releaseApiRef);
  const initial = Object.fromEntries(
    props.phases.map(p => [p.id, props.plannedAt[p.id]?.slice(0, 10) ?? '']),
  );
  const [dates, setDates] = useState<Record<string, string>>(initial);
  const [error, setError] = useState<string>();
  const [saving, setSaving] = useState(false);

  const save = async () => {
    const update: Record<string, string | null> = {};
    for (const p of props.phases) {
      if (dates[p.id] !== initial[p.id]) {
        update[p.id] = dates[p.id] ? dates[p.id] : null;
      }
    }
    setSaving(true);
    setError(undefined);
    try {
      await api.updateReleasePlan(props.entityRef, props.version, update);
      props.onSaved();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Box component="form" mt={1} onSubmit={e => e.preventDefault()}>
      <Typography variant="subtitle2">Planned dates</Typography>
      <Box display="flex" flexWrap="wrap" style={{ gap: 8 }} mt={1}>
        {props.phases.map(p => (
          <TextField
            key={p.id}
            id={`release-plan-${p.id}`}
            type="date"
            label={p.title}
            value={dates[p.id]}
            InputLabelProps={{ shrink: true }}
            onChange={e => setDates({ ...dates, [p.id]: e.target.value })}
          />
        ))}
      </Box>
      {error && (
        <Typography color="error" variant="body2" role="alert">
          {error}
        </Typography>
      )}
      <Box mt={1} display="flex" style={{ gap: 8 }}>
        <Button
          variant="contained"
          color="primary"
          size="small"
          disabled={saving}
          onClick={save}
        >
          Save plan
        </Button>
        <Button size="small" onClick={props.onCancel}>
          Cancel
        </Button>
      </Box>
    </Box>
  );
}
