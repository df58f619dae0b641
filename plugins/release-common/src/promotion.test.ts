import {
  applySupersedeRule,
  autoPromotionTargets,
  canTransition,
  evaluateApprover,
  evaluateGates,
  overridableGateOf,
  evaluateRequiresGate,
  hasEnoughApprovals,
  isActiveStatus,
  isFinalStatus,
  PROMOTION_TRANSITIONS,
} from './promotion';
import { DEFAULT_PIPELINE_TEMPLATE } from './pipeline';
import { PhaseDefinition, PROMOTION_STATUSES, PromotionStatus } from './types';

const [dev, qa, stage, live] = DEFAULT_PIPELINE_TEMPLATE.phases;

describe('promotion state machine', () => {
  const legal: Array<[PromotionStatus, PromotionStatus]> = [
    ['pending_approval', 'approved'],
    ['pending_approval', 'rejected'],
    ['pending_approval', 'cancelled'],
    ['pending_approval', 'superseded'],
    ['approved', 'queued'],
    ['approved', 'pending_approval'],
    ['approved', 'rejected'],
    ['approved', 'cancelled'],
    ['approved', 'superseded'],
    ['queued', 'deploying'],
    ['queued', 'cancelled'],
    ['queued', 'superseded'],
    ['queued', 'failed'],
    ['deploying', 'succeeded'],
    ['deploying', 'failed'],
  ];

  it('allows exactly the documented transitions', () => {
    for (const from of PROMOTION_STATUSES) {
      for (const to of PROMOTION_STATUSES) {
        const expected = legal.some(([f, t]) => f === from && t === to);
        expect({ from, to, allowed: canTransition(from, to) }).toEqual({
          from,
          to,
          allowed: expected,
        });
      }
    }
  });

  it('knows final and active states', () => {
    expect(PROMOTION_STATUSES.filter(isFinalStatus)).toEqual([
      'succeeded',
      'failed',
      'rejected',
      'cancelled',
      'superseded',
    ]);
    expect(PROMOTION_STATUSES.filter(isActiveStatus)).toEqual([
      'queued',
      'deploying',
    ]);
    // A deploying promotion can never be cancelled or superseded.
    expect(PROMOTION_TRANSITIONS.deploying).not.toContain('cancelled');
    expect(PROMOTION_TRANSITIONS.deploying).not.toContain('superseded');
  });
});

describe('requires gate', () => {
  const now = new Date('2026-11-26T12:00:00Z');

  it('passes for the first phase', () => {
    expect(evaluateRequiresGate({ phase: dev, evidence: {}, now })).toEqual([]);
  });

  it('needs success in the required phase', () => {
    expect(evaluateRequiresGate({ phase: qa, evidence: {}, now })).toEqual([
      {
        code: 'requires_not_met',
        message:
          "The release has not succeeded in 'dev', which 'qa' requires first",
      },
    ]);
    expect(
      evaluateRequiresGate({
        phase: qa,
        evidence: { succeededAt: new Date(0) },
        now,
      }),
    ).toEqual([]);
  });

  it('waits out the soak time', () => {
    const soaking: PhaseDefinition = { ...stage, soakTime: 'PT2H' };
    const oneHourAgo = new Date(now.getTime() - 3600_000);
    expect(
      evaluateRequiresGate({
        phase: soaking,
        evidence: { succeededAt: oneHourAgo },
        now,
        soakTimeMs: 7_200_000,
      }),
    ).toEqual([
      {
        code: 'soak_time',
        message:
          "The release must run in 'qa' for PT2H first; it can be promoted from 2026-11-26T13:00:00.000Z",
      },
    ]);
    expect(
      evaluateRequiresGate({
        phase: soaking,
        evidence: { succeededAt: new Date(now.getTime() - 7_200_000) },
        now,
        soakTimeMs: 7_200_000,
      }),
    ).toEqual([]);
  });
});

describe('approver rules', () => {
  const base = {
    phase: stage,
    approvers: ['group:default/leads'],
    requestedBy: 'user:default/alice',
    decisions: [],
  };

  it('accepts an eligible approver who is not the requester', () => {
    expect(
      evaluateApprover({
        ...base,
        userRef: 'user:default/lead',
        ownershipEntityRefs: ['user:default/lead', 'group:default/leads'],
      }),
    ).toEqual([]);
  });

  it('refuses non-approvers, the requester and a second decision', () => {
    const codes = evaluateApprover({
      ...base,
      approvers: ['group:default/leads', 'user:default/alice'],
      userRef: 'user:default/alice',
      ownershipEntityRefs: ['user:default/alice'],
      decisions: [
        { userRef: 'user:default/alice', decision: 'approve', valid: true },
      ],
    }).map(v => v.code);
    expect(codes).toEqual(['self_approval', 'already_decided']);
    expect(
      evaluateApprover({
        ...base,
        userRef: 'user:default/bob',
        ownershipEntityRefs: ['user:default/bob'],
      }).map(v => v.code),
    ).toEqual(['not_an_approver']);
  });

  it('lets the requester approve where the phase allows it', () => {
    expect(
      evaluateApprover({
        ...base,
        phase: {
          ...stage,
          approvals: { required: 1, allowSelfApproval: true },
        },
        approvers: ['user:default/alice'],
        userRef: 'user:default/alice',
        ownershipEntityRefs: ['user:default/alice'],
      }),
    ).toEqual([]);
  });

  it('counts N distinct valid approvals, never the requester’s unless allowed', () => {
    const twoOfThree: PhaseDefinition = {
      ...live,
      approvals: { required: 2, allowSelfApproval: false },
    };
    const ok = (
      decisions: Parameters<typeof hasEnoughApprovals>[0]['decisions'],
    ) =>
      hasEnoughApprovals({
        phase: twoOfThree,
        requestedBy: 'user:default/alice',
        decisions,
        isEligible: u => u !== 'user:default/outsider',
      });
    const approve = (userRef: string, valid = true) => ({
      userRef,
      decision: 'approve' as const,
      valid,
    });
    expect(ok([approve('user:default/a')])).toBe(false);
    expect(ok([approve('user:default/a'), approve('user:default/a')])).toBe(
      false,
    );
    expect(ok([approve('user:default/a'), approve('user:default/alice')])).toBe(
      false,
    );
    expect(
      ok([approve('user:default/a'), approve('user:default/outsider')]),
    ).toBe(false);
    expect(
      ok([approve('user:default/a'), approve('user:default/b', false)]),
    ).toBe(false);
    expect(
      ok([
        approve('user:default/a'),
        { userRef: 'user:default/b', decision: 'reject', valid: true },
      ]),
    ).toBe(false);
    expect(ok([approve('user:default/a'), approve('user:default/b')])).toBe(
      true,
    );
  });
});

