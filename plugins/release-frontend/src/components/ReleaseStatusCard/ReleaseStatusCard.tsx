import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { RELEASE_PIPELINE_ANNOTATION } from '@release-manager/backstage-plugin-release-common';
import { isReleaseAvailable } from '../../conditions';
import { usePipeline } from '../../hooks/usePipeline';
import { RelativeTime } from '../RelativeTime';
import { promotionStatusLabel } from '../ReleaseStatusChip';

function StatusTable(props: { entityRef: string }) {
  const { value, loading, error } = usePipeline(props.entityRef);
  if (loading) {
    return <Progress />;
  }
  if (error) {
    return <ResponseErrorPanel error={error} />;
  }
  const phases = [...(value?.phases ?? [])].sort((a, b) => a.order - b.order);
  return (
    <Table size="small" aria-label="Current version per phase">
      <TableBody>
        {phases.map(phase => (
          <TableRow key={phase.id}>
            <TableCell component="th" scope="row">
              {phase.title}
            </TableCell>
            <TableCell>
              {phase.current ? (
                <>
                  <strong>{phase.current.version}</strong>{' '}
                  <Typography
                    variant="caption"
                    color="textSecondary"
                    component="span"
                  >
                    <RelativeTime value={phase.current.deployedAt} />
                  </Typography>
                </>
              ) : (
                <Typography
                  variant="body2"
                  color="textSecondary"
                  component="span"
                >
                  none
                </Typography>
              )}
            </TableCell>
            <TableCell>
              {phase.active && (
                <Typography variant="caption">
                  {promotionStatusLabel(phase.active.status)}{' '}
                  {phase.active.version}
                </Typography>
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/**
 * Entity overview card: the version currently running in each phase.
 *
 * @public
 */
export function ReleaseStatusCard() {
  const { entity } = useEntity();
  return (
    <InfoCard title="Release status">
      {isReleaseAvailable(entity) ? (
        <StatusTable entityRef={stringifyEntityRef(entity)} />
      ) : (
        <MissingAnnotationEmptyState annotation={RELEASE_PIPELINE_ANNOTATION} />
      )}
    </InfoCard>
  );
}
