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
import { makeStyles, Theme } from '@material-ui/core/styles';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import AddIcon from '@material-ui/icons/Add';
import DoubleArrowIcon from '@material-ui/icons/DoubleArrow';
import {
  PipelinePhaseView,
  RELEASE_PIPELINE_ANNOTATION,
  releaseCreatePermission,
  releasePromotionCreatePermission,
  ReleaseWithStatus,
} from '@release-manager/backstage-plugin-release-common';
import { useCallback, useMemo, useState } from 'react';
import { isReleaseAvailable } from '../../conditions';
import { DecisionInboxProvider } from '../../hooks/DecisionInbox';
import { usePhasePermissions } from '../../hooks/usePhasePermissions';
import { usePipeline } from '../../hooks/usePipeline';
import { useReleasePages } from '../../hooks/useReleasePages';
import {
  AttemptOutcomes,
  attemptKey,
  useAttemptOutcomes,
} from '../../hooks/useAttemptOutcomes';
import { useLiveUpdates } from '../../hooks/useLiveUpdates';
import { Person } from '../Person';
import {
  failureReason,
  PipelineDrawing,
  phaseAction,
} from '../PipelineDrawing';
import { CreateReleaseDialog } from '../CreateReleaseDialog';
import { GatedButton } from '../GatedButton';
import { PromoteDialog } from '../PromoteDialog';
import { PromotionActions } from '../PromotionActions';
import { PromotionDetailDialog } from '../PromotionDetailDialog';
import { RelativeTime } from '../RelativeTime';
import { ReleaseDetailDialog } from '../ReleaseDetailDialog';
import { promotionStatusLabel, ReleaseStatusChip } from '../ReleaseStatusChip';
import { ScheduledMarker } from '../ScheduledMarker';
import { PlanMarker } from '../ReleasePlan';
import { TrainBanner } from '../TrainBanner';
import { LoadMore } from '../LoadMore';

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

const useStyles = makeStyles((theme: Theme) => ({
  // Positioned, so that nothing inside (e.g. the screen-reader-only header
  // of the actions column) sticks out of the scroll area and widens the page.
  container: { position: 'relative' },
  matrix: {
    '& th, & td': { padding: theme.spacing(0.75, 1) },
    '& th:first-child, & td:first-child': { paddingLeft: theme.spacing(2) },
  },
  nowrap: { whiteSpace: 'nowrap' },
  cell: { verticalAlign: 'top', minWidth: 140, maxWidth: 240 },
  cellLines: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    gap: theme.spacing(0.5),
  },
  reason: {
    color: theme.palette.error.dark,
    display: '-webkit-box',
    WebkitLineClamp: 3,
    WebkitBoxOrient: 'vertical',
    overflow: 'hidden',
    overflowWrap: 'break-word',
  },
  success: {
    color: theme.palette.success.dark,
    display: 'inline-flex',
    alignItems: 'center',
    gap: 2,
    whiteSpace: 'nowrap',
  },
}));

/**
 * The state of a release in one phase: its latest attempt (a chip that opens
 * the promotion), the reason of a failure, and the last success when a newer
 * attempt failed or was cancelled.
 */
function MatrixCell(props: {
  phase: PipelinePhaseView;
  release: ReleaseWithStatus;
  outcomes?: AttemptOutcomes;
  onSelectPromotion: (promotionId: string) => void;
}) {
  const { phase, release, outcomes, onSelectPromotion } = props;
  const classes = useStyles();
  const state = release.phases[phase.id];
  if (!state) {
    return <span aria-label="Not promoted">—</span>;
  }
  const { lastFailure, lastSuccess } = outcomes ?? {};
  const time = (p?: { finishedAt?: string; updatedAt: string }) =>
    p ? p.finishedAt ?? p.updatedAt : '';
  // A failure newer than the last success stays visible even when a later
  // attempt was cancelled.
  const failure =
    lastFailure &&
    (!lastSuccess || time(lastFailure) > time(lastSuccess)) &&
    state.status !== 'succeeded'
      ? lastFailure
      : undefined;
  const reason = failure ? failureReason(failure) : undefined;
  return (
    <div className={classes.cellLines}>
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
      {state.scheduledAt && (
        <ScheduledMarker
          scheduledAt={state.scheduledAt}
          scheduledBy={state.requestedBy}
          phase={phase}
        />
      )}
      {failure && (
        <Typography
          variant="caption"
          component="p"
          className={classes.reason}
          title={reason}
        >
          {failure.id === state.promotionId ? '' : 'Failed before: '}
          {reason ?? 'The provider gave no reason.'}
        </Typography>
      )}
      {lastSuccess && state.status !== 'succeeded' && (
        <Typography variant="caption" className={classes.success}>
          <CheckCircleIcon fontSize="inherit" aria-hidden />
          Last success <RelativeTime value={time(lastSuccess)} />
        </Typography>
      )}
    </div>
  );
}

