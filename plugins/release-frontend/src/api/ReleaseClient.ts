import { parseEntityRef } from '@backstage/catalog-model';
import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  CreateReleaseRequest,
  Page,
  PipelineView,
  Release,
  ReleaseWithStatus,
} from '@release-manager/backstage-plugin-release-common';
import { ListReleasesOptions, ReleaseApi } from './ReleaseApi';

/**
 * The default {@link ReleaseApi}, talking to the `release` backend plugin.
 *
 * @public
 */
export class ReleaseClient implements ReleaseApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getPipeline(entityRef: string): Promise<PipelineView> {
    return this.request(`${this.entityPath(entityRef)}/pipeline`);
  }

  async listReleases(
    entityRef: string,
    options: ListReleasesOptions = {},
  ): Promise<Page<ReleaseWithStatus>> {
    const query = new URLSearchParams();
    if (options.limit !== undefined) {
      query.set('limit', String(options.limit));
    }
    if (options.cursor !== undefined) {
      query.set('cursor', options.cursor);
    }
    const qs = query.toString();
    return this.request(
      `${this.entityPath(entityRef)}/releases${qs ? `?${qs}` : ''}`,
    );
  }

  async getRelease(
    entityRef: string,
    version: string,
  ): Promise<ReleaseWithStatus> {
    return this.request(
      `${this.entityPath(entityRef)}/releases/${encodeURIComponent(version)}`,
    );
  }

  async createRelease(
    entityRef: string,
    request: CreateReleaseRequest,
  ): Promise<Release> {
    return this.request(`${this.entityPath(entityRef)}/releases`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(request),
    });
  }

  private entityPath(entityRef: string): string {
    const { kind, namespace, name } = parseEntityRef(entityRef);
    return `/entities/${[kind, namespace, name]
      .map(encodeURIComponent)
      .join('/')}`;
  }

  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('release');
    const res = await this.fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!res.ok) {
      throw await ResponseError.fromResponse(res);
    }
    return (await res.json()) as T;
  }
}