describe('supersede rule', () => {
  const open = (version: string, status: PromotionStatus, id = version) => ({
    id,
    version,
    status,
    kind: 'promote' as const,
  });

  it('refuses a second open promotion of the same release', () => {
    expect(
      applySupersedeRule({
        version: '1.0.0',
        kind: 'promote',
        open: [open('1.0.0', 'queued')],
      }).conflict?.code,
    ).toBe('same_release_open');
  });

  it('supersedes older waiting promotions, but not one that is deploying', () => {
    expect(
      applySupersedeRule({
        version: '2.0.0',
        kind: 'promote',
        open: [
          open('1.0.0', 'pending_approval'),
          open('1.1.0', 'queued'),
          open('1.2.0', 'deploying'),
        ],
      }),
    ).toEqual({ supersede: ['1.0.0', '1.1.0'] });
  });

  it('never lets an older release overtake a newer one, except as a rollback', () => {
    const waiting = [open('2.0.0', 'approved')];
    expect(
      applySupersedeRule({ version: '1.9.0', kind: 'promote', open: waiting })
        .conflict?.code,
    ).toBe('newer_release_open');
    expect(
      applySupersedeRule({ version: '1.9.0', kind: 'rollback', open: waiting }),
    ).toEqual({
      supersede: ['2.0.0'],
    });
  });

  it('compares by semver precedence, not text', () => {
    expect(
      applySupersedeRule({
        version: '1.10.0',
        kind: 'promote',
        open: [open('1.9.0', 'queued')],
      }),
    ).toEqual({ supersede: ['1.9.0'] });
    expect(
      applySupersedeRule({
        version: '1.0.0-rc.1',
        kind: 'promote',
        open: [open('1.0.0', 'queued')],
      }).conflict?.code,
    ).toBe('newer_release_open');
  });
});

describe('auto-promotion', () => {
  it('targets the phases with autoPromote that require the phase that succeeded', () => {
    const phases = [dev, { ...qa, autoPromote: true }, stage, live];
    expect(autoPromotionTargets(phases, 'dev').map(p => p.id)).toEqual(['qa']);
    expect(autoPromotionTargets(phases, 'qa')).toEqual([]);
  });
});

describe('checks in the one gate evaluation', () => {
  const outcome = (
    status: 'passed' | 'failed' | 'pending',
    when: 'before-deploy' | 'after-deploy' = 'before-deploy',
  ) => ({ name: 'ready', type: 'http', when, status, summary: 'says so' });
  const gates = (
    at: 'approve' | 'queue' | 'deploy',
    status: 'passed' | 'failed' | 'pending',
    overrides: Array<'lock' | 'freeze' | 'checks'> = [],
    when: 'before-deploy' | 'after-deploy' = 'before-deploy',
  ) =>
    evaluateGates({
      stage: at,
      phase: live,
      kind: 'promote',
      now: new Date(),
      checks: [outcome(status, when)],
      overrides,
    }).map(v => v.code);

  it('a failed before-deploy check blocks every stage, a pending one only deploying', () => {
    expect(gates('approve', 'failed')).toEqual(['check_failed']);
    expect(gates('queue', 'failed')).toEqual(['check_failed']);
    expect(gates('deploy', 'failed')).toEqual(['check_failed']);
    expect(gates('approve', 'pending')).toEqual([]);
    expect(gates('deploy', 'pending')).toEqual(['check_pending']);
    expect(gates('deploy', 'passed')).toEqual([]);
    expect(gates('deploy', 'failed', [], 'after-deploy')).toEqual([]);
  });

  it('an override of checks lifts them and nothing else; other overrides leave them', () => {
    expect(gates('deploy', 'failed', ['checks'])).toEqual([]);
    expect(gates('deploy', 'failed', ['lock', 'freeze'])).toEqual([
      'check_failed',
    ]);
    expect(
      evaluateGates({
        stage: 'deploy',
        phase: live,
        kind: 'promote',
        now: new Date(),
        lock: {
          reason: 'incident',
          lockedBy: 'user:default/bob',
          lockedAt: '',
        },
        checks: [outcome('failed')],
        overrides: ['checks'],
      }).map(v => v.code),
    ).toEqual(['locked']);
    expect(overridableGateOf({ code: 'check_pending', message: '' })).toBe(
      'checks',
    );
    expect(overridableGateOf({ code: 'soak_time', message: '' })).toBe(
      undefined,
    );
  });
});
