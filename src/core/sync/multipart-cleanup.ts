import { allCheckpoints, dropCheckpoint, unneededCheckpoints } from '../store/cursor.js';
import type { Db } from '../store/db.js';
import { isFatal, type RoundContext } from './context.js';

/**
 * Whether a multipart upload holding parts that nothing will resume can exist: in a full round
 * (the first one, a lost store, the original tool's leftovers), after a round that was killed
 * (between CreateMultipartUpload and the first checkpoint), failed or was cancelled, or while an
 * upload that had begun is still queued (its abort may have failed). Otherwise the listing is
 * skipped, so a quiet round sends no S3 request at all. What is left, an upload created by a
 * retried CreateMultipartUpload whose first answer was lost, holds no parts; the next full round
 * or the recommended lifecycle rule (abort after 7 days) removes it.
 */
export function orphansPossible(db: Db, roundId: number, full: boolean): boolean {
  if (full) return true;
  const previous = db.one<{ result: string | null }>(
    'SELECT result FROM runs WHERE id < ? ORDER BY id DESC LIMIT 1',
    roundId,
  );
  if (!previous || previous.result === null) return true;
  if (previous.result === 'failed' || previous.result === 'cancelled') return true;
  const begun = db.one<{ x: number }>(
    `SELECT 1 AS x FROM actions WHERE kind = 'upload' AND started = 1 LIMIT 1`,
  );
  return begun !== undefined;
}

/**
 * Round start: multipart uploads under the prefix that no stored checkpoint will resume (left
 * by a crash before the first checkpoint, or by a lost store) only cost storage: abort them.
 */
export async function abortOrphanUploads(
  ctx: RoundContext,
  round: { id: number; full: boolean },
): Promise<number> {
  if (!orphansPossible(ctx.db, round.id, round.full)) return 0;
  const known = new Set(allCheckpoints(ctx.db).map((c) => c.upload_id));
  let aborted = 0;
  try {
    for (const upload of await ctx.target.listMultipartUploads(ctx.settings.prefix, ctx.signal)) {
      if (known.has(upload.uploadId)) continue;
      await ctx.target.abortMultipartUpload(upload.key, upload.uploadId, ctx.signal);
      aborted++;
    }
  } catch (error) {
    if (isFatal(error) || ctx.signal?.aborted) throw error;
    ctx.logger.warn(`could not clean up unfinished uploads: ${(error as Error).message}`);
  }
  if (aborted)
    ctx.logger.info(`aborted ${aborted} unfinished multipart upload(s) nothing will resume`);
  return aborted;
}

/** Round end: checkpoints of uploads no longer queued (item deleted, changed or done elsewhere). */
export async function abortUnneededUploads(ctx: RoundContext): Promise<void> {
  for (const cp of unneededCheckpoints(ctx.db)) {
    try {
      await ctx.target.abortMultipartUpload(cp.key, cp.upload_id, ctx.signal);
      ctx.db.tx(() => dropCheckpoint(ctx.db, cp.item_id, cp.key));
    } catch (error) {
      if (isFatal(error) || ctx.signal?.aborted) throw error;
      ctx.logger.warn(
        `could not abort the unfinished upload of ${cp.key}: ${(error as Error).message}`,
      );
    }
  }
}
