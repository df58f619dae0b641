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
import { useAppSearchParams } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import ButtonBase from '@material-ui/core/ButtonBase';
import Link from '@material-ui/core/Link';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import AddIcon from '@material-ui/icons/Add';
import DoubleArrowIcon from '@material-ui/icons/DoubleArrow';
import {
  PipelinePhaseView,
  RELEASE_PIPELINE_ANNOTATION,
  releaseCreatePermission,
  releasePromotionCreatePermission,
  ReleaseWithStatus,
} from '@release-manager/backstage-plugin-release-common';
import { useCallback, useState } from 'react';
import { isReleaseAvailable } from '../../conditions';
import { DecisionInboxProvider } from '../../hooks/DecisionInbox';
import { usePhasePermissions } from '../../hooks/usePhasePermissions';
import { usePipeline } from '../../hooks/usePipeline';
import { useReleasePages } from '../../hooks/useReleasePages';
import { CreateReleaseDialog } from '../CreateReleaseDialog';
import { GatedButton } from '../GatedButton';
import { PromoteDialog } from '../PromoteDialog';
import { PromotionActions } from '../PromotionActions';
import { PromotionDetailDialog } from '../PromotionDetailDialog';
import { RelativeTime } from '../RelativeTime';
import { ReleaseDetailDialog } from '../ReleaseDetailDialog';
import { promotionStatusLabel, ReleaseStatusChip } from '../ReleaseStatusChip';
import { PlanMarker } from '../ReleasePlan';

/**
 * Props of the "Releases" entity tab.
 *
 * @public
 */
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

function promoteBlocker(
  allowed: Set<string> | undefined,
  loading: boolean,
): string | undefined {
  if (loading || !allowed) {
    return 'Checking whether you may promote…';
  }
  if (allowed.size === 0) {
    return 'You may not promote releases to any phase of this pipeline';
  }
  return undefined;
}

function ReleaseMatrix(props: {
  phases: PipelinePhaseView[];
  releases: ReleaseWithStatus[];
  onSelect: (version: string) => void;
  onSelectPromotion: (promotionId: string) => void;
  onPromote: (release: ReleaseWithStatus) => void;
  promoteBlockedBecause?: string;
}) {
  const {
    phases,
    releases,
    onSelect,
    onSelectPromotion,
    onPromote,
    promoteBlockedBecause,
  } = props;
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
            <TableCell>
              <Typography variant="srOnly">Actions</Typography>
            </TableCell>
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
                      <ButtonBase
                        onClick={() => onSelectPromotion(state.promotionId)}
                        aria-label={`${promotionStatusLabel(state.status)} in ${
                          phase.title
                        }: show the promotion of ${release.version}`}
                        style={{ borderRadius: 16 }}
                      >
                        <ReleaseStatusChip
                          status={state.status}
                          updatedAt={state.updatedAt}
                          current={state.current}
                        />
                      </ButtonBase>
                    ) : (
                      <span aria-label="Not promoted">—</span>
                    )}
                    <PlanMarker
                      plannedAt={release.plannedAt?.[phase.id]}
                      state={state}
                      phaseTitle={phase.title}
                    />
                  </TableCell>
                );
              })}
              <TableCell align="right">
                <GatedButton
                  size="small"
                  variant="outlined"
                  startIcon={<DoubleArrowIcon />}
                  aria-label={`Promote ${release.version}`}
                  disabledReason={promoteBlockedBecause}
                  onClick={() => onPromote(release)}
                >
                  Promote
                </GatedButton>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}

