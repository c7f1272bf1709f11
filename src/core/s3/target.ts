import { DeleteObjectsCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { AbortMultipartUploadCommand } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { itemError, SyncError, isAbortError } from '../errors.js';
import type { SseMode, StorageClass } from '../config/types.js';
import { QuickXorHash } from '../hash/quickxor.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { Pacer } from '../net/pacer.js';
import type {
  BackupTarget,
  CopyRequest,
  HeadInfo,
  MultipartInfo,
  ObjectInfo,
  UploadRequest,
  UploadResult,
} from './types.js';
import { toS3Metadata } from './metadata.js';
import { isNotFound } from './errors.js';
import { checkKey } from './keys.js';
import { GiB, MAX_OBJECT, MAX_PART, MIN_PART, MiB, makeRun, type S3Context } from './context.js';
import { copyObject, DEFAULT_CONTENT_TYPE } from './copy.js';
import { uploadMultipart } from './multipart.js';
import { cutParts, hashMismatch } from './parts.js';
import { headObject, listObjects, listUploads } from './read.js';
import { abortQuietly } from './resume.js';

export interface S3TargetOptions {
  client: S3Client;
  bucket: string;
  /** Storage class of every object written or copied. */
  storageClass: StorageClass;
  /** Server-side encryption on every write; undefined = the bucket's default. */
  sse?: SseMode | undefined;
  /** KMS key for sse = "aws:kms"; undefined = the AWS-managed key. */
  kmsKeyId?: string | undefined;
  /** Files of this size and above go multipart. Default 16 MiB; at least 5 MiB. */
  multipartThresholdBytes?: number;
  /** Fixed part size for uploads and part copies (tests). Default: computed per object. */
  partSizeBytes?: number;
  /** Copies above this size use UploadPartCopy. Default 5 GiB (CopyObject's limit). */
  copyPartThresholdBytes?: number;
  /** Parts in flight per upload or copy. Default 4. Memory: (this + 1) part buffers per upload. */
  partConcurrency?: number;
  /** Shared S3 pacer (service "s3"); default a private one. */
  pacer?: Pacer;
  logger?: Logger;
}

/**
 * The bucket as the engine sees it. Every request goes through the pacer (retryable errors
 * retried there, honouring Retry-After); errors come out classified (see errors.ts).
 */
export class S3Target implements BackupTarget {
  private readonly ctx: S3Context;
  private readonly threshold: number;
  private readonly partSize: number | undefined;
  private readonly copyThreshold: number;
  private checksum: Promise<'CRC32' | undefined> | undefined;

  constructor(private readonly options: S3TargetOptions) {
    const whole = (name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER) => {
      if (!Number.isInteger(value) || value < min || value > max) {
        throw new TypeError(
          `Expected \`${name}\` to be a whole number from ${min} to ${max}, got ${value}`,
        );
      }
      return value;
    };
    if (!options.bucket) throw new TypeError('Expected `bucket` to be a bucket name, got ""');
    if (options.sse !== 'aws:kms' && options.kmsKeyId) {
      throw new TypeError('Expected `kmsKeyId` only with sse "aws:kms"');
    }
    this.threshold = whole(
      'multipartThresholdBytes',
      options.multipartThresholdBytes ?? 16 * MiB,
      MIN_PART,
      MAX_PART,
    );
    this.partSize =
      options.partSizeBytes === undefined
        ? undefined
        : whole('partSizeBytes', options.partSizeBytes, MIN_PART, MAX_PART);
    this.copyThreshold = whole(
      'copyPartThresholdBytes',
      options.copyPartThresholdBytes ?? 5 * GiB,
      MIN_PART,
      5 * GiB,
    );
    const pacer = options.pacer ?? new Pacer({ service: 's3' });
    const kms = options.sse === 'aws:kms';
    this.ctx = {
      client: options.client,
      bucket: options.bucket,
      logger: options.logger ?? silentLogger,
      partConcurrency: whole('partConcurrency', options.partConcurrency ?? 4, 1, 64),
      write: {
        StorageClass: options.storageClass,
        ...(options.sse ? { ServerSideEncryption: options.sse } : {}),
        ...(kms && options.kmsKeyId ? { SSEKMSKeyId: options.kmsKeyId } : {}),
      },
      run: makeRun(pacer, options.bucket, kms),
    };
  }

  async upload(req: UploadRequest): Promise<UploadResult> {
    checkKey(req.key);
    if (!Number.isSafeInteger(req.size) || req.size < 0) {
      throw new TypeError(`Expected \`size\` to be a whole number >= 0, got ${req.size}`);
    }
    if (req.size > MAX_OBJECT) {
      throw itemError(`"${req.key}" is ${req.size} bytes; S3 objects are at most 5 TiB`, {
        code: 'too-large',
      });
    }
    req.signal?.throwIfAborted();
    const headers = {
      ContentType: req.meta.contentType ?? DEFAULT_CONTENT_TYPE,
      Metadata: toS3Metadata(req.meta),
    };
    if (req.size < this.threshold) {
      // A checkpoint from when the file was larger (or the threshold lower) has no use now.
      if (req.resume) await abortQuietly(this.ctx, req.resume.key, req.resume.uploadId);
      return this.put(req, headers);
    }
    return uploadMultipart(this.ctx, req, {
      headers,
      partSize: this.partSize,
      checksum: await this.checksumAlgorithm(),
    });
  }

  /**
   * One PutObject from a buffer of exactly `size` bytes (< threshold), checked before anything
   * is written: a bad read never replaces a good object. Zero bytes: the source isn't opened.
   */
  private async put(
    req: UploadRequest,
    headers: { ContentType: string; Metadata: Record<string, string> },
  ): Promise<UploadResult> {
    const hasher = req.expectedQuickXorHash ? new QuickXorHash() : undefined;
    let body: Buffer = Buffer.alloc(0);
    if (req.size > 0) {
      let stream: Readable | undefined;
      try {
        stream = await req.open(0, req.signal);
        const plan = { key: req.key, start: 0, size: req.size, partSize: req.size, firstPart: 1 };
        for await (const part of cutParts(stream, { ...plan, ...(hasher ? { hasher } : {}) })) {
          body = part.body;
        }
      } finally {
        stream?.destroy();
      }
    }
    if (req.expectedQuickXorHash) {
      const got = (hasher ?? new QuickXorHash()).digest();
      if (got !== req.expectedQuickXorHash)
        throw hashMismatch(req.key, req.expectedQuickXorHash, got);
    }
    const res = await this.ctx.run(
      'PutObject',
      req.key,
      (s) =>
        this.ctx.client.send(
          new PutObjectCommand({
            Bucket: this.ctx.bucket,
            Key: req.key,
            Body: body,
            ContentLength: body.length,
            ...headers,
            ...this.ctx.write,
          }),
          { abortSignal: s },
        ),
      req.signal,
    );
    req.onProgress?.(body.length);
    return {
      key: req.key,
      size: req.size,
      ...(res.ETag ? { etag: res.ETag.replace(/^"|"$/g, '') } : {}),
      resumed: false,
      multipart: false,
    };
  }

  copy(req: CopyRequest): Promise<void> {
    return copyObject(this.ctx, req, {
      copyPartThresholdBytes: this.copyThreshold,
      partSize: this.partSize,
    });
  }

  /**
   * DeleteObjects, 1000 keys per request. Keys S3 refused come back with S3's reason; a batch
   * whose request failed (after the pacer's retries) reports each of its keys. Fatal errors
   * (bucket, credentials, permissions) and cancellation are thrown instead.
   */
  async deleteMany(
    keys: string[],
    signal?: AbortSignal,
  ): Promise<Array<{ key: string; message: string }>> {
    const failed: Array<{ key: string; message: string }> = [];
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000);
      try {
        const res = await this.ctx.run(
          'DeleteObjects',
          undefined,
          (s) =>
            this.ctx.client.send(
              new DeleteObjectsCommand({
                Bucket: this.ctx.bucket,
                Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
              }),
              { abortSignal: s },
            ),
          signal,
        );
        for (const e of res.Errors ?? []) {
          failed.push({
            key: e.Key ?? '',
            message: `${e.Code ?? 'Error'}: ${e.Message ?? 'not deleted'}`,
          });
        }
      } catch (error) {
        if (isAbortError(error) || (error instanceof SyncError && error.kind === 'fatal'))
          throw error;
        const message = error instanceof Error ? error.message : String(error);
        for (const key of batch) failed.push({ key, message });
      }
    }
    return failed;
  }

  list(prefix: string, signal?: AbortSignal): AsyncIterable<ObjectInfo> {
    return listObjects(this.ctx, prefix, signal);
  }

  head(key: string, signal?: AbortSignal): Promise<HeadInfo | undefined> {
    return headObject(this.ctx, key, signal);
  }

  listMultipartUploads(prefix: string, signal?: AbortSignal): Promise<MultipartInfo[]> {
    return listUploads(this.ctx, prefix, signal);
  }

  /** Idempotent: an upload that is already gone counts as aborted. */
  async abortMultipartUpload(key: string, uploadId: string, signal?: AbortSignal): Promise<void> {
    try {
      await this.ctx.run(
        'AbortMultipartUpload',
        key,
        (s) =>
          this.ctx.client.send(
            new AbortMultipartUploadCommand({
              Bucket: this.ctx.bucket,
              Key: key,
              UploadId: uploadId,
            }),
            { abortSignal: s },
          ),
        signal,
      );
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  /**
   * Follows the client's checksum setting, as S3 requires the upload's algorithm to match its
   * parts': 'CRC32' when the SDK adds checksums to every part, none when only on demand.
   */
  private checksumAlgorithm(): Promise<'CRC32' | undefined> {
    this.checksum ??= (async () => {
      const setting = this.options.client.config.requestChecksumCalculation;
      const value = typeof setting === 'function' ? await setting() : setting;
      return value === 'WHEN_REQUIRED' ? undefined : 'CRC32';
    })();
    return this.checksum;
  }
}
