import { createConditionExports } from '@backstage/plugin-permission-node';
import { releasePhaseResourceRef, releasePhaseRules } from './rules';

const { conditions, createConditionalDecision } = createConditionExports({
  resourceRef: releasePhaseResourceRef,
  rules: releasePhaseRules,
});

/**
 * Conditions a permission policy can use for release phase permissions, e.g.
 * `releasePhaseConditions.isPhase({ phases: ['live'] })`.
 * @public
 */
export const releasePhaseConditions = conditions;

/**
 * Builds a conditional decision for a release phase permission.
 * @public
 */
export const createReleasePhaseConditionalDecision = createConditionalDecision;
