import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

type Scope = Pick<typeof screen, 'getByRole'>;

/**
 * The button named `name` once it is enabled. Gated buttons are drawn again
 * when their permission check finishes, so the query is repeated.
 */
export async function findEnabledButton(
  name: string | RegExp,
  scope: Scope | HTMLElement = screen,
) {
  const q = scope instanceof HTMLElement ? within(scope) : scope;
  // The pages ask several APIs (pipeline, releases, permissions) first.
  return waitFor(
    () => {
      const found = q.getByRole('button', { name });
      expect(found).toBeEnabled();
      return found;
    },
    { timeout: 5000 },
  );
}

/** Clicks the button named `name` once it is enabled. */
export async function clickWhenEnabled(
  name: string | RegExp,
  scope: Scope | HTMLElement = screen,
) {
  await userEvent.click(await findEnabledButton(name, scope));
}

/**
 * Asserts that the button named `name` is disabled and that hovering it
 * shows `reason` in a tooltip.
 */
export async function expectDisabledWithReason(
  name: string | RegExp,
  reason: string | RegExp,
  scope: Scope | HTMLElement = screen,
) {
  const q = scope instanceof HTMLElement ? within(scope) : scope;
  const wrapper = await waitFor(() => {
    const button = q.getByRole('button', { name });
    expect(button).toBeDisabled();
    return button.parentElement!;
  });
  await userEvent.hover(wrapper);
  await waitFor(() =>
    expect(screen.getByRole('tooltip')).toHaveTextContent(reason),
  );
  await userEvent.unhover(wrapper);
}

/**
 * Clicks the Approve button named `name` ("Approve 1.2.0 to Stage"), waits
 * for the confirmation with its one-line summary of what changes, confirms,
 * and returns that summary.
 */
export async function approveAndConfirm(
  name: string,
  scope: Scope | HTMLElement = screen,
  options: { comment?: string; expectClosed?: boolean } = {},
): Promise<string> {
  const { comment, expectClosed = true } = options;
  await clickWhenEnabled(name, scope);
  const dialog = await screen.findByRole('dialog', { name });
  const summary = await waitFor(() => {
    const line = within(dialog).getByTestId('decision-summary');
    expect(line).not.toHaveTextContent('Loading what changes…');
    return line.textContent ?? '';
  });
  if (comment) {
    await userEvent.type(within(dialog).getByRole('textbox'), comment);
  }
  await userEvent.click(
    within(dialog).getByRole('button', { name: 'Approve' }),
  );
  if (expectClosed) {
    await waitFor(() =>
      expect(screen.queryByRole('dialog', { name })).not.toBeInTheDocument(),
    );
  }
  return summary;
}
