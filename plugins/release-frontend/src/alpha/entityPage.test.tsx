import { Entity } from '@backstage/catalog-model';
import { mockApis, renderTestApp } from '@backstage/frontend-test-utils';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { createTestEntityPage } from '@backstage/plugin-catalog-react/testUtils';
import { screen } from '@testing-library/react';
import { releaseApiRef } from '../api';
import {
  FakeReleaseApi,
  plainEntity,
  releaseEntity,
} from '../__testUtils__/fixtures';
import { releaseStatusEntityCard } from './entityCards';

/** A card shown on every entity, to know when the page has rendered. */
const otherCard = EntityCardBlueprint.make({
  name: 'other',
  params: { loader: async () => <div>Other card</div> },
});

function renderPage(entity: Entity) {
  return renderTestApp({
    extensions: [
      createTestEntityPage({ entity }),
      otherCard,
      releaseStatusEntityCard,
    ],
    apis: [[releaseApiRef, new FakeReleaseApi()], mockApis.permission()],
  });
}

describe('release extensions on an entity page', () => {
  it('shows the status card on an entity with the annotation', async () => {
    renderPage(releaseEntity);
    expect(await screen.findByText('Release status')).toBeInTheDocument();
    expect(await screen.findByText('1.2.0')).toBeInTheDocument();
  });

  it('leaves the status card out on an entity without it', async () => {
    renderPage(plainEntity);
    expect(await screen.findByText('Other card')).toBeInTheDocument();
    expect(screen.queryByText('Release status')).not.toBeInTheDocument();
  });
});
