import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ENTITY_REF } from '../../__testUtils__/fixtures';
import { clickWhenEnabled } from '../../__testUtils__/queries';
import {
  apiWithHistory,
  renderConfigVersions,
} from '../../__testUtils__/configVersions';

describe('ConfigVersions', () => {
  it('lists the versions with author, what changed and comment; views one and compares two', async () => {
    const api = await apiWithHistory();
    await renderConfigVersions(api);
    await userEvent.click(screen.getByRole('button', { name: 'History' }));
    const dialog = await screen.findByRole('dialog', {
      name: 'Configuration history of Stage',
    });
    const v4 = await within(dialog).findByTestId('config-version-4');
    expect(v4).toHaveTextContent('1 variable changed');
    expect(v4).toHaveTextContent('Debugging the checkout');
    expect(v4).toHaveTextContent('user:default/guest');
    expect(within(dialog).getByTestId('config-version-5')).toHaveTextContent(
      '5 (current)',
    );

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'View version 3' }),
    );
    const view = await within(dialog).findByRole('region', {
      name: 'Configuration version 3',
    });
    expect(view).toHaveTextContent('LOG_LEVELinfo');
    expect(view).toHaveTextContent('secret API_TOKENfingerprint fp:1a2b3c');

    await userEvent.click(
      within(dialog).getByRole('checkbox', { name: 'Compare version 5' }),
    );
    await userEvent.click(
      within(dialog).getByRole('checkbox', { name: 'Compare version 3' }),
    );
    const diff = await within(dialog).findByRole('region', {
      name: 'Version 3 compared with 5',
    });
    expect(diff).toHaveTextContent(
      'Version 3 → version 5: 2 variables changed, sizing changed',
    );
    expect(
      within(diff).getByRole('list', {
        name: 'From version 3 to 5: Variables',
      }),
    ).toHaveTextContent('~ LOG_LEVEL: info → warn');
    expect(api.callsOf('diffConfigVersions')).toEqual([
      [ENTITY_REF, 'stage', 3, 5],
    ]);
  });

  it('restores an old version after a confirmation, as a new version', async () => {
    const api = await apiWithHistory();
    await renderConfigVersions(api);
    await userEvent.click(screen.getByRole('button', { name: 'History' }));
    const dialog = await screen.findByRole('dialog', {
      name: 'Configuration history of Stage',
    });
    await clickWhenEnabled('Restore version 3', dialog);
    const confirm = await screen.findByRole('dialog', {
      name: 'Restore version 3 of Stage',
    });
    expect(confirm).toHaveTextContent('as version 6');
    await userEvent.type(within(confirm).getByRole('textbox'), 'Back to info');
    await userEvent.click(
      within(confirm).getByRole('button', { name: 'Restore' }),
    );
    expect(await within(dialog).findByRole('status')).toHaveTextContent(
      'Version 3 restored as version 6.',
    );
    expect(api.callsOf('restoreConfigVersion')).toEqual([
      [
        ENTITY_REF,
        'stage',
        { version: 3, expectedVersion: 5, comment: 'Back to info' },
      ],
    ]);
    await waitFor(() =>
      expect(api.configs.stage).toMatchObject({
        version: 6,
        variables: { LOG_LEVEL: 'info', FEATURE_X: 'on' },
      }),
    );
  });
});
