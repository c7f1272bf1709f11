import type { DriveSource } from '../graph/types.js';
import { SyncError } from '../errors.js';
import type { Db } from '../store/db.js';
import { applyItems, markUnseenDeleted } from '../store/items.js';
import { beginFull, endFull, getCursor, setLink } from '../store/cursor.js';
import type { PlanSettings } from './decide.js';
import { planDirty, type PlanResult } from './planner.js';

export interface FeedOptions {
  /** Re-enumerate the whole drive (continues a full enumeration already under way). */
  full: boolean;
  settings: Omit<PlanSettings, 'adopt'>;
  now: () => string;
  signal?: AbortSignal;
  onPage?(progress: { pages: number; items: number }): void;
  /** How many 410 Gone answers one round accepts before giving up. Default 3. */
  maxResyncs?: number;
}

export interface FeedResult {
  /** The feed's final deltaLink: the cursor once the queue is drained. */
  deltaLink: string;
  /** This round enumerated the whole drive (asked for, first run, or forced by a 410). */
  full: boolean;
  /** A 410 Gone restarted the enumeration. */
  resynced: boolean;
  pages: number;
  items: number;
  plan: PlanResult;
}

/** A 410 from delta, as the Graph client reports it (`ResyncRequiredError`). */
export function resyncLinkOf(error: unknown): { link: string | undefined } | undefined {
  if (!(error instanceof SyncError) || error.code !== 'resync-required') return undefined;
  const link = (error as SyncError & { resyncLink?: unknown }).resyncLink;
  return { link: typeof link === 'string' && link !== '' ? link : undefined };
}

/**
 * Reads the delta feed into the store page by page, never holding it in memory: each page is
 * applied in one transaction that also records where reading continues, so a round killed
 * mid-feed resumes after the last applied page. The final page is applied and planned in one
 * transaction, and its deltaLink is kept as pending until the round commits it.
 */
export async function readFeed(
  db: Db,
  source: DriveSource,
  options: FeedOptions,
): Promise<FeedResult> {
  const cursor = getCursor(db);
  let gen = cursor.full_gen ?? 0;
  let link: string | undefined;
  if (cursor.full_gen !== null && cursor.link_kind !== 'delta') {
    // A full enumeration is under way (killed mid-feed): carry on where it stopped.
    link = cursor.link ?? undefined;
  } else if (options.full || !(cursor.link ?? cursor.delta_link)) {
    gen = db.tx(() => beginFull(db, null));
  } else {
    link = (cursor.link ?? cursor.delta_link) as string;
  }
  let resyncs = 0;
  let pages = 0;
  let items = 0;
  for (;;) {
    options.signal?.throwIfAborted();
    let page;
    try {
      page = await source.deltaPage(link, options.signal);
    } catch (error) {
      const resync = resyncLinkOf(error);
      if (!resync || ++resyncs > (options.maxResyncs ?? 3)) throw error;
      // 410 Gone: enumerate again and reconcile against the store (unchanged files are not
      // re-uploaded; only items the new enumeration does not list count as deleted).
      gen = db.tx(() => beginFull(db, resync.link ?? null));
      link = resync.link;
      continue;
    }
    const next = page.nextLink;
    const delta = page.deltaLink;
    if (!next && !delta) {
      throw new SyncError('retryable', 'a delta page had neither nextLink nor deltaLink', {
        code: 'graph-bad-page',
      });
    }
    const plan = db.tx(() => {
      applyItems(db, page.items, gen, options.now());
      if (next) {
        setLink(db, next, 'next');
        return undefined;
      }
      if (gen > 0) markUnseenDeleted(db, gen, options.now());
      endFull(db);
      const result = planDirty(db, { ...options.settings, adopt: gen > 0 }, options.now());
      setLink(db, delta as string, 'delta');
      return result;
    });
    pages++;
    items += page.items.length;
    options.onPage?.({ pages, items });
    if (plan) {
      return {
        deltaLink: delta as string,
        full: gen > 0,
        resynced: resyncs > 0,
        pages,
        items,
        plan,
      };
    }
    link = next;
  }
}
