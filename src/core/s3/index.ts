// The S3 target's public surface; internals (context, parts, resume) stay private to the folder.
export type * from './types.js';
export { S3Target, type S3TargetOptions } from './target.js';
export {
  createS3Client,
  countRequests,
  type RequestCounter,
  type S3ClientOptions,
} from './client.js';
export { objectKey, checkKey, copySource, MAX_KEY_BYTES } from './keys.js';
export { S3Error, toS3Error, isNotFound, type S3Op } from './errors.js';
export {
  META_ITEM_ID,
  META_MTIME,
  META_QUICKXOR,
  formatMtime,
  fromS3Metadata,
  mtimeToDate,
  parseMtime,
  sameSecond,
  toS3Metadata,
} from './metadata.js';
