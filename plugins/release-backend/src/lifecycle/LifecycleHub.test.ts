import { mockServices } from '@backstage/backend-test-utils';
import {
  ReleaseLedgerAction,
  ReleaseLifecycleEvent,
} from '@release-manager/backstage-plugin-release-common';
import { CommittedHistoryEntry } from '../database/ReleaseStore';
import { LifecycleHub, LifecycleListener } from './LifecycleHub';

const entry = (
  action: ReleaseLedgerAction,
  phase = 'dev',
): CommittedHistoryEntry => ({
  entityRef: 'component:default/payments-api',
  phase,
  action,
  actor: 'user:default/alice',
  at: new Date().toISOString(),
});

function recorder(name: string, behave?: () => Promise<void>) {
  const seen: ReleaseLifecycleEvent[] = [];
  const listener: LifecycleListener = {
    name,
    async handle(event) {
      await behave?.();
      seen.push(event);
    },
  };
  return { listener, seen };
}

describe('LifecycleHub', () => {
  const logger = mockServices.logger.mock();
  const promotionOf = async () => undefined;
  beforeEach(() => jest.clearAllMocks());

  it('delivers events in commit order, and returns before any listener ran', async () => {
    const hub = new LifecycleHub({ promotionOf, logger });
    const a = recorder('a');
    hub.add(a.listener);
    hub.onCommit([entry('phase.lock')]);
    hub.onCommit([entry('phase.unlock'), entry('phase.lock')]);
    expect(a.seen).toEqual([]);
    await hub.drain();
    expect(a.seen.map(e => e.type)).toEqual([
      'phase.locked',
      'phase.unlocked',
      'phase.locked',
    ]);
  });

  it('a slow or failing listener holds up no other, and its failure is only logged', async () => {
    const hub = new LifecycleHub(
      { promotionOf, logger },
      { handleTimeoutMs: 200 },
    );
    const hanging = recorder('hanging', () => new Promise<void>(() => {}));
    const failing = recorder('failing', async () => {
      throw new Error('boom');
    });
    const fast = recorder('fast');
    hub.add(hanging.listener, failing.listener, fast.listener);
    hub.onCommit([entry('phase.lock')]);
    await new Promise(r => setTimeout(r, 50));
    expect(fast.seen).toHaveLength(1);
    await hub.drain();
    expect(hanging.seen).toEqual([]);
    const warnings = logger.warn.mock.calls.map(c => String(c[0]));
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/failing failed for phase.locked.*boom/),
        expect.stringMatching(
          /hanging failed for phase.locked.*no answer within 200 ms/,
        ),
      ]),
    );
  });

  it('drain is bounded: shutdown does not wait for a listener that never answers', async () => {
    const hub = new LifecycleHub(
      { promotionOf, logger },
      { handleTimeoutMs: 60_000 },
    );
    hub.add(recorder('hanging', () => new Promise<void>(() => {})).listener);
    hub.onCommit([entry('phase.lock')]);
    const began = Date.now();
    await hub.drain(100);
    expect(Date.now() - began).toBeLessThan(2_000);
  });

  it('drops batches beyond its bound with a warning instead of growing without limit', async () => {
    const hub = new LifecycleHub({ promotionOf, logger }, { maxPending: 2 });
    let release: () => void = () => {};
    const gate = new Promise<void>(r => (release = r));
    const slow = recorder('slow', () => gate);
    hub.add(slow.listener);
    for (let i = 0; i < 5; i++) hub.onCommit([entry('phase.lock')]);
    release();
    await hub.drain();
    expect(slow.seen).toHaveLength(2);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(/dropped 1 batch/),
    );
  });
});
