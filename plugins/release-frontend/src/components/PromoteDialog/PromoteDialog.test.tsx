import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  ENTITY_REF,
  FakeReleaseApi,
  phaseConfig,
  pipeline,
  releases,
} from '../../__testUtils__/fixtures';
import { renderWithApis } from '../../__testUtils__/render';
import { PromoteDialog } from './PromoteDialog';

describe('PromoteDialog', () => {
  it('shows what changes in the chosen phase: from what runs there to the release being promoted', async () => {
    const api = new FakeReleaseApi({
      configs: {
        qa: phaseConfig({ variables: { LOG_LEVEL: 'warn', FEATURE_X: 'on' } }),
      },
      deployedConfigs: {
        qa: phaseConfig({ variables: { LOG_LEVEL: 'info', FEATURE_X: 'on' } }),
      },
    });
    renderWithApis(
      <PromoteDialog
        entityRef={ENTITY_REF}
        release={releases[0]}
        phases={pipeline.phases}
        onClose={() => {}}
        onPromoted={() => {}}
      />,
      { api },
    );
    const dialog = await screen.findByRole('dialog', { name: 'Promote 1.2.0' });
    await userEvent.selectOptions(within(dialog).getByLabelText(/Phase/), 'qa');
    const changes = await within(dialog).findByRole('region', {
      name: 'What changes in QA/Demo',
    });
    // QA runs 1.1.0: the move is 1.1.0 → 1.2.0, the release promoted —
    // not what runs in the phase before it.
    expect(
      await within(changes).findByTestId('change-set-versions'),
    ).toHaveTextContent('1.1.0 → 1.2.0 (upgrade)');
    expect(within(changes).getByTestId('change-set-summary')).toHaveTextContent(
      'Deploy 1.2.0 to QA/Demo, 1 config change',
    );
    expect(
      within(changes).getByText('~ LOG_LEVEL: info → warn'),
    ).toBeInTheDocument();
    expect(api.callsOf('previewChanges')).toContainEqual([
      ENTITY_REF,
      '1.2.0',
      'qa',
    ]);
    expect(api.callsOf('getPhaseDiff')).toEqual([]);

    await userEvent.selectOptions(
      within(dialog).getByLabelText(/Phase/),
      'stage',
    );
    const stage = await within(dialog).findByRole('region', {
      name: 'What changes in Stage',
    });
    expect(
      await within(stage).findByTestId('change-set-versions'),
    ).toHaveTextContent('nothing → 1.2.0 (first deployment)');
  });

  it('offers skipping a phase only when the API allows it, and names the phase', async () => {
    const phases = pipeline.phases.map(p =>
      p.id === 'stage'
        ? {
            ...p,
            actions: {
              skip: {
                allowed: false,
                reason: 'Only release managers may skip QA/Demo',
              },
            },
          }
        : p,
    );
    renderWithApis(
      <PromoteDialog
        entityRef={ENTITY_REF}
        release={releases[0]}
        phases={phases}
        onClose={() => {}}
        onPromoted={() => {}}
      />,
      { api: new FakeReleaseApi() },
    );
    const dialog = await screen.findByRole('dialog', { name: 'Promote 1.2.0' });
    await userEvent.selectOptions(
      within(dialog).getByLabelText(/Phase/),
      'stage',
    );
    expect(dialog).toHaveTextContent(
      'Stage requires 1.2.0 to have succeeded in QA/Demo first; it has not.',
    );
    expect(dialog).toHaveTextContent('Only release managers may skip QA/Demo');
    expect(within(dialog).queryByRole('checkbox')).not.toBeInTheDocument();
    expect(
      within(dialog).getByRole('button', { name: 'Request promotion' }),
    ).toBeDisabled();
  });

  it('marks the phases the API says the user may not deploy to, with the reason', async () => {
    const phases = pipeline.phases.map(p =>
      p.id === 'live'
        ? {
            ...p,
            actions: {
              deploy: {
                allowed: false,
                reason: 'Only release managers may deploy to Live',
              },
            },
          }
        : p,
    );
    renderWithApis(
      <PromoteDialog
        entityRef={ENTITY_REF}
        release={releases[0]}
        phases={phases}
        onClose={() => {}}
        onPromoted={() => {}}
      />,
      { api: new FakeReleaseApi() },
    );
    const dialog = await screen.findByRole('dialog', { name: 'Promote 1.2.0' });
    const select = within(dialog).getByLabelText(/Phase/);
    expect(
      within(select).getByRole('option', { name: 'Live (not allowed)' }),
    ).toBeInTheDocument();
    await userEvent.selectOptions(select, 'live');
    expect(dialog).toHaveTextContent(
      'Only release managers may deploy to Live',
    );
    expect(
      within(dialog).getByRole('button', { name: 'Request promotion' }),
    ).toBeDisabled();
  });
  it('schedules a promotion for a time the user picks (deployAt)', async () => {
    const api = new FakeReleaseApi();
    renderWithApis(
      <PromoteDialog
        entityRef={ENTITY_REF}
        release={releases[0]}
        phases={pipeline.phases}
        onClose={() => {}}
        onPromoted={() => {}}
      />,
      { api },
    );
    const dialog = await screen.findByRole('dialog', { name: 'Promote 1.2.0' });
    await userEvent.selectOptions(within(dialog).getByLabelText(/When/), 'at');
    const submit = within(dialog).getByRole('button', {
      name: 'Request promotion',
    });
    expect(submit).toBeDisabled();
    const at = within(dialog).getByLabelText(/Deploy at/);
    await userEvent.type(at, '2099-12-01T09:30');
    expect(submit).toBeEnabled();
    await userEvent.click(submit);
    const [call] = api.callsOf('createPromotion');
    expect(call[1]).toMatchObject({
      version: '1.2.0',
      deployAt: new Date('2099-12-01T09:30').toISOString(),
    });
  });
});
