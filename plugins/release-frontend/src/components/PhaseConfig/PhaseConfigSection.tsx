import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles, Theme } from '@material-ui/core/styles';
import EditIcon from '@material-ui/icons/Edit';
import VpnKeyIcon from '@material-ui/icons/VpnKey';
import Alert from '@material-ui/lab/Alert';
import {
  releaseConfigReadPermission,
  releaseConfigUpdatePermission,
  releaseSecretUpdatePermission,
  toPhaseResourceRef,
} from '@release-manager/backstage-plugin-release-common';
import { ReactNode, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  PhaseActionAllowance,
  PhaseConfigView,
  releaseApiRef,
} from '../../api';
import { errorMessage } from '../../errors';
import { CommentDialog } from '../CommentDialog';
import { ConfigVersions } from '../ConfigVersions';
import { GatedButton } from '../GatedButton';
import { Person } from '../Person';
import { RelativeTime } from '../RelativeTime';
import { EditConfigDialog } from './EditConfigDialog';
import { SecretDialog } from './SecretDialog';

/** What a secret value looks like on screen: never the value. */
export const MASKED_SECRET = '••••••';

const useStyles = makeStyles((theme: Theme) => ({
  list: {
    margin: 0,
    display: 'grid',
    gridTemplateColumns: 'auto minmax(0, 1fr)',
    columnGap: theme.spacing(1),
    '& dt': { fontFamily: 'monospace', color: theme.palette.text.secondary },
    // Values never break mid-word: a long one scrolls inside its own cell.
    '& dd': {
      margin: 0,
      fontFamily: 'monospace',
      whiteSpace: 'nowrap',
      overflowX: 'auto',
    },
  },
  secrets: {
    listStyle: 'none',
    margin: 0,
    padding: 0,
    '& > li': { padding: theme.spacing(0.5, 0) },
  },
  actions: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    marginTop: theme.spacing(1),
  },
}));

function KeyValues(props: {
  label: string;
  values?: Record<string, unknown>;
  empty: string;
}) {
  const classes = useStyles();
  const entries = Object.entries(props.values ?? {}).filter(
    ([, v]) => v !== undefined && v !== null,
  );
  return (
    <Box mt={1}>
      <Typography variant="subtitle2" component="h4">
        {props.label}
      </Typography>
      {entries.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          {props.empty}
        </Typography>
      ) : (
        <dl className={classes.list} aria-label={props.label}>
          {entries.map(([k, v]) => (
            <Box key={k} display="contents">
              <dt>{k}</dt>
              <dd>{String(v)}</dd>
            </Box>
          ))}
        </dl>
      )}
    </Box>
  );
}

function useBlocker(
  permission:
    | typeof releaseConfigUpdatePermission
    | typeof releaseSecretUpdatePermission,
  resourceRef: string,
  what: string,
): string | undefined {
  const { loading, allowed } = usePermission({ permission, resourceRef });
  if (loading) return `Checking whether you may ${what}…`;
  if (!allowed) return `You may not ${what}`;
  return undefined;
}

