/**
 * Node library of the Release Manager: the deployment provider and verification check
 * extension points, the configuration → environment mapping every provider uses, and
 * HTTP helpers for provider modules.
 *
 * @packageDocumentation
 */

export * from './provider';
export * from './extensions';
export * from './checks';
export * from './environment';
export * from './http';
export * from './pipelines';
export * from './seed';
