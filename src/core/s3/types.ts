import type { Readable } from 'node:stream';
import type { QuickXorState } from '../hash/quickxor.js';

/** What every object carries (DESIGN.md §4): rclone-format mtime, the OneDrive id, the hash. */
export interface ObjectMeta {
  /** Unix seconds, rclone's format ("1700000000.5", "1700000000"). */
  mtime: string;
  itemId: string;
  quickXorHash?: string;
  contentType?: string;
}

export interface ObjectInfo {
  key: string;
  size: number;
  etag?: string;
  lastModified?: Date;
  storageClass?: string;
}

export interface HeadInfo extends ObjectInfo {
  /** User metadata, keys lower-cased without the x-amz-meta- prefix. */
  metadata: Record<string, string>;
  contentType?: string;
}

/** Where a multipart upload stands: persisted by the store so a killed process resumes it. */
export interface UploadCheckpoint {
  uploadId: string;
  key: string;
  partSize: number;
  /** Parts 1..n finished contiguously, with their ETags. */
  parts: Array<{ partNumber: number; etag: string }>;
  /** Bytes covered by `parts` (= where reading resumes). */
  bytes: number;
  /** QuickXorHash state after `bytes` bytes. */
  hash: QuickXorState;
  /**
   * Checksum algorithm the upload was created with ('CRC32' when the client sends the SDK's
   * default checksums, absent otherwise). A resume with a client that differs starts afresh,
   * since S3 refuses parts whose checksum type differs from the upload's.
   */
  checksumAlgorithm?: 'CRC32';
}

export interface UploadRequest {
  key: string;
  size: number;
  meta: ObjectMeta;
  /** Opens the source at byte `start` (0 for a fresh upload; > 0 when resuming). */
  open(start: number, signal?: AbortSignal): Promise<Readable>;
  /** When given, the upload is refused (and any multipart aborted) unless the bytes hash to it. */
  expectedQuickXorHash?: string;
  resume?: UploadCheckpoint;
  onCheckpoint?(checkpoint: UploadCheckpoint): void | Promise<void>;
  onProgress?(bytesDelta: number): void;
  signal?: AbortSignal;
}

export interface UploadResult {
  key: string;
  size: number;
  etag?: string;
  /** true when resumed from a checkpoint rather than started from byte 0. */
  resumed: boolean;
  multipart: boolean;
}

export interface CopyRequest {
  from: string;
  to: string;
  size: number;
  /** New metadata (REPLACE); when absent the source's metadata is kept (COPY). */
  meta?: ObjectMeta;
  signal?: AbortSignal;
}

export interface MultipartInfo {
  key: string;
  uploadId: string;
  initiated?: Date;
}

/**
 * The target seam: the S3 bucket as the engine sees it (a handful of methods, rclone-style).
 * Keys here are full keys (prefix included).
 */
export interface BackupTarget {
  upload(request: UploadRequest): Promise<UploadResult>;
  copy(request: CopyRequest): Promise<void>;
  /** Deletes in batches of 1000; returns keys that failed with their reason. */
  deleteMany(
    keys: string[],
    signal?: AbortSignal,
  ): Promise<Array<{ key: string; message: string }>>;
  list(prefix: string, signal?: AbortSignal): AsyncIterable<ObjectInfo>;
  head(key: string, signal?: AbortSignal): Promise<HeadInfo | undefined>;
  listMultipartUploads(prefix: string, signal?: AbortSignal): Promise<MultipartInfo[]>;
  abortMultipartUpload(key: string, uploadId: string, signal?: AbortSignal): Promise<void>;
}
