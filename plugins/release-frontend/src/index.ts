/**
 * Release Manager frontend plugin: the "Releases" and "Phases" entity tabs
 * and the release status card.
 *
 * @packageDocumentation
 */

export {
  releasePlugin,
  EntityReleasesContent,
  EntityPhasesContent,
  EntityReleaseStatusCard,
} from './plugin';
export { isReleaseAvailable } from './conditions';
export { releaseApiRef, ReleaseClient } from './api';
export type { ReleaseApi, ListReleasesOptions } from './api';
export type { ReleasesContentProps } from './components/ReleasesContent';
export type {
  CreateReleaseRequest,
  Page,
  PipelinePhaseView,
  PipelineView,
  Promotion,
  PromotionStatus,
  Release,
  ReleasePhaseStatus,
  ReleaseWithStatus,
} from '@release-manager/backstage-plugin-release-common';
