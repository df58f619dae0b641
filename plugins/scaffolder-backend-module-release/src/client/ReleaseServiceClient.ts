import { DiscoveryService } from '@backstage/backend-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  AuthenticationError,
  ConflictError,
  ForwardedError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ResponseError,
} from '@backstage/errors';
import {
  CreateReleaseRequest,
  Promotion,
  Release,
} from '@release-manager/backstage-plugin-release-common';

/** Body of `POST …/promotions` as far as the actions use it. */
export interface PromotionRequest {
  version: string;
  phase: string;
  comment?: string;
}

/** The promotion the release backend answers with (spec: `PromotionDetail`). */
export interface RequestedPromotion extends Promotion {
  /** Distinct valid approvals the phase needs. */
  approvalsRequired: number;
}

/** Body of `POST /trains` as far as the actions use it. */
export interface TrainRequest {
  system: string;
  phase: string;
  members?: Array<{ entityRef: string; version: string }>;
  comment?: string;
}

/** The train the release backend answers with (spec: `Train`), as used here. */
export interface RequestedTrain {
  id: string;
  system: string;
  phase: string;
  status: string;
  approvals: { required: number };
  members: Array<{
    entityRef: string;
    order: number;
    version: string;
    promotionId: string;
    status: string;
  }>;
}

/**
 * A thin client of the release backend's HTTP API for backend callers: every
 * call carries the token it is given, so the release backend applies its
 * access checks to whoever that token stands for.
 */
export class ReleaseServiceClient {
  constructor(private readonly discovery: DiscoveryService) {}

  /** `POST /entities/:kind/:namespace/:name/releases` → 201 with the release. */
  async createRelease(
    entity: CompoundEntityRef,
    request: CreateReleaseRequest,
    options: { token: string; signal?: AbortSignal },
  ): Promise<Release> {
    return this.post<Release>(
      `${await this.entityPath(entity)}/releases`,
      request,
      options,
    );
  }

  /**
   * `POST /entities/:kind/:namespace/:name/promotions` → 202 with the
   * promotion; a repeated `idempotencyKey` returns the first result.
   */
  async requestPromotion(
    entity: CompoundEntityRef,
    request: PromotionRequest,
    options: { token: string; idempotencyKey: string; signal?: AbortSignal },
  ): Promise<RequestedPromotion> {
    return this.post<RequestedPromotion>(
      `${await this.entityPath(entity)}/promotions`,
      request,
      options,
      { 'Idempotency-Key': options.idempotencyKey },
    );
  }

  /**
   * `POST /trains` → 202 with the train; a repeated `idempotencyKey`
   * returns the first result.
   */
  async requestTrain(
    request: TrainRequest,
    options: { token: string; idempotencyKey: string; signal?: AbortSignal },
  ): Promise<RequestedTrain> {
    return this.post<RequestedTrain>(
      `${await this.discovery.getBaseUrl('release')}/trains`,
      request,
      options,
      { 'Idempotency-Key': options.idempotencyKey },
    );
  }

  private async entityPath(entity: CompoundEntityRef) {
    const base = await this.discovery.getBaseUrl('release');
    return `${base}/entities/${[entity.kind, entity.namespace, entity.name]
      .map(encodeURIComponent)
      .join('/')}`;
  }

  private async post<T>(
    url: string,
    body: object,
    options: { token: string; signal?: AbortSignal },
    headers: Record<string, string> = {},
  ): Promise<T> {
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: `Bearer ${options.token}`,
          ...headers,
        },
        body: JSON.stringify(body),
        signal: options.signal,
      });
    } catch (error) {
      throw new ForwardedError(
        `Could not reach the release backend at ${url}`,
        error,
      );
    }
    if (!response.ok) {
      throw await toTypedError(response);
    }
    return (await response.json()) as T;
  }
}

/**
 * The error of a failed call: the `@backstage/errors` type of the status,
 * with the release backend's own message (which says what was wrong) and
 * the full response error as the cause.
 */
async function toTypedError(response: Response): Promise<Error> {
  const cause = await ResponseError.fromResponse(response);
  const message = cause.body?.error?.message || cause.message;
  switch (cause.statusCode) {
    case 400:
      return new InputError(message, cause);
    case 401:
      return new AuthenticationError(message, cause);
    case 403:
      return new NotAllowedError(message, cause);
    case 404:
      return new NotFoundError(message, cause);
    case 409:
      return new ConflictError(message, cause);
    default:
      return new ForwardedError(
        `The release backend answered ${cause.statusCode}: ${message}`,
        cause,
      );
  }
}
