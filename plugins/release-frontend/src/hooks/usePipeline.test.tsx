import { TestApiProvider } from '@backstage/frontend-test-utils';
import { renderHook, waitFor } from '@testing-library/react';
import { PipelineView } from '@release-manager/backstage-plugin-release-common';
import { ReactNode } from 'react';
import { releaseApiRef } from '../api';
import {
  ENTITY_REF,
  FakeReleaseApi,
  pipeline,
} from '../__testUtils__/fixtures';
import { usePipeline } from './usePipeline';

/** The fixture pipeline without any queued or deploying promotion. */
const idle: PipelineView = {
  ...pipeline,
  phases: pipeline.phases.map(p => ({ ...p, active: null })),
};

function renderPipeline(api: FakeReleaseApi) {
  const wrapper = ({ children }: { children: ReactNode }) => (
    <TestApiProvider apis={[[releaseApiRef, api]]}>{children}</TestApiProvider>
  );
  return renderHook(
    () => usePipeline(ENTITY_REF, { pollWhileActive: true, intervalMs: 20 }),
    { wrapper },
  );
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

describe('usePipeline', () => {
  it('polls while a deployment runs and stops when it ends', async () => {
    // The fixture has a deployment running in QA/Demo.
    const api = new FakeReleaseApi();
    const { result } = renderPipeline(api);
    await waitFor(() =>
      expect(api.callsOf('getPipeline').length).toBeGreaterThanOrEqual(3),
    );
    // Reloads keep the previous value: no flash back to a spinner.
    expect(result.current.value?.phases).toHaveLength(4);

    api.pipeline = idle;
    await waitFor(() => expect(result.current.value).toEqual(idle));
    const calls = api.callsOf('getPipeline').length;
    await sleep(100);
    expect(api.callsOf('getPipeline')).toHaveLength(calls);
  });

  it('does not poll an idle pipeline', async () => {
    const api = new FakeReleaseApi({ pipeline: idle });
    const { result } = renderPipeline(api);
    await waitFor(() => expect(result.current.value).toEqual(idle));
    await sleep(100);
    expect(api.callsOf('getPipeline')).toHaveLength(1);
  });

  it('keeps the last pipeline and polls on when a reload fails', async () => {
    const api = new FakeReleaseApi();
    const { result } = renderPipeline(api);
    await waitFor(() => expect(result.current.value).toBeDefined());

    api.failWith = new Error('Backend restarting');
    await waitFor(() => expect(result.current.error).toBeDefined());
    expect(result.current.value?.phases).toHaveLength(4);

    api.failWith = undefined;
    api.pipeline = idle;
    await waitFor(() => expect(result.current.value).toEqual(idle));
    expect(result.current.error).toBeUndefined();
  });
});
