import {
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import {
  parsePhaseResourceRef,
  RELEASE_PHASE_RESOURCE_TYPE,
} from '@release-manager/backstage-plugin-release-common';
import { z } from 'zod';

/** A phase of an entity's pipeline, as permission rules see it. @public */
export interface ReleasePhaseResource {
  entityRef: string;
  phase: string;
}

/** Release phase permission rules decide in memory; there is no query form. @public */
export type ReleasePhaseQuery = never;

/** The resource ref of release phases, for rules and conditional decisions. @public */
export const releasePhaseResourceRef = createPermissionResourceRef<
  ReleasePhaseResource,
  ReleasePhaseQuery
>().with({ pluginId: 'release', resourceType: RELEASE_PHASE_RESOURCE_TYPE });

const isPhase = createPermissionRule({
  name: 'IS_PHASE',
  description: 'Allow when the phase is one of the given phase ids',
  resourceRef: releasePhaseResourceRef,
  paramsSchema: z.object({
    phases: z.array(z.string()).describe('Phase ids, e.g. ["live"]'),
  }),
  apply: (resource, { phases }) => phases.includes(resource.phase),
  toQuery: () => {
    throw new Error('IS_PHASE has no query form');
  },
});

const isEntity = createPermissionRule({
  name: 'IS_ENTITY',
  description: 'Allow when the phase belongs to one of the given entities',
  resourceRef: releasePhaseResourceRef,
  paramsSchema: z.object({
    entityRefs: z
      .array(z.string())
      .describe('Entity refs, e.g. ["component:default/payments-api"]'),
  }),
  apply: (resource, { entityRefs }) =>
    entityRefs
      .map(r => r.toLocaleLowerCase('en-US'))
      .includes(resource.entityRef),
  toQuery: () => {
    throw new Error('IS_ENTITY has no query form');
  },
});

/** The permission rules of release phases. @public */
export const releasePhaseRules = { isPhase, isEntity };

/** Loads phase resources from their refs (`<entityRef>#<phase>`). */
export async function getReleasePhaseResources(
  resourceRefs: string[],
): Promise<Array<ReleasePhaseResource | undefined>> {
  return resourceRefs.map(ref => parsePhaseResourceRef(ref));
}
