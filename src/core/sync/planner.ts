import type { ItemFailure } from '../../shared/events.js';
import type { Db } from '../store/db.js';
import { getItem, type ItemRow } from '../store/items.js';
import { dropItemActions, enqueue, keyInUse } from '../store/queue.js';
import { settleBegun } from './begun.js';
import { decide, type PlanSettings } from './decide.js';
import { markDescendantsDirty, PathResolver } from './paths.js';

export interface PlanResult {
  /** Items examined (dirty ones and everything below a moved or deleted folder). */
  examined: number;
  queued: number;
  unchanged: number;
  skipped: number;
  removed: number;
  failures: ItemFailure[];
}

/**
 * Turns every dirty item into queued actions. Runs once the whole feed is applied (children may
 * arrive before their parents), inside the caller's transaction. A folder whose path changed
 * or that was deleted drags in all its descendants: the feed lists the folder alone.
 */
export function planDirty(db: Db, settings: PlanSettings, now: string): PlanResult {
  const result: PlanResult = {
    examined: 0,
    queued: 0,
    unchanged: 0,
    skipped: 0,
    removed: 0,
    failures: [],
  };
  const resolver = new PathResolver(db);
  const folders = db.all<{ id: string }>(`SELECT id FROM items WHERE dirty = 1 AND kind <> 'file'`);
  for (const { id } of folders) {
    const row = getItem(db, id);
    if (!row) continue;
    const where = resolver.resolve(id, row);
    // A folder planned before (it has a path) whose path changed, or one gone or skipped, drags
    // in everything below it. One never planned has nothing planned below it: what is there is
    // new, hence dirty already (this spares a first round a subtree query per folder).
    const moved = row.path !== null && where.path !== row.path;
    if (moved || where.gone || where.skip) markDescendantsDirty(db, id);
  }

  // In batches rather than all ids at once, so memory does not grow with the size of the change
  // (a first round of a million files): planning an item takes it out of the dirty set, by
  // `dirty = 0` or by removing its row.
  for (;;) {
    const batch = db.all<{ id: string }>('SELECT id FROM items WHERE dirty = 1 LIMIT 1000');
    if (batch.length === 0) break;
    for (const { id } of batch) planItem(db, id, resolver, settings, now, result);
  }
  result.queued = Math.max(0, result.queued - resolveConflicts(db));
  return result;
}

function planItem(
  db: Db,
  id: string,
  resolver: PathResolver,
  settings: PlanSettings,
  now: string,
  result: PlanResult,
): void {
  const row = getItem(db, id);
  if (!row) return;
  result.examined++;
  const where = resolver.resolve(id, row);
  const begun = dropItemActions(db, id);
  const decision = settleBegun(db, row, where, decide(row, where, settings), begun, settings, now);
  if (decision.outcome === 'remove') {
    // Its checkpoints stay until the round's end aborts their multipart uploads (no upload is
    // queued for them any more): dropping them here would leave those uploads open on S3.
    db.run('DELETE FROM items WHERE id = ?', id);
    result.removed++;
    return;
  }
  const gone = row.deleted === 1 || where.gone ? 1 : 0;
  const path = where.path ?? row.path;
  db.run(
    'UPDATE items SET dirty = 0, deleted = ?, path = ?, updated_at = ? WHERE id = ?',
    gone,
    path,
    now,
    id,
  );
  switch (decision.outcome) {
    case 'none':
      break;
    case 'unchanged':
      result.unchanged++;
      setState(db, row, 'synced');
      break;
    case 'skipped':
      result.skipped++;
      setState(db, row, 'skipped');
      break;
    case 'kept':
      setState(db, row, 'kept');
      break;
    case 'failed':
      db.run(
        `UPDATE items SET state = 'failed', error = ?, error_code = ? WHERE id = ?`,
        decision.message,
        decision.code,
        id,
      );
      result.failures.push({
        path: path ?? row.name ?? id,
        itemId: row.graph_id,
        message: decision.message,
        code: decision.code,
        ...(decision.hint ? { hint: decision.hint } : {}),
      });
      break;
    case 'action':
      enqueue(db, decision.action, now);
      result.queued++;
      break;
  }
}

function setState(db: Db, row: ItemRow, state: ItemRow['state']): void {
  db.run(`UPDATE items SET state = ?, error = NULL, error_code = NULL WHERE id = ?`, state, row.id);
}

/**
 * Keys are shared between items over time (a.txt deleted and a new a.txt created; two files
 * swapping names). A copy must not read a key another item is about to overwrite, and a delete
 * must not remove a key another item now owns. Returns how many actions were dropped.
 */
function resolveConflicts(db: Db): number {
  // An upload's from_key is a hint to copy from (see begun.ts): the same rule applies.
  db.run(
    `UPDATE actions SET kind = 'upload', from_key = NULL
      WHERE kind IN ('copy','upload') AND from_key IS NOT NULL AND status = 'pending' AND EXISTS (
        SELECT 1 FROM actions w WHERE w.key = actions.from_key AND w.item_id <> actions.item_id
          AND w.kind IN ('upload','copy','metadata'))`,
  );
  let dropped = 0;
  const removals = db.all<{ seq: number; item_id: string; key: string; retire: number }>(
    `SELECT seq, item_id, key, retire FROM actions WHERE kind IN ('delete','trash')`,
  );
  for (const a of removals) {
    if (!keyInUse(db, a.key, a.retire ? null : a.item_id)) continue;
    db.run('DELETE FROM actions WHERE seq = ?', a.seq);
    if (!a.retire) {
      // The object now belongs to another item: this one no longer has anything in the bucket.
      db.run(
        'UPDATE items SET w_key = NULL, w_size = NULL, w_hash = NULL, w_mtime = NULL WHERE id = ?',
        a.item_id,
      );
      db.run('DELETE FROM items WHERE id = ? AND deleted = 1', a.item_id);
    }
    dropped++;
  }
  return dropped;
}
