import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import Typography from '@material-ui/core/Typography';
import {
  MetricsResponse,
  RELEASE_PIPELINE_ANNOTATION,
} from '@release-manager/backstage-plugin-release-common';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { releaseApiRef } from '../../api';
import { isReleaseAvailable } from '../../conditions';
import { BandChip } from './BandChip';
import { DeliveryTrend } from './DeliveryTrend';
import { DoraFigure } from './DoraFigure';
import {
  BAND_THRESHOLDS,
  formatDuration,
  formatFrequency,
  formatRate,
} from './format';

const PERIODS = [7, 30, 90];

/** The four figures of a metrics answer, each explained on hover. */
export function DoraFigures(props: { value: MetricsResponse }) {
  const { metrics } = props.value;
  const phases = Object.values(props.value.productionPhases ?? {});
  const production = phases.length
    ? [...new Set(phases)].join(', ')
    : 'the production phase';
  const s = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return (
    <Grid container spacing={1}>
      <Grid item xs={6}>
        <DoraFigure
          title="Deployment frequency"
          value={formatFrequency(metrics.deploymentsPerDay)}
          detail={s(metrics.deployments, 'deployment')}
          band={metrics.bands.deploymentFrequency}
          explanation={`Successful deployments of a new release to ${production} in the period, divided by its length. Rollbacks are not counted. ${BAND_THRESHOLDS.deploymentFrequency}`}
        />
      </Grid>
      <Grid item xs={6}>
        <DoraFigure
          title="Lead time for changes"
          value={formatDuration(metrics.leadTime.medianSeconds)}
          detail={`median · p90 ${formatDuration(metrics.leadTime.p90Seconds)}`}
          band={metrics.bands.leadTime}
          explanation={`From the release's commit (where CI gave its time, else the release's creation) to its successful deployment to ${production}: median and 90th percentile over the period's deployments. ${BAND_THRESHOLDS.leadTime}`}
        />
      </Grid>
      <Grid item xs={6}>
        <DoraFigure
          title="Change failure rate"
          value={formatRate(metrics.changeFailureRate)}
          detail={`${metrics.failedDeployments} of ${s(
            metrics.changeDeployments,
            'deployment',
          )}`}
          band={metrics.bands.changeFailureRate}
          explanation={`Deployments of a new release to ${production} that failed, or that succeeded and were then rolled back, divided by all finished deployments of new releases there. ${BAND_THRESHOLDS.changeFailureRate}`}
        />
      </Grid>
      <Grid item xs={6}>
        <DoraFigure
          title="Time to restore"
          value={formatDuration(metrics.timeToRestore.medianSeconds)}
          detail={
            metrics.unrestored
              ? `median · ${metrics.unrestored} not restored yet`
              : 'median'
          }
          band={metrics.bands.timeToRestore}
          explanation={`From a failed or rolled-back deployment to ${production} to the next successful deployment there (a fix or the rollback): the median over the period's failures. ${BAND_THRESHOLDS.timeToRestore}`}
        />
      </Grid>
    </Grid>
  );
}

function Delivery(props: { entityRef: string }) {
  const api = useApi(releaseApiRef);
  const [days, setDays] = useState(30);
  const { value, loading, error } = useAsync(() => {
    const to = new Date();
    const from = new Date(to.getTime() - days * 86_400_000);
    return api.getMetrics(props.entityRef, {
      from: from.toISOString(),
      to: to.toISOString(),
    });
  }, [api, props.entityRef, days]);

  return (
    <>
      <Box display="flex" alignItems="center" mb={1} style={{ gap: 8 }}>
        <Select
          value={days}
          onChange={e => setDays(Number(e.target.value))}
          inputProps={{ 'aria-label': 'Period' }}
        >
          {PERIODS.map(d => (
            <MenuItem key={d} value={d}>
              Last {d} days
            </MenuItem>
          ))}
        </Select>
        <Box flexGrow={1} />
        {value?.metrics.bands.overall && (
          <BandChip band={value.metrics.bands.overall} prefix="DORA: " />
        )}
      </Box>
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {value && !loading && value.metrics.changeDeployments === 0 && (
        <EmptyState
          missing="data"
          title="No production deployments in this period"
          description="Delivery figures appear once releases are deployed to the production phase."
        />
      )}
      {value && !loading && value.metrics.changeDeployments > 0 && (
        <>
          <DoraFigures value={value} />
          <Box mt={2}>
            <DeliveryTrend series={value.series} bucket={value.bucket} />
          </Box>
          <Typography variant="caption" color="textSecondary">
            Performance bands per the DORA State of DevOps report; the overall
            band is the lowest of the four.
          </Typography>
        </>
      )}
    </>
  );
}

/**
 * Entity overview card "Delivery": the four DORA metrics of the entity from
 * its release history, with their performance bands and a trend chart.
 *
 * @public
 */
export function DeliveryCard() {
  const { entity } = useEntity();
  return (
    <InfoCard title="Delivery">
      {isReleaseAvailable(entity) ? (
        <Delivery entityRef={stringifyEntityRef(entity)} />
      ) : (
        <MissingAnnotationEmptyState annotation={RELEASE_PIPELINE_ANNOTATION} />
      )}
    </InfoCard>
  );
}
