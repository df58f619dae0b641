import { TestApiProvider } from '@backstage/frontend-test-utils';
import { SignalApi, signalApiRef } from '@backstage/plugin-signals-react';
import { act, renderHook, waitFor } from '@testing-library/react';
import { PipelineView } from '@release-manager/backstage-plugin-release-common';
import { ReactNode } from 'react';
import { releaseApiRef } from '../api';
import {
  ENTITY_REF,
  FakeReleaseApi,
  pipeline,
} from '../__testUtils__/fixtures';
import { usePipeline } from './usePipeline';
import { RELEASE_SIGNAL_CHANNEL } from './useLiveUpdates';

/** The fixture pipeline without any queued or deploying promotion. */
const idle: PipelineView = {
  ...pipeline,
  phases: pipeline.phases.map(p => ({ ...p, active: null })),
};

function renderPipeline(api: FakeReleaseApi) {
  let send: (message: object) => void = () => {};
  const signals: SignalApi = {
    subscribe(channel, onMessage) {
      if (channel === RELEASE_SIGNAL_CHANNEL) {
        send = m => act(() => onMessage(m as any));
      }
      return { unsubscribe: () => {} };
    },
  };
  const wrapper = ({ children }: { children: ReactNode }) => (
    <TestApiProvider
      apis={[
        [releaseApiRef, api],
        [signalApiRef, signals],
      ]}
    >
      {children}
    </TestApiProvider>
  );
  const hook = renderHook(() => usePipeline(ENTITY_REF), { wrapper });
  return {
    ...hook,
    changed: () => send({ entityRef: ENTITY_REF, type: 'phase.locked' }),
  };
}

describe('usePipeline', () => {
  it('says whether a deployment runs', async () => {
    const { result } = renderPipeline(new FakeReleaseApi());
    await waitFor(() => expect(result.current.value).toBeDefined());
    expect(result.current.running).toBe(true);
  });

  it('loads the pipeline again when the backend signals a change of the entity', async () => {
    const api = new FakeReleaseApi({ pipeline: idle });
    const { result, changed } = renderPipeline(api);
    await waitFor(() => expect(result.current.value).toEqual(idle));
    expect(result.current.running).toBe(false);

    api.pipeline = pipeline;
    changed();
    await waitFor(() => expect(result.current.running).toBe(true));
    expect(api.callsOf('getPipeline')).toHaveLength(2);
  });

  it('keeps the last pipeline when a reload fails', async () => {
    const api = new FakeReleaseApi();
    const { result, changed } = renderPipeline(api);
    await waitFor(() => expect(result.current.value).toBeDefined());

    api.failWith = new Error('Backend restarting');
    changed();
    await waitFor(() => expect(result.current.error).toBeDefined());
    // No flash back to a spinner: the last value stays.
    expect(result.current.value?.phases).toHaveLength(4);

    api.failWith = undefined;
    api.pipeline = idle;
    changed();
    await waitFor(() => expect(result.current.value).toEqual(idle));
    expect(result.current.error).toBeUndefined();
  });
});
