import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  ENTITY_REF,
  FakeReleaseApi,
  pipeline,
  releases,
} from '../../__testUtils__/fixtures';
import { renderWithApis } from '../../__testUtils__/render';
import { PromoteDialog } from './PromoteDialog';

describe('PromoteDialog', () => {
  it('shows what changes in the chosen phase', async () => {
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
    await userEvent.selectOptions(
      within(dialog).getByLabelText(/Phase/),
      'stage',
    );
    const diff = await within(dialog).findByRole('region', {
      name: 'What changes if promoted from QA/Demo to Stage',
    });
    expect(
      await within(diff).findByText('Version in Stage: 1.0.0 → 1.2.0'),
    ).toBeInTheDocument();
    expect(
      within(diff).getByText('Releases in between: 1.1.0, 1.2.0'),
    ).toBeInTheDocument();
    expect(
      within(diff).getByText('Changed: LOG_LEVEL: info → debug'),
    ).toBeInTheDocument();
    expect(within(diff).getByText('Changed: API_TOKEN')).toBeInTheDocument();
    expect(api.callsOf('getPhaseDiff')).toContainEqual([
      ENTITY_REF,
      'qa',
      'stage',
    ]);

    await userEvent.selectOptions(
      within(dialog).getByLabelText(/Phase/),
      'dev',
    );
    expect(
      within(dialog).getByText(
        'Dev is the first phase: there is nothing to compare with.',
      ),
    ).toBeInTheDocument();
    expect(within(dialog).queryByRole('region')).not.toBeInTheDocument();
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
});
