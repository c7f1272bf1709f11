import pLimit from 'p-limit';
import { isAbortError, SyncError } from '../errors.js';
import { clearWritten, countKnownObjects, markFailed } from '../store/items.js';
import { finish, keyInUse, markActionFailed, pending, type ActionRow } from '../store/queue.js';
import { failureOf, isFatal, pathOfKey, type RoundContext } from './context.js';

export interface MassDeleteStop {
  wouldDelete: number;
  limit: number;
  known: number;
  message: string;
}

/**
 * The guard: deleting (or trashing) more than `maxDelete` objects, or more than `maxDeleteShare`
 * of the objects the store knows, needs a person's go-ahead. Retiring an old key after a move
 * is not counted: that content lives on under its new key.
 */
export function massDeleteCheck(
  ctx: Pick<RoundContext, 'db' | 'settings'>,
  actions: ActionRow[],
): MassDeleteStop | undefined {
  const wouldDelete = actions.filter((a) => !a.retire).length;
  if (wouldDelete === 0) return undefined;
  const known = countKnownObjects(ctx.db);
  const { maxDelete, maxDeleteShare } = ctx.settings;
  if (wouldDelete <= maxDelete && wouldDelete <= maxDeleteShare * known) return undefined;
  const limit = Math.min(maxDelete, Math.floor(maxDeleteShare * known));
  return {
    wouldDelete,
    limit,
    known,
    message:
      `Stopped before removing ${wouldDelete} of ${known} objects from the bucket: more than ` +
      `max_delete (${maxDelete}) or ${Math.round(maxDeleteShare * 100)}% (max_delete_share). ` +
      'If the drive really lost these files, run `cloud-sync sync --allow-mass-delete`.',
  };
}

/** `trashPrefix` + YYYY-MM-DD/ + the key below the prefix. */
export function trashKey(ctx: Pick<RoundContext, 'settings' | 'clock'>, key: string): string {
  const day = new Date(ctx.clock.now()).toISOString().slice(0, 10);
  return `${ctx.settings.trashPrefix}${day}/${pathOfKey(ctx.settings, key)}`;
}

/**
 * Runs queued deletions and trash moves after every write of the round (so no delete can race
 * an upload to the same key). Returns the guard's verdict when it held them back.
 */
export async function runRemovals(
  ctx: RoundContext,
  allowMassDelete: boolean,
): Promise<MassDeleteStop | undefined> {
  const actions = pending(ctx.db, ['delete', 'trash']);
  if (actions.length === 0) return undefined;
  const stop = massDeleteCheck(ctx, actions);
  if (stop && !allowMassDelete) return stop;
  ctx.tracker.addTotals(actions.filter((a) => !a.retire).length, 0);
  const settled = (a: ActionRow) =>
    a.retire
      ? ctx.tracker.quiet(a.seq)
      : ctx.tracker.done(a.seq, pathOfKey(ctx.settings, a.key), a.kind, 0, 0);

  const live: ActionRow[] = [];
  for (const a of actions) {
    if (keyInUse(ctx.db, a.key, a.retire ? null : a.item_id)) {
      // Another item now owns this key: its object must stay.
      ctx.db.tx(() => {
        finish(ctx.db, a.seq);
        if (!a.retire) clearWritten(ctx.db, a.item_id, a.key, ctx.now());
      });
      settled(a);
    } else {
      live.push(a);
    }
  }

  const toDelete = live.filter((a) => a.kind === 'delete');
  const limit = pLimit(ctx.settings.concurrency);
  const trashed = await Promise.all(
    live.filter((a) => a.kind === 'trash').map((a) => limit(() => copyToTrash(ctx, a))),
  );
  toDelete.push(...trashed.filter((a): a is ActionRow => a !== undefined));

  const failed = new Map(
    (
      await ctx.target.deleteMany(
        toDelete.map((a) => a.key),
        ctx.signal,
      )
    ).map((f) => [f.key, f.message]),
  );
  for (const a of toDelete) {
    const message = failed.get(a.key);
    if (message !== undefined) {
      fail(ctx, a, new SyncError('item', `could not delete: ${message}`, { code: 's3-delete' }));
      continue;
    }
    ctx.db.tx(() => {
      finish(ctx.db, a.seq);
      if (!a.retire) clearWritten(ctx.db, a.item_id, a.key, ctx.now());
    });
    if (!a.retire) ctx.tracker.tally[a.kind === 'trash' ? 'trashed' : 'deleted']++;
    settled(a);
  }
  return undefined;
}

/** Copies the object into the trash; undefined when it failed (recorded) and must stay. */
async function copyToTrash(ctx: RoundContext, a: ActionRow): Promise<ActionRow | undefined> {
  if (!a.retire) ctx.tracker.begin(a.seq, pathOfKey(ctx.settings, a.key), 'trash', 0);
  try {
    await ctx.target.copy({
      from: a.key,
      to: trashKey(ctx, a.key),
      size: a.size,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    return a;
  } catch (error) {
    if (isAbortError(error) || isFatal(error)) throw error;
    // Already gone (a previous run trashed it and died before recording): deleting is a no-op.
    if (!(await ctx.target.head(a.key, ctx.signal))) return a;
    fail(ctx, a, error);
    return undefined;
  }
}

function fail(ctx: RoundContext, a: ActionRow, error: unknown): void {
  const failure = failureOf(error, pathOfKey(ctx.settings, a.key), a.item_id);
  ctx.db.tx(() => {
    markActionFailed(ctx.db, a.seq, failure.message);
    if (!a.retire) markFailed(ctx.db, a.item_id, failure.message, failure.code, ctx.now());
  });
  ctx.tracker.failed(a.seq, failure, 0);
}
