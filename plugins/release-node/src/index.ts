/**
 * Node library of the Release Manager: the deployment provider and verification check extension points.
 *
 * @packageDocumentation
 */

export * from './provider';
export * from './extensions';
export * from './checks';
