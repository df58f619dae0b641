import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import {
  entityRouteParams,
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  PipelinePhaseView,
  RELEASE_PIPELINE_ANNOTATION,
} from '@release-manager/backstage-plugin-release-common';
import { isReleaseAvailable } from '../../conditions';
import {
  DecisionInboxProvider,
  useDecisionInbox,
} from '../../hooks/DecisionInbox';
import { useEntityRoute } from '../../hooks/useEntityRoute';
import { usePipeline } from '../../hooks/usePipeline';
import { failureReason } from '../PipelineDrawing';
import { RelativeTime } from '../RelativeTime';
import { promotionStatusLabel } from '../ReleaseStatusChip';

/** The most recent failed attempt across the phases, if the last attempt of a phase failed. */
function lastFailure(phases: PipelinePhaseView[]) {
  const failures = phases
    .filter(p => p.lastOutcome?.status === 'failed')
    .map(p => ({ phase: p, promotion: p.lastOutcome! }))
    .sort((a, b) =>
      (b.promotion.finishedAt ?? b.promotion.updatedAt).localeCompare(
        a.promotion.finishedAt ?? a.promotion.updatedAt,
      ),
    );
  return failures[0];
}

function StatusTable(props: {
  entityRef: string;
  tabPath: (tab: string) => string;
}) {
  const { entityRef, tabPath } = props;
  const { value, loading, error } = usePipeline(entityRef);
  const inbox = useDecisionInbox();
  if (!value && loading) {
    return <Progress />;
  }
  if (error && !value) {
    return <ResponseErrorPanel error={error} />;
  }
  const phases = [...(value?.phases ?? [])].sort((a, b) => a.order - b.order);
  const waitingForMe = phases.flatMap(phase =>
    phase.pending
      .filter(p => inbox.decidable?.has(p.id))
      .map(promotion => ({ phase, promotion })),
  );
  const failure = lastFailure(phases);
  return (
    <>
      <Table size="small" aria-label="Current version per phase">
        <TableBody>
          {phases.map(phase => (
            <TableRow key={phase.id}>
              <TableCell component="th" scope="row">
                {phase.title}
              </TableCell>
              <TableCell style={{ whiteSpace: 'nowrap' }}>
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
                {!phase.active && phase.lastOutcome?.status === 'failed' && (
                  <Typography variant="caption" color="error">
                    Failed {phase.lastOutcome.version}
                  </Typography>
                )}
                {phase.pending.length > 0 && (
                  <Typography variant="caption" display="block">
                    {phase.pending.length} waiting
                  </Typography>
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {waitingForMe.length > 0 && (
        <Box mt={2} role="region" aria-label="Waiting for you">
          <Typography variant="subtitle2" component="h3">
            Waiting for your decision
          </Typography>
          {waitingForMe.map(({ phase, promotion }) => (
            <Typography variant="body2" key={promotion.id}>
              <Link to={`${tabPath('releases')}?promotion=${promotion.id}`}>
                {promotion.version} → {phase.title}
              </Link>{' '}
              <Typography
                variant="caption"
                color="textSecondary"
                component="span"
              >
                requested <RelativeTime value={promotion.requestedAt} />
              </Typography>
            </Typography>
          ))}
        </Box>
      )}
      {failure && (
        <Box mt={2}>
          <Alert severity="error" role="note" aria-label="Last failure">
            <strong>
              {failure.promotion.version} failed in {failure.phase.title}
            </strong>{' '}
            <RelativeTime
              value={
                failure.promotion.finishedAt ?? failure.promotion.updatedAt
              }
            />
            :{' '}
            {failureReason(failure.promotion) ?? 'the provider gave no reason.'}
          </Alert>
        </Box>
      )}
      <Box mt={2} display="flex" flexWrap="wrap" style={{ gap: 16 }}>
        <Link to={tabPath('releases')}>Releases</Link>
        <Link to={tabPath('phases')}>Phases</Link>
      </Box>
    </>
  );
}

/**
 * Entity overview card: the version running in each phase (and what deploys,
 * failed or waits there), the promotions of this entity that wait for the
 * viewer's decision, the last failure with its reason, and links to the
 * Releases and Phases tabs. It stays current like the tabs do.
 *
 * @public
 */
export function ReleaseStatusCard() {
  const { entity } = useEntity();
  const entityRoute = useEntityRoute();
  const base = entityRoute
    ? entityRoute(entityRouteParams(entity)).replace(/\/$/, '')
    : '.';
  const tabPath = (tab: string) => `${base}/${tab}`;
  return (
    <InfoCard title="Release status">
      {isReleaseAvailable(entity) ? (
        <DecisionInboxProvider>
          <StatusTable
            entityRef={stringifyEntityRef(entity)}
            tabPath={tabPath}
          />
        </DecisionInboxProvider>
      ) : (
        <MissingAnnotationEmptyState annotation={RELEASE_PIPELINE_ANNOTATION} />
      )}
    </InfoCard>
  );
}
