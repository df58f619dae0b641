/**
 * Release Manager backend plugin for Backstage.
 *
 * @packageDocumentation
 */

export { releasePlugin as default } from './plugin';
export { DatabaseReleaseStore } from './database/DatabaseReleaseStore';
export type {
  ReleaseStore,
  StoredRelease,
  HistoryEntry,
  PromotionImport,
} from './database/ReleaseStore';
