export {
  restoreObjects,
  type RestoreEvent,
  type RestoreItem,
  type RestoreOptions,
  type RestoreSummary,
} from './restorer.js';
export { keyToPath, insideRoot, type KeyPath } from './paths.js';
export { parseRestoreHeader, type ArchiveState } from './archive.js';
export { fileTime } from './download.js';
export type { RestoreEntry } from './listing.js';
export {
  RETRIEVAL_TIERS,
  effectiveTier,
  expectedWait,
  isArchiveClass,
  type RetrievalTier,
} from './tiers.js';
