import pLimit from 'p-limit';
import { isAbortError } from '../errors.js';
import { pending } from '../store/queue.js';
import type { RoundContext } from './context.js';
import { runRemovals, type MassDeleteStop } from './removals.js';
import { runWrite } from './transfer.js';

/**
 * Drains the queue: writes first (uploads, copies, metadata rewrites, `concurrency` at a time),
 * then removals behind the mass-delete guard. A fatal error or cancellation stops new work,
 * waits for what is in flight (so multipart uploads checkpoint or clean up), then rethrows.
 */
export async function drainQueue(
  ctx: RoundContext,
  options: { allowMassDelete: boolean },
): Promise<{ massDelete?: MassDeleteStop }> {
  const writes = pending(ctx.db, ['upload', 'copy', 'metadata']);
  ctx.tracker.addTotals(
    writes.length,
    writes.reduce((sum, a) => sum + (a.kind === 'upload' ? a.size : 0), 0),
  );
  const stop = new AbortController();
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, stop.signal]) : stop.signal;
  const inner: RoundContext = { ...ctx, signal };
  const limit = pLimit(ctx.settings.concurrency);
  let first: unknown;
  await Promise.all(
    writes.map((action) =>
      limit(async () => {
        if (signal.aborted) return;
        try {
          await runWrite(inner, action);
        } catch (error) {
          if (first === undefined && !(isAbortError(error) && stop.signal.aborted)) first = error;
          stop.abort(error);
        }
      }),
    ),
  );
  if (first !== undefined) throw first;
  ctx.signal?.throwIfAborted();
  const massDelete = await runRemovals(ctx, options.allowMassDelete);
  ctx.tracker.tick(true);
  return massDelete ? { massDelete } : {};
}
