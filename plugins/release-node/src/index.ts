/**
 * Node library of the Release Manager: the deployment provider extension point.
 *
 * @packageDocumentation
 */

export * from './provider';
export * from './extensions';
export * from './seed';
