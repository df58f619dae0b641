import { parseEntityRef } from '@backstage/catalog-model';
import { Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Alert from '@material-ui/lab/Alert';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { releaseApiRef, Train } from '../../api';
import { useEntityRoute } from '../../hooks/useEntityRoute';
import { useLiveUpdates } from '../../hooks/useLiveUpdates';
import {
  deployedCount,
  isOpenTrain,
  refName,
  trainLabel,
} from '../TrainsContent/trainText';

/** How long a failed train stays in its members' banner. */
export const RECENT_FAILURE_MS = 24 * 3600 * 1000;

/** The train the banner is about: an open one, else a recent failure. */
export function bannerTrain(
  trains: Train[],
  now: number = Date.now(),
): Train | undefined {
  return (
    trains.find(isOpenTrain) ??
    trains.find(
      t =>
        t.status === 'failed' &&
        now - Date.parse(t.requestedAt) < RECENT_FAILURE_MS,
    )
  );
}

/**
 * A banner on a member's Releases tab while a train includes the entity:
 * "Part of train Shop → Stage: 1 of 3 deployed", linked to the train on its
 * System's Trains tab. Shown for an open train or one that failed in the
 * last day; nothing otherwise.
 */
export function TrainBanner(props: { entityRef: string }) {
  const { entityRef } = props;
  const api = useApi(releaseApiRef);
  const entityRoute = useEntityRoute();
  const { value, retry } = useAsyncRetry(
    async () =>
      bannerTrain(
        (await api.listEntityTrains(entityRef, { status: 'all', limit: 10 }))
          .items,
      ),
    [api, entityRef],
  );
  useLiveUpdates({
    entityRefs: value
      ? [entityRef, ...value.members.map(m => m.entityRef)]
      : [entityRef],
    refresh: retry,
    active: value ? isOpenTrain(value) : false,
  });
  if (!value) {
    return null;
  }
  let href: string | undefined;
  if (entityRoute) {
    const { kind, namespace, name } = parseEntityRef(value.system);
    href = `${entityRoute({
      kind: kind.toLocaleLowerCase('en-US'),
      namespace,
      name,
    })}/trains?train=${encodeURIComponent(value.id)}`;
  }
  const failed = value.status === 'failed';
  const text = `Part of train ${trainLabel(value)}: ${deployedCount(value)}`;
  return (
    <Box mb={2}>
      <Alert severity={failed ? 'error' : 'info'} data-testid="train-banner">
        {href ? <Link to={href}>{text}</Link> : text}
        {failed && value.stoppedBy && (
          <>
            {' '}
            — stopped: {refName(value.stoppedBy.entityRef)} failed:{' '}
            {value.stoppedBy.reason}
          </>
        )}
      </Alert>
    </Box>
  );
}
