import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { itemError, SyncError } from '../errors.js';
import { QuickXorHash } from '../hash/quickxor.js';
import type { UploadCheckpoint, UploadRequest, UploadResult } from './types.js';
import { bareEtag, MAX_PARTS, MiB, partCount, partSizeFor, type S3Context } from './context.js';
import { cutParts, hashMismatch, type CutPart } from './parts.js';
import { abortQuietly, resumeSession, type Session } from './resume.js';

export interface MultipartOptions {
  headers: { ContentType: string; Metadata: Record<string, string> };
  /** Fixed part size (tests); default max(8 MiB, what fits 9,000 parts). */
  partSize: number | undefined;
  /** 'CRC32' when the client adds checksums to parts (the upload must then be created with it). */
  checksum: 'CRC32' | undefined;
}

/**
 * Multipart upload with at most `partConcurrency` parts in flight plus the one being filled.
 * Checkpoints follow the contiguous prefix of finished parts. Before completing, the byte count
 * and (when given) the QuickXorHash are checked; a mismatch aborts the upload.
 *
 * After a failure reading stops, the parts in flight are awaited (not cancelled: each one that
 * lands is checkpointed progress), then the upload is aborted so nothing is left behind, except
 * in two cases where a checkpoint exists to resume from:
 *  - cancellation (`req.signal`): a shutdown should not throw away a 100 GB upload's progress;
 *  - a retryable failure (network, throttling, S3 5xx, source stream) after at least one part
 *    was checkpointed: the engine retries the item later and resumes. Content mismatches always
 *    abort, since the parts on S3 are then of no use.
 * Without `onCheckpoint` nobody could resume, so every failure and cancellation aborts.
 */
export async function uploadMultipart(
  ctx: S3Context,
  req: UploadRequest,
  options: MultipartOptions,
): Promise<UploadResult> {
  const session =
    (await resumeSession(ctx, req, options.checksum)) ?? (await create(ctx, req, options));
  const { uploadId, partSize, done, hasher } = session;
  const total = partCount(req.size, partSize);
  // Stops the reader (not the parts in flight) on failure or cancellation.
  const stop = new AbortController();
  const signal = req.signal ? AbortSignal.any([req.signal, stop.signal]) : stop.signal;
  const cancelled = () => req.signal?.aborted === true;
  let failure: unknown;
  const fail = (error: unknown): void => {
    if (failure !== undefined || cancelled()) return;
    failure = error;
    stop.abort(error);
  };

  let reported = session.done.size;
  let checkpoints: Promise<void> = Promise.resolve();
  const checkpoint = (cp: UploadCheckpoint): void => {
    const onCheckpoint = req.onCheckpoint;
    if (onCheckpoint) checkpoints = checkpoints.then(() => onCheckpoint(cp)).catch(fail);
  };
  const snapshot = (n: number, bytes: number, hash = hasher.state()): UploadCheckpoint => ({
    uploadId,
    key: req.key,
    partSize,
    parts: [...Array(n).keys()].map((i) => ({
      partNumber: i + 1,
      etag: (done.get(i + 1) as { etag: string }).etag,
    })),
    bytes,
    hash,
    ...(options.checksum ? { checksumAlgorithm: options.checksum } : {}),
  });
  if (!session.resumed) checkpoint(snapshot(0, 0));
  const advance = (): void => {
    let n = reported;
    while (done.has(n + 1)) n++;
    if (n === reported) return;
    reported = n;
    const last = done.get(n);
    if (last?.hash) checkpoint(snapshot(n, last.end, last.hash));
  };

  // Buffers of parts S3 has acknowledged are reused for the next parts: memory stays at
  // `partConcurrency + 1` part buffers however long the file, instead of also holding sent
  // parts until the garbage collector gets to them (measured: +35 MB at 8 MiB parts).
  const free: Buffer[] = [];
  const alloc = (n: number): Buffer =>
    (n === partSize ? free.pop() : undefined) ?? Buffer.allocUnsafe(n);
  const inflight = new Set<Promise<void>>();
  const dispatch = (part: CutPart): void => {
    const task: Promise<void> = sendPart(ctx, req, session, part, options.checksum)
      .then((result) => {
        done.set(part.partNumber, { ...result, end: part.end, hash: part.hash });
        req.onProgress?.(part.body.length);
        if (part.body.length === partSize) free.push(part.body);
        advance();
      })
      .catch(fail)
      .finally(() => inflight.delete(task));
    inflight.add(task);
  };

  let stream: Readable | undefined;
  const destroy = () => stream?.destroy(signal.reason instanceof Error ? signal.reason : undefined);
  try {
    if (session.bytes < req.size) {
      stream = await req.open(session.bytes, signal);
      signal.addEventListener('abort', destroy, { once: true });
      const parts = cutParts(stream, {
        key: req.key,
        start: session.bytes,
        size: req.size,
        partSize,
        firstPart: done.size + 1,
        hasher,
        alloc,
      });
      for await (const part of parts) {
        while (inflight.size >= ctx.partConcurrency && !signal.aborted)
          await Promise.race(inflight);
        if (signal.aborted) break;
        dispatch(part);
      }
    }
  } catch (error) {
    fail(error);
  } finally {
    signal.removeEventListener('abort', destroy);
    stream?.destroy();
    await Promise.allSettled([...inflight]);
    await checkpoints;
  }

  // Cancelled: keep the upload for a resume, unless nobody holds a checkpoint to resume from.
  const cancel = async (): Promise<never> => {
    if (!req.onCheckpoint) await abortQuietly(ctx, req.key, uploadId);
    throw req.signal?.reason;
  };
  if (cancelled()) return cancel();
  if (failure === undefined && done.size !== total) {
    failure = new Error(`internal: ${done.size} of ${total} parts of "${req.key}" uploaded`);
  }
  if (failure === undefined && req.expectedQuickXorHash) {
    const got = hasher.digest();
    if (got !== req.expectedQuickXorHash)
      failure = hashMismatch(req.key, req.expectedQuickXorHash, got);
  }
  try {
    if (failure !== undefined) throw failure;
    const etag = await complete(ctx, req, session, total);
    return { key: req.key, size: req.size, etag, resumed: session.resumed, multipart: true };
  } catch (error) {
    if (cancelled()) return cancel();
    if (!keepForResume(error, req, reported)) await abortQuietly(ctx, req.key, uploadId);
    throw error;
  }
}

