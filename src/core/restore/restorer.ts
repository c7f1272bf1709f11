import type { S3Client } from '@aws-sdk/client-s3';
import { lstat, mkdir, realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import pLimit from 'p-limit';
import { SyncError, fatal, serializeError } from '../errors.js';
import { archiveStatus, requestRestore } from './archive.js';
import { ArchivedObjectError, downloadObject } from './download.js';
import { listAt, listCurrent, versioningStatus, type RestoreEntry } from './listing.js';
import { insideRoot, keyToPath } from './paths.js';
import { expectedWait, isArchiveClass, type RetrievalTier } from './tiers.js';

export interface RestoreOptions {
  client: S3Client;
  bucket: string;
  /** Keys under this prefix are left out (the trash: `[general] trash_prefix`). */
  exclude?: string;
  /** The configured key prefix ("" or ending in "/"): paths are recreated below it. */
  prefix: string;
  /** Only keys below prefix + subPrefix. */
  subPrefix?: string;
  /** The local folder to restore into; created if missing. */
  to: string;
  /** Restore each key as it was at this time (needs a versioned bucket). */
  at?: Date;
  /** Retrieval tier for archived objects. Default "Standard". */
  tier?: RetrievalTier;
  /** Days a restored archive copy stays readable. Default 7. */
  days?: number;
  /** Replace existing local files. Default false: they are skipped. */
  overwrite?: boolean;
  /** Downloads in flight. Default 4. */
  concurrency?: number;
  onEvent?: (event: RestoreEvent) => void;
  signal?: AbortSignal;
  platform?: NodeJS.Platform;
}

export type RestoreItem =
  | { outcome: 'restored'; key: string; path: string; bytes: number }
  | { outcome: 'skipped'; key: string; path: string; reason: string }
  | {
      outcome: 'pending';
      key: string;
      size: number;
      storageClass: string | undefined;
      tier: RetrievalTier;
      /** Typical wait for this class and tier, e.g. "3–5 hours". */
      wait: string;
      /** false: a restore asked for earlier is still running. */
      requestedNow: boolean;
    }
  | { outcome: 'failed'; key: string; message: string; hint?: string };

/** What a restore tells its caller as it goes (the CLI turns it into a bar or lines). */
export type RestoreEvent =
  | { type: 'listed'; objects: number; bytes: number }
  | { type: 'bytes'; delta: number }
  | { type: 'item'; item: RestoreItem };

export interface RestoreSummary {
  listed: number;
  restored: number;
  bytes: number;
  skipped: Extract<RestoreItem, { outcome: 'skipped' }>[];
  pending: Extract<RestoreItem, { outcome: 'pending' }>[];
  failed: Extract<RestoreItem, { outcome: 'failed' }>[];
}

/**
 * Downloads every object under the prefix into a folder, several at a time. Archived objects
 * get a restore request and are reported pending; running again later fetches them once S3
 * has thawed them. One object failing never stops the others; only fatal errors (credentials,
 * a missing bucket, permission to list) end the run.
 */
export async function restoreObjects(o: RestoreOptions): Promise<RestoreSummary> {
  validate(o);
  const tier = o.tier ?? 'Standard';
  const days = o.days ?? 7;
  const root = resolve(o.to);
  await mkdir(root, { recursive: true });
  const realRoot = await realpath(root);
  const target = { client: o.client, bucket: o.bucket, signal: o.signal };
  const listPrefix = o.prefix + (o.subPrefix ?? '').replace(/^\/+/, '');

  let entries: RestoreEntry[];
  if (o.at) {
    if (!(await versioningStatus(target))) {
      throw fatal(
        `bucket "${o.bucket}" is not versioned, so it holds no earlier versions to restore`,
        {
          code: 'not-versioned',
          hint: 'Leave out --at to restore the current objects.',
        },
      );
    }
    entries = await listAt({ ...target, prefix: listPrefix }, o.at);
  } else {
    entries = [];
    for await (const entry of listCurrent({ ...target, prefix: listPrefix })) entries.push(entry);
  }
  // Zero-byte "folder/" objects (made by the S3 console) are folders, not files; the trash
  // (which shares the bucket root with an empty prefix) is not part of the drive.
  entries = entries.filter(
    (e) => !(e.key.endsWith('/') && e.size === 0) && !(o.exclude && e.key.startsWith(o.exclude)),
  );

  const summary: RestoreSummary = {
    listed: entries.length,
    restored: 0,
    bytes: 0,
    skipped: [],
    pending: [],
    failed: [],
  };
  const emit = (event: RestoreEvent): void => o.onEvent?.(event);
  emit({ type: 'listed', objects: entries.length, bytes: entries.reduce((n, e) => n + e.size, 0) });

  const record = (item: RestoreItem): void => {
    if (item.outcome === 'restored') {
      summary.restored++;
      summary.bytes += item.bytes;
    } else {
      (summary[item.outcome] as RestoreItem[]).push(item);
    }
    emit({ type: 'item', item });
  };

  const archived = async (entry: RestoreEntry, path: string): Promise<RestoreItem> => {
    const status = await archiveStatus(target, entry);
    if (status.state === 'available') return download(entry, path);
    const used =
      status.state === 'archived'
        ? await requestRestore(target, entry, status.storageClass, tier, days)
        : tier;
    return {
      outcome: 'pending',
      key: entry.key,
      size: entry.size,
      storageClass: status.storageClass,
      tier: used,
      wait: expectedWait(status.storageClass, used),
      requestedNow: status.state === 'archived',
    };
  };

  const download = async (entry: RestoreEntry, path: string): Promise<RestoreItem> => {
    const bytes = await downloadObject({
      client: o.client,
      bucket: o.bucket,
      entry,
      target: path,
      root: realRoot,
      onBytes: (delta) => emit({ type: 'bytes', delta }),
      signal: o.signal,
    });
    return { outcome: 'restored', key: entry.key, path, bytes };
  };

  const one = async (entry: RestoreEntry): Promise<RestoreItem> => {
    const mapped = keyToPath(entry.key, o.prefix, o.platform);
    if (!mapped.ok) return { outcome: 'failed', key: entry.key, message: mapped.reason };
    const path = insideRoot(root, mapped.relative);
    if (!o.overwrite && (await exists(path))) {
      return {
        outcome: 'skipped',
        key: entry.key,
        path,
        reason: 'exists (use --overwrite to replace)',
      };
    }
    if (isArchiveClass(entry.storageClass)) return archived(entry, path);
    try {
      return await download(entry, path);
    } catch (error) {
      // Intelligent-Tiering archive tiers are not visible in a listing, only in the GET's answer.
      if (error instanceof ArchivedObjectError) return archived(entry, path);
      throw error;
    }
  };

  const limit = pLimit(o.concurrency ?? 4);
  let stop: unknown;
  await Promise.all(
    entries.map((entry) =>
      limit(async () => {
        if (stop !== undefined || o.signal?.aborted) return;
        try {
          record(await one(entry));
        } catch (error) {
          if (o.signal?.aborted || (error instanceof SyncError && error.kind === 'fatal')) {
            stop ??= error;
            limit.clearQueue();
            return;
          }
          const e = serializeError(error);
          record({
            outcome: 'failed',
            key: entry.key,
            message: e.message,
            ...(e.hint ? { hint: e.hint } : {}),
          });
        }
      }),
    ),
  );
  if (o.signal?.aborted) throw o.signal.reason;
  if (stop !== undefined) throw stop;
  // Finishing order depends on timing; reports read better (and diff cleanly) sorted by key.
  for (const list of [summary.skipped, summary.pending, summary.failed]) {
    list.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
  return summary;
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

function validate(o: RestoreOptions): void {
  const positive = (name: string, value: number | undefined, max: number): void => {
    if (value !== undefined && (!Number.isInteger(value) || value < 1 || value > max)) {
      throw new TypeError(
        `Expected \`${name}\` to be a whole number from 1 to ${max}, got ${value}`,
      );
    }
  };
  positive('concurrency', o.concurrency, 64);
  positive('days', o.days, 365_000);
  if (o.at && Number.isNaN(o.at.getTime())) throw new TypeError('Expected `at` to be a valid Date');
}
