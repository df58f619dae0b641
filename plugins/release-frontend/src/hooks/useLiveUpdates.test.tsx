import { TestApiProvider } from '@backstage/frontend-test-utils';
import { SignalApi, signalApiRef } from '@backstage/plugin-signals-react';
import { act, renderHook } from '@testing-library/react';
import { ReactNode } from 'react';
import {
  ACTIVE_POLL_INTERVAL_MS,
  IDLE_POLL_INTERVAL_MS,
  LiveUpdatesOptions,
  RELEASE_SIGNAL_CHANNEL,
  ReleaseLifecycleSignal,
  SIGNALS_SAFETY_POLL_INTERVAL_MS,
  useLiveUpdates,
} from './useLiveUpdates';

/** A signals API whose messages the test sends. */
class FakeSignals implements SignalApi {
  readonly subscribers = new Map<string, Set<(m: any) => void>>();
  subscribe(channel: string, onMessage: (message: any) => void) {
    const set = this.subscribers.get(channel) ?? new Set();
    set.add(onMessage);
    this.subscribers.set(channel, set);
    return { unsubscribe: () => set.delete(onMessage) };
  }
  send(channel: string, message: ReleaseLifecycleSignal) {
    act(() => this.subscribers.get(channel)?.forEach(s => s(message)));
  }
}

function renderLive(
  options: Omit<LiveUpdatesOptions, 'refresh'>,
  signals?: FakeSignals,
) {
  const refresh = jest.fn();
  const wrapper = ({ children }: { children: ReactNode }) =>
    signals ? (
      <TestApiProvider apis={[[signalApiRef, signals]]}>
        {children}
      </TestApiProvider>
    ) : (
      <TestApiProvider apis={[]}>{children}</TestApiProvider>
    );
  const hook = renderHook(
    (props: Omit<LiveUpdatesOptions, 'refresh'>) =>
      useLiveUpdates({ ...props, refresh }),
    { wrapper, initialProps: options },
  );
  return { refresh, ...hook };
}

const advance = (ms: number) => act(() => jest.advanceTimersByTime(ms));

describe('useLiveUpdates', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('reloads when a release:lifecycle signal names the entity, and only then', () => {
    const signals = new FakeSignals();
    const { refresh, result } = renderLive(
      { entityRef: 'component:default/payments-api' },
      signals,
    );
    expect(result.current.pushed).toBe(true);
    expect(signals.subscribers.get(RELEASE_SIGNAL_CHANNEL)?.size).toBe(1);

    signals.send(RELEASE_SIGNAL_CHANNEL, {
      entityRef: 'component:default/checkout-web',
      type: 'phase.locked',
      phase: 'stage',
    });
    expect(refresh).not.toHaveBeenCalled();

    signals.send(RELEASE_SIGNAL_CHANNEL, {
      entityRef: 'component:default/Payments-API',
      type: 'promotion.failed',
      phase: 'dev',
      promotionId: 'p1',
    });
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('reloads on every entity when it follows all of them (the inbox)', () => {
    const signals = new FakeSignals();
    const { refresh } = renderLive({}, signals);
    signals.send(RELEASE_SIGNAL_CHANNEL, {
      entityRef: 'component:default/checkout-web',
      type: 'promotion.requested',
    });
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('polls every 30 s when signals are not installed, every 5 s while something deploys', () => {
    const { refresh, result, rerender } = renderLive({
      entityRef: 'component:default/payments-api',
    });
    expect(result.current).toEqual({
      pushed: false,
      intervalMs: IDLE_POLL_INTERVAL_MS,
    });
    advance(IDLE_POLL_INTERVAL_MS - 1);
    expect(refresh).not.toHaveBeenCalled();
    advance(1);
    expect(refresh).toHaveBeenCalledTimes(1);

    rerender({ entityRef: 'component:default/payments-api', active: true });
    advance(ACTIVE_POLL_INTERVAL_MS);
    expect(refresh).toHaveBeenCalledTimes(2);
    advance(ACTIVE_POLL_INTERVAL_MS);
    expect(refresh).toHaveBeenCalledTimes(3);
  });

  it('with signals installed polls an idle view only as a safety net', () => {
    const { refresh, result } = renderLive(
      { entityRef: 'component:default/payments-api' },
      new FakeSignals(),
    );
    expect(result.current.intervalMs).toBe(SIGNALS_SAFETY_POLL_INTERVAL_MS);
    advance(IDLE_POLL_INTERVAL_MS);
    expect(refresh).not.toHaveBeenCalled();
    advance(SIGNALS_SAFETY_POLL_INTERVAL_MS - IDLE_POLL_INTERVAL_MS);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('does nothing while disabled (a closed dialog)', () => {
    const signals = new FakeSignals();
    const { refresh } = renderLive({ enabled: false }, signals);
    signals.send(RELEASE_SIGNAL_CHANNEL, {
      entityRef: 'component:default/payments-api',
      type: 'phase.unlocked',
    });
    advance(SIGNALS_SAFETY_POLL_INTERVAL_MS * 2);
    expect(refresh).not.toHaveBeenCalled();
  });
});
