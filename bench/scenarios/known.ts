// B1 and B2: rounds over a drive of 100,000 files that the store already knows as backed up.
import { emptyTally } from '../../src/core/sync/progress.js';
import { metaOf } from '../../src/core/sync/transfer.js';
import { readFeed } from '../../src/core/sync/feed.js';
import { writeDeltaLinkFile } from '../../src/core/sync/delta-link-file.js';
import { commitCursor, finishRun, startRun } from '../../src/core/store/cursor.js';
import { getItem, recordWritten } from '../../src/core/store/items.js';
import { finish, pending } from '../../src/core/store/queue.js';
import type { RoundSummary } from '../../src/shared/events.js';
import { check, stopwatch, type ScenarioResult } from '../measure.js';
import { World } from '../world.js';
import {
  cpuMetrics,
  measuredRound,
  originalCost,
  resultOf,
  total,
  type MeasuredRound,
  type ScenarioEnv,
} from './common.js';

export const KNOWN_FILES = 100_000;
const BUCKET = 'bench-known';

/** Declared files (size and hash only) of 300 KB, in folders of 100, three levels deep. */
export const KNOWN_DRIVE = {
  root: 'Known',
  files: KNOWN_FILES,
  size: 300_000,
  content: 'declared' as const,
};

const world = (env: ScenarioEnv): World =>
  new World({ dir: env.dir, bucket: BUCKET, s3Endpoint: env.s3Endpoint, sim: env.sim });

/**
 * Leaves the store as a finished first round would have: the engine's own feed step reads the
 * whole drive from the simulator (200 items per page) and plans 100,000 uploads; each is then
 * recorded as done with the store's functions, exactly as the executor records a finished
 * upload, and the cursor is committed. The bytes are not sent: uploading 100,000 objects to
 * moto would take minutes, and B1/B2 must not touch the bucket anyway (any request would be
 * counted), so the bucket is left empty.
 */
export async function setupKnown(env: ScenarioEnv): Promise<ScenarioResult> {
  const w = world(env);
  await w.createBucket();
  const elapsed = stopwatch();
  const store = w.openStore();
  const { db } = store;
  const now = () => new Date().toISOString();
  try {
    const startedAt = now();
    const roundId = startRun(db, startedAt, true);
    const feed = await readFeed(db, w.tap, {
      full: true,
      settings: { prefix: w.config.aws.prefix, deletePolicy: w.config.general.deletePolicy },
      now,
    });
    let written = 0;
    db.tx(() => {
      for (const a of pending(db, ['upload'])) {
        const item = getItem(db, a.item_id);
        if (!item) continue;
        const mtime = metaOf(item).mtime;
        recordWritten(
          db,
          item.id,
          { key: a.key, size: item.size ?? 0, hash: item.quick_xor, mtime },
          now(),
        );
        finish(db, a.seq);
        written++;
      }
      commitCursor(db, feed.deltaLink, now());
    });
    await writeDeltaLinkFile(w.config.onedrive.deltaLinkPath, feed.deltaLink, now());
    const summary: RoundSummary = {
      roundId,
      startedAt,
      finishedAt: now(),
      full: true,
      dryRun: false,
      result: 'ok',
      ...emptyTally(),
      uploaded: written,
    };
    db.tx(() => finishRun(db, summary));
    return {
      id: 'setup-known',
      title: `store seeded with ${written} files through the engine's feed step`,
      wallS: elapsed(),
      peakRssMB: 0,
      rssScope: 'process',
      metrics: { files: written, pages: feed.pages, items: feed.items },
      s3: { ...w.counter.counts },
      graph: { byRoute: {}, bytesServed: 0 },
      checks: [],
      notes: [],
      problems: written === KNOWN_FILES ? [] : [`seeded ${written} of ${KNOWN_FILES} files`],
    };
  } finally {
    store.close();
  }
}

function metrics(m: MeasuredRound): Record<string, number> {
  return {
    feedPages: m.feedPages,
    feedItems: m.feedItems,
    unchanged: m.summary.unchanged,
    uploaded: m.summary.uploaded,
    s3Requests: total(m.s3),
    ...cpuMetrics(m),
  };
}

/** B1: nothing changed on the drive; the round reads one empty delta page. */
export async function b1(env: ScenarioEnv): Promise<ScenarioResult> {
  const w = world(env);
  const m = await measuredRound(w);
  return {
    ...resultOf('B1', 'no-op incremental round, 100,000 files known, empty delta', m, w),
    metrics: metrics(m),
    original: originalCost(m),
    checks: [check('wall', m.wallS, '<', 2, 's'), check('S3 requests', total(m.s3), '=', 0)],
    notes: ['Measured from opening the store to closing it; module loading excluded.'],
  };
}

/** B2: `sync --full` over the same 100,000 unchanged files: the whole feed from scratch. */
export async function b2(env: ScenarioEnv): Promise<ScenarioResult> {
  const w = world(env);
  const m = await measuredRound(w, { full: true });
  const problems =
    m.feedFiles === KNOWN_FILES ? [] : [`the feed listed ${m.feedFiles} of ${KNOWN_FILES} files`];
  const uploads =
    (m.s3.PutObject ?? 0) + (m.s3.CreateMultipartUpload ?? 0) + (m.s3.UploadPart ?? 0);
  return {
    ...resultOf('B2', 'full re-sync of 100,000 unchanged files (200 per page)', m, w, problems),
    metrics: metrics(m),
    original: originalCost(m),
    checks: [
      check('uploads', uploads + m.summary.uploaded, '=', 0),
      check('HeadObject', m.s3.HeadObject ?? 0, '=', 0),
      check('peak RSS', m.peakRssMB, '<', 300, 'MB'),
      check('wall', m.wallS, '<', 60, 's'),
    ],
    notes: [],
  };
}
