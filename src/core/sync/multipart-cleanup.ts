import { allCheckpoints, dropCheckpoint, unneededCheckpoints } from '../store/cursor.js';
import { isFatal, type RoundContext } from './context.js';

/**
 * Round start: multipart uploads under the prefix that no stored checkpoint will resume (left
 * by a crash before the first checkpoint, or by a lost store) only cost storage: abort them.
 */
export async function abortOrphanUploads(ctx: RoundContext): Promise<number> {
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
