/*
 * The release-train shapes of the release API, generated from the backend's
 * OpenAPI spec (see types.ts).
 */
import type { ReleaseApiSchemas } from './types';

/**
 * The state of a release train (spec: `TrainStatus`).
 *
 * @public
 */
export type TrainStatus = ReleaseApiSchemas['TrainStatus'];

/**
 * One member service of a train, with its promotion (spec: `TrainMember`).
 *
 * @public
 */
export type TrainMember = ReleaseApiSchemas['TrainMember'];

/**
 * A release train: one release per member service of a System, requested,
 * approved and promoted as a unit (spec: `Train`).
 *
 * @public
 */
export type Train = ReleaseApiSchemas['Train'];

/**
 * The preview of a train before it is requested (spec: `TrainPlan`).
 *
 * @public
 */
export type TrainPlan = ReleaseApiSchemas['TrainPlan'];

/**
 * A train configured in `release.trains` (spec: `TrainDefinition`).
 *
 * @public
 */
export type TrainDefinition = ReleaseApiSchemas['TrainDefinition'];

/**
 * Body of `POST /trains` (spec: `CreateTrainRequest`).
 *
 * @public
 */
export type CreateTrainRequest = ReleaseApiSchemas['CreateTrainRequest'];

/**
 * The change sets of a train's members (spec: `TrainChanges`).
 *
 * @public
 */
export type TrainChanges = ReleaseApiSchemas['TrainChanges'];
