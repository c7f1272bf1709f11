import { pipeline, Transform, type Readable } from 'node:stream';
import type { ActionKind } from '../../shared/events.js';
import { isAbortError, SyncError } from '../errors.js';
import { fromS3Metadata, sameSecond } from '../s3/metadata.js';
import type { ObjectMeta, UploadCheckpoint } from '../s3/types.js';
import { dropCheckpoint, getCheckpoint, saveCheckpoint } from '../store/cursor.js';
import { getItem, markFailed, recordWritten, type ItemRow } from '../store/items.js';
import {
  finish,
  markActionFailed,
  markStarted,
  retireKey,
  type ActionRow,
} from '../store/queue.js';
import { failureOf, isFatal, isRetryable, pathOfKey, type RoundContext } from './context.js';

type Done = { kind: ActionKind; bytes: number };

export function metaOf(item: ItemRow): ObjectMeta {
  return {
    mtime: item.mtime ?? item.item_mtime ?? '0',
    itemId: item.graph_id,
    ...(item.quick_xor ? { quickXorHash: item.quick_xor } : {}),
    ...(item.mime ? { contentType: item.mime } : {}),
  };
}

/**
 * Runs one queued write (upload, server-side copy, metadata rewrite) to the end: retried within
 * the round while the error is retryable, recorded as failed otherwise. Only cancellation and
 * fatal errors escape (they stop the round; the action stays queued for the next one).
 */
export async function runWrite(ctx: RoundContext, action: ActionRow): Promise<void> {
  const item = getItem(ctx.db, action.item_id);
  const path = pathOfKey(ctx.settings, action.key);
  const planned = action.kind === 'upload' ? action.size : 0;
  if (!item || item.deleted === 1) {
    ctx.db.tx(() => finish(ctx.db, action.seq)); // stale: the item went away since planning
    return;
  }
  ctx.tracker.begin(action.seq, path, action.kind === 'upload' ? 'upload' : action.kind, planned);
  for (let attempt = 1; ; attempt++) {
    try {
      const done = await attemptWrite(ctx, action, item, attempt);
      ctx.tracker.done(action.seq, path, done.kind, done.bytes, planned);
      count(ctx, done.kind);
      return;
    } catch (error) {
      if (isAbortError(error) || ctx.signal?.aborted || isFatal(error)) throw error;
      const failure = failureOf(error, path, item.graph_id);
      if (isRetryable(error) && attempt < ctx.settings.maxAttempts) {
        ctx.tracker.retrying(failure);
        await ctx.clock.sleep(ctx.settings.retryDelayMs * attempt, ctx.signal);
        continue;
      }
      ctx.logger.warn(`${path}: ${failure.message}`);
      ctx.db.tx(() => {
        markActionFailed(ctx.db, action.seq, failure.message);
        markFailed(ctx.db, item.id, failure.message, failure.code, ctx.now());
      });
      ctx.tracker.failed(action.seq, failure, planned);
      return;
    }
  }
}

function count(ctx: RoundContext, kind: ActionKind): void {
  const t = ctx.tracker.tally;
  if (kind === 'upload') t.uploaded++;
  else if (kind === 'copy') t.copied++;
  else if (kind === 'metadata') t.metadataRewritten++;
  else if (kind === 'adopt') t.adopted++;
}

async function attemptWrite(
  ctx: RoundContext,
  action: ActionRow,
  item: ItemRow,
  attempt: number,
): Promise<Done> {
  const meta = metaOf(item);
  if (action.kind === 'upload') {
    if (action.adopt && (await tryAdopt(ctx, action, item, meta)))
      return { kind: 'adopt', bytes: 0 };
    // Where this content may be already: at the key, when a previous run began this upload and
    // died before recording it; at from_key, where a killed run wrote it before the item was
    // re-planned (begun.ts). Found complete there, it is recorded or copied, not transferred.
    const maybe = new Set([action.started ? action.key : null, action.from_key]);
    for (const at of attempt === 1 ? maybe : []) {
      if (!at || !(await alreadyWritten(ctx, at, item, meta))) continue;
      if (at === action.key) {
        record(ctx, action, item);
        return { kind: 'upload', bytes: 0 };
      }
      ctx.tracker.relabel(action.seq, 'copy');
      return copy(ctx, action, item, meta, at);
    }
    return upload(ctx, action, item, meta);
  }
  return copy(ctx, action, item, meta, action.from_key ?? action.key);
}

