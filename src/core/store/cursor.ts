import type { RoundSummary } from '../../shared/events.js';
import type { UploadCheckpoint } from '../s3/types.js';
import type { Db } from './db.js';

export interface CursorRow {
  link: string | null;
  link_kind: 'next' | 'delta' | null;
  delta_link: string | null;
  full_gen: number | null;
  generation: number;
  committed_at: string | null;
}

export function getCursor(db: Db): CursorRow {
  return db.one<CursorRow>(
    'SELECT link, link_kind, delta_link, full_gen, generation, committed_at FROM cursor WHERE id = 1',
  ) as CursorRow;
}

/** Starts a full enumeration: a new generation, reading from `link` (a resync link) or scratch. */
export function beginFull(db: Db, link: string | null): number {
  db.run(
    `UPDATE cursor SET generation = generation + 1, full_gen = generation + 1,
       link = ?, link_kind = CASE WHEN ? IS NULL THEN NULL ELSE 'next' END WHERE id = 1`,
    link,
    link,
  );
  return getCursor(db).full_gen as number;
}

/** Remembers where reading continues after the page just applied. */
export function setLink(db: Db, link: string, kind: 'next' | 'delta'): void {
  db.run('UPDATE cursor SET link = ?, link_kind = ? WHERE id = 1', link, kind);
}

export function endFull(db: Db): void {
  db.run('UPDATE cursor SET full_gen = NULL WHERE id = 1');
}

/** The round finished: the pending deltaLink becomes the cursor. */
export function commitCursor(db: Db, deltaLink: string, now: string): void {
  db.run(
    `UPDATE cursor SET delta_link = ?, link = NULL, link_kind = NULL, committed_at = ? WHERE id = 1`,
    deltaLink,
    now,
  );
}

// ---- runs ----

export interface RunRow {
  id: number;
  started_at: string;
  finished_at: string | null;
  full: number;
  result: string | null;
  summary: string | null;
}

export function startRun(db: Db, startedAt: string, full: boolean): number {
  return db.run('INSERT INTO runs (started_at, full) VALUES (?, ?)', startedAt, full ? 1 : 0)
    .lastInsertRowid;
}

export function finishRun(db: Db, summary: RoundSummary): void {
  db.run(
    'UPDATE runs SET finished_at = ?, full = ?, result = ?, summary = ? WHERE id = ?',
    summary.finishedAt,
    summary.full ? 1 : 0,
    summary.result,
    JSON.stringify(summary),
    summary.roundId,
  );
}

export function nextRunId(db: Db): number {
  return Number(db.value<number>('SELECT coalesce(max(id), 0) + 1 FROM runs') ?? 1);
}

export function recentRuns(db: Db, limit: number): RunRow[] {
  return db.all<RunRow>('SELECT * FROM runs ORDER BY id DESC LIMIT ?', limit);
}

// ---- multipart checkpoints ----

export interface CheckpointRow {
  item_id: string;
  key: string;
  upload_id: string;
  size: number;
  quick_xor: string | null;
  data: string;
}

export function saveCheckpoint(
  db: Db,
  itemId: string,
  item: { size: number; quickXor: string | null },
  checkpoint: UploadCheckpoint,
  now: string,
): void {
  db.run(
    `INSERT INTO checkpoints (item_id, key, upload_id, size, quick_xor, data, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (item_id, key) DO UPDATE SET upload_id = excluded.upload_id,
       size = excluded.size, quick_xor = excluded.quick_xor, data = excluded.data,
       updated_at = excluded.updated_at`,
    itemId,
    checkpoint.key,
    checkpoint.uploadId,
    item.size,
    item.quickXor,
    JSON.stringify(checkpoint),
    now,
  );
}

export function getCheckpoint(db: Db, itemId: string, key: string): CheckpointRow | undefined {
  return db.one<CheckpointRow>(
    'SELECT * FROM checkpoints WHERE item_id = ? AND key = ?',
    itemId,
    key,
  );
}

export function dropCheckpoint(db: Db, itemId: string, key: string): void {
  db.run('DELETE FROM checkpoints WHERE item_id = ? AND key = ?', itemId, key);
}

export function allCheckpoints(db: Db): CheckpointRow[] {
  return db.all<CheckpointRow>('SELECT * FROM checkpoints');
}

/** Checkpoints no queued upload will resume: their multipart uploads can be aborted. */
export function unneededCheckpoints(db: Db): CheckpointRow[] {
  return db.all<CheckpointRow>(
    `SELECT c.* FROM checkpoints c WHERE NOT EXISTS (
       SELECT 1 FROM actions a WHERE a.item_id = c.item_id AND a.key = c.key AND a.kind = 'upload')`,
  );
}
