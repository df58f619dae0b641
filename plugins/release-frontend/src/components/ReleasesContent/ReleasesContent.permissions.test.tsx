import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen } from '@testing-library/react';
import { FakeReleaseApi } from '../../__testUtils__/fixtures';
import { expectDisabledWithReason } from '../../__testUtils__/queries';
import { renderWithApis } from '../../__testUtils__/render';
import { ReleasesContent } from './ReleasesContent';

// A file of its own: usePermission caches answers per test file, and here the
// permission framework denies everything.
describe('ReleasesContent when the permission framework denies', () => {
  function renderDenied() {
    renderWithApis(<ReleasesContent />, {
      api: new FakeReleaseApi(),
      authorize: AuthorizeResult.DENY,
    });
  }

  it('disables "Create release" with the reason', async () => {
    renderDenied();
    await screen.findByRole('table', { name: 'Releases by phase' });
    await expectDisabledWithReason(
      /Create release/,
      'You are not allowed to create releases of component:default/payments',
    );
  });

  it('disables "Promote" with the reason', async () => {
    renderDenied();
    await expectDisabledWithReason(
      'Promote 1.2.0',
      'You may not promote releases to any phase of this pipeline',
    );
  });

  it('disables approve, reject and cancel with the reason', async () => {
    renderDenied();
    const waiting = await screen.findByRole('table', {
      name: 'Promotions waiting for approval',
    });
    await expectDisabledWithReason(
      'Approve 1.2.0 to Stage',
      'You may not approve promotions to Stage',
      waiting,
    );
    await expectDisabledWithReason(
      'Reject 1.2.0 to Stage',
      'You may not reject promotions to Stage',
      waiting,
    );
    await expectDisabledWithReason(
      'Cancel promotion of 1.2.0 to Stage',
      'You may not cancel promotions to Stage',
      waiting,
    );
  });
});
