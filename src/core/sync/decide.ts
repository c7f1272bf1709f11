import type { DeletePolicy } from '../config/types.js';
import { SyncError } from '../errors.js';
import { checkKey } from '../s3/keys.js';
import type { ItemRow } from '../store/items.js';
import type { NewAction } from '../store/queue.js';
import type { Resolved } from './paths.js';

/** A key S3 cannot hold (too long, control characters…) fails this item with S3 target's reason. */
function keyProblem(key: string): Decision | undefined {
  try {
    checkKey(key);
    return undefined;
  } catch (error) {
    const e = error instanceof SyncError ? error : undefined;
    return {
      outcome: 'failed',
      code: e?.code ?? 'key-invalid',
      message: (error as Error).message,
      ...(e?.hint ? { hint: e.hint } : {}),
    };
  }
}

export interface PlanSettings {
  /** `[aws] prefix`, '' or ending in '/'. */
  prefix: string;
  deletePolicy: DeletePolicy;
  /** A full enumeration: items without written state may adopt an object already at their key. */
  adopt: boolean;
}

export type Decision =
  | { outcome: 'none' } // folders and the root: not objects
  | { outcome: 'unchanged' }
  | { outcome: 'skipped' }
  | { outcome: 'remove' } // gone from the drive, nothing in the bucket: forget the row
  | { outcome: 'kept' } // gone from the drive, object kept by policy
  | { outcome: 'failed'; code: string; message: string; hint?: string }
  | { outcome: 'action'; action: NewAction; path: string };

/** Content differs from what was written: size, or hash when both are known. */
export function contentChanged(row: ItemRow): boolean {
  if (row.size !== row.w_size) return true;
  if (row.quick_xor && row.w_hash) return row.quick_xor !== row.w_hash;
  // No hash to compare (rare: zero-byte files may lack one). Zero bytes are always equal;
  // otherwise a changed time is the only sign left, and re-uploading is the safe reading.
  return (row.size ?? 0) > 0 && row.mtime !== row.w_mtime;
}

export function keyFor(prefix: string, path: string): string {
  return `${prefix}${path}`;
}

/**
 * What one item needs, from the store alone (no HEAD per item): its wanted state (feed) against
 * its written state (what the bucket holds for it). Pure, so every case is unit-tested.
 */
export function decide(row: ItemRow, where: Resolved, settings: PlanSettings): Decision {
  const gone = row.deleted === 1 || where.gone;
  if (row.kind === 'folder' || row.kind === 'root')
    return gone ? { outcome: 'remove' } : { outcome: 'none' };
  if (gone) {
    if (!row.w_key) return { outcome: 'remove' };
    if (settings.deletePolicy === 'keep') return { outcome: 'kept' };
    return {
      outcome: 'action',
      path: where.path ?? row.path ?? row.w_key,
      action: {
        itemId: row.id,
        kind: settings.deletePolicy,
        key: row.w_key,
        size: row.w_size ?? 0,
      },
    };
  }
  if (row.kind === 'package' || where.skip) return { outcome: 'skipped' };
  if (where.unresolved !== undefined || where.path === null) {
    return {
      outcome: 'failed',
      code: 'unresolved-path',
      message: `cannot build the path: ${where.unresolved ?? 'unknown folder'}`,
      hint: 'Run `cloud-sync sync --full` to re-read the whole drive.',
    };
  }
  const key = keyFor(settings.prefix, where.path);
  const refused = keyProblem(key);
  if (refused) return refused;
  const size = row.size ?? 0;
  const upload = (adopt: boolean): Decision => ({
    outcome: 'action',
    path: where.path as string,
    action: { itemId: row.id, kind: 'upload', key, size, adopt },
  });
  if (!row.w_key) return upload(settings.adopt);
  if (contentChanged(row)) return upload(false);
  if (row.w_key !== key) {
    return {
      outcome: 'action',
      path: where.path,
      action: { itemId: row.id, kind: 'copy', key, fromKey: row.w_key, size },
    };
  }
  if (row.mtime !== row.w_mtime) {
    return {
      outcome: 'action',
      path: where.path,
      action: { itemId: row.id, kind: 'metadata', key, fromKey: key, size },
    };
  }
  return { outcome: 'unchanged' };
}
