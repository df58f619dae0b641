import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { PortfolioFilters, releaseApiRef } from '../../api';
import { DeliveryPanel } from '../DeliveryCard';

/**
 * The DORA figures of the portfolio's current owner and system filter
 * (`GET /metrics`), over a chosen period, with the trend chart. The metrics
 * need an owner or a system: without one the section says so.
 */
export function PortfolioDelivery(props: { filters: PortfolioFilters }) {
  const api = useApi(releaseApiRef);
  const owner = props.filters.owner?.trim() || undefined;
  const system = props.filters.system?.trim() || undefined;
  const scope = [owner && `owner ${owner}`, system && `system ${system}`]
    .filter(Boolean)
    .join(', ');
  return (
    <Box
      component="section"
      aria-label="Delivery (DORA)"
      mt={1}
      mb={2}
      data-testid="portfolio-delivery"
    >
      <Typography variant="h6" component="h3">
        Delivery (DORA){scope ? ` — ${scope}` : ''}
      </Typography>
      {owner || system ? (
        <DeliveryPanel
          deps={[api, owner, system]}
          load={query => api.getGroupMetrics({ ...query, owner, system })}
          emptyDescription="No release of these entities was deployed to its production phase in this period."
        />
      ) : (
        <Typography variant="body2" color="textSecondary">
          Filter by an owner or a system to see its deployment frequency, lead
          time, change failure rate and time to restore.
        </Typography>
      )}
    </Box>
  );
}