function ConfigBody(props: {
  entityRef: string;
  phaseId: string;
  phaseTitle: string;
  config: PhaseConfigView;
  reload: () => void;
  editAllowance?: PhaseActionAllowance;
}) {
  const { entityRef, phaseId, phaseTitle, config, reload, editAllowance } =
    props;
  const classes = useStyles();
  const api = useApi(releaseApiRef);
  const resourceRef = toPhaseResourceRef(entityRef, phaseId);
  // The API's per-phase answer (`actions.editConfig`) comes first; the
  // permission framework is asked too.
  const serverBlocker =
    editAllowance && !editAllowance.allowed
      ? editAllowance.reason ||
        `You may not change the configuration of ${phaseTitle}`
      : undefined;
  const permissionEditBlocker = useBlocker(
    releaseConfigUpdatePermission,
    resourceRef,
    `change the configuration of ${phaseTitle}`,
  );
  const permissionSecretBlocker = useBlocker(
    releaseSecretUpdatePermission,
    resourceRef,
    `change the secrets of ${phaseTitle}`,
  );
  const editBlocker = serverBlocker ?? permissionEditBlocker;
  const secretBlocker = serverBlocker ?? permissionSecretBlocker;
  const [dialog, setDialog] = useState<
    | { kind: 'edit' }
    | { kind: 'secret'; name?: string }
    | { kind: 'remove'; name: string }
  >();
  const close = () => setDialog(undefined);
  const saved = () => {
    setDialog(undefined);
    reload();
  };

  return (
    <>
      {config.version === 0 ? (
        <Typography variant="body2" color="textSecondary">
          Not configured yet
        </Typography>
      ) : (
        <Typography variant="body2" color="textSecondary">
          Version {config.version}, changed{' '}
          <RelativeTime value={config.createdAt} /> by{' '}
          <Person entityRef={config.createdBy} />
        </Typography>
      )}
      <KeyValues
        label={`Variables of ${phaseTitle}`}
        values={config.variables}
        empty="No variables"
      />
      <KeyValues
        label={`Database of ${phaseTitle}`}
        values={config.database as Record<string, unknown> | undefined}
        empty="No database settings"
      />
      <KeyValues
        label={`Sizing of ${phaseTitle}`}
        values={config.sizing as Record<string, unknown> | undefined}
        empty="No sizing settings"
      />
      <Box mt={1}>
        <Typography variant="subtitle2" component="h4">
          Secrets
        </Typography>
        {config.secrets.length === 0 ? (
          <Typography variant="body2" color="textSecondary">
            No secrets
          </Typography>
        ) : (
          <ul
            className={classes.secrets}
            aria-label={`Secrets of ${phaseTitle}`}
          >
            {config.secrets.map(s => (
              <li key={s.name} aria-label={`Secret ${s.name}`}>
                <Typography variant="body2">
                  <code>{s.name}</code>{' '}
                  <span aria-label="value hidden">{MASKED_SECRET}</span>{' '}
                  <Typography
                    component="span"
                    variant="caption"
                    color="textSecondary"
                  >
                    fingerprint {s.fingerprint}
                  </Typography>
                </Typography>
                <Typography variant="caption" color="textSecondary">
                  Set by <Person entityRef={s.updatedBy} />{' '}
                  <RelativeTime value={s.updatedAt} />
                </Typography>
                <Box>
                  <GatedButton
                    size="small"
                    aria-label={`Replace secret ${s.name} of ${phaseTitle}`}
                    disabledReason={secretBlocker}
                    onClick={() => setDialog({ kind: 'secret', name: s.name })}
                  >
                    Replace
                  </GatedButton>
                  <GatedButton
                    size="small"
                    aria-label={`Remove secret ${s.name} of ${phaseTitle}`}
                    disabledReason={secretBlocker}
                    onClick={() => setDialog({ kind: 'remove', name: s.name })}
                  >
                    Remove
                  </GatedButton>
                </Box>
              </li>
            ))}
          </ul>
        )}
      </Box>
      <div className={classes.actions}>
        <GatedButton
          size="small"
          variant="outlined"
          startIcon={<EditIcon />}
          aria-label={`Edit configuration of ${phaseTitle}`}
          disabledReason={editBlocker}
          onClick={() => setDialog({ kind: 'edit' })}
        >
          Edit
        </GatedButton>
        <GatedButton
          size="small"
          variant="outlined"
          startIcon={<VpnKeyIcon />}
          aria-label={`Set secret of ${phaseTitle}`}
          disabledReason={secretBlocker}
          onClick={() => setDialog({ kind: 'secret' })}
        >
          Set secret
        </GatedButton>
        <ConfigVersions
          entityRef={entityRef}
          phaseId={phaseId}
          phaseTitle={phaseTitle}
          currentVersion={config.version}
          onRestored={reload}
        />
      </div>
      <EditConfigDialog
        open={dialog?.kind === 'edit'}
        entityRef={entityRef}
        phaseId={phaseId}
        phaseTitle={phaseTitle}
        config={config}
        onClose={close}
        onSaved={saved}
        onReload={reload}
      />
      <SecretDialog
        open={dialog?.kind === 'secret'}
        name={dialog?.kind === 'secret' ? dialog.name : undefined}
        entityRef={entityRef}
        phaseId={phaseId}
        phaseTitle={phaseTitle}
        onClose={close}
        onSaved={saved}
      />
      <CommentDialog
        open={dialog?.kind === 'remove'}
        title={`Remove secret ${
          dialog?.kind === 'remove' ? dialog.name : ''
        } of ${phaseTitle}`}
        description="Deployments to this phase no longer get the secret. This cannot be undone."
        confirmLabel="Remove"
        onClose={close}
        onConfirm={async () => {
          if (dialog?.kind !== 'remove') return;
          await api.deletePhaseSecret(entityRef, phaseId, dialog.name);
          saved();
        }}
      />
    </>
  );
}

/** Props of {@link PhaseConfigSection}. */
export interface PhaseConfigSectionProps {
  entityRef: string;
  phaseId: string;
  phaseTitle: string;
  /** What the API says about editing this phase's configuration (`actions.editConfig`). */
  editAllowance?: PhaseActionAllowance;
}

/**
 * The configuration of one phase: its version with who changed it when, the
 * variables, database and sizing, and the secrets as name, masked value and
 * fingerprint; with Edit, Set secret, Replace and Remove where the user may,
 * and the history of its versions (view, compare, restore).
 */
export function PhaseConfigSection(props: PhaseConfigSectionProps) {
  const { entityRef, phaseId, phaseTitle, editAllowance } = props;
  const api = useApi(releaseApiRef);
  const read = usePermission({
    permission: releaseConfigReadPermission,
    resourceRef: toPhaseResourceRef(entityRef, phaseId),
  });
  const allowed = !read.loading && read.allowed;
  const state = useAsyncRetry(
    async () => (allowed ? api.getPhaseConfig(entityRef, phaseId) : undefined),
    [api, entityRef, phaseId, allowed],
  );

  let body: ReactNode;
  if (read.loading || (allowed && !state.value && state.loading)) {
    body = (
      <Typography variant="body2" color="textSecondary">
        Loading configuration…
      </Typography>
    );
  } else if (!allowed) {
    body = (
      <Typography variant="body2" color="textSecondary">
        You may not view the configuration of {phaseTitle}
      </Typography>
    );
  } else if (state.error && !state.value) {
    body = (
      <Alert severity="error" role="alert">
        Could not load the configuration: {errorMessage(state.error)}
      </Alert>
    );
  } else if (state.value) {
    body = (
      <ConfigBody
        entityRef={entityRef}
        phaseId={phaseId}
        phaseTitle={phaseTitle}
        config={state.value}
        reload={state.retry}
        editAllowance={editAllowance}
      />
    );
  }
  return (
    <div role="region" aria-label={`Configuration of ${phaseTitle}`}>
      {body}
    </div>
  );
}
