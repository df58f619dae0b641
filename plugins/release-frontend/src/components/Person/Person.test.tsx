import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { screen } from '@testing-library/react';
import { Person } from './Person';

describe('Person', () => {
  it('shows a user by name, linked to the catalog, not as a raw ref', async () => {
    await renderInTestApp(<Person entityRef="user:default/alice" />, {
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });
    const link = await screen.findByRole('link', { name: /alice/ });
    expect(link).toHaveAttribute('href', '/catalog/default/user/alice');
    expect(screen.queryByText('user:default/alice')).not.toBeInTheDocument();
  });

  it('shows the name without a link when the app has no catalog page', async () => {
    await renderInTestApp(<Person entityRef="group:default/team-leads" />);
    expect(await screen.findByText(/team-leads/)).toBeInTheDocument();
    expect(screen.queryByRole('link')).not.toBeInTheDocument();
    expect(
      screen.queryByText('group:default/team-leads'),
    ).not.toBeInTheDocument();
  });

  it('shows actors that are not catalog entities as they are', async () => {
    await renderInTestApp(<Person entityRef="service:external:ci" />);
    expect(screen.getByText('service:external:ci')).toBeInTheDocument();
  });
});
