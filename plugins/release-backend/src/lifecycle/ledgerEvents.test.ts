import { ReleaseLedgerAction } from '@release-manager/backstage-plugin-release-common';
import { toLifecycleEvent } from './ledgerEvents';

const ENTITY = 'component:default/payments-api';
const at = '2026-11-20T10:00:00.000Z';
const base = {
  entityRef: ENTITY,
  phase: 'live',
  version: '1.2.0',
  promotionId: 'p-1',
  actor: 'user:default/lead',
  at,
};
const facts = { kind: 'promote' as const, requestedBy: 'user:default/alice' };

describe('toLifecycleEvent', () => {
  it('maps every lifecycle ledger action to its public event type', () => {
    const cases: Array<[string, string]> = [
      ['promotion.request', 'promotion.requested'],
      ['rollback.request', 'promotion.requested'],
      ['approval.approve', 'promotion.decision_recorded'],
      ['approval.reject', 'promotion.decision_recorded'],
      ['promotion.approved', 'promotion.approved'],
      ['promotion.rejected', 'promotion.rejected'],
      ['promotion.cancelled', 'promotion.cancelled'],
      ['promotion.superseded', 'promotion.superseded'],
      ['promotion.queued', 'promotion.queued'],
      ['promotion.deploying', 'promotion.deploying'],
      ['promotion.succeeded', 'promotion.succeeded'],
      ['promotion.failed', 'promotion.failed'],
      ['promotion.config_changed', 'promotion.approvals_invalidated'],
      ['phase.lock', 'phase.locked'],
      ['phase.unlock', 'phase.unlocked'],
      ['config.change', 'phase.config_changed'],
      ['release.create', 'release.created'],
    ];
    for (const [action, type] of cases) {
      expect(
        toLifecycleEvent(
          { ...base, action: action as ReleaseLedgerAction },
          facts,
        )?.type,
      ).toBe(type);
    }
  });

  it('publishes nothing for imported history', () => {
    expect(
      toLifecycleEvent({ ...base, action: 'promotion.import' }),
    ).toBeUndefined();
  });

  it('a request carries its kind, status and requester from the ledger row itself', () => {
    expect(
      toLifecycleEvent({
        ...base,
        actor: 'user:default/alice',
        action: 'rollback.request',
        after: { status: 'pending_approval', artifact: 'img@sha256:1' },
        reason: 'Back to the good one',
      }),
    ).toEqual({
      type: 'promotion.requested',
      entityRef: ENTITY,
      phase: 'live',
      version: '1.2.0',
      promotionId: 'p-1',
      kind: 'rollback',
      status: 'pending_approval',
      requestedBy: 'user:default/alice',
      actor: 'user:default/alice',
      message: 'Back to the good one',
      link: '/catalog/default/component/payments-api/releases?promotion=p-1',
      at,
    });
  });

  it('copies only named fields of the ledger row, never the rest of before/after', () => {
    const event = toLifecycleEvent(
      {
        ...base,
        action: 'promotion.deploying',
        before: { status: 'queued' },
        after: {
          status: 'deploying',
          externalId: 'run-1',
          url: 'https://ci.example.com/run/1',
          config: { password: 'must-not-travel' },
        },
      },
      facts,
    );
    expect(event).toEqual({
      type: 'promotion.deploying',
      entityRef: ENTITY,
      phase: 'live',
      version: '1.2.0',
      promotionId: 'p-1',
      kind: 'promote',
      requestedBy: 'user:default/alice',
      status: 'deploying',
      previousStatus: 'queued',
      externalUrl: 'https://ci.example.com/run/1',
      actor: 'user:default/lead',
      link: '/catalog/default/component/payments-api/releases?promotion=p-1',
      at,
    });
    expect(JSON.stringify(event)).not.toContain('must-not-travel');
  });
});
