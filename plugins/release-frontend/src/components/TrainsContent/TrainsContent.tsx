import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useAppSearchParams } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Link from '@material-ui/core/Link';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import AddIcon from '@material-ui/icons/Add';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { releaseApiRef, Train, TrainDefinition } from '../../api';
import { errorMessage } from '../../errors';
import { useCursorPages } from '../../hooks/useCursorPages';
import { useLiveUpdates } from '../../hooks/useLiveUpdates';
import { GatedButton } from '../GatedButton';
import { Person } from '../Person';
import { RelativeTime } from '../RelativeTime';
import { NewTrainDialog, planBlockers } from './NewTrainDialog';
import { TrainDetail } from './TrainDetail';
import { TrainStatusChip } from './TrainStatusChip';
import { deployedCount, isOpenTrain, trainLabel } from './trainText';
import { LoadMore } from '../LoadMore';

/**
 * Props of the "Trains" entity tab.
 *
 * @public
 */
export interface TrainsContentProps {
  /** Trains loaded per page; default 20. */
  pageSize?: number;
}

function sameRef(a: string, b: string) {
  return a.toLocaleLowerCase('en-US') === b.toLocaleLowerCase('en-US');
}

/**
 * The System's train definition and whether the caller can request a train
 * now (into any of its phases), else why not.
 */
function useNewTrain(systemRef: string, systemTitle: string) {
  const api = useApi(releaseApiRef);
  return useAsync(async (): Promise<{
    definition?: TrainDefinition;
    blockedBecause?: string;
  }> => {
    const definitions = await api.listTrainDefinitions();
    const definition = definitions.find(d => sameRef(d.system, systemRef));
    if (!definition) {
      return {
        blockedBecause: `No train is configured for ${systemTitle} (release.trains in app-config)`,
      };
    }
    const plans = await Promise.all(
      definition.phases.map(p =>
        api.getTrainPlan(systemRef, p.id).catch(e => ({
          phaseTitle: p.title,
          error: errorMessage(e),
        })),
      ),
    );
    const reasons: string[] = [];
    for (const plan of plans) {
      if ('error' in plan) {
        reasons.push(`${plan.phaseTitle}: ${plan.error}`);
        continue;
      }
      const blockers = planBlockers(plan);
      if (plan.canRequest && blockers.length === 0) {
        return { definition };
      }
      reasons.push(
        `${plan.phaseTitle}: ${blockers.join('; ') || 'not allowed'}`,
      );
    }
    return { definition, blockedBecause: reasons.join(' — ') };
  }, [api, systemRef, systemTitle]);
}

