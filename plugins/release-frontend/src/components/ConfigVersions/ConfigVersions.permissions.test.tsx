import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { expectDisabledWithReason } from '../../__testUtils__/queries';
import {
  apiWithHistory,
  renderConfigVersions,
} from '../../__testUtils__/configVersions';

// usePermission caches decisions per test file (swr): the denied case has
// its own file.

describe('ConfigVersions without permission to change the configuration', () => {
  it('disables restore with the reason when the user may not change the configuration', async () => {
    await renderConfigVersions(await apiWithHistory(), AuthorizeResult.DENY);
    await userEvent.click(screen.getByRole('button', { name: 'History' }));
    const dialog = await screen.findByRole('dialog', {
      name: 'Configuration history of Stage',
    });
    await within(dialog).findByTestId('config-version-3');
    await expectDisabledWithReason(
      'Restore version 3',
      'You may not change the configuration of Stage',
      dialog,
    );
  });
});
