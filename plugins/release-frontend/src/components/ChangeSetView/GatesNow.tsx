import Link from '@material-ui/core/Link';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { Person } from '../Person';
import {
  ChangeSet,
  WouldDeploy,
} from '@release-manager/backstage-plugin-release-common';
import { DetailList } from '../DetailList';
import { RelativeTime } from '../RelativeTime';
import { shortScheduleTime } from '../ScheduledMarker';

const BECAUSE: Record<string, string> = {
  window: 'next deployment window',
  freeze: 'when the freeze ends',
  soak: 'when the soak time is over',
};

/**
 * When it would deploy, in words: "Would deploy now", "Would deploy at Tue
 * 08:00 (next deployment window)", "Scheduled for …", or why it would not.
 */
export function wouldDeployText(deploy: WouldDeploy): string {
  const time = deploy.at ? shortScheduleTime(deploy.at) : '';
  let text: string;
  switch (deploy.kind) {
    case 'now':
      text = 'Would deploy now';
      break;
    case 'at':
      text = `Would deploy at ${time}${
        deploy.because && BECAUSE[deploy.because]
          ? ` (${BECAUSE[deploy.because]})`
          : ''
      }`;
      break;
    case 'scheduled':
      text = `Scheduled for ${time}`;
      break;
    case 'ends':
      text = `Scheduled for ${time}, but would not deploy then: ${deploy.reason}`;
      break;
    default:
      text = `Would not deploy: ${deploy.reason}`;
  }
  return deploy.blockedBy.length && deploy.kind !== 'never'
    ? `${text}, once resolved: ${deploy.blockedBy.join('; ')}`
    : text;
}

function previewNote(changes: ChangeSet): string {
  const { gates, phase } = changes;
  if (gates.waitingFor.length) {
    return `Requested now, it would wait: ${gates.waitingFor.join('; ')}.`;
  }
  const n = gates.approvals.required;
  return n === 0
    ? `Requested now, it deploys to ${phase.title} right away.`
    : `Requested now, it waits for ${n} approval${
        n === 1 ? '' : 's'
      }, then deploys to ${phase.title}.`;
}

/** "1 of 2 — approved by …", with the approvals a later change voided. */
export function ApprovalsGiven(props: { changes: ChangeSet }) {
  const { approvals } = props.changes.gates;
  return (
    <>
      {approvals.count} of {approvals.required}
      {approvals.approvedBy.length > 0 && (
        <>
          {' — approved by '}
          {approvals.approvedBy.map((a, i) => (
            <span key={a.userRef}>
              {i > 0 && ', '}
              <Person entityRef={a.userRef} />
            </span>
          ))}
        </>
      )}
      {approvals.voided.length > 0 && (
        <>
          {' (voided by a later change: '}
          {approvals.voided.map((u, i) => (
            <span key={u}>
              {i > 0 && ', '}
              <Person entityRef={u} />
            </span>
          ))}
          )
        </>
      )}
    </>
  );
}

/** The gates of the target phase as they stand now. */
export function GatesNow(props: { changes: ChangeSet }) {
  const { gates, phase, promotion } = props.changes;
  const { requires, lock, freeze } = gates;
  return (
    <>
      <DetailList>
        <dt>Approvals</dt>
        <dd data-testid="change-set-approvals">
          <ApprovalsGiven changes={props.changes} />
        </dd>
        {requires.phase && (
          <>
            <dt>Requires</dt>
            <dd>
              {requires.met ? 'Met' : 'Not met'}: {requires.phase}
              {requires.succeededAt && (
                <>
                  {' '}
                  (succeeded <RelativeTime value={requires.succeededAt} />)
                </>
              )}
              {requires.soakTime && `, soak time ${requires.soakTime}`}
              {requires.readyAt && (
                <>
                  , ready <RelativeTime value={requires.readyAt} />
                </>
              )}
              {requires.message && (
                <Typography variant="caption" display="block">
                  {requires.message}
                </Typography>
              )}
            </dd>
          </>
        )}
        {gates.deployAt && (
          <>
            <dt>When</dt>
            <dd
              data-testid="change-set-deploy-at"
              title={
                gates.deployAt.at
                  ? new Date(gates.deployAt.at).toLocaleString()
                  : undefined
              }
            >
              {wouldDeployText(gates.deployAt)}
            </dd>
          </>
        )}
        <dt>Lock</dt>
        <dd>{lock ? `Locked by ${lock.lockedBy}: ${lock.reason}` : 'None'}</dd>
        <dt>Freeze</dt>
        <dd>
          {freeze.active
            ? `Frozen until ${new Date(freeze.active.endsAt).toLocaleString()}${
                freeze.active.reason ? `: ${freeze.active.reason}` : ''
              }`
            : 'Not frozen'}
          {freeze.next && (
            <Typography variant="caption" display="block">
              Next freeze: {new Date(freeze.next.startsAt).toLocaleString()} to{' '}
              {new Date(freeze.next.endsAt).toLocaleString()}
              {freeze.next.reason ? ` (${freeze.next.reason})` : ''}
            </Typography>
          )}
        </dd>
        {gates.checks.length > 0 && (
          <>
            <dt>Checks</dt>
            <dd>
              <ul
                aria-label={`Checks before deploying to ${phase.title}`}
                style={{ margin: 0, paddingLeft: 16 }}
              >
                {gates.checks.map(check => (
                  <li key={check.name}>
                    <Typography variant="body2" component="span">
                      {check.name}: {check.status} — {check.summary}
                    </Typography>{' '}
                    <Typography
                      variant="caption"
                      color="textSecondary"
                      component="span"
                    >
                      (<RelativeTime value={check.evaluatedAt} />)
                    </Typography>
                    {check.url && (
                      <>
                        {' '}
                        <Link
                          href={check.url}
                          target="_blank"
                          rel="noopener noreferrer"
                        >
                          details
                        </Link>
                      </>
                    )}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
      </DetailList>
      {promotion?.status === 'pending_approval' && (
        <Alert
          severity={gates.approvingDeploysNow ? 'info' : 'warning'}
          role="note"
        >
          {gates.approvingDeploysNow
            ? `One more approval deploys it to ${phase.title} now.`
            : `Approving now does not deploy it yet: ${
                gates.waitingFor.join('; ') || 'the approvals are complete'
              }.`}
        </Alert>
      )}
      {!promotion && (
        <Alert
          severity={gates.waitingFor.length ? 'warning' : 'info'}
          role="note"
        >
          {previewNote(props.changes)}
        </Alert>
      )}
    </>
  );
}
