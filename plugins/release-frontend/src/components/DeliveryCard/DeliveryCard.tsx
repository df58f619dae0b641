import { stringifyEntityRef } from '@backstage/catalog-model';
import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import { RELEASE_PIPELINE_ANNOTATION } from '@release-manager/backstage-plugin-release-common';
import { releaseApiRef } from '../../api';
import { isReleaseAvailable } from '../../conditions';
import { DeliveryPanel } from './DeliveryPanel';

function Delivery(props: { entityRef: string }) {
  const api = useApi(releaseApiRef);
  const { entityRef } = props;
  return (
    <DeliveryPanel
      deps={[api, entityRef]}
      load={query => api.getMetrics(entityRef, query)}
    />
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
