import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  FakeReleaseApi,
  pipeline,
  responseError,
} from '../../__testUtils__/fixtures';
import { renderWithApis } from '../../__testUtils__/render';
import { RollbackDialog } from './RollbackDialog';

describe('RollbackDialog', () => {
  it('rolls back to the previous good release when no version is given', async () => {
    const api = new FakeReleaseApi();
    const onRequested = jest.fn();
    renderWithApis(
      <RollbackDialog
        entityRef="component:default/payments"
        phase={pipeline.phases[0]}
        onClose={jest.fn()}
        onRequested={onRequested}
      />,
      { api, entity: null },
    );
    const dialog = await screen.findByRole('dialog', { name: 'Roll back Dev' });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Request rollback' }),
    );
    expect(onRequested).toHaveBeenCalledWith(
      expect.objectContaining({ kind: 'rollback' }),
    );
    const [[, phase, request]] = api.callsOf('rollbackPhase');
    expect([phase, request]).toEqual([
      'dev',
      { version: undefined, comment: undefined },
    ]);
  });

  it("shows the server's reason when there is nothing to roll back to", async () => {
    const api = new FakeReleaseApi({
      actionFailure: await responseError(
        409,
        'ConflictError',
        "Phase 'dev' of component:default/payments has no earlier successful release to roll back to",
      ),
    });
    renderWithApis(
      <RollbackDialog
        entityRef="component:default/payments"
        phase={pipeline.phases[0]}
        onClose={jest.fn()}
        onRequested={jest.fn()}
      />,
      { api, entity: null },
    );
    const dialog = await screen.findByRole('dialog', { name: 'Roll back Dev' });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Request rollback' }),
    );
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'has no earlier successful release to roll back to',
    );
  });
});