/** The promotions of the pipeline that wait for a decision. */
function PendingPromotions(props: {
  phases: PipelinePhaseView[];
  onSelectPromotion: (promotionId: string) => void;
  onChanged: () => void;
}) {
  const { phases, onSelectPromotion, onChanged } = props;
  const pending = phases.flatMap(phase =>
    phase.pending.map(promotion => ({ phase, promotion })),
  );
  if (pending.length === 0) {
    return null;
  }
  return (
    <Box mb={2}>
      <InfoCard title="Waiting for approval">
        <Table size="small" aria-label="Promotions waiting for approval">
          <TableHead>
            <TableRow>
              <TableCell>Promotion</TableCell>
              <TableCell>Requested</TableCell>
              <TableCell>Comment</TableCell>
              <TableCell>
                <Typography variant="srOnly">Actions</Typography>
              </TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {pending.map(({ phase, promotion }) => (
              <TableRow key={promotion.id}>
                <TableCell component="th" scope="row">
                  <Link
                    component="button"
                    variant="body2"
                    onClick={() => onSelectPromotion(promotion.id)}
                  >
                    {promotion.version} → {phase.title}
                  </Link>
                </TableCell>
                <TableCell>
                  {promotion.requestedBy}{' '}
                  <Typography
                    variant="caption"
                    color="textSecondary"
                    component="span"
                  >
                    <RelativeTime value={promotion.requestedAt} />
                  </Typography>
                </TableCell>
                <TableCell style={{ whiteSpace: 'pre-wrap' }}>
                  {promotion.comment ?? '—'}
                </TableCell>
                <TableCell>
                  <PromotionActions
                    promotion={promotion}
                    phaseTitle={phase.title}
                    allowSelfApproval={phase.gates.allowSelfApproval}
                    onChanged={onChanged}
                  />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </InfoCard>
    </Box>
  );
}

function Releases(props: { entityRef: string; pageSize: number }) {
  const { entityRef, pageSize } = props;
  const pipeline = usePipeline(entityRef);
  const pages = useReleasePages(entityRef, pageSize);
  const [creating, setCreating] = useState(false);
  // The release and the promotion shown are in the URL (`?release=<version>`,
  // `?promotion=<id>`, the link of notifications and of the approvals
  // inbox): each has its own address, and closing one goes back.
  const [searchParams, setSearchParams] = useAppSearchParams();
  const selected = searchParams.get('release') || undefined;
  const selectedPromotion = searchParams.get('promotion') || undefined;
  const setParam = useCallback(
    (name: 'release' | 'promotion', value: string | undefined) =>
      setSearchParams(previous => {
        const next = new URLSearchParams(previous);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      }),
    [setSearchParams],
  );
  const setSelected = (version: string | undefined) =>
    setParam('release', version);
  const setSelectedPromotion = (id: string | undefined) =>
    setParam('promotion', id);
  const closePromotion = () => setParam('promotion', undefined);
  const [promoting, setPromoting] = useState<ReleaseWithStatus>();
  const phases = [...(pipeline.value?.phases ?? [])].sort(
    (a, b) => a.order - b.order,
  );
  const promotable = usePhasePermissions(
    releasePromotionCreatePermission,
    entityRef,
    phases.map(p => p.id),
  );
  const { retry: reloadPipeline } = pipeline;
  const { reload: reloadReleases } = pages;
  const reload = useCallback(() => {
    reloadPipeline();
    reloadReleases();
  }, [reloadPipeline, reloadReleases]);

  if (
    (pipeline.loading && !pipeline.value) ||
    (pages.loading && pages.items.length === 0)
  ) {
    return <Progress />;
  }
  if (pipeline.error && !pipeline.value) {
    return <ResponseErrorPanel error={pipeline.error} />;
  }
  if (pages.error && pages.items.length === 0) {
    return <ResponseErrorPanel error={pages.error} />;
  }

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
      <PromoteDialog
        entityRef={entityRef}
        release={promoting}
        phases={phases}
        allowedPhases={promotable.allowed}
        onClose={() => setPromoting(undefined)}
        onPromoted={promotion => {
          setPromoting(undefined);
          setSelectedPromotion(promotion.id);
          reload();
        }}
      />
      <PromotionDetailDialog
        promotionId={selectedPromotion}
        phases={phases}
        onClose={closePromotion}
        onChanged={reload}
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
    <>
      <PendingPromotions
        phases={phases}
        onSelectPromotion={setSelectedPromotion}
        onChanged={reload}
      />
      <InfoCard
        title="Releases"
        subheader={`Pipeline: ${pipeline.value?.template ?? ''}`}
        action={<Box m={1}>{createButton}</Box>}
      >
        <ReleaseMatrix
          phases={phases}
          releases={pages.items}
          onSelect={setSelected}
          onSelectPromotion={setSelectedPromotion}
          onPromote={setPromoting}
          promoteBlockedBecause={promoteBlocker(
            promotable.allowed,
            promotable.loading,
          )}
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
      </InfoCard>
      {dialogs}
    </>
  );
}

/**
 * The "Releases" entity tab: the promotions waiting for approval (approve,
 * reject, cancel), a release × phase matrix, newest release first, with a
 * status chip per cell that opens the promotion's detail, "Promote" per
 * release and "Create release" where allowed, and the detail of a release on
 * click. The query parameters `release=<version>` and `promotion=<id>` open
 * that release's or promotion's detail (the links of release notifications
 * and of the approvals inbox); opening either sets them, closing clears them.
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
    <DecisionInboxProvider>
      <Releases
        entityRef={stringifyEntityRef(entity)}
        pageSize={props.pageSize ?? 20}
      />
    </DecisionInboxProvider>
  );
}
