import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { expectDisabledWithReason } from '../../__testUtils__/queries';
import { GatedButton } from './GatedButton';

describe('GatedButton', () => {
  it('is a plain button when allowed', async () => {
    const onClick = jest.fn();
    renderInTestApp(<GatedButton onClick={onClick}>Lock</GatedButton>);
    await userEvent.click(await screen.findByRole('button', { name: 'Lock' }));
    expect(onClick).toHaveBeenCalled();
  });

  it('is disabled with the reason in a tooltip, reachable by keyboard', async () => {
    const onClick = jest.fn();
    renderInTestApp(
      <GatedButton onClick={onClick} disabledReason="You may not lock Live">
        Lock
      </GatedButton>,
    );
    await expectDisabledWithReason('Lock', 'You may not lock Live');
    await userEvent.tab();
    expect(screen.getByTestId('disabled-reason')).toHaveFocus();
    expect(onClick).not.toHaveBeenCalled();
  });
});
