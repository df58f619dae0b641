import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen } from '@testing-library/react';
import { FakeReleaseApi } from '../../__testUtils__/fixtures';
import { expectDisabledWithReason } from '../../__testUtils__/queries';
import { renderWithApis } from '../../__testUtils__/render';
import { PhasesContent } from './PhasesContent';

// A file of its own: usePermission caches answers per test file, and here the
// permission framework denies everything.
describe('PhasesContent when the permission framework denies', () => {
  it('disables lock, rollback and decisions with the reason', async () => {
    renderWithApis(<PhasesContent />, {
      api: new FakeReleaseApi(),
      authorize: AuthorizeResult.DENY,
    });
    const dev = await screen.findByRole('listitem', { name: 'Dev' });
    await expectDisabledWithReason(
      'Lock Dev',
      'You may not lock or unlock Dev',
      dev,
    );
    await expectDisabledWithReason(
      'Roll back Dev',
      'You may not roll back Dev',
      dev,
    );
    const stage = screen.getByRole('listitem', { name: 'Stage' });
    await expectDisabledWithReason(
      'Approve 1.2.0 to Stage',
      'You may not approve promotions to Stage',
      stage,
    );
  });
});
