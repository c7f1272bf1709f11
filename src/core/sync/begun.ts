import type { Db } from '../store/db.js';
import type { ItemRow } from '../store/items.js';
import { retireKey, type BegunWrite } from '../store/queue.js';
import { keyFor, type Decision, type PlanSettings } from './decide.js';
import type { Resolved } from './paths.js';

/**
 * Settles the writes a killed process began for an item and never recorded (`begun`, from
 * dropItemActions): S3 may or may not hold their objects, and the item has been re-planned
 * since, perhaps elsewhere. Returns the decision to queue instead of `decision`.
 *
 *  - A key the item no longer goes to is retired like an old key after a move (kept with
 *    "keep", else trashed or deleted after the round's writes), so no object is left that
 *    nothing maps to.
 *  - A new upload carries the key of the last begun write as a hint: if the object there is
 *    already this content (its metadata says so), it is recorded (same key) or copied
 *    server-side (another key) instead of downloaded again.
 *  - An upload begun to the key the item is recorded at leaves that object uncertain (old or
 *    new bytes): what would reuse it as it is (unchanged, metadata rewrite, copy) uploads
 *    instead, and a deleted item kept by policy hands it over as a kept key, not as a backup
 *    of known size.
 */
export function settleBegun(
  db: Db,
  row: ItemRow,
  where: Resolved,
  decision: Decision,
  begun: BegunWrite[],
  settings: PlanSettings,
  now: string,
): Decision {
  if (begun.length === 0) return decision;
  let out = decision;
  const recorded = row.w_key;
  const uncertain =
    recorded !== null && begun.some((b) => b.kind === 'upload' && b.key === recorded);
  if (uncertain && out.outcome === 'kept') {
    db.run(
      'UPDATE items SET w_key = NULL, w_size = NULL, w_hash = NULL, w_mtime = NULL WHERE id = ?',
      row.id,
    );
    retireKey(db, row.id, { key: recorded, size: row.w_size ?? 0 }, 'keep', now);
  } else if (uncertain && reuses(out) && where.path !== null) {
    const key = out.outcome === 'action' ? out.action.key : keyFor(settings.prefix, where.path);
    out = {
      outcome: 'action',
      path: where.path,
      action: { itemId: row.id, kind: 'upload', key, size: row.size ?? 0, adopt: false },
    };
  }

  const next = out.outcome === 'action' ? out.action : undefined;
  const writesTo = next && !isRemoval(next.kind) ? next.key : undefined;
  for (const b of begun) {
    if (b.key === recorded || b.key === writesTo) continue;
    retireKey(db, row.id, b, settings.deletePolicy, now);
  }
  const hint = begun.at(-1);
  if (hint && out.outcome === 'action' && out.action.kind === 'upload') {
    out = { ...out, action: { ...out.action, fromKey: hint.key } };
  }
  return out;
}

/** Decisions that take the object at the recorded key as it is. */
function reuses(d: Decision): boolean {
  if (d.outcome === 'unchanged') return true;
  return d.outcome === 'action' && (d.action.kind === 'copy' || d.action.kind === 'metadata');
}

const isRemoval = (kind: string): boolean => kind === 'delete' || kind === 'trash';
