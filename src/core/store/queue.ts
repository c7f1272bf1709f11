import type { DeletePolicy } from '../config/types.js';
import type { Db } from './db.js';

export type QueuedKind = 'upload' | 'copy' | 'metadata' | 'delete' | 'trash';

/** One row of the durable action queue. */
export interface ActionRow {
  seq: number;
  item_id: string;
  kind: QueuedKind;
  key: string;
  from_key: string | null;
  size: number;
  retire: number;
  adopt: number;
  started: number;
  status: 'pending' | 'failed';
  attempts: number;
  error: string | null;
  created_at: string | null;
}

export interface NewAction {
  itemId: string;
  kind: QueuedKind;
  key: string;
  fromKey?: string | null;
  size?: number;
  retire?: boolean;
  adopt?: boolean;
}

export function enqueue(db: Db, action: NewAction, now: string): number {
  return db.run(
    `INSERT INTO actions (item_id, kind, key, from_key, size, retire, adopt, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    action.itemId,
    action.kind,
    action.key,
    action.fromKey ?? null,
    action.size ?? 0,
    action.retire ? 1 : 0,
    action.adopt ? 1 : 0,
    now,
  ).lastInsertRowid;
}

/** A key S3 may hold an object at: its size, for a server-side copy of it. */
export interface KeyAndSize {
  key: string;
  size: number;
}

/** A write that had begun when its item was re-planned: S3 may hold its object, or not. */
export interface BegunWrite extends KeyAndSize {
  kind: QueuedKind;
}

/**
 * Re-planning an item replaces what was queued for it (retiring old keys stays: those objects
 * exist). Returns the writes that had begun, oldest first: a process killed after S3 carried
 * one out and before recording it leaves an object there that nothing else knows about.
 */
export function dropItemActions(db: Db, itemId: string): BegunWrite[] {
  const where = `item_id = ? AND retire = 0 AND started = 1 AND kind IN ('upload','copy','metadata')`;
  // Planning calls this for every item and the answer is nearly always "none": asked with one()
  // first, because each all() costs native memory libsql never gives back (see Db.all).
  const any = db.one<{ x: number }>(`SELECT 1 AS x FROM actions WHERE ${where} LIMIT 1`, itemId);
  const begun = any
    ? db.all<BegunWrite>(`SELECT kind, key, size FROM actions WHERE ${where} ORDER BY seq`, itemId)
    : [];
  db.run('DELETE FROM actions WHERE item_id = ? AND retire = 0', itemId);
  return begun;
}

/**
 * A key an item no longer lives at (moved away, or a write to it was abandoned): kept and
 * remembered as kept with delete_policy "keep", else queued for deletion or the trash as a
 * retirement (not a deletion the mass-delete guard weighs: the content lives on elsewhere).
 */
export function retireKey(
  db: Db,
  itemId: string,
  old: KeyAndSize,
  policy: DeletePolicy,
  now: string,
): void {
  if (policy === 'keep') {
    db.run(
      'INSERT OR REPLACE INTO retained (key, item_id, retained_at) VALUES (?, ?, ?)',
      old.key,
      itemId,
      now,
    );
    return;
  }
  enqueue(db, { itemId, kind: policy, key: old.key, size: old.size, retire: true }, now);
}

export function finish(db: Db, seq: number): void {
  db.run('DELETE FROM actions WHERE seq = ?', seq);
}

export function markStarted(db: Db, seq: number): void {
  db.run('UPDATE actions SET started = 1, attempts = attempts + 1 WHERE seq = ?', seq);
}

export function markActionFailed(db: Db, seq: number, message: string): void {
  db.run(`UPDATE actions SET status = 'failed', error = ? WHERE seq = ?`, message, seq);
}

/** A new round gives every failed action another chance. */
export function resetFailed(db: Db): number {
  return db.run(`UPDATE actions SET status = 'pending', attempts = 0 WHERE status = 'failed'`)
    .changes;
}

export function pending(db: Db, kinds: QueuedKind[]): ActionRow[] {
  return db.all<ActionRow>(
    `SELECT * FROM actions WHERE status = 'pending' AND kind IN (${kinds.map(() => '?').join(',')})
     ORDER BY seq`,
    ...kinds,
  );
}

export function all(db: Db): ActionRow[] {
  return db.all<ActionRow>('SELECT * FROM actions ORDER BY seq');
}

export function countPending(db: Db): number {
  return Number(db.value<number>(`SELECT count(*) FROM actions WHERE status = 'pending'`) ?? 0);
}

/** Some queued write (upload/copy/metadata) or live item other than `itemId` targets `key`. */
export function keyInUse(db: Db, key: string, itemId: string | null): boolean {
  const row = db.one<{ n: number }>(
    `SELECT (SELECT count(*) FROM actions
               WHERE key = @key AND kind IN ('upload','copy','metadata')
                 AND item_id IS NOT @item)
          + (SELECT count(*) FROM items
               WHERE w_key = @key AND deleted = 0 AND id IS NOT @item) AS n`,
    { key, item: itemId },
  );
  return (row?.n ?? 0) > 0;
}
