import { AbortMultipartUploadCommand, ListPartsCommand } from '@aws-sdk/client-s3';
import { QuickXorHash, type QuickXorState } from '../hash/quickxor.js';
import type { UploadCheckpoint, UploadRequest } from './types.js';
import { isNotFound } from './errors.js';
import { bareEtag, MAX_PART, MAX_PARTS, MIN_PART, partCount, type S3Context } from './context.js';

/** A part already on S3 under this upload. */
export interface DonePart {
  etag: string;
  checksumCRC32?: string | undefined;
  /** Absolute offset past this part. */
  end: number;
  /** Hash state after `end` (known for parts uploaded in this call). */
  hash?: QuickXorState | undefined;
}

/** A multipart upload in progress: started now, or picked up from a checkpoint. */
export interface Session {
  uploadId: string;
  partSize: number;
  done: Map<number, DonePart>;
  /** Where reading continues (end of the contiguous prefix of done parts). */
  bytes: number;
  hasher: QuickXorHash;
  resumed: boolean;
}

/** Why a checkpoint cannot be continued, or undefined when it can. */
export function checkpointProblem(
  cp: UploadCheckpoint,
  req: UploadRequest,
  checksum: 'CRC32' | undefined,
): string | undefined {
  const n = cp.parts.length;
  if (cp.key !== req.key) return `it belongs to "${cp.key}"`;
  if (!Number.isInteger(cp.partSize) || cp.partSize < MIN_PART || cp.partSize > MAX_PART) {
    return `its part size ${cp.partSize} is outside S3's limits`;
  }
  if (partCount(req.size, cp.partSize) > MAX_PARTS) return 'the file grew past 10,000 parts';
  if (cp.parts.some((p, i) => p.partNumber !== i + 1 || !p.etag)) return 'its parts are not 1..n';
  if (
    cp.bytes !== Math.min(n * cp.partSize, req.size) ||
    (n > 0 && (n - 1) * cp.partSize >= req.size)
  ) {
    return `it covers ${cp.bytes} bytes, which does not fit ${n} parts of a ${req.size}-byte file`;
  }
  if (cp.hash.length !== cp.bytes) return 'its hash state does not match its byte count';
  if ((cp.checksumAlgorithm ?? undefined) !== checksum) return 'it used another checksum setting';
  return undefined;
}

/**
 * Picks up a checkpointed upload: confirms with ListParts that every checkpointed part is still
 * there with the same ETag and size, and restores the hash. Returns undefined when the upload is
 * gone or no longer matches (a stale one is aborted): the caller then starts afresh.
 */
export async function resumeSession(
  ctx: S3Context,
  req: UploadRequest,
  checksum: 'CRC32' | undefined,
): Promise<Session | undefined> {
  const cp = req.resume;
  if (!cp) return undefined;
  const problem = checkpointProblem(cp, req, checksum);
  if (problem) {
    ctx.logger.info(`not resuming the upload of "${req.key}": ${problem}; starting afresh`);
    if (cp.key === req.key) await abortQuietly(ctx, req.key, cp.uploadId);
    return undefined;
  }
  let listed: Map<number, { etag: string; size: number; checksumCRC32?: string | undefined }>;
  try {
    listed = await listParts(ctx, req.key, cp.uploadId, cp.parts.length, req.signal);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    ctx.logger.info(`the upload of "${req.key}" is gone from S3; starting afresh`);
    return undefined;
  }
  const done = new Map<number, DonePart>();
  for (const part of cp.parts) {
    const found = listed.get(part.partNumber);
    const end = Math.min(part.partNumber * cp.partSize, req.size);
    const size = end - (part.partNumber - 1) * cp.partSize;
    if (!found || found.etag !== bareEtag(part.etag) || found.size !== size) {
      ctx.logger.info(
        `part ${part.partNumber} of "${req.key}" on S3 differs from the checkpoint; starting afresh`,
      );
      await abortQuietly(ctx, req.key, cp.uploadId);
      return undefined;
    }
    done.set(part.partNumber, { etag: part.etag, checksumCRC32: found.checksumCRC32, end });
  }
  return {
    uploadId: cp.uploadId,
    partSize: cp.partSize,
    done,
    bytes: cp.bytes,
    hasher: QuickXorHash.from(cp.hash),
    resumed: true,
  };
}

async function listParts(
  ctx: S3Context,
  key: string,
  uploadId: string,
  upTo: number,
  signal: AbortSignal | undefined,
): Promise<Map<number, { etag: string; size: number; checksumCRC32?: string | undefined }>> {
  const parts = new Map<
    number,
    { etag: string; size: number; checksumCRC32?: string | undefined }
  >();
  let marker: string | undefined;
  // ListParts is needed even for an empty checkpoint: it proves the upload still exists.
  for (;;) {
    const page = await ctx.run(
      'ListParts',
      key,
      (s) =>
        ctx.client.send(
          new ListPartsCommand({
            Bucket: ctx.bucket,
            Key: key,
            UploadId: uploadId,
            MaxParts: 1000,
            ...(marker === undefined ? {} : { PartNumberMarker: marker }),
          }),
          { abortSignal: s },
        ),
      signal,
    );
    for (const p of page.Parts ?? []) {
      if (p.PartNumber === undefined || !p.ETag) continue;
      parts.set(p.PartNumber, {
        etag: bareEtag(p.ETag) as string,
        size: p.Size ?? -1,
        checksumCRC32: p.ChecksumCRC32,
      });
    }
    const next = page.NextPartNumberMarker;
    if (!page.IsTruncated || next === undefined || Number(next) >= upTo) return parts;
    marker = String(next);
  }
}

/**
 * Best-effort AbortMultipartUpload, never cancelled by the caller's signal (cleanup must run
 * even while shutting down). A failure is logged: the upload then shows in
 * listMultipartUploads and a lifecycle rule removes it eventually.
 */
export async function abortQuietly(ctx: S3Context, key: string, uploadId: string): Promise<void> {
  try {
    await ctx.run('AbortMultipartUpload', key, (s) =>
      ctx.client.send(
        new AbortMultipartUploadCommand({ Bucket: ctx.bucket, Key: key, UploadId: uploadId }),
        { abortSignal: s },
      ),
    );
  } catch (error) {
    if (isNotFound(error)) return;
    ctx.logger.warn(`could not abort the multipart upload of "${key}"`, error);
  }
}
