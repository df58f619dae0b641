import {
  parseIsoDuration,
  validateDeploymentWindow,
  validateFreezeWindow,
} from './time';
import { PhaseAccess, PhaseDefinition, PipelineTemplate } from './types';

/** Name of the template used when an entity's annotation says `default`. @public */
export const DEFAULT_PIPELINE_TEMPLATE_NAME = 'default';

/** Phase ids: lower-case letters, digits and dashes, starting with a letter. @public */
export const PHASE_ID_PATTERN = /^[a-z][a-z0-9-]{0,62}$/;

function phase(
  id: string,
  title: string,
  order: number,
  requires: string | null,
  approvalsRequired: number,
): PhaseDefinition {
  return {
    id,
    title,
    order,
    provider: { type: 'simulated' },
    autoPromote: false,
    requires,
    approvals: { required: approvalsRequired, allowSelfApproval: false },
    freezeWindows: [],
    access: {},
    config: { variables: {} },
  };
}

/**
 * The built-in template: Dev → QA/Demo → Stage → Live, each phase requiring
 * the previous one; Stage and Live need one approval.
 * @public
 */
export const DEFAULT_PIPELINE_TEMPLATE: PipelineTemplate = {
  name: DEFAULT_PIPELINE_TEMPLATE_NAME,
  title: 'Dev → QA/Demo → Stage → Live',
  phases: [
    phase('dev', 'Dev', 0, null, 0),
    phase('qa', 'QA/Demo', 1, 'dev', 0),
    phase('stage', 'Stage', 2, 'qa', 1),
    phase('live', 'Live', 3, 'stage', 1),
  ],
};

/**
 * The access lists of a phase for one entity: lists the template leaves out
 * default to the entity's owners.
 * @public
 */
export function resolvePhaseAccess(
  phaseDef: PhaseDefinition,
  entityOwners: string[],
): PhaseAccess {
  const pick = (list: string[] | undefined) =>
    list && list.length > 0 ? list : entityOwners;
  return {
    deployers: pick(phaseDef.access.deployers),
    approvers: pick(phaseDef.approvals.approvers ?? phaseDef.access.approvers),
    configEditors: pick(phaseDef.access.configEditors),
  };
}

/**
 * Whether a user, known by their ownership entity refs (their own ref and
 * their groups), is in an access list of user and group refs.
 * @public
 */
export function isInAccessList(
  ownershipEntityRefs: string[],
  accessList: string[],
): boolean {
  const mine = new Set(
    ownershipEntityRefs.map(r => r.toLocaleLowerCase('en-US')),
  );
  return accessList.some(r => mine.has(r.toLocaleLowerCase('en-US')));
}

/** Finds a phase by id. @public */
export function findPhase(
  template: PipelineTemplate,
  phaseId: string,
): PhaseDefinition | undefined {
  return template.phases.find(p => p.id === phaseId);
}

/**
 * Checks a template's structure: at least one phase, unique valid ids, and
 * `requires` naming an earlier phase. Returns the problems found.
 * @public
 */
export function validatePipelineTemplate(template: PipelineTemplate): string[] {
  const problems: string[] = [];
  if (template.phases.length === 0) {
    problems.push(`pipeline '${template.name}' has no phases`);
  }
  const seen = new Set<string>();
  for (const p of template.phases) {
    if (!PHASE_ID_PATTERN.test(p.id)) {
      problems.push(
        `pipeline '${template.name}': phase id '${p.id}' must match ${PHASE_ID_PATTERN}`,
      );
    }
    if (seen.has(p.id)) {
      problems.push(
        `pipeline '${template.name}': phase id '${p.id}' is repeated`,
      );
    }
    if (p.requires !== null && !seen.has(p.requires)) {
      problems.push(
        `pipeline '${template.name}': phase '${p.id}' requires '${p.requires}', which is not an earlier phase`,
      );
    }
    if (!Number.isInteger(p.approvals.required) || p.approvals.required < 0) {
      problems.push(
        `pipeline '${template.name}': phase '${p.id}' approvals.required must be a whole number ≥ 0`,
      );
    }
    for (const window of p.freezeWindows) {
      for (const problem of validateFreezeWindow(window)) {
        problems.push(
          `pipeline '${template.name}': phase '${p.id}': ${problem}`,
        );
      }
    }
    for (const window of p.deploymentWindows ?? []) {
      for (const problem of validateDeploymentWindow(window)) {
        problems.push(
          `pipeline '${template.name}': phase '${p.id}': ${problem}`,
        );
      }
    }
    if (
      p.soakTime !== undefined &&
      parseIsoDuration(p.soakTime) === undefined
    ) {
      problems.push(
        `pipeline '${template.name}': phase '${p.id}' soakTime '${p.soakTime}' is not an ISO 8601 duration such as PT1H`,
      );
    }
    seen.add(p.id);
  }
  if (
    template.productionPhase !== undefined &&
    !seen.has(template.productionPhase)
  ) {
    problems.push(
      `pipeline '${template.name}': productionPhase '${template.productionPhase}' is not a phase of the pipeline`,
    );
  }
  return problems;
}

/**
 * The phase whose successful deployments count as production deployments
 * in delivery metrics: `productionPhase` if set, else the last phase.
 * @public
 */
export function productionPhaseOf(template: PipelineTemplate): string {
  return (
    template.productionPhase ??
    template.phases[template.phases.length - 1]?.id ??
    ''
  );
}