function ReleaseMatrix(props: {
  phases: PipelinePhaseView[];
  releases: ReleaseWithStatus[];
  outcomes: Map<string, AttemptOutcomes>;
  onSelect: (version: string) => void;
  onSelectPromotion: (promotionId: string) => void;
  onPromote: (release: ReleaseWithStatus) => void;
  promoteBlockedBecause?: string;
}) {
  const classes = useStyles();
  const {
    phases,
    releases,
    outcomes,
    onSelect,
    onSelectPromotion,
    onPromote,
    promoteBlockedBecause,
  } = props;
  return (
    <TableContainer className={classes.container}>
      <Table
        size="small"
        aria-label="Releases by phase"
        className={classes.matrix}
      >
        <TableHead>
          <TableRow>
            <TableCell className={classes.nowrap}>Release</TableCell>
            <TableCell className={classes.nowrap}>Created</TableCell>
            {phases.map(phase => (
              <TableCell key={phase.id} className={classes.nowrap}>
                {phase.title}
              </TableCell>
            ))}
            <TableCell>
              <Typography variant="srOnly">Actions</Typography>
            </TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {releases.map(release => (
            <TableRow key={release.version}>
              <TableCell component="th" scope="row" className={classes.nowrap}>
                <Link
                  component="button"
                  variant="body2"
                  onClick={() => onSelect(release.version)}
                >
                  {release.version}
                </Link>
              </TableCell>
              <TableCell className={classes.nowrap}>
                <RelativeTime value={release.createdAt} />
              </TableCell>
              {phases.map(phase => (
                <TableCell key={phase.id} className={classes.cell}>
                  <MatrixCell
                    phase={phase}
                    release={release}
                    outcomes={outcomes.get(
                      attemptKey(release.version, phase.id),
                    )}
                    onSelectPromotion={onSelectPromotion}
                  />
                  <PlanMarker
                    plannedAt={release.plannedAt?.[phase.id]}
                    state={release.phases[phase.id]}
                    phaseTitle={phase.title}
                  />
                </TableCell>
              ))}
              <TableCell align="right" className={classes.nowrap}>
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
      <InfoCard
        title={
          pending.every(p => p.promotion.status === 'pending_approval')
            ? 'Waiting for approval'
            : 'Waiting promotions'
        }
      >
        <TableContainer style={{ position: 'relative' }}>
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
                  <TableCell
                    component="th"
                    scope="row"
                    style={{ whiteSpace: 'nowrap' }}
                  >
                    <Link
                      component="button"
                      variant="body2"
                      onClick={() => onSelectPromotion(promotion.id)}
                    >
                      {promotion.version} → {phase.title}
                    </Link>
                    {promotion.status !== 'pending_approval' && (
                      <Typography
                        variant="caption"
                        color="textSecondary"
                        display="block"
                      >
                        {promotion.scheduledAt ? (
                          <ScheduledMarker
                            scheduledAt={promotion.scheduledAt}
                            scheduledBy={promotion.requestedBy}
                            phase={phase}
                          />
                        ) : (
                          'Approved, waiting to deploy'
                        )}
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell style={{ minWidth: 140 }}>
                    <Person entityRef={promotion.requestedBy} />{' '}
                    <Typography
                      variant="caption"
                      color="textSecondary"
                      component="span"
                    >
                      <RelativeTime value={promotion.requestedAt} />
                    </Typography>
                  </TableCell>
                  <TableCell style={{ whiteSpace: 'pre-wrap', minWidth: 160 }}>
                    {promotion.comment ?? '—'}
                  </TableCell>
                  {/* Room for the buttons or a train member's note. */}
                  <TableCell style={{ minWidth: 180 }}>
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
        </TableContainer>
      </InfoCard>
    </Box>
  );
}

function Releases(props: { entityRef: string; pageSize: number }) {
  const { entityRef, pageSize } = props;
  // One live-update subscription reloads the pipeline, the releases and the
  // attempt outcomes together.
  const pipeline = usePipeline(entityRef, { live: false });
  const pages = useReleasePages(entityRef, pageSize);
  const attempts = useAttemptOutcomes(entityRef);
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
  const permitted = usePhasePermissions(
    releasePromotionCreatePermission,
    entityRef,
    phases.map(p => p.id),
  );
  // Phases the user may deploy to: the permission framework and the API's
  // per-phase `actions.deploy` must both allow it.
  const promotableKey = `${[...(permitted.allowed ?? [])].join(',')}|${phases
    .map(p => `${p.id}:${phaseAction(p, 'deploy').allowed}`)
    .join(',')}`;
  const promotable = useMemo(
    () => ({
      loading: permitted.loading,
      allowed: permitted.allowed
        ? new Set(
            phases
              .filter(
                p =>
                  permitted.allowed!.has(p.id) &&
                  phaseAction(p, 'deploy').allowed,
              )
              .map(p => p.id),
          )
        : undefined,
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [promotableKey, permitted.loading],
  );
  const { retry: reloadPipeline } = pipeline;
  const { reload: reloadReleases } = pages;
  const { reload: reloadAttempts } = attempts;
  const reload = useCallback(() => {
    reloadPipeline();
    reloadReleases();
    reloadAttempts();
  }, [reloadPipeline, reloadReleases, reloadAttempts]);
  useLiveUpdates({ entityRef, refresh: reload, active: pipeline.running });

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
      <TrainBanner entityRef={entityRef} />
      <PipelineDrawing
        entityRef={entityRef}
        phases={phases}
        onChanged={promotion => {
          if (promotion) setSelectedPromotion(promotion.id);
          reload();
        }}
      />
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
          outcomes={attempts.outcomes}
          onSelect={setSelected}
          onSelectPromotion={setSelectedPromotion}
          onPromote={setPromoting}
          promoteBlockedBecause={promoteBlocker(
            promotable.allowed,
            promotable.loading,
          )}
        />
        <LoadMore pages={pages} />
      </InfoCard>
      {dialogs}
    </>
  );
}

/**
 * The "Releases" entity tab: the pipeline drawing, the promotions waiting
 * for approval (approve, reject, cancel), a release × phase matrix, newest
 * release first, with a status chip per cell that opens the promotion's
 * detail (a failure's reason and the last success below it), "Promote" per
 * release and "Create release" where allowed, and the detail of a release on
 * click. The query parameters `release=<version>` and `promotion=<id>` open
 * that release's or promotion's detail (the links of release notifications
 * and of the approvals inbox); opening either sets them, closing clears them.
 * It stays current through Backstage signals, with polling as the fallback.
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
