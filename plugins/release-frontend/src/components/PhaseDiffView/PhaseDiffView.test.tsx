import { screen, within } from '@testing-library/react';
import {
  ENTITY_REF,
  FakeReleaseApi,
  phaseDiff,
  pipeline,
} from '../../__testUtils__/fixtures';
import { renderWithApis } from '../../__testUtils__/render';
import { PhaseDiffView, sourcePhaseOf } from './PhaseDiffView';

const emptyDiff = { added: [], removed: [], changed: [] };

function renderDiff(api: FakeReleaseApi) {
  return renderWithApis(
    <PhaseDiffView
      entityRef={ENTITY_REF}
      from={{ id: 'qa', title: 'QA/Demo' }}
      to={{ id: 'stage', title: 'Stage' }}
    />,
    { api },
  );
}

describe('PhaseDiffView', () => {
  it('shows the version change, releases in between and config differences', async () => {
    const api = new FakeReleaseApi();
    renderDiff(api);
    const region = await screen.findByRole('region', {
      name: 'What changes if promoted from QA/Demo to Stage',
    });
    expect(
      await within(region).findByText('Version in Stage: 1.0.0 → 1.2.0'),
    ).toBeInTheDocument();
    expect(
      within(region).getByText('Releases in between: 1.1.0, 1.2.0'),
    ).toBeInTheDocument();
    const variables = within(region).getByRole('list', {
      name: 'Variables differences',
    });
    expect(
      within(variables)
        .getAllByRole('listitem')
        .map(li => li.textContent),
    ).toEqual([
      'Only in Stage: NEW_FLAG = true',
      'Only in QA/Demo: OLD_FLAG = x',
      'Changed: LOG_LEVEL: info → debug',
    ]);
    expect(
      within(region).getByRole('list', { name: 'Database differences' }),
    ).toHaveTextContent('Changed: host: db.stage → db.qa');
    expect(
      within(region).getByRole('list', { name: 'Sizing differences' }),
    ).toHaveTextContent('Changed: replicas: 3 → 2');
    expect(api.callsOf('getPhaseDiff')).toEqual([[ENTITY_REF, 'qa', 'stage']]);
  });

  it('shows a changed secret without its fingerprints', async () => {
    renderDiff(new FakeReleaseApi());
    const secrets = await screen.findByRole('list', {
      name: 'Secrets differences',
    });
    expect(secrets).toHaveTextContent(/^Changed: API_TOKEN$/);
    expect(document.body).not.toHaveTextContent('fp:1');
    expect(document.body).not.toHaveTextContent('fp:2');
  });

  it('says when the configurations are the same and nothing was deployed', async () => {
    renderDiff(
      new FakeReleaseApi({
        diff: phaseDiff({
          to: { phase: 'stage', version: null, configVersion: 0 },
          releases: [],
          variables: emptyDiff,
          database: emptyDiff,
          sizing: emptyDiff,
          secrets: emptyDiff,
        }),
      }),
    );
    expect(
      await screen.findByText('Version in Stage: nothing deployed → 1.2.0'),
    ).toBeInTheDocument();
    expect(screen.getByText('Releases in between: none')).toBeInTheDocument();
    expect(screen.getByText(/compared with QA\/Demo/)).toHaveTextContent(
      /: the same$/,
    );
    expect(screen.queryByRole('list')).not.toBeInTheDocument();
  });

  it('shows why the comparison failed', async () => {
    renderDiff(new FakeReleaseApi({ failWith: new Error('Backend down') }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not compare QA/Demo with Stage: Backend down',
    );
  });
});

describe('sourcePhaseOf', () => {
  it('is the required phase, else the previous one, else none', () => {
    const phases = pipeline.phases.map(p =>
      p.id === 'qa' ? { ...p, gates: { ...p.gates, requires: null } } : p,
    );
    expect(sourcePhaseOf(phases, 'live')?.id).toBe('stage');
    expect(sourcePhaseOf(phases, 'qa')?.id).toBe('dev');
    expect(sourcePhaseOf(phases, 'dev')).toBeUndefined();
    expect(sourcePhaseOf(phases, 'nope')).toBeUndefined();
  });
});
