import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { releaseApiRef } from '../../api';
import {
  ENTITY_REF,
  FakeReleaseApi,
  responseError,
} from '../../__testUtils__/fixtures';
import { CreateReleaseDialog } from './CreateReleaseDialog';

function renderDialog(api: FakeReleaseApi) {
  const onCreated = jest.fn();
  const onClose = jest.fn();
  renderInTestApp(
    <TestApiProvider apis={[[releaseApiRef, api]]}>
      <CreateReleaseDialog
        entityRef={ENTITY_REF}
        open
        onClose={onClose}
        onCreated={onCreated}
      />
    </TestApiProvider>,
  );
  return { onCreated, onClose };
}

describe('CreateReleaseDialog', () => {
  it('creates a release from the form', async () => {
    const api = new FakeReleaseApi({ releases: [] });
    const { onCreated } = renderDialog(api);

    const create = screen.getByRole('button', { name: 'Create' });
    expect(create).toBeDisabled();

    await userEvent.type(screen.getByLabelText(/Version/), '2.0.0');
    await userEvent.type(screen.getByLabelText(/Artifact/), 'img:2.0.0');
    await userEvent.type(screen.getByLabelText(/Notes/), 'Faster checkout');
    await userEvent.click(create);

    await waitFor(() => expect(onCreated).toHaveBeenCalled());
    expect(api.created).toEqual([
      {
        version: '2.0.0',
        artifact: 'img:2.0.0',
        commit: undefined,
        notes: 'Faster checkout',
      },
    ]);
  });

  it("shows the server's message when the release is refused", async () => {
    const api = new FakeReleaseApi({
      createFailure: await responseError(
        409,
        'ConflictError',
        'Release 1.2.0 of component:default/payments already exists',
      ),
    });
    const { onCreated } = renderDialog(api);

    await userEvent.type(screen.getByLabelText(/Version/), '1.2.0');
    await userEvent.type(screen.getByLabelText(/Artifact/), 'img:1.2.0');
    await userEvent.click(screen.getByRole('button', { name: 'Create' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Release 1.2.0 of component:default/payments already exists',
    );
    expect(onCreated).not.toHaveBeenCalled();
  });
});
