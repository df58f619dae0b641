import { screen } from '@testing-library/react';
import { FakeReleaseApi, pipeline } from '../../__testUtils__/fixtures';
import { renderWithApis } from '../../__testUtils__/render';
import { HistoryCard, historyActionLabel } from './HistoryCard';

describe('HistoryCard', () => {
  it('says so when there is no history yet', async () => {
    renderWithApis(
      <HistoryCard
        entityRef="component:default/payments"
        phases={pipeline.phases}
      />,
      { api: new FakeReleaseApi({ history: [] }), entity: null },
    );
    expect(await screen.findByText('No history yet')).toBeInTheDocument();
  });

  it('names actions in words and keeps unknown ones as they are', () => {
    expect(historyActionLabel('promotion.succeeded')).toBe(
      'Deployment succeeded',
    );
    expect(historyActionLabel('config.update')).toBe('config.update');
  });
});
