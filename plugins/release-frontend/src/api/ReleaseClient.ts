import { parseEntityRef } from '@backstage/catalog-model';
import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  ChangeSet,
  CreateReleaseRequest,
  MetricsQuery,
  MetricsResponse,
  Page,
  PhaseLock,
  PipelineView,
  Release,
  ReleaseWithStatus,
} from '@release-manager/backstage-plugin-release-common';
import {
  GetHistoryOptions,
  IdempotencyOptions,
  ListConfigVersionsOptions,
  ListPromotionsOptions,
  ListReleasesOptions,
  ListTrainsOptions,
  PortfolioFilters,
  PortfolioOptions,
  ReleaseApi,
} from './ReleaseApi';
import {
  ConfigVersionDiff,
  ConfigVersionPage,
  ConfigVersionView,
  CreatePromotionRequest,
  DecisionRequest,
  EntityStatus,
  HistoryEntry,
  PhaseConfigVersion,
  PhaseConfigView,
  PhaseDiff,
  PortfolioPage,
  PromotionDetail,
  PutPhaseConfigRequest,
  RestoreConfigRequest,
  RollbackRequest,
  ScheduleRequest,
} from './types';
import {
  CreateTrainRequest,
  Train,
  TrainChanges,
  TrainDefinition,
  TrainPlan,
} from './trainTypes';

/** The most entity refs `POST /status` accepts in one call. */
const STATUS_BATCH_SIZE = 500;

/** `?a=1&b=2` of the defined values, or '' when there are none. */
function queryString(
  params: Record<string, string | number | undefined>,
): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) {
      query.set(key, String(value));
    }
  }
  const qs = query.toString();
  return qs ? `?${qs}` : '';
}

