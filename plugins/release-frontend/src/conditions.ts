import { Entity } from '@backstage/catalog-model';
import { RELEASE_PIPELINE_ANNOTATION } from '@release-manager/backstage-plugin-release-common';

/**
 * True when the entity takes part in release management, that is when it has
 * the `release.backstage.io/pipeline` annotation.
 *
 * @public
 */
export function isReleaseAvailable(entity: Entity): boolean {
  return Boolean(entity.metadata.annotations?.[RELEASE_PIPELINE_ANNOTATION]);
}

/**
 * True for System entities, which can have release trains (the "Trains"
 * tab).
 *
 * @public
 */
export function isTrainSystem(entity: Entity): boolean {
  return entity.kind.toLocaleLowerCase('en-US') === 'system';
}
