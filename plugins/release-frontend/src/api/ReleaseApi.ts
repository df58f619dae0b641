import { createApiRef } from '@backstage/core-plugin-api';
import {
  CreateReleaseRequest,
  Page,
  PipelineView,
  Release,
  ReleaseWithStatus,
} from '@release-manager/backstage-plugin-release-common';

/**
 * Options of {@link ReleaseApi.listReleases}.
 *
 * @public
 */
export interface ListReleasesOptions {
  /** Page size, 1 to 100; the backend defaults to 20. */
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

/**
 * Client of the release backend.
 *
 * @public
 */
export interface ReleaseApi {
  /** The entity's pipeline with the live state of each phase. */
  getPipeline(entityRef: string): Promise<PipelineView>;
  /** One page of the entity's releases, newest first. */
  listReleases(
    entityRef: string,
    options?: ListReleasesOptions,
  ): Promise<Page<ReleaseWithStatus>>;
  /** One release of the entity with its state in each phase. */
  getRelease(entityRef: string, version: string): Promise<ReleaseWithStatus>;
  /** Creates a release of the entity. */
  createRelease(
    entityRef: string,
    request: CreateReleaseRequest,
  ): Promise<Release>;
}

/**
 * The API reference of {@link ReleaseApi}.
 *
 * @public
 */
export const releaseApiRef = createApiRef<ReleaseApi>({
  id: 'plugin.release.service',
});
