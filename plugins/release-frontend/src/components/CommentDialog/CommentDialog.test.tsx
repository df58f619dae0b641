import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { responseError } from '../../__testUtils__/fixtures';
import { CommentDialog } from './CommentDialog';

describe('CommentDialog', () => {
  it('waits for a required text and passes it trimmed', async () => {
    const onConfirm = jest.fn().mockResolvedValue(undefined);
    renderInTestApp(
      <CommentDialog
        open
        title="Reject 1.2.0 to Live"
        label="Comment"
        required
        confirmLabel="Reject"
        onConfirm={onConfirm}
        onClose={jest.fn()}
      />,
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Reject 1.2.0 to Live',
    });
    const confirm = within(dialog).getByRole('button', { name: 'Reject' });
    expect(confirm).toBeDisabled();
    await userEvent.type(within(dialog).getByLabelText(/Comment/), '  why  ');
    await userEvent.click(confirm);
    expect(onConfirm).toHaveBeenCalledWith('why');
  });

  it("shows the server's message when it refuses", async () => {
    const error = await responseError(
      409,
      'ConflictError',
      'Promotion p-1 is approved; it can no longer be approved',
    );
    renderInTestApp(
      <CommentDialog
        open
        title="Unlock Stage"
        confirmLabel="Unlock"
        onConfirm={() => Promise.reject(error)}
        onClose={jest.fn()}
      />,
    );
    const dialog = await screen.findByRole('dialog', { name: 'Unlock Stage' });
    // Without a label there is no text field.
    expect(within(dialog).queryByRole('textbox')).not.toBeInTheDocument();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Unlock' }),
    );
    await waitFor(() =>
      expect(within(dialog).getByRole('alert')).toHaveTextContent(
        'Promotion p-1 is approved; it can no longer be approved',
      ),
    );
  });
});
