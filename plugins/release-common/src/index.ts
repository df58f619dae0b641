/**
 * Common types, permissions and pure domain rules of the Release Manager
 * plugins for Backstage.
 *
 * @packageDocumentation
 */

export * from './types';
export * from './semver';
export * from './permissions';
export * from './pipeline';
export * from './validation';
export * from './time';
export * from './schedule';
export * from './promotion';
export * from './config';
export * from './lifecycle';
export * from './ledger';
export * from './approval';
export * from './changes';
export * from './metrics';
export * from './trains';
