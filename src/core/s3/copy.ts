import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { itemError } from '../errors.js';
import type { CopyRequest } from './types.js';
import { toS3Metadata } from './metadata.js';
import { S3Error } from './errors.js';
import { checkKey, copySource } from './keys.js';
import { MAX_PART, MAX_PARTS, MiB, partCount, partSizeFor, type S3Context } from './context.js';
import { headObject } from './read.js';
import { abortQuietly } from './resume.js';

export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

export interface CopyOptions {
  /** Above this size UploadPartCopy is used (CopyObject's limit is 5 GiB). */
  copyPartThresholdBytes: number;
  /** Fixed part size (tests); default max(512 MiB, what fits 9,000 parts). */
  partSize: number | undefined;
}

/**
 * Server-side copy; no bytes pass through this machine. With `meta` the target gets exactly
 * that metadata and content type (REPLACE); without, the source's (COPY). `from === to` with
 * `meta` rewrites metadata in place (S3 requires REPLACE for that); without `meta` there is
 * nothing to change and no request is made.
 */
export async function copyObject(
  ctx: S3Context,
  req: CopyRequest,
  options: CopyOptions,
): Promise<void> {
  if (req.from === req.to && !req.meta) return;
  checkKey(req.to);
  if (req.size > options.copyPartThresholdBytes) return copyMultipart(ctx, req, options);
  const meta = req.meta;
  await ctx.run(
    'CopyObject',
    `${req.from} → ${req.to}`,
    (s) =>
      ctx.client.send(
        new CopyObjectCommand({
          Bucket: ctx.bucket,
          Key: req.to,
          CopySource: copySource(ctx.bucket, req.from),
          ...ctx.write,
          ...(meta
            ? {
                MetadataDirective: 'REPLACE',
                Metadata: toS3Metadata(meta),
                ContentType: meta.contentType ?? DEFAULT_CONTENT_TYPE,
              }
            : { MetadataDirective: 'COPY' }),
        }),
        { abortSignal: s },
      ),
    req.signal,
  );
}

/**
 * UploadPartCopy for objects past CopyObject's limit. The source is HEADed first: its real size
 * sets the ranges, and its metadata is what COPY semantics carry over (CreateMultipartUpload
 * does not copy metadata). Any failure or cancellation aborts the upload: a copy has no
 * checkpoint to resume from.
 */
async function copyMultipart(
  ctx: S3Context,
  req: CopyRequest,
  options: CopyOptions,
): Promise<void> {
  const head = await headObject(ctx, req.from, req.signal);
  if (!head) {
    throw new S3Error('item', `S3 copy source "${req.from}" does not exist`, {
      code: 'not-found',
      s3Code: 'NoSuchKey',
      status: 404,
      op: 'UploadPartCopy',
      cause: undefined,
    });
  }
  const size = head.size;
  const partSize = options.partSize ?? partSizeFor(size, 512 * MiB);
  const total = partCount(size, partSize);
  if (total > MAX_PARTS || partSize > MAX_PART) {
    throw itemError(`"${req.from}" is too large to copy in ${MAX_PARTS} parts`, {
      code: 'too-large',
    });
  }
  const meta = req.meta;
  const created = await ctx.run(
    'CreateMultipartUpload',
    req.to,
    (s) =>
      ctx.client.send(
        new CreateMultipartUploadCommand({
          Bucket: ctx.bucket,
          Key: req.to,
          ...ctx.write,
          Metadata: meta ? toS3Metadata(meta) : head.metadata,
          ContentType: (meta ? meta.contentType : head.contentType) ?? DEFAULT_CONTENT_TYPE,
        }),
        { abortSignal: s },
      ),
    req.signal,
  );
  const uploadId = created.UploadId;
  if (!uploadId) throw new Error(`S3 returned no UploadId for "${req.to}"`);

  const stop = new AbortController();
  const signal = req.signal ? AbortSignal.any([req.signal, stop.signal]) : stop.signal;
  let failure: unknown;
  const etags: string[] = [];
  const limit = pLimit(ctx.partConcurrency);
  const source = copySource(ctx.bucket, req.from);
  await Promise.all(
    [...Array(total).keys()].map((i) =>
      limit(async () => {
        if (signal.aborted) return;
        const start = i * partSize;
        const end = Math.min(size, start + partSize) - 1;
        const res = await ctx.run(
          'UploadPartCopy',
          `${req.from} → ${req.to}`,
          (s) =>
            ctx.client.send(
              new UploadPartCopyCommand({
                Bucket: ctx.bucket,
                Key: req.to,
                UploadId: uploadId,
                PartNumber: i + 1,
                CopySource: source,
                CopySourceRange: `bytes=${start}-${end}`,
              }),
              { abortSignal: s },
            ),
          signal,
        );
        const etag = res.CopyPartResult?.ETag;
        if (!etag) throw new Error(`S3 returned no ETag for copied part ${i + 1} of "${req.to}"`);
        etags[i] = etag;
      }).catch((error: unknown) => {
        if (failure === undefined) {
          failure = error;
          stop.abort(error);
        }
      }),
    ),
  );
  try {
    if (req.signal?.aborted) throw req.signal.reason;
    if (failure !== undefined) throw failure;
    await ctx.run(
      'CompleteMultipartUpload',
      req.to,
      (s) =>
        ctx.client.send(
          new CompleteMultipartUploadCommand({
            Bucket: ctx.bucket,
            Key: req.to,
            UploadId: uploadId,
            MultipartUpload: { Parts: etags.map((ETag, i) => ({ PartNumber: i + 1, ETag })) },
          }),
          { abortSignal: s },
        ),
      req.signal,
    );
  } catch (error) {
    await abortQuietly(ctx, req.to, uploadId);
    throw req.signal?.aborted ? req.signal.reason : error;
  }
}
