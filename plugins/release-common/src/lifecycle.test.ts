import {
  planReleaseNotification,
  ReleaseLifecycleEvent,
  releasesPageLink,
} from './lifecycle';

const ALICE = 'user:default/alice';
const LEAD = 'user:default/lead';
const TEAM = 'group:default/team-payments';

function event(over: Partial<ReleaseLifecycleEvent>): ReleaseLifecycleEvent {
  return {
    type: 'promotion.requested',
    entityRef: 'component:default/payments-api',
    phase: 'live',
    version: '1.2.0',
    promotionId: 'p-1',
    kind: 'promote',
    status: 'pending_approval',
    requestedBy: ALICE,
    actor: ALICE,
    link: releasesPageLink('component:default/payments-api', 'p-1'),
    at: '2026-11-20T10:00:00.000Z',
    ...over,
  };
}
const context = {
  approvers: [TEAM, ALICE],
  entityName: 'payments-api',
  phaseTitle: 'Live',
};

describe('releasesPageLink', () => {
  it('is the app-relative Releases tab of the entity, opening the promotion', () => {
    expect(releasesPageLink('Component:Default/payments-api', 'p 1')).toBe(
      '/catalog/default/component/payments-api/releases?promotion=p%201',
    );
    expect(releasesPageLink('component:payments-api')).toBe(
      '/catalog/default/component/payments-api/releases',
    );
  });
});

describe('planReleaseNotification', () => {
  it('asks the approvers, never the requester, when a promotion waits for approval', () => {
    const plan = planReleaseNotification(event({ message: 'Ready' }), context);
    expect(plan).toMatchObject({
      audience: 'approvers',
      recipients: [TEAM],
      excluded: [ALICE],
      title: 'Approval needed: payments-api 1.2.0 into Live',
      description: `${ALICE} asks to promote component:default/payments-api 1.2.0 into Live: Ready`,
      link: '/catalog/default/component/payments-api/releases?promotion=p-1',
      topic: 'release-approvals',
      scope: 'release-promotion:p-1:approval',
    });
  });

  it('asks no one when the requester is the only approver, or nothing waits', () => {
    expect(
      planReleaseNotification(event({}), { ...context, approvers: [ALICE] }),
    ).toBeUndefined();
    expect(
      planReleaseNotification(event({ status: 'approved' }), context),
    ).toBeUndefined();
  });

  it('words rollbacks as rollbacks', () => {
    expect(
      planReleaseNotification(event({ kind: 'rollback' }), context)?.title,
    ).toBe('Approval needed: rollback of payments-api to 1.2.0 in Live');
  });

  it('asks again when a configuration change invalidated approvals', () => {
    const plan = planReleaseNotification(
      event({ type: 'promotion.approvals_invalidated', actor: LEAD }),
      context,
    );
    expect(plan?.title).toBe('Approve again: payments-api 1.2.0 into Live');
    expect(plan?.scope).toBe('release-promotion:p-1:approval');
    expect(
      planReleaseNotification(
        event({ type: 'promotion.approvals_invalidated', status: 'queued' }),
        context,
      ),
    ).toBeUndefined();
  });

  it('tells the requester of approvals, rejections, cancels by others, deployments and failures', () => {
    const to = (over: Partial<ReleaseLifecycleEvent>) =>
      planReleaseNotification(event(over), context);
    expect(to({ type: 'promotion.approved', actor: LEAD })).toMatchObject({
      audience: 'requester',
      recipients: [ALICE],
      excluded: [],
      title: 'Approved: payments-api 1.2.0 into Live',
      topic: 'release-outcomes',
      scope: 'release-promotion:p-1',
    });
    expect(
      to({ type: 'promotion.rejected', actor: LEAD, message: 'No' }),
    ).toMatchObject({
      description: `Rejected by ${LEAD}: No`,
      severity: 'high',
    });
    expect(to({ type: 'promotion.cancelled', actor: LEAD })?.title).toBe(
      'Cancelled: payments-api 1.2.0 into Live',
    );
    expect(
      to({ type: 'promotion.succeeded', actor: 'system:dispatcher' })
        ?.description,
    ).toBe('payments-api 1.2.0 is running in Live.');
    expect(
      to({
        type: 'promotion.failed',
        actor: 'system:dispatcher',
        message: 'x'.repeat(2000),
      })?.description.length,
    ).toBeLessThanOrEqual(540);
  });

  it('does not tell requesters of their own actions, nor system requesters anything', () => {
    expect(
      planReleaseNotification(
        event({ type: 'promotion.cancelled', actor: ALICE }),
        context,
      ),
    ).toBeUndefined();
    expect(
      planReleaseNotification(
        event({
          type: 'promotion.succeeded',
          requestedBy: 'system:auto-promote',
          actor: 'system:dispatcher',
        }),
        context,
      ),
    ).toBeUndefined();
  });

  it('ignores events that are no promotion outcome', () => {
    for (const type of [
      'release.created',
      'promotion.queued',
      'promotion.deploying',
      'promotion.superseded',
      'promotion.decision_recorded',
      'phase.locked',
    ] as const) {
      expect(
        planReleaseNotification(event({ type, status: undefined }), context),
      ).toBeUndefined();
    }
  });
});
