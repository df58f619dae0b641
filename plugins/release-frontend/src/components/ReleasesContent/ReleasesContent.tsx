import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Link from '@material-ui/core/Link';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Tooltip from '@material-ui/core/Tooltip';
import AddIcon from '@material-ui/icons/Add';
import {
  PipelinePhaseView,
  RELEASE_PIPELINE_ANNOTATION,
  releaseCreatePermission,
  ReleaseWithStatus,
} from '@release-manager/backstage-plugin-release-common';
import { useState } from 'react';
import { isReleaseAvailable } from '../../conditions';
import { usePipeline } from '../../hooks/usePipeline';
import { useReleasePages } from '../../hooks/useReleasePages';
import { CreateReleaseDialog } from '../CreateReleaseDialog';
import { RelativeTime } from '../RelativeTime';
import { ReleaseDetailDialog } from '../ReleaseDetailDialog';
import { ReleaseStatusChip } from '../ReleaseStatusChip';

/** Props of {@link ReleasesContent}. */
export interface ReleasesContentProps {
  /** Releases loaded per page; default 20. */
  pageSize?: number;
}

/** The "Create release" button, disabled with the reason when not allowed. */
function CreateReleaseButton(props: {
  entityRef: string;
  onClick: () => void;
}) {
  const { entityRef, onClick } = props;
  const { loading, allowed } = usePermission({
    permission: releaseCreatePermission,
    resourceRef: entityRef,
  });
  const button = (
    <Button
      variant="contained"
      color="primary"
      startIcon={<AddIcon />}
      disabled={!allowed}
      onClick={onClick}
    >
      Create release
    </Button>
  );
  if (allowed) {
    return button;
  }
  const reason = loading
    ? 'Checking whether you may create releases…'
    : `You are not allowed to create releases of ${entityRef}`;
  return (
    <Tooltip title={reason}>
      {/* A disabled button fires no events; the span carries the tooltip. */}
      <span data-testid="create-release-disabled">{button}</span>
    </Tooltip>
  );
}

function ReleaseMatrix(props: {
  phases: PipelinePhaseView[];
  releases: ReleaseWithStatus[];
  onSelect: (version: string) => void;
}) {
  const { phases, releases, onSelect } = props;
  return (
    <TableContainer>
      <Table size="small" aria-label="Releases by phase">
        <TableHead>
          <TableRow>
            <TableCell>Release</TableCell>
            <TableCell>Created</TableCell>
            {phases.map(phase => (
              <TableCell key={phase.id}>{phase.title}</TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {releases.map(release => (
            <TableRow key={release.version}>
              <TableCell component="th" scope="row">
                <Link
                  component="button"
                  variant="body2"
                  onClick={() => onSelect(release.version)}
                >
                  {release.version}
                </Link>
              </TableCell>
              <TableCell>
                <RelativeTime value={release.createdAt} />
              </TableCell>
              {phases.map(phase => {
                const state = release.phases[phase.id];
                return (
                  <TableCell key={phase.id}>
                    {state ? (
                      <ReleaseStatusChip
                        status={state.status}
                        updatedAt={state.updatedAt}
                        current={state.current}
                      />
                    ) : (
                      <span aria-label="Not promoted">—</span>
                    )}
                  </TableCell>
                );
              })}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}

function Releases(props: { entityRef: string; pageSize: number }) {
  const { entityRef, pageSize } = props;
  const pipeline = usePipeline(entityRef);
  const pages = useReleasePages(entityRef, pageSize);
  const [creating, setCreating] = useState(false);
  const [selected, setSelected] = useState<string>();

  if (pipeline.loading || (pages.loading && pages.items.length === 0)) {
    return <Progress />;
  }
  if (pipeline.error) {
    return <ResponseErrorPanel error={pipeline.error} />;
  }
  if (pages.error && pages.items.length === 0) {
    return <ResponseErrorPanel error={pages.error} />;
  }

  const phases = [...(pipeline.value?.phases ?? [])].sort(
    (a, b) => a.order - b.order,
  );
  const createButton = (
    <CreateReleaseButton
      entityRef={entityRef}
      onClick={() => setCreating(true)}
    />
  );
  const dialogs = (
    <>
      <CreateReleaseDialog
        entityRef={entityRef}
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={() => {
          setCreating(false);
          pages.reload();
        }}
      />
      <ReleaseDetailDialog
        entityRef={entityRef}
        version={selected}
        phases={phases}
        onClose={() => setSelected(undefined)}
      />
    </>
  );

  if (pages.items.length === 0) {
    return (
      <>
        <EmptyState
          missing="data"
          title="No releases yet"
          description="A release is an immutable version of this entity that can be promoted through its pipeline. Create the first one to get started."
          action={createButton}
        />
        {dialogs}
      </>
    );
  }

  return (
    <InfoCard
      title="Releases"
      subheader={`Pipeline: ${pipeline.value?.template ?? ''}`}
      action={<Box m={1}>{createButton}</Box>}
    >
      <ReleaseMatrix
        phases={phases}
        releases={pages.items}
        onSelect={setSelected}
      />
      {pages.error && <ResponseErrorPanel error={pages.error} />}
      {pages.nextCursor && (
        <Box display="flex" justifyContent="center" mt={2}>
          <Button
            variant="outlined"
            onClick={pages.loadMore}
            disabled={pages.loading}
          >
            {pages.loading ? 'Loading…' : 'Load more'}
          </Button>
        </Box>
      )}
      {dialogs}
    </InfoCard>
  );
}

/**
 * The "Releases" entity tab: a release × phase matrix, newest release first,
 * with a status chip per cell, a "Create release" action where allowed, and
 * the detail of a release on click.
 *
 * @public
 */
export function ReleasesContent(props: ReleasesContentProps) {
  const { entity } = useEntity();
  if (!isReleaseAvailable(entity)) {
    return (
      <MissingAnnotationEmptyState annotation={RELEASE_PIPELINE_ANNOTATION} />
    );
  }
  return (
    <Releases
      entityRef={stringifyEntityRef(entity)}
      pageSize={props.pageSize ?? 20}
    />
  );
}