/** A server-side copy (or metadata rewrite in place); an upload if the source is unusable. */
async function copy(
  ctx: RoundContext,
  action: ActionRow,
  item: ItemRow,
  meta: ObjectMeta,
  from: string,
): Promise<Done> {
  // Like an upload: once begun, S3 may hold the copy even if this process dies before recording it.
  ctx.db.tx(() => markStarted(ctx.db, action.seq));
  try {
    await ctx.target.copy({
      from,
      to: action.key,
      size: item.size ?? 0,
      meta,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
  } catch (error) {
    if (!(error instanceof SyncError) || error.kind !== 'item') throw error;
    // The source object is gone or cannot be copied: the content still exists on OneDrive.
    ctx.logger.info(`${action.key}: copy failed (${error.message}); uploading instead`);
    ctx.tracker.relabel(action.seq, 'upload');
    return upload(ctx, action, item, meta);
  }
  record(ctx, action, item);
  return { kind: action.kind === 'metadata' ? 'metadata' : 'copy', bytes: 0 };
}

async function upload(
  ctx: RoundContext,
  action: ActionRow,
  item: ItemRow,
  meta: ObjectMeta,
): Promise<Done> {
  const { db, tracker } = ctx;
  const size = item.size ?? 0;
  const cp = getCheckpoint(db, item.id, action.key);
  let resume;
  if (cp && cp.size === size && cp.quick_xor === item.quick_xor) {
    resume = JSON.parse(cp.data) as UploadCheckpoint;
  } else if (cp) {
    // Started for other content: its parts are of no use.
    await ctx.target.abortMultipartUpload(action.key, cp.upload_id, ctx.signal).catch(() => {});
    db.tx(() => dropCheckpoint(db, item.id, action.key));
  }
  db.tx(() => markStarted(db, action.seq));
  let sent = 0;
  await ctx.target.upload({
    key: action.key,
    size,
    meta,
    ...(item.quick_xor ? { expectedQuickXorHash: item.quick_xor } : {}),
    ...(resume ? { resume } : {}),
    open: async (start, signal) =>
      counted(
        await ctx.source.download(item.graph_id, { start, size, ...(signal ? { signal } : {}) }),
        (n) => tracker.downloaded(n),
      ),
    onCheckpoint: (c) =>
      db.tx(() => saveCheckpoint(db, item.id, { size, quickXor: item.quick_xor }, c, ctx.now())),
    onProgress: (delta) => {
      sent += delta;
      tracker.bytes(action.seq, delta);
    },
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  record(ctx, action, item);
  return { kind: 'upload', bytes: sent };
}

/** Counts bytes as they flow from OneDrive to S3 without buffering or changing flow mode. */
function counted(stream: Readable, add: (n: number) => void): Readable {
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      add(chunk.length);
      callback(null, chunk);
    },
  });
  return pipeline(stream, meter, () => {});
}

/**
 * The action's effect, recorded in one transaction with everything that depends on it: the
 * item's written state, the queue, the checkpoint, and retiring the key it had before a move.
 */
function record(ctx: RoundContext, action: ActionRow, item: ItemRow): void {
  const { db, settings } = ctx;
  db.tx(() => {
    recordWritten(
      db,
      item.id,
      { key: action.key, size: item.size ?? 0, hash: item.quick_xor, mtime: metaOf(item).mtime },
      ctx.now(),
    );
    finish(db, action.seq);
    dropCheckpoint(db, item.id, action.key);
    db.run('DELETE FROM retained WHERE key = ?', action.key);
    if (item.w_key && item.w_key !== action.key) {
      retireKey(
        db,
        item.id,
        { key: item.w_key, size: item.w_size ?? 0 },
        settings.deletePolicy,
        ctx.now(),
      );
    }
  });
}

/** The object at the key is this item's content, with this product's metadata on it. */
async function alreadyWritten(
  ctx: RoundContext,
  key: string,
  item: ItemRow,
  meta: ObjectMeta,
): Promise<boolean> {
  const head = await ctx.target.head(key, ctx.signal);
  if (!head || head.size !== (item.size ?? 0)) return false;
  const m = fromS3Metadata(head.metadata);
  return m.itemId === meta.itemId && m.mtime === meta.mtime && m.quickXorHash === meta.quickXorHash;
}

/**
 * First run or lost store: an object already at the key with the same size and an mtime equal
 * to the second (rclone's format or the original tool's integer seconds, of either timestamp)
 * is taken as this item's backup. The listing is fetched once; only same-size keys get a HEAD.
 * Returns undefined when not adoptable, else whether its metadata is already exactly ours.
 */
export async function checkAdoptable(
  ctx: Pick<RoundContext, 'target' | 'signal' | 'listing'>,
  key: string,
  item: ItemRow,
): Promise<{ exact: boolean; archived: boolean } | undefined> {
  const size = item.size ?? 0;
  if ((await ctx.listing()).get(key) !== size) return undefined;
  const head = await ctx.target.head(key, ctx.signal);
  if (!head || head.size !== size) return undefined;
  const m = fromS3Metadata(head.metadata);
  const mtime = item.mtime ?? undefined;
  if (!sameSecond(m.mtime, mtime) && !sameSecond(m.mtime, item.item_mtime ?? undefined)) {
    return undefined;
  }
  if (m.quickXorHash && item.quick_xor && m.quickXorHash !== item.quick_xor) return undefined;
  const meta = metaOf(item);
  return {
    // Glacier and Deep Archive objects cannot be copied (InvalidObjectState) until thawed.
    archived: head.storageClass === 'GLACIER' || head.storageClass === 'DEEP_ARCHIVE',
    exact:
      m.mtime === meta.mtime &&
      m.itemId === meta.itemId &&
      m.quickXorHash === meta.quickXorHash &&
      (meta.contentType === undefined || head.contentType === meta.contentType),
  };
}

/**
 * Adopts the object at the key; objects lacking this product's metadata get it rewritten in
 * place, except archived ones (the original tool's bucket after a Deep Archive lifecycle rule):
 * those are recorded as they are, since a copy would fail and must never turn into a re-upload.
 */
async function tryAdopt(
  ctx: RoundContext,
  action: ActionRow,
  item: ItemRow,
  meta: ObjectMeta,
): Promise<boolean> {
  const found = await checkAdoptable(ctx, action.key, item);
  if (!found) return false;
  if (!found.exact && !found.archived) {
    await ctx.target.copy({
      from: action.key,
      to: action.key,
      size: item.size ?? 0,
      meta,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
  }
  record(ctx, action, item);
  return true;
}
