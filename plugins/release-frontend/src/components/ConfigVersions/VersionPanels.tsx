import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import useAsync from 'react-use/esm/useAsync';
import { releaseApiRef } from '../../api';
import { errorMessage } from '../../errors';
import { ConfigDiffList } from '../ChangeSetView/ConfigDiffList';
import { DetailList } from '../DetailList';

function Failed(props: { error?: Error }) {
  return (
    <Alert severity="error" role="alert">
      {errorMessage(props.error)}
    </Alert>
  );
}

/** One version: variables, database, sizing, secrets by name and fingerprint. */
export function VersionView(props: {
  entityRef: string;
  phaseId: string;
  version: number;
}) {
  const { entityRef, phaseId, version } = props;
  const api = useApi(releaseApiRef);
  const { value, loading, error } = useAsync(
    () => api.getConfigVersion(entityRef, phaseId, version),
    [api, entityRef, phaseId, version],
  );
  if (loading) return <Typography variant="body2">Loading…</Typography>;
  if (error || !value) return <Failed error={error} />;
  const entries = (o?: object) =>
    Object.entries(o ?? {}).filter(([, v]) => v !== undefined);
  return (
    <Box role="region" aria-label={`Configuration version ${version}`}>
      <Typography variant="subtitle2" component="h4">
        Version {version}
      </Typography>
      <DetailList>
        {entries(value.variables).map(([k, v]) => (
          <Row key={`v-${k}`} name={k} value={String(v)} />
        ))}
        {entries(value.database).map(([k, v]) => (
          <Row key={`d-${k}`} name={`database.${k}`} value={String(v)} />
        ))}
        {entries(value.sizing).map(([k, v]) => (
          <Row key={`s-${k}`} name={`sizing.${k}`} value={String(v)} />
        ))}
        {value.secrets.map(s => (
          <Row
            key={`x-${s.name}`}
            name={`secret ${s.name}`}
            value={`fingerprint ${s.fingerprint}`}
          />
        ))}
      </DetailList>
    </Box>
  );
}

function Row(props: { name: string; value: string }) {
  return (
    <>
      <dt>{props.name}</dt>
      <dd>{props.value}</dd>
    </>
  );
}

/** What differs between two versions. */
export function VersionDiff(props: {
  entityRef: string;
  phaseId: string;
  from: number;
  to: number;
}) {
  const { entityRef, phaseId, from, to } = props;
  const api = useApi(releaseApiRef);
  const { value, loading, error } = useAsync(
    () => api.diffConfigVersions(entityRef, phaseId, from, to),
    [api, entityRef, phaseId, from, to],
  );
  if (loading) return <Typography variant="body2">Comparing…</Typography>;
  if (error || !value) return <Failed error={error} />;
  return (
    <Box role="region" aria-label={`Version ${from} compared with ${to}`}>
      <Typography variant="subtitle2" component="h4">
        Version {from} → version {to}: {value.summary}
      </Typography>
      <ConfigDiffList
        diff={value}
        label={`From version ${from} to ${to}`}
        none="The two versions are the same."
      />
    </Box>
  );
}
