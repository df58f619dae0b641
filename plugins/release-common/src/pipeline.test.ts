import {
  DEFAULT_PIPELINE_TEMPLATE,
  isInAccessList,
  resolvePhaseAccess,
  validatePipelineTemplate,
} from './pipeline';
import { PipelineTemplate } from './types';

describe('pipeline templates', () => {
  it('the default template is Dev → QA/Demo → Stage → Live, each requiring the previous', () => {
    expect(
      DEFAULT_PIPELINE_TEMPLATE.phases.map(p => [p.title, p.requires]),
    ).toEqual([
      ['Dev', null],
      ['QA/Demo', 'dev'],
      ['Stage', 'qa'],
      ['Live', 'stage'],
    ]);
    expect(validatePipelineTemplate(DEFAULT_PIPELINE_TEMPLATE)).toEqual([]);
  });

  it('reports structural problems', () => {
    const [dev, qa] = DEFAULT_PIPELINE_TEMPLATE.phases;
    const bad: PipelineTemplate = {
      name: 'bad',
      phases: [
        { ...qa, requires: 'live' },
        { ...dev, id: 'Dev!' },
        { ...qa, requires: null },
        {
          ...dev,
          id: 'x',
          requires: null,
          approvals: { required: -1, allowSelfApproval: false },
        },
      ],
    };
    expect(validatePipelineTemplate(bad)).toEqual([
      "pipeline 'bad': phase 'qa' requires 'live', which is not an earlier phase",
      "pipeline 'bad': phase id 'Dev!' must match /^[a-z][a-z0-9-]{0,62}$/",
      "pipeline 'bad': phase id 'qa' is repeated",
      "pipeline 'bad': phase 'x' approvals.required must be a whole number ≥ 0",
    ]);
    expect(validatePipelineTemplate({ name: 'empty', phases: [] })).toEqual([
      "pipeline 'empty' has no phases",
    ]);
  });
});

describe('phase access', () => {
  const live = DEFAULT_PIPELINE_TEMPLATE.phases[3];

  it('defaults every list to the entity owners', () => {
    expect(resolvePhaseAccess(live, ['group:default/team-a'])).toEqual({
      deployers: ['group:default/team-a'],
      approvers: ['group:default/team-a'],
      configEditors: ['group:default/team-a'],
    });
  });

  it('uses configured lists, approval approvers first', () => {
    const phase = {
      ...live,
      approvals: { ...live.approvals, approvers: ['group:default/leads'] },
      access: {
        deployers: ['group:default/rm'],
        approvers: ['user:default/x'],
      },
    };
    expect(resolvePhaseAccess(phase, ['group:default/team-a'])).toEqual({
      deployers: ['group:default/rm'],
      approvers: ['group:default/leads'],
      configEditors: ['group:default/team-a'],
    });
  });

  it('matches a user through their ownership refs, case-insensitively', () => {
    const mine = ['user:default/alice', 'group:default/team-a'];
    expect(isInAccessList(mine, ['group:default/Team-A'])).toBe(true);
    expect(isInAccessList(mine, ['group:default/team-b'])).toBe(false);
    expect(isInAccessList([], ['group:default/team-a'])).toBe(false);
  });
});
