import { createPermission } from '@backstage/plugin-permission-common';

/**
 * The resource type of phase-scoped release permissions. The resource ref is
 * `<entityRef>#<phaseId>`, built with {@link toPhaseResourceRef}.
 * @public
 */
export const RELEASE_PHASE_RESOURCE_TYPE = 'release-phase';

/** The catalog's entity resource type, used by entity-scoped permissions. @public */
export const RELEASE_ENTITY_RESOURCE_TYPE = 'catalog-entity';

/** Builds the resource ref of one phase of one entity's pipeline. @public */
export function toPhaseResourceRef(entityRef: string, phase: string): string {
  return `${entityRef}#${phase}`;
}

/** Splits a phase resource ref; undefined when it is not one. @public */
export function parsePhaseResourceRef(
  resourceRef: string,
): { entityRef: string; phase: string } | undefined {
  const i = resourceRef.lastIndexOf('#');
  if (i <= 0 || i === resourceRef.length - 1) {
    return undefined;
  }
  return {
    entityRef: resourceRef.slice(0, i),
    phase: resourceRef.slice(i + 1),
  };
}

/** Read an entity's pipeline, releases, promotions and history. @public */
export const releaseReadPermission = createPermission({
  name: 'release.pipeline.read',
  attributes: { action: 'read' },
  resourceType: RELEASE_ENTITY_RESOURCE_TYPE,
});

/** Create a release of an entity. @public */
export const releaseCreatePermission = createPermission({
  name: 'release.release.create',
  attributes: { action: 'create' },
  resourceType: RELEASE_ENTITY_RESOURCE_TYPE,
});

/** Request a promotion (or a rollback) into a phase. @public */
export const releasePromotionCreatePermission = createPermission({
  name: 'release.promotion.create',
  attributes: { action: 'create' },
  resourceType: RELEASE_PHASE_RESOURCE_TYPE,
});

/** Approve or reject a promotion into a phase. @public */
export const releasePromotionApprovePermission = createPermission({
  name: 'release.promotion.approve',
  attributes: { action: 'update' },
  resourceType: RELEASE_PHASE_RESOURCE_TYPE,
});

/** Cancel a promotion into a phase. @public */
export const releasePromotionCancelPermission = createPermission({
  name: 'release.promotion.cancel',
  attributes: { action: 'update' },
  resourceType: RELEASE_PHASE_RESOURCE_TYPE,
});

/** Promote into a phase without the release having succeeded in the phase it requires. @public */
export const releasePromotionSkipPermission = createPermission({
  name: 'release.promotion.skip',
  attributes: { action: 'update' },
  resourceType: RELEASE_PHASE_RESOURCE_TYPE,
});

/** Read a phase's configuration (secret values are never readable). @public */
export const releaseConfigReadPermission = createPermission({
  name: 'release.config.read',
  attributes: { action: 'read' },
  resourceType: RELEASE_PHASE_RESOURCE_TYPE,
});

/** Change a phase's configuration. @public */
export const releaseConfigUpdatePermission = createPermission({
  name: 'release.config.update',
  attributes: { action: 'update' },
  resourceType: RELEASE_PHASE_RESOURCE_TYPE,
});

/** Set or remove a phase secret. @public */
export const releaseSecretUpdatePermission = createPermission({
  name: 'release.secret.update',
  attributes: { action: 'update' },
  resourceType: RELEASE_PHASE_RESOURCE_TYPE,
});

/** Lock or unlock a phase. @public */
export const releasePhaseLockPermission = createPermission({
  name: 'release.phase.lock',
  attributes: { action: 'update' },
  resourceType: RELEASE_PHASE_RESOURCE_TYPE,
});

/** Deploy or approve through a freeze window or a lock, with a reason. @public */
export const releaseFreezeOverridePermission = createPermission({
  name: 'release.freeze.override',
  attributes: { action: 'update' },
  resourceType: RELEASE_PHASE_RESOURCE_TYPE,
});

/** Every permission of the release plugin. @public */
export const releasePermissions = [
  releaseReadPermission,
  releaseCreatePermission,
  releasePromotionCreatePermission,
  releasePromotionApprovePermission,
  releasePromotionCancelPermission,
  releasePromotionSkipPermission,
  releaseConfigReadPermission,
  releaseConfigUpdatePermission,
  releaseSecretUpdatePermission,
  releasePhaseLockPermission,
  releaseFreezeOverridePermission,
];
