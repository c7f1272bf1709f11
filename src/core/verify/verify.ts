import type { BackupTarget } from '../s3/types.js';
import type { Db } from '../store/db.js';

export interface MissingObject {
  key: string;
  itemId: string;
  size: number;
}

export interface SizeMismatch {
  key: string;
  itemId: string;
  expected: number;
  actual: number;
}

export interface VerifyReport {
  equal: boolean;
  differences: number;
  /** The store says the bucket holds these; the listing does not. */
  missing: MissingObject[];
  /** Listed with another size than the store recorded. */
  sizeMismatch: SizeMismatch[];
  /** Under the prefix, but no item maps to them (and the delete policy did not keep them). */
  unmapped: Array<{ key: string; size: number }>;
  /** Old keys `delete_policy = "keep"` left on purpose after a move: expected, not a difference. */
  retained: number;
  listed: number;
  known: number;
}

/**
 * The bucket listing against the state store: one ListObjectsV2 per 1000 keys, never a HEAD
 * per key. Keys under the trash prefix are the trash's business and not compared.
 */
export async function verifyBucket(options: {
  db: Db;
  target: BackupTarget;
  prefix: string;
  trashPrefix: string;
  signal?: AbortSignal;
}): Promise<VerifyReport> {
  const { db, target, prefix, trashPrefix, signal } = options;
  const expected = new Map<string, { itemId: string; size: number }>();
  for (const row of db.all<{ id: string; w_key: string; w_size: number | null }>(
    'SELECT id, w_key, w_size FROM items WHERE w_key IS NOT NULL',
  )) {
    expected.set(row.w_key, { itemId: row.id, size: row.w_size ?? 0 });
  }
  const retainedKeys = new Set(
    db.all<{ key: string }>('SELECT key FROM retained').map((r) => r.key),
  );
  const known = expected.size;

  const report: VerifyReport = {
    equal: true,
    differences: 0,
    missing: [],
    sizeMismatch: [],
    unmapped: [],
    retained: 0,
    listed: 0,
    known,
  };
  for await (const object of target.list(prefix, signal)) {
    if (object.key.startsWith(trashPrefix)) continue;
    report.listed++;
    const want = expected.get(object.key);
    if (want) {
      expected.delete(object.key);
      if (want.size !== object.size)
        report.sizeMismatch.push({
          key: object.key,
          itemId: want.itemId,
          expected: want.size,
          actual: object.size,
        });
    } else if (retainedKeys.has(object.key)) {
      report.retained++;
    } else {
      report.unmapped.push({ key: object.key, size: object.size });
    }
  }
  for (const [key, want] of expected)
    report.missing.push({ key, itemId: want.itemId, size: want.size });
  report.differences = report.missing.length + report.sizeMismatch.length + report.unmapped.length;
  report.equal = report.differences === 0;
  return report;
}

/**
 * `--repair`: forget what the bucket lost or holds wrongly, so the next round plans a fresh
 * upload for each (unmapped objects are reported, never deleted: a backup does not guess).
 */
export function markForRepair(db: Db, report: VerifyReport): number {
  let marked = 0;
  db.tx(() => {
    for (const { key, itemId } of [...report.missing, ...report.sizeMismatch]) {
      marked += db.run(
        `UPDATE items SET w_key = NULL, w_size = NULL, w_hash = NULL, w_mtime = NULL, state = 'new', dirty = 1
           WHERE id = ? AND w_key = ? AND deleted = 0`,
        itemId,
        key,
      ).changes;
    }
  });
  return marked;
}
