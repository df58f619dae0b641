import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  ENTITY_REF,
  FakeReleaseApi,
  phaseConfig,
} from '../../__testUtils__/fixtures';
import { clickWhenEnabled } from '../../__testUtils__/queries';
import { renderWithApis } from '../../__testUtils__/render';
import { PhaseConfigSection } from './PhaseConfigSection';

function renderSection(api: FakeReleaseApi) {
  return renderWithApis(
    <PhaseConfigSection
      entityRef={ENTITY_REF}
      phaseId="stage"
      phaseTitle="Stage"
    />,
    { api },
  );
}

describe('PhaseConfigSection', () => {
  it('shows the version, variables, database, sizing and masked secrets', async () => {
    renderSection(new FakeReleaseApi());
    expect(await screen.findByText(/^Version 3, changed/)).toHaveTextContent(
      /^Version 3, changed .+ ago by carol$/,
    );
    expect(screen.getByText('LOG_LEVEL')).toBeInTheDocument();
    expect(screen.getByText('info')).toBeInTheDocument();
    expect(screen.getByText('db.stage.internal')).toBeInTheDocument();
    expect(screen.getByText('5432')).toBeInTheDocument();
    expect(screen.getByText('1Gi')).toBeInTheDocument();
    const secret = screen.getByRole('listitem', { name: 'Secret API_TOKEN' });
    expect(secret).toHaveTextContent('API_TOKEN ••••••');
    expect(secret).toHaveTextContent('fingerprint fp:1a2b3c');
    expect(secret).toHaveTextContent(/Set by carol .+ ago/);
  });

  it('says when a phase is not configured yet', async () => {
    const api = new FakeReleaseApi({ configs: {} });
    renderSection(api);
    expect(await screen.findByText('Not configured yet')).toBeInTheDocument();
    expect(screen.getByText('No secrets')).toBeInTheDocument();
  });

  it('saves edited variables, database and sizing with the expected version', async () => {
    const api = new FakeReleaseApi();
    renderSection(api);
    await clickWhenEnabled('Edit configuration of Stage');
    const dialog = await screen.findByRole('dialog');
    const first = within(dialog).getByRole('group', { name: 'Variable 1' });
    const value = within(first).getByLabelText('Value');
    expect(value).toHaveValue('info');
    await userEvent.clear(value);
    await userEvent.type(value, 'debug');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Remove variable FEATURE_X' }),
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Add variable' }),
    );
    const added = within(dialog).getByRole('group', { name: 'Variable 2' });
    await userEvent.type(within(added).getByLabelText('Name'), 'REGION');
    await userEvent.type(within(added).getByLabelText('Value'), 'eu');
    const replicas = within(dialog).getByLabelText('Replicas');
    await userEvent.clear(replicas);
    await userEvent.type(replicas, '5');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));

    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(api.callsOf('putPhaseConfig')).toEqual([
      [
        ENTITY_REF,
        'stage',
        {
          variables: { LOG_LEVEL: 'debug', REGION: 'eu' },
          database: {
            engine: 'postgres',
            host: 'db.stage.internal',
            port: 5432,
          },
          sizing: { replicas: 5, cpu: '500m', memory: '1Gi' },
          expectedVersion: 3,
        },
      ],
    ]);
    expect(await screen.findByText(/^Version 4, changed/)).toHaveTextContent(
      /^Version 4, changed .+ by guest$/,
    );
    expect(screen.getByText('debug')).toBeInTheDocument();
  });

  it('refuses a port that is not a number', async () => {
    const api = new FakeReleaseApi();
    renderSection(api);
    await clickWhenEnabled('Edit configuration of Stage');
    const dialog = await screen.findByRole('dialog');
    const port = within(dialog).getByLabelText('Port');
    await userEvent.clear(port);
    await userEvent.type(port, 'abc');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Port must be a whole number',
    );
    expect(api.callsOf('putPhaseConfig')).toEqual([]);
  });

  it('explains a conflicting change and reloads to apply it again', async () => {
    const api = new FakeReleaseApi();
    renderSection(api);
    await clickWhenEnabled('Edit configuration of Stage');
    const dialog = await screen.findByRole('dialog');
    // Someone else saves version 5 meanwhile.
    api.configs.stage = phaseConfig({
      version: 5,
      variables: { LOG_LEVEL: 'warn' },
    });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent(
      'Someone changed this configuration meanwhile (now version 5). Reload and apply your change again.',
    );
    expect(within(dialog).getByRole('button', { name: 'Save' })).toBeDisabled();

    await userEvent.click(
      within(alert).getByRole('button', { name: 'Reload' }),
    );
    await waitFor(() =>
      expect(within(dialog).queryByRole('alert')).not.toBeInTheDocument(),
    );
    expect(within(dialog).getByText(/Based on version 5/)).toBeInTheDocument();
    expect(within(dialog).getByLabelText('Value')).toHaveValue('warn');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(api.callsOf('putPhaseConfig')[1][2]).toMatchObject({
      expectedVersion: 5,
    });
  });

  it('sets a secret through a password field and never shows the value', async () => {
    const api = new FakeReleaseApi();
    renderSection(api);
    await clickWhenEnabled('Set secret of Stage');
    const dialog = await screen.findByRole('dialog');
    const value = within(dialog).getByLabelText(/^Value/);
    expect(value).toHaveAttribute('type', 'password');
    await userEvent.type(within(dialog).getByLabelText(/^Name/), 'DB_PASSWORD');
    await userEvent.type(value, 'hunter22');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Save secret' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(api.callsOf('setPhaseSecret')).toEqual([
      [ENTITY_REF, 'stage', 'DB_PASSWORD', 'hunter22'],
    ]);
    const secret = await screen.findByRole('listitem', {
      name: 'Secret DB_PASSWORD',
    });
    expect(secret).toHaveTextContent('DB_PASSWORD ••••••');
    expect(document.body).not.toHaveTextContent('hunter22');

    // Opening the dialog again starts empty.
    await clickWhenEnabled('Set secret of Stage');
    expect(
      within(await screen.findByRole('dialog')).getByLabelText(/^Value/),
    ).toHaveValue('');
  });

  it('removes a secret after confirmation', async () => {
    const api = new FakeReleaseApi();
    renderSection(api);
    await clickWhenEnabled('Remove secret API_TOKEN of Stage');
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Remove' }),
    );
    await waitFor(() =>
      expect(
        screen.queryByRole('listitem', { name: 'Secret API_TOKEN' }),
      ).not.toBeInTheDocument(),
    );
    expect(api.callsOf('deletePhaseSecret')).toEqual([
      [ENTITY_REF, 'stage', 'API_TOKEN'],
    ]);
    expect(screen.getByText('No secrets')).toBeInTheDocument();
  });
});
