import { useTheme } from '@material-ui/core/styles';
import { DoraSeriesPoint } from '@release-manager/backstage-plugin-release-common';
import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

const dayLabel = (iso: string) => iso.slice(5, 10);

/**
 * The trend: deployments and failures per bucket as bars, the median lead
 * time (hours) as a line on the right axis.
 */
export function DeliveryTrend(props: {
  series: DoraSeriesPoint[];
  bucket: 'day' | 'week';
}) {
  const theme = useTheme();
  const data = props.series.map(p => ({
    label: dayLabel(p.start),
    deployments: p.deployments,
    failures: p.failures,
    leadTimeHours:
      p.leadTimeMedianSeconds === undefined
        ? undefined
        : Math.round((p.leadTimeMedianSeconds / 3600) * 10) / 10,
  }));
  return (
    <div
      role="img"
      aria-label={`Deployments, failures and median lead time per ${props.bucket}`}
    >
      <ResponsiveContainer width="100%" height={180}>
        <ComposedChart
          data={data}
          margin={{ top: 8, right: 8, bottom: 0, left: -16 }}
        >
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 11 }} minTickGap={12} />
          <YAxis
            yAxisId="count"
            allowDecimals={false}
            tick={{ fontSize: 11 }}
          />
          <YAxis
            yAxisId="hours"
            orientation="right"
            tick={{ fontSize: 11 }}
            unit="h"
          />
          <Tooltip />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar
            yAxisId="count"
            dataKey="deployments"
            name="Deployments"
            fill={theme.palette.primary.main}
          />
          <Bar
            yAxisId="count"
            dataKey="failures"
            name="Failed or rolled back"
            fill={theme.palette.error.main}
          />
          <Line
            yAxisId="hours"
            dataKey="leadTimeHours"
            name="Median lead time (h)"
            stroke={theme.palette.text.secondary}
            connectNulls
            dot={false}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
