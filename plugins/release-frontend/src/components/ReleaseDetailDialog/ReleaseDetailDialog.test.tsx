import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { screen, within } from '@testing-library/react';
import { releaseApiRef } from '../../api';
import {
  ENTITY_REF,
  FakeReleaseApi,
  pipeline,
  release,
} from '../../__testUtils__/fixtures';
import { ReleaseDetailDialog } from './ReleaseDetailDialog';

describe('ReleaseDetailDialog', () => {
  it('shows the release detail with the notes as plain text', async () => {
    const notes = '<img src=x onerror="alert(1)"> Fixes **rounding**';
    const api = new FakeReleaseApi({
      releases: [
        release(
          '1.3.0',
          {
            dev: {
              status: 'succeeded',
              promotionId: 'p-9',
              updatedAt: new Date().toISOString(),
              current: true,
            },
          },
          { notes, commit: 'deadbeef', createdBy: 'user:default/alice' },
        ),
      ],
    });
    renderInTestApp(
      <TestApiProvider apis={[[releaseApiRef, api]]}>
        <ReleaseDetailDialog
          entityRef={ENTITY_REF}
          version="1.3.0"
          phases={pipeline.phases}
          onClose={jest.fn()}
        />
      </TestApiProvider>,
    );

    const dialog = await screen.findByRole('dialog');
    expect(
      await within(dialog).findByText('registry.example.com/payments:1.3.0'),
    ).toBeInTheDocument();
    expect(within(dialog).getByText('Release 1.3.0')).toBeInTheDocument();
    expect(within(dialog).getByText('deadbeef')).toBeInTheDocument();
    expect(dialog).toHaveTextContent(/Created by\s*alice/);
    expect(dialog).not.toHaveTextContent('user:default/alice');
    expect(within(dialog).getByText(notes)).toBeInTheDocument();
    expect(dialog.querySelector('img')).toBeNull();
    expect(within(dialog).getByText('Running here')).toBeInTheDocument();
    expect(within(dialog).getAllByText('Not promoted')).toHaveLength(3);
  });

  it('shows an error panel when the release cannot be loaded', async () => {
    const api = new FakeReleaseApi({ failWith: new Error('backend is down') });
    renderInTestApp(
      <TestApiProvider apis={[[releaseApiRef, api]]}>
        <ReleaseDetailDialog
          entityRef={ENTITY_REF}
          version="1.3.0"
          phases={pipeline.phases}
          onClose={jest.fn()}
        />
      </TestApiProvider>,
    );
    expect(
      await screen.findByText('Error: backend is down'),
    ).toBeInTheDocument();
    expect(screen.queryByText('Artifact')).not.toBeInTheDocument();
  });
});
