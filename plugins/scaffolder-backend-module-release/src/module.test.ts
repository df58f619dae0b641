import { parse } from 'yaml';
import scaffolderModuleRelease from '.';
import { actionCollector, startBackend } from './__testUtils__/backend';

describe('scaffolderModuleRelease', () => {
  it('adds release:create, release:promote and release:request-train-promotion through the scaffolder actions extension point', async () => {
    const collector = actionCollector();
    await startBackend({
      features: [collector.plugin, scaffolderModuleRelease],
    });
    expect([...collector.actions.keys()].sort()).toEqual([
      'release:create',
      'release:promote',
      'release:request-train-promotion',
    ]);
  });

  it('describes the inputs and outputs as JSON schema, with required and optional fields', async () => {
    const collector = actionCollector();
    await startBackend({
      features: [collector.plugin, scaffolderModuleRelease],
    });
    const create = collector.actions.get('release:create')!;
    expect(create.schema?.input).toMatchObject({
      type: 'object',
      required: ['entityRef', 'version', 'artifact'],
      properties: {
        entityRef: { type: 'string', description: expect.any(String) },
        version: { type: 'string', description: expect.any(String) },
        artifact: { type: 'string', description: expect.any(String) },
        commit: { type: 'string' },
        notes: { type: 'string' },
      },
    });
    expect(Object.keys(create.schema?.output?.properties ?? {}).sort()).toEqual(
      ['artifact', 'createdAt', 'createdBy', 'entityRef', 'version'],
    );

    const promote = collector.actions.get('release:promote')!;
    expect(promote.schema?.input).toMatchObject({
      type: 'object',
      required: ['entityRef', 'version', 'phase'],
      properties: { comment: { type: 'string' } },
    });
    expect(
      Object.keys(promote.schema?.output?.properties ?? {}).sort(),
    ).toEqual([
      'approvalsRequired',
      'entityRef',
      'phase',
      'promotionId',
      'status',
      'version',
    ]);
  });

  it.each([
    'release:create',
    'release:promote',
    'release:request-train-promotion',
  ])(
    '%s has examples that are template steps using it with valid input',
    async id => {
      const collector = actionCollector();
      await startBackend({
        features: [collector.plugin, scaffolderModuleRelease],
      });
      const action = collector.actions.get(id)!;
      const required = (action.schema?.input as { required: string[] })
        .required;
      expect(action.examples?.length).toBeGreaterThanOrEqual(2);
      for (const example of action.examples ?? []) {
        expect(example.description).not.toBe('');
        const { steps } = parse(example.example);
        const uses = steps.filter(
          (s: { action: string }) => s.action === action.id,
        );
        expect(uses.length).toBeGreaterThan(0);
        for (const step of uses) {
          expect(Object.keys(step.input)).toEqual(
            expect.arrayContaining(required),
          );
        }
      }
    },
  );
});