function keepForResume(error: unknown, req: UploadRequest, reported: number): boolean {
  return (
    req.onCheckpoint !== undefined &&
    reported > 0 &&
    error instanceof SyncError &&
    error.kind === 'retryable' &&
    error.code !== 'hash-mismatch' &&
    error.code !== 'size-mismatch'
  );
}

async function create(
  ctx: S3Context,
  req: UploadRequest,
  options: MultipartOptions,
): Promise<Session> {
  const partSize = options.partSize ?? partSizeFor(req.size, 8 * MiB);
  const parts = partCount(req.size, partSize);
  if (parts > MAX_PARTS) {
    throw itemError(
      `"${req.key}" needs ${parts} parts of ${partSize} bytes; S3 allows ${MAX_PARTS}`,
      {
        code: 'too-large',
      },
    );
  }
  const created = await ctx.run(
    'CreateMultipartUpload',
    req.key,
    (s) =>
      ctx.client.send(
        new CreateMultipartUploadCommand({
          Bucket: ctx.bucket,
          Key: req.key,
          ...options.headers,
          ...ctx.write,
          ...(options.checksum ? { ChecksumAlgorithm: options.checksum } : {}),
        }),
        { abortSignal: s },
      ),
    req.signal,
  );
  if (!created.UploadId) throw new Error(`S3 returned no UploadId for "${req.key}"`);
  return {
    uploadId: created.UploadId,
    partSize,
    done: new Map(),
    bytes: 0,
    hasher: new QuickXorHash(),
    resumed: false,
  };
}

async function sendPart(
  ctx: S3Context,
  req: UploadRequest,
  session: Session,
  part: CutPart,
  checksum: 'CRC32' | undefined,
): Promise<{ etag: string; checksumCRC32: string | undefined }> {
  const res = await ctx.run(
    'UploadPart',
    req.key,
    (s) =>
      ctx.client.send(
        new UploadPartCommand({
          Bucket: ctx.bucket,
          Key: req.key,
          UploadId: session.uploadId,
          PartNumber: part.partNumber,
          Body: part.body,
          ContentLength: part.body.length,
          ...(checksum ? { ChecksumAlgorithm: checksum } : {}),
        }),
        { abortSignal: s },
      ),
    // Only cancellation stops a part in flight; after a failure elsewhere it may still finish
    // and be checkpointed, which is progress a resume keeps.
    req.signal,
  );
  if (!res.ETag) throw new Error(`S3 returned no ETag for part ${part.partNumber} of "${req.key}"`);
  return { etag: res.ETag, checksumCRC32: res.ChecksumCRC32 };
}

async function complete(
  ctx: S3Context,
  req: UploadRequest,
  session: Session,
  total: number,
): Promise<string | undefined> {
  const parts = [...Array(total).keys()].map((i) => {
    const p = session.done.get(i + 1) as { etag: string; checksumCRC32?: string | undefined };
    return {
      PartNumber: i + 1,
      ETag: p.etag,
      ...(p.checksumCRC32 ? { ChecksumCRC32: p.checksumCRC32 } : {}),
    };
  });
  const res = await ctx.run(
    'CompleteMultipartUpload',
    req.key,
    async (s, attempt) => {
      try {
        return await ctx.client.send(
          new CompleteMultipartUploadCommand({
            Bucket: ctx.bucket,
            Key: req.key,
            UploadId: session.uploadId,
            MultipartUpload: { Parts: parts },
          }),
          { abortSignal: s },
        );
      } catch (error) {
        // A retry after a lost response finds the upload already completed: accept the object
        // if it is there with the right size.
        if (attempt > 1 && (error as { name?: string }).name === 'NoSuchUpload') {
          const head = await ctx.client.send(
            new HeadObjectCommand({ Bucket: ctx.bucket, Key: req.key }),
            { abortSignal: s },
          );
          if (head.ContentLength === req.size) return { ETag: head.ETag };
        }
        throw error;
      }
    },
    req.signal,
  );
  return bareEtag(res.ETag);
}
