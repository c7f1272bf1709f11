import type { ActionKind, RoundSummary } from '../../shared/events.js';
import { getItem } from '../store/items.js';
import { pending } from '../store/queue.js';
import { pathOfKey, type RoundContext } from './context.js';
import type { FeedResult } from './feed.js';
import { massDeleteCheck, type MassDeleteStop } from './removals.js';
import { checkAdoptable } from './transfer.js';

export interface PlannedAction {
  action: ActionKind;
  path: string;
  key: string;
  fromKey?: string;
  /** Bytes that would be downloaded and uploaded. */
  bytes: number;
  /** Removes the key an item had before it moved (not counted by the mass-delete guard). */
  retire?: boolean;
}

export interface DryRunReport {
  summary: RoundSummary;
  actions: PlannedAction[];
  massDelete?: MassDeleteStop;
}

/**
 * What a round would do, read from the freshly planned queue (the caller rolls it back).
 * Adoption is checked for real (a listing and HEADs: reads only), so a first run against a
 * filled bucket shows what would be adopted rather than uploaded.
 */
export async function buildPreview(
  ctx: RoundContext,
  feed: FeedResult,
  meta: { roundId: number; startedAt: string; finishedAt: () => string },
): Promise<DryRunReport> {
  const tally = ctx.tracker.tally;
  const actions: PlannedAction[] = [];
  const policy = ctx.settings.deletePolicy;
  for (const a of pending(ctx.db, ['upload', 'copy', 'metadata'])) {
    const item = getItem(ctx.db, a.item_id);
    if (!item) continue;
    const path = pathOfKey(ctx.settings, a.key);
    let kind: ActionKind = a.kind;
    if (a.kind === 'upload' && a.adopt && (await checkAdoptable(ctx, a.key, item))) kind = 'adopt';
    const bytes = kind === 'upload' ? a.size : 0;
    actions.push({
      action: kind,
      path,
      key: a.key,
      ...(a.from_key && a.kind === 'copy' ? { fromKey: a.from_key } : {}),
      bytes,
    });
    if (kind === 'upload') {
      tally.uploaded++;
      tally.bytesUploaded += bytes;
      tally.bytesDownloaded += bytes;
    } else if (kind === 'copy') tally.copied++;
    else if (kind === 'metadata') tally.metadataRewritten++;
    else if (kind === 'adopt') tally.adopted++;
    if (item.w_key && item.w_key !== a.key && policy !== 'keep' && kind !== 'adopt') {
      actions.push({
        action: policy,
        path: pathOfKey(ctx.settings, item.w_key),
        key: item.w_key,
        bytes: 0,
        retire: true,
      });
    }
  }
  const removals = pending(ctx.db, ['delete', 'trash']);
  for (const a of removals) {
    actions.push({
      action: a.kind,
      path: pathOfKey(ctx.settings, a.key),
      key: a.key,
      bytes: 0,
      ...(a.retire ? { retire: true } : {}),
    });
    if (!a.retire) tally[a.kind === 'trash' ? 'trashed' : 'deleted']++;
  }
  tally.unchanged += feed.plan.unchanged;
  tally.skipped += feed.plan.skipped;
  for (const failure of feed.plan.failures) ctx.tracker.fail(failure);
  const massDelete = massDeleteCheck(ctx, removals);
  const summary: RoundSummary = {
    roundId: meta.roundId,
    startedAt: meta.startedAt,
    finishedAt: meta.finishedAt(),
    full: feed.full,
    dryRun: true,
    result: massDelete ? 'stopped-mass-delete' : tally.failed > 0 ? 'partial' : 'ok',
    ...tally,
    ...(massDelete ? { message: massDelete.message } : {}),
  };
  return { summary, actions, ...(massDelete ? { massDelete } : {}) };
}
