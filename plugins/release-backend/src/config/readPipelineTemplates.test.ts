import { ConfigReader } from '@backstage/config';
import { readPipelineTemplates } from './readPipelineTemplates';

describe('readPipelineTemplates', () => {
  it('always offers the built-in default template', () => {
    const templates = readPipelineTemplates(new ConfigReader({}));
    expect(templates.get('default')?.phases.map(p => p.id)).toEqual([
      'dev',
      'qa',
      'stage',
      'live',
    ]);
  });

  it('reads phases with defaults: previous phase required, simulated provider, no approvals', () => {
    const templates = readPipelineTemplates(
      new ConfigReader({
        release: {
          pipelines: {
            fast: {
              title: 'Fast',
              phases: [
                { id: 'dev' },
                {
                  id: 'hotfix',
                  requires: false,
                  provider: {
                    type: 'webhook',
                    url: 'https://deploy.example.com',
                  },
                },
                {
                  id: 'live',
                  title: 'Live',
                  requires: 'dev',
                  approvals: {
                    required: 2,
                    approvers: ['group:default/leads'],
                  },
                  freezeWindows: [
                    {
                      cron: '0 18 * * 5',
                      duration: 'P2D',
                      timezone: 'Europe/Berlin',
                    },
                  ],
                  soakTime: 'PT1H',
                  config: {
                    variables: { LOG_LEVEL: 'warn' },
                    sizing: { replicas: 3 },
                  },
                },
              ],
            },
          },
        },
      }),
    );
    const [dev, hotfix, live] = templates.get('fast')!.phases;
    expect(dev).toMatchObject({
      requires: null,
      provider: { type: 'simulated' },
      title: 'dev',
    });
    expect(hotfix).toMatchObject({
      requires: null,
      provider: { type: 'webhook', url: 'https://deploy.example.com' },
    });
    expect(live).toMatchObject({
      order: 2,
      requires: 'dev',
      approvals: {
        required: 2,
        approvers: ['group:default/leads'],
        allowSelfApproval: false,
      },
      freezeWindows: [
        { cron: '0 18 * * 5', duration: 'P2D', timezone: 'Europe/Berlin' },
      ],
      soakTime: 'PT1H',
      config: { variables: { LOG_LEVEL: 'warn' }, sizing: { replicas: 3 } },
    });
  });

  it('stops startup with a clear message for a malformed template', () => {
    expect(() =>
      readPipelineTemplates(
        new ConfigReader({
          release: {
            pipelines: {
              bad: { phases: [{ id: 'a', requires: 'b' }, { id: 'b' }] },
            },
          },
        }),
      ),
    ).toThrow(
      "Invalid release pipeline config: pipeline 'bad': phase 'a' requires 'b', which is not an earlier phase",
    );
  });

  it('reads deployment windows per phase and the production phase', () => {
    const templates = readPipelineTemplates(
      new ConfigReader({
        release: {
          pipelines: {
            windowed: {
              productionPhase: 'prod',
              phases: [
                { id: 'dev' },
                {
                  id: 'prod',
                  deploymentWindows: [
                    {
                      cron: '0 9 * * 2-4',
                      duration: 'PT7H',
                      timezone: 'Europe/Berlin',
                      reason: 'office hours',
                    },
                  ],
                },
                { id: 'archive' },
              ],
            },
          },
        },
      }),
    );
    const template = templates.get('windowed')!;
    expect(template.productionPhase).toBe('prod');
    expect(template.phases[0].deploymentWindows).toBeUndefined();
    expect(template.phases[1].deploymentWindows).toEqual([
      {
        cron: '0 9 * * 2-4',
        duration: 'PT7H',
        timezone: 'Europe/Berlin',
        reason: 'office hours',
      },
    ]);
  });

  it('refuses a bad deployment window or production phase at startup', () => {
    expect(() =>
      readPipelineTemplates(
        new ConfigReader({
          release: {
            pipelines: {
              bad: {
                productionPhase: 'live',
                phases: [
                  {
                    id: 'dev',
                    deploymentWindows: [{ cron: '0 9 * *', duration: 'PT7H' }],
                  },
                ],
              },
            },
          },
        }),
      ),
    ).toThrow(
      "Invalid release pipeline config: pipeline 'bad': phase 'dev': cron expression '0 9 * *' must have 5 fields (minute hour day-of-month month day-of-week); pipeline 'bad': productionPhase 'live' is not a phase of the pipeline",
    );
  });
});
