import type { DriveItem } from '../graph/types.js';
import { formatMtime } from '../s3/metadata.js';
import type { Db } from './db.js';

export type ItemKind = 'file' | 'folder' | 'package' | 'root';
export type ItemState = 'new' | 'synced' | 'failed' | 'skipped' | 'kept';

/** One row of `items` (see schema.ts for what each column means). */
export interface ItemRow {
  id: string;
  graph_id: string;
  parent_id: string | null;
  name: string | null;
  kind: ItemKind;
  size: number | null;
  mtime: string | null;
  item_mtime: string | null;
  quick_xor: string | null;
  etag: string | null;
  ctag: string | null;
  mime: string | null;
  deleted: number;
  seen_gen: number;
  dirty: number;
  path: string | null;
  w_key: string | null;
  w_size: number | null;
  w_hash: string | null;
  w_mtime: string | null;
  state: ItemState;
  error: string | null;
  error_code: string | null;
  updated_at: string | null;
}

/** What the bucket holds for an item after an action finished. */
export interface WrittenState {
  key: string;
  size: number;
  hash: string | null;
  mtime: string | null;
}

/** Ids are compared case-insensitively (OneDrive changed their casing in 2025). */
export const normId = (id: string): string => id.toLowerCase();

function kindOf(item: DriveItem): ItemKind {
  if (item.root) return 'root';
  if (item.package) return 'package';
  if (item.folder) return 'folder';
  return 'file';
}

function mtimeOf(iso: string | undefined): string | null {
  if (!iso) return null;
  try {
    return formatMtime(iso);
  } catch {
    return null;
  }
}

const UPSERT = `
  INSERT INTO items (id, graph_id, parent_id, name, kind, size, mtime, item_mtime, quick_xor,
                     etag, ctag, mime, deleted, seen_gen, dirty, updated_at)
  VALUES (@id, @graph_id, @parent_id, @name, @kind, @size, @mtime, @item_mtime, @quick_xor,
          @etag, @ctag, @mime, 0, @gen, 1, @now)
  ON CONFLICT (id) DO UPDATE SET
    graph_id = excluded.graph_id, parent_id = excluded.parent_id, name = excluded.name,
    kind = excluded.kind, size = excluded.size, mtime = excluded.mtime,
    item_mtime = excluded.item_mtime, quick_xor = excluded.quick_xor, etag = excluded.etag,
    ctag = excluded.ctag, mime = excluded.mime, deleted = 0,
    seen_gen = max(items.seen_gen, excluded.seen_gen), dirty = 1, updated_at = excluded.updated_at`;

/**
 * Applies one delta page's items, in feed order (the last occurrence of an id wins). Nothing is
 * planned here: a child may arrive before its parent, even pages later, so items are only
 * marked dirty and planned once the whole feed is in. `gen` marks items seen by a full
 * enumeration (0 for an incremental feed).
 */
export function applyItems(db: Db, items: DriveItem[], gen: number, now: string): number {
  let applied = 0;
  for (const item of items) {
    if (!item.id) continue;
    const id = normId(item.id);
    if (item.deleted) {
      // Deleted items on Personal lack size, cTag and often name/parent: keep what we know.
      applied += db.run(
        'UPDATE items SET deleted = 1, dirty = 1, updated_at = ? WHERE id = ?',
        now,
        id,
      ).changes;
      continue;
    }
    const kind = kindOf(item);
    db.run(UPSERT, {
      id,
      graph_id: item.id,
      parent_id:
        kind === 'root' ? null : item.parentReference?.id ? normId(item.parentReference.id) : null,
      name: kind === 'root' ? '' : (item.name ?? null),
      kind,
      size: item.size ?? (kind === 'file' ? 0 : null),
      mtime: mtimeOf(item.fileSystemInfo?.lastModifiedDateTime ?? item.lastModifiedDateTime),
      item_mtime: mtimeOf(item.lastModifiedDateTime),
      quick_xor: item.file?.hashes?.quickXorHash ?? null,
      etag: item.eTag ?? null,
      ctag: item.cTag ?? null,
      mime: item.file?.mimeType ?? null,
      gen,
      now,
    });
    applied++;
  }
  return applied;
}

/**
 * A full enumeration ended: whatever it did not list is gone from the drive. Marked deleted
 * and dirty so the planner decides (and the mass-delete guard weighs) what that means.
 */
export function markUnseenDeleted(db: Db, gen: number, now: string): number {
  return db.run(
    `UPDATE items SET deleted = 1, dirty = 1, updated_at = ?
       WHERE seen_gen < ? AND deleted = 0 AND kind <> 'root'`,
    now,
    gen,
  ).changes;
}

export function getItem(db: Db, id: string): ItemRow | undefined {
  return db.one<ItemRow>('SELECT * FROM items WHERE id = ?', normId(id));
}

export function recordWritten(db: Db, id: string, written: WrittenState, now: string): void {
  db.run(
    `UPDATE items SET w_key = ?, w_size = ?, w_hash = ?, w_mtime = ?, state = 'synced',
       error = NULL, error_code = NULL, updated_at = ? WHERE id = ?`,
    written.key,
    written.size,
    written.hash,
    written.mtime,
    now,
    id,
  );
}

/** The object at `key` is gone (deleted or trashed): forget it, and the item if it is gone too. */
export function clearWritten(db: Db, id: string, key: string, now: string): void {
  db.run(
    `UPDATE items SET w_key = NULL, w_size = NULL, w_hash = NULL, w_mtime = NULL, updated_at = ?
       WHERE id = ? AND w_key = ?`,
    now,
    id,
    key,
  );
  db.run('DELETE FROM items WHERE id = ? AND deleted = 1 AND w_key IS NULL', id);
}

export function markFailed(db: Db, id: string, message: string, code: string, now: string): void {
  db.run(
    `UPDATE items SET state = 'failed', error = ?, error_code = ?, updated_at = ? WHERE id = ?`,
    message,
    code,
    now,
    id,
  );
}

/** Failed items are planned again next round even if the feed does not mention them. */
export function redirtyFailed(db: Db): number {
  return db.run(`UPDATE items SET dirty = 1 WHERE state = 'failed' AND dirty = 0`).changes;
}

/** Objects the store knows the bucket holds for live items: the mass-delete guard's base. */
export function countKnownObjects(db: Db): number {
  return Number(db.value<number>('SELECT count(*) FROM items WHERE w_key IS NOT NULL') ?? 0);
}

/** Rows that no longer stand for anything: gone from the drive and from the bucket. */
export function purgeGone(db: Db): number {
  return db.run(
    `DELETE FROM items WHERE deleted = 1 AND w_key IS NULL
       AND id NOT IN (SELECT item_id FROM actions)`,
  ).changes;
}
