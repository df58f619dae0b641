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
});