function TrainTable(props: { trains: Train[]; onOpen: (id: string) => void }) {
  const { trains, onOpen } = props;
  return (
    <TableContainer style={{ position: 'relative' }}>
      <Table size="small" aria-label="Trains">
        <TableHead>
          <TableRow>
            <TableCell>Train</TableCell>
            <TableCell>Status</TableCell>
            <TableCell style={{ whiteSpace: 'nowrap' }}>Members</TableCell>
            <TableCell>Requested</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {trains.map(t => (
            <TableRow key={t.id} data-testid="train-row">
              <TableCell
                component="th"
                scope="row"
                style={{ whiteSpace: 'nowrap' }}
              >
                <Link
                  component="button"
                  variant="body2"
                  onClick={() => onOpen(t.id)}
                >
                  {trainLabel(t)}
                </Link>
              </TableCell>
              <TableCell>
                <TrainStatusChip status={t.status} />
              </TableCell>
              <TableCell style={{ whiteSpace: 'nowrap' }}>
                {t.members.length}{' '}
                {t.members.length === 1 ? 'service' : 'services'}
                <Typography
                  variant="caption"
                  color="textSecondary"
                  display="block"
                >
                  {deployedCount(t)}
                </Typography>
              </TableCell>
              <TableCell>
                <Person entityRef={t.requestedBy} />{' '}
                <Typography
                  variant="caption"
                  color="textSecondary"
                  component="span"
                >
                  <RelativeTime value={t.requestedAt} />
                </Typography>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}

function Trains(props: {
  systemRef: string;
  systemTitle: string;
  pageSize: number;
}) {
  const { systemRef, systemTitle, pageSize } = props;
  const api = useApi(releaseApiRef);
  // The train shown is in the URL (`?train=<id>`, the link of notifications).
  const [searchParams, setSearchParams] = useAppSearchParams();
  const selected = searchParams.get('train') || undefined;
  const setSelected = useCallback(
    (id: string | undefined) =>
      setSearchParams(previous => {
        const next = new URLSearchParams(previous);
        if (id) next.set('train', id);
        else next.delete('train');
        return next;
      }),
    [setSearchParams],
  );
  const fetchPage = useCallback(
    (cursor: string | undefined) =>
      api.listTrains({
        system: systemRef,
        status: 'all',
        limit: pageSize,
        cursor,
      }),
    [api, systemRef, pageSize],
  );
  const pages = useCursorPages(fetchPage);
  const newTrain = useNewTrain(systemRef, systemTitle);
  const [requesting, setRequesting] = useState(false);
  // Open trains first, each group newest first as the server sends them.
  const trains = useMemo(
    () => [
      ...pages.items.filter(isOpenTrain),
      ...pages.items.filter(t => !isOpenTrain(t)),
    ],
    [pages.items],
  );
  const { reload } = pages;
  // Back from a train (the button or the browser's back): the list was not
  // kept current meanwhile, so it loads again.
  const shown = useRef(selected);
  useEffect(() => {
    if (shown.current && !selected) reload();
    shown.current = selected;
  }, [selected, reload]);
  useLiveUpdates({
    entityRefs: [
      systemRef,
      ...new Set(pages.items.flatMap(t => t.members.map(m => m.entityRef))),
    ],
    refresh: reload,
    enabled: !selected,
    active: pages.items.some(
      t => isOpenTrain(t) && t.status !== 'pending_approval',
    ),
  });

  const definition = newTrain.value?.definition;
  let blockedBecause: string | undefined;
  if (newTrain.loading) {
    blockedBecause = 'Checking whether you may request a train…';
  } else if (newTrain.error) {
    blockedBecause = `Could not check: ${errorMessage(newTrain.error)}`;
  } else {
    blockedBecause = newTrain.value?.blockedBecause;
  }
  const newButton = (
    <GatedButton
      variant="contained"
      color="primary"
      startIcon={<AddIcon />}
      disabledReason={blockedBecause}
      onClick={() => setRequesting(true)}
    >
      New train
    </GatedButton>
  );
  const dialog = definition && (
    <NewTrainDialog
      open={requesting}
      systemRef={systemRef}
      definition={definition}
      onClose={() => setRequesting(false)}
      onCreated={created => {
        setRequesting(false);
        reload();
        setSelected(created.id);
      }}
    />
  );

  if (selected) {
    return (
      <>
        <TrainDetail
          trainId={selected}
          onBack={() => setSelected(undefined)}
          onChanged={reload}
        />
        {dialog}
      </>
    );
  }
  if (pages.loading && pages.items.length === 0) {
    return <Progress />;
  }
  if (pages.error && pages.items.length === 0) {
    return <ResponseErrorPanel error={pages.error} />;
  }
  if (trains.length === 0) {
    return (
      <>
        <EmptyState
          missing="data"
          title="No trains yet"
          description={`A train moves one release of each service of ${systemTitle} to a phase as one unit: in dependency order, with one approval.`}
          action={newButton}
        />
        {dialog}
      </>
    );
  }
  return (
    <>
      <InfoCard
        title="Trains"
        subheader={`Releases of ${systemTitle}'s services promoted together`}
        action={<Box m={1}>{newButton}</Box>}
      >
        <TrainTable trains={trains} onOpen={setSelected} />
        <LoadMore pages={pages} />
      </InfoCard>
      {dialog}
    </>
  );
}

/**
 * The "Trains" tab of a System entity: the System's release trains, open
 * ones first (state, phase, members and how many are deployed, requester),
 * page by page; "New train" with the plan of the chosen phase; and the
 * detail of a train (`?train=<id>`): members in deploy order with their
 * progress, one approval for the whole train, cancel and roll back.
 *
 * @public
 */
export function TrainsContent(props: TrainsContentProps) {
  const { entity } = useEntity();
  return (
    <Trains
      systemRef={stringifyEntityRef(entity)}
      systemTitle={entity.metadata.title ?? entity.metadata.name}
      pageSize={props.pageSize ?? 20}
    />
  );
}
