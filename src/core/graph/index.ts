export {
  GraphClient,
  DEFAULT_USER_AGENT,
  DELTA_SELECT,
  type GraphClientOptions,
} from './client.js';
export {
  ResyncRequiredError,
  classifyGraphError,
  graphVerdict,
  type GraphContext,
  type GraphFailure,
} from './errors.js';
export type { DeltaPage, DownloadOptions, DriveItem, DriveSource } from './types.js';
