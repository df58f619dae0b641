import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import Typography from '@material-ui/core/Typography';
import { MetricsResponse } from '@release-manager/backstage-plugin-release-common';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
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

/** Props of {@link DeliveryPanel}. */
export interface DeliveryPanelProps {
  /** Reads the metrics of the period; called again when the period or `deps` change. */
  load: (query: { from: string; to: string }) => Promise<MetricsResponse>;
  /** What `load` depends on besides the period. */
  deps: unknown[];
  /** Said when no production deployment fell in the period. */
  emptyDescription?: string;
}

/**
 * The period picker (7/30/90 days), the overall DORA band, the four figures
 * (each explained on hover) and the trend chart of one metrics answer: the
 * body of the entity's Delivery card and of the portfolio's delivery section.
 */
export function DeliveryPanel(props: DeliveryPanelProps) {
  const [days, setDays] = useState(30);
  const { value, loading, error } = useAsync(() => {
    const to = new Date();
    const from = new Date(to.getTime() - days * 86_400_000);
    return props.load({ from: from.toISOString(), to: to.toISOString() });
    // `deps` stands for what `load` reads.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...props.deps, days]);

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
          description={
            props.emptyDescription ??
            'Delivery figures appear once releases are deployed to the production phase.'
          }
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
