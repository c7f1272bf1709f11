import type { S3Client, ServerSideEncryption, StorageClass } from '@aws-sdk/client-s3';
import type { Logger } from '../log/logger.js';
import { classifySyncError, type Pacer } from '../net/pacer.js';
import { toS3Error, type S3Op } from './errors.js';

/** What every write carries: storage class and server-side encryption. */
export interface WriteParams {
  StorageClass: StorageClass;
  ServerSideEncryption?: ServerSideEncryption;
  SSEKMSKeyId?: string;
}

/** What the target's helpers (multipart, copy) share: one bucket, one pacer, one way to call. */
export interface S3Context {
  client: S3Client;
  bucket: string;
  logger: Logger;
  write: WriteParams;
  partConcurrency: number;
  /**
   * One S3 request through the pacer: classified errors, retried when retryable (honouring
   * Retry-After), cancelled by `signal`. `call` receives the signal to hand to `client.send`.
   */
  run<T>(
    op: S3Op,
    key: string | undefined,
    call: (abortSignal: AbortSignal | undefined, attempt: number) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T>;
}

export function makeRun(pacer: Pacer, bucket: string, kms: boolean): S3Context['run'] {
  return (op, key, call, signal) =>
    pacer.call(
      async (attempt) => {
        try {
          return await call(signal, attempt);
        } catch (error) {
          throw toS3Error(error, { op, bucket, key, kms });
        }
      },
      classifySyncError,
      signal,
    );
}

/** S3 returns ETags in quotes; callers compare bare values. */
export function bareEtag(etag: string | undefined): string | undefined {
  return etag?.replace(/^"|"$/g, '');
}

export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;
/** S3's part rules: 5 MiB to 5 GiB per part (the last may be smaller), at most 10,000 parts. */
export const MIN_PART = 5 * MiB;
export const MAX_PART = 5 * GiB;
export const MAX_PARTS = 10_000;
export const MAX_OBJECT = 5 * 1024 * GiB;

/**
 * Part size for an object: at least `floor`, and big enough that the object fits in 9,000
 * parts (headroom under S3's 10,000), rounded up to a whole MiB. 250 GB → 27 MiB parts.
 */
export function partSizeFor(size: number, floor: number): number {
  const needed = Math.ceil(Math.ceil(size / 9000) / MiB) * MiB;
  return Math.max(floor, needed);
}

export function partCount(size: number, partSize: number): number {
  return Math.max(1, Math.ceil(size / partSize));
}