function jsonInit(
  method: string,
  body: unknown,
  headers: Record<string, string> = {},
): RequestInit {
  return {
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

function idempotencyHeaders(
  options?: IdempotencyOptions,
): Record<string, string> {
  return options?.idempotencyKey
    ? { 'Idempotency-Key': options.idempotencyKey }
    : {};
}

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
    return this.request(
      `${this.entityPath(entityRef)}/releases${queryString({
        limit: options.limit,
        cursor: options.cursor,
      })}`,
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
    return this.request(
      `${this.entityPath(entityRef)}/releases`,
      jsonInit('POST', request),
    );
  }

  async updateReleasePlan(
    entityRef: string,
    version: string,
    plannedAt: Record<string, string | null>,
  ): Promise<ReleaseWithStatus> {
    return this.request(
      `${this.entityPath(entityRef)}/releases/${encodeURIComponent(
        version,
      )}/plan`,
      jsonInit('PATCH', { plannedAt }),
    );
  }

  async getMetrics(
    entityRef: string,
    query: MetricsQuery = {},
  ): Promise<MetricsResponse> {
    return this.request(
      `${this.entityPath(entityRef)}/metrics${queryString({
        from: query.from,
        to: query.to,
        bucket: query.bucket,
      })}`,
    );
  }

  async getGroupMetrics(
    query: MetricsQuery & {
      owner?: string;
      system?: string;
      pipeline?: string;
    },
  ): Promise<MetricsResponse> {
    return this.request(
      `/metrics${queryString({
        owner: query.owner,
        system: query.system,
        pipeline: query.pipeline,
        from: query.from,
        to: query.to,
        bucket: query.bucket,
      })}`,
    );
  }

  async createPromotion(
    entityRef: string,
    request: CreatePromotionRequest,
    options?: IdempotencyOptions,
  ): Promise<PromotionDetail> {
    return this.request(
      `${this.entityPath(entityRef)}/promotions`,
      jsonInit('POST', request, idempotencyHeaders(options)),
    );
  }

  async listPromotions(
    entityRef: string,
    options: ListPromotionsOptions = {},
  ): Promise<PromotionDetail[]> {
    const list = await this.request<{ items: PromotionDetail[] }>(
      `${this.entityPath(entityRef)}/promotions${queryString({
        phase: options.phase,
        status: options.status,
        limit: options.limit,
      })}`,
    );
    return list.items;
  }

  async getPromotion(id: string): Promise<PromotionDetail> {
    return this.request(`/promotions/${encodeURIComponent(id)}`);
  }

  async approvePromotion(
    id: string,
    request: DecisionRequest = {},
  ): Promise<PromotionDetail> {
    return this.request(
      `/promotions/${encodeURIComponent(id)}/approve`,
      jsonInit('POST', request),
    );
  }

  async rejectPromotion(
    id: string,
    request: DecisionRequest & { comment: string },
  ): Promise<PromotionDetail> {
    return this.request(
      `/promotions/${encodeURIComponent(id)}/reject`,
      jsonInit('POST', request),
    );
  }

  async schedulePromotion(
    id: string,
    request: ScheduleRequest,
  ): Promise<PromotionDetail> {
    return this.request(
      `/promotions/${encodeURIComponent(id)}/schedule`,
      jsonInit('PUT', request),
    );
  }

  async cancelPromotion(
    id: string,
    request: { comment?: string } = {},
  ): Promise<PromotionDetail> {
    return this.request(
      `/promotions/${encodeURIComponent(id)}/cancel`,
      jsonInit('POST', request),
    );
  }

  async listApprovals(): Promise<PromotionDetail[]> {
    const list = await this.request<{ items: PromotionDetail[] }>(
      `/approvals?status=pending`,
    );
    return list.items;
  }

  async rollbackPhase(
    entityRef: string,
    phase: string,
    request: RollbackRequest = {},
    options?: IdempotencyOptions,
  ): Promise<PromotionDetail> {
    return this.request(
      `${this.phasePath(entityRef, phase)}/rollback`,
      jsonInit('POST', request, idempotencyHeaders(options)),
    );
  }

  async lockPhase(
    entityRef: string,
    phase: string,
    reason: string,
  ): Promise<PhaseLock> {
    return this.request(
      `${this.phasePath(entityRef, phase)}/lock`,
      jsonInit('PUT', { reason }),
    );
  }

  async unlockPhase(entityRef: string, phase: string): Promise<void> {
    await this.request<void>(`${this.phasePath(entityRef, phase)}/lock`, {
      method: 'DELETE',
    });
  }

  async getHistory(
    entityRef: string,
    options: GetHistoryOptions = {},
  ): Promise<Page<HistoryEntry>> {
    return this.request(
      `${this.entityPath(entityRef)}/history${queryString({
        phase: options.phase,
        limit: options.limit,
        cursor: options.cursor,
      })}`,
    );
  }

  async getStatus(entityRefs: string[]): Promise<EntityStatus[]> {
    const unique = [...new Set(entityRefs)];
    const items: EntityStatus[] = [];
    // The backend takes at most 500 refs per call.
    for (let i = 0; i < unique.length; i += STATUS_BATCH_SIZE) {
      const batch = await this.request<{ items: EntityStatus[] }>(
        '/status',
        jsonInit('POST', {
          entityRefs: unique.slice(i, i + STATUS_BATCH_SIZE),
        }),
      );
      items.push(...batch.items);
    }
    return items;
  }

  async getPortfolio(options: PortfolioOptions = {}): Promise<PortfolioPage> {
    return this.request(
      `/portfolio${queryString({
        owner: options.owner,
        system: options.system,
        lifecycle: options.lifecycle,
        q: options.q,
        limit: options.limit,
        cursor: options.cursor,
      })}`,
    );
  }

  async getPortfolioCsv(filters: PortfolioFilters = {}): Promise<string> {
    const baseUrl = await this.discoveryApi.getBaseUrl('release');
    const res = await this.fetchApi.fetch(
      `${baseUrl}/portfolio${queryString({
        owner: filters.owner,
        system: filters.system,
        lifecycle: filters.lifecycle,
        q: filters.q,
        format: 'csv',
      })}`,
      { headers: { Accept: 'text/csv' } },
    );
    if (!res.ok) {
      throw await ResponseError.fromResponse(res);
    }
    return res.text();
  }

  async getPhaseConfig(
    entityRef: string,
    phase: string,
  ): Promise<PhaseConfigView> {
    return this.request(`${this.phasePath(entityRef, phase)}/config`);
  }

  async putPhaseConfig(
    entityRef: string,
    phase: string,
    request: PutPhaseConfigRequest,
  ): Promise<PhaseConfigVersion> {
    return this.request(
      `${this.phasePath(entityRef, phase)}/config`,
      jsonInit('PUT', request),
    );
  }

  async setPhaseSecret(
    entityRef: string,
    phase: string,
    name: string,
    value: string,
  ): Promise<void> {
    await this.request<void>(
      `${this.phasePath(entityRef, phase)}/secrets/${encodeURIComponent(name)}`,
      jsonInit('PUT', { value }),
    );
  }

  async deletePhaseSecret(
    entityRef: string,
    phase: string,
    name: string,
  ): Promise<void> {
    await this.request<void>(
      `${this.phasePath(entityRef, phase)}/secrets/${encodeURIComponent(name)}`,
      { method: 'DELETE' },
    );
  }

  async getPhaseDiff(
    entityRef: string,
    from: string,
    to: string,
  ): Promise<PhaseDiff> {
    return this.request(
      `${this.entityPath(entityRef)}/diff${queryString({ from, to })}`,
    );
  }

  async getPromotionChanges(id: string): Promise<ChangeSet> {
    return this.request(`/promotions/${encodeURIComponent(id)}/changes`);
  }

  async previewChanges(
    entityRef: string,
    version: string,
    phase: string,
  ): Promise<ChangeSet> {
    return this.request(
      `${this.entityPath(entityRef)}/changes${queryString({ version, phase })}`,
    );
  }

  async listConfigVersions(
    entityRef: string,
    phase: string,
    options: ListConfigVersionsOptions = {},
  ): Promise<ConfigVersionPage> {
    return this.request(
      `${this.phasePath(entityRef, phase)}/config/versions${queryString({
        limit: options.limit,
        cursor: options.cursor,
      })}`,
    );
  }

  async getConfigVersion(
    entityRef: string,
    phase: string,
    version: number,
  ): Promise<ConfigVersionView> {
    return this.request(
      `${this.phasePath(entityRef, phase)}/config/versions/${encodeURIComponent(
        String(version),
      )}`,
    );
  }

  async diffConfigVersions(
    entityRef: string,
    phase: string,
    from: number,
    to: number,
  ): Promise<ConfigVersionDiff> {
    return this.request(
      `${this.phasePath(entityRef, phase)}/config/diff${queryString({
        from,
        to,
      })}`,
    );
  }

  async restoreConfigVersion(
    entityRef: string,
    phase: string,
    request: RestoreConfigRequest,
  ): Promise<PhaseConfigVersion> {
    return this.request(
      `${this.phasePath(entityRef, phase)}/config/restore`,
      jsonInit('POST', request),
    );
  }

  async listTrainDefinitions(): Promise<TrainDefinition[]> {
    const list = await this.request<{ items: TrainDefinition[] }>(
      '/train-definitions',
    );
    return list.items;
  }

  async getTrainPlan(systemRef: string, phase: string): Promise<TrainPlan> {
    return this.request(
      `${this.entityPath(systemRef)}/train-plan${queryString({ phase })}`,
    );
  }

  async createTrain(
    request: CreateTrainRequest,
    options?: IdempotencyOptions,
  ): Promise<Train> {
    return this.request(
      '/trains',
      jsonInit('POST', request, idempotencyHeaders(options)),
    );
  }

  async listTrains(options: ListTrainsOptions = {}): Promise<Page<Train>> {
    return this.request(
      `/trains${queryString({
        system: options.system,
        entity: options.entity,
        status: options.status,
        limit: options.limit,
        cursor: options.cursor,
      })}`,
    );
  }

  async listEntityTrains(
    entityRef: string,
    options: Omit<ListTrainsOptions, 'system' | 'entity'> = {},
  ): Promise<Page<Train>> {
    return this.request(
      `${this.entityPath(entityRef)}/trains${queryString({
        status: options.status,
        limit: options.limit,
        cursor: options.cursor,
      })}`,
    );
  }

  async getTrain(id: string): Promise<Train> {
    return this.request(`/trains/${encodeURIComponent(id)}`);
  }

  async getTrainChanges(id: string): Promise<TrainChanges> {
    return this.request(`/trains/${encodeURIComponent(id)}/changes`);
  }

  async approveTrain(
    id: string,
    request: { comment?: string } = {},
  ): Promise<Train> {
    return this.trainAction(id, 'approve', request);
  }

  async rejectTrain(id: string, request: { comment: string }): Promise<Train> {
    return this.trainAction(id, 'reject', request);
  }

  async cancelTrain(
    id: string,
    request: { comment?: string } = {},
  ): Promise<Train> {
    return this.trainAction(id, 'cancel', request);
  }

  async rollbackTrain(
    id: string,
    request: { comment?: string } = {},
  ): Promise<Train> {
    return this.trainAction(id, 'rollback', request);
  }

  private trainAction(
    id: string,
    action: 'approve' | 'reject' | 'cancel' | 'rollback',
    body: { comment?: string },
  ): Promise<Train> {
    return this.request(
      `/trains/${encodeURIComponent(id)}/${action}`,
      jsonInit('POST', body),
    );
  }

  private phasePath(entityRef: string, phase: string): string {
    return `${this.entityPath(entityRef)}/phases/${encodeURIComponent(phase)}`;
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
    if (res.status === 204) {
      return undefined as T;
    }
    return (await res.json()) as T;
  }
}
