import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, realpath, rename, unlink, utimes } from 'node:fs/promises';
import { basename, dirname, join, relative, isAbsolute } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { itemError } from '../errors.js';
import { parseMtime } from '../s3/metadata.js';
import { s3Code, s3Failure } from './errors.js';
import type { RestoreEntry } from './listing.js';

/** GET answered InvalidObjectState: the object sits in an archive tier and needs a restore first. */
export class ArchivedObjectError extends Error {
  constructor(readonly key: string) {
    super(`${key} is archived`);
    this.name = 'ArchivedObjectError';
  }
}

export interface DownloadRequest {
  client: S3Client;
  bucket: string;
  entry: RestoreEntry;
  /** Absolute target path, already checked to lie inside `root`. */
  target: string;
  /** The restore folder's real path (symlinks resolved). */
  root: string;
  onBytes?: (delta: number) => void;
  signal?: AbortSignal;
}

/**
 * Streams one object into `target`: a temporary file beside it, flushed to disk, given the
 * object's mtime, then renamed into place, so a crash never leaves a half-written file under
 * the real name. Returns the bytes written.
 */
export async function downloadObject(r: DownloadRequest): Promise<number> {
  const dir = dirname(r.target);
  await mkdir(dir, { recursive: true });
  // A folder inside the restore root may be a symlink pointing elsewhere; never follow it out.
  const realDir = await realpath(dir);
  const back = relative(r.root, realDir);
  if (back.startsWith('..') || isAbsolute(back)) {
    throw itemError(`${dir} leads outside the restore folder (symlink); ${r.entry.key} refused`, {
      code: 'outside-root',
    });
  }
  let response;
  try {
    response = await r.client.send(
      new GetObjectCommand({ Bucket: r.bucket, Key: r.entry.key, VersionId: r.entry.versionId }),
      { abortSignal: r.signal },
    );
  } catch (error) {
    if (s3Code(error) === 'InvalidObjectState') throw new ArchivedObjectError(r.entry.key);
    throw s3Failure(error, {
      op: 'GetObject',
      permission: r.entry.versionId ? 's3:GetObjectVersion' : 's3:GetObject',
      bucket: r.bucket,
      key: r.entry.key,
      deniedIsFatal: false,
    });
  }
  const body = response.Body;
  if (!(body instanceof Readable)) {
    throw itemError(`GetObject "${r.entry.key}" returned no stream`, { code: 's3-error' });
  }
  const temp = join(
    dir,
    `.${basename(r.target).slice(0, 40)}.${randomUUID().slice(0, 8)}.cloud-sync-part`,
  );
  let bytes = 0;
  try {
    await pipeline(
      body,
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          bytes += chunk.length;
          r.onBytes?.(chunk.length);
          yield chunk;
        }
      },
      createWriteStream(temp, { flags: 'wx' }),
      { signal: r.signal },
    );
    if (response.ContentLength !== undefined && bytes !== response.ContentLength) {
      throw itemError(
        `${r.entry.key}: got ${bytes} bytes, expected ${response.ContentLength}; the download was cut short`,
        { code: 'truncated' },
      );
    }
    const handle = await open(temp, 'r+');
    try {
      await handle.datasync();
    } finally {
      await handle.close();
    }
    const time = fileTime(response.Metadata?.mtime, response.LastModified ?? r.entry.lastModified);
    if (time !== undefined) await utimes(temp, time, time);
    await rename(temp, r.target);
    return bytes;
  } catch (error) {
    body.destroy();
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

/**
 * Seconds since the epoch for utimes: the `mtime` metadata (rclone's decimal seconds or the
 * original tool's integer seconds), else the object's LastModified.
 */
export function fileTime(
  mtime: string | undefined,
  lastModified: Date | undefined,
): number | undefined {
  const parsed = parseMtime(mtime);
  if (parsed) return parsed.seconds + parsed.nanos / 1e9;
  return lastModified ? lastModified.getTime() / 1000 : undefined;
}
