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
});
