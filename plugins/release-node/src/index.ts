/**
 * Node library of the Release Manager: the deployment provider extension
 * point, the configuration → environment mapping every provider uses, and
 * HTTP helpers for provider modules.
 *
 * @packageDocumentation
 */

export * from './provider';
export * from './extensions';
export * from './environment';
export * from './http';
export * from './pipelines';
