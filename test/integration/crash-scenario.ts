// The crash loop: batches of drive changes, each backed up by a `cloud-sync sync` killed with
// SIGKILL at seeded kill points (the drive sometimes changing while it is down), then a restart
// that runs to the end, after which everything the product promises is checked.
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { DeletePolicy } from '../../src/core/config/types.js';
import { getCursor } from '../../src/core/store/cursor.js';
import type { PlannedAction } from '../../src/core/sync/preview.js';
import type { SimDrive } from '../sim/graph/index.js';
import { s3Endpoint } from '../helpers/s3.js';
import { assertBucketMatchesDrive, listBucket } from './bucket.js';
import {
  between,
  describe,
  DownloadLedger,
  openUploads,
  pick,
  plan,
  prng,
  runAndKill,
  runToEnd,
  type KillPoint,
  type Random,
  type World,
} from './crash-kit.js';
import { MiB, Rig } from './rig.js';
import { startS3Proxy } from './s3-proxy.js';

/** The child CLI's part size (the S3 target's floor for files this small). */
export const PART = 8 * MiB;
/** The rig's multipart threshold. */
export const THRESHOLD = 6 * MiB;

export interface Batch {
  name: string;
  change(drive: SimDrive): void;
  /** The first kill of the batch, aimed at what the batch is about (if still there to aim at). */
  aim(rnd: Random, world: World, actions: PlannedAction[]): KillPoint | undefined;
}

export interface LoopOptions {
  seed: number;
  policy: DeletePolicy;
  batches: Batch[];
  killsPerBatch: number;
  /** Fewest runs that must really be killed (a kill point the run never reaches lets it end). */
  minKills: number;
}

/**
 * A body that goes quiet partway; for a multipart upload, after one more part is on S3.
 * Undefined when there is no such upload to do.
 */
export function midBody(
  rnd: Random,
  world: World,
  action: PlannedAction | undefined,
): KillPoint | undefined {
  const file = world.rig.sim.drive.files().find((f) => f.path === action?.path);
  if (!action || action.action !== 'upload' || !file || file.size < 2) return undefined;
  const cp = world.rig.withStore((s) =>
    s.db.one<{ data: string }>('SELECT data FROM checkpoints WHERE key = ?', action.key),
  );
  const saved = cp ? (JSON.parse(cp.data) as { bytes: number; partSize: number }) : undefined;
  const part = saved?.partSize ?? PART;
  const left = file.size - (saved?.bytes ?? 0);
  const multipart = file.size >= THRESHOLD && left > part + 64 * 1024;
  const bytes = multipart
    ? part + between(rnd, 1, Math.min(left - part - 1, 4 * MiB))
    : between(rnd, 1, left - 1);
  return { kind: 'mid-body', path: file.path, itemId: file.id, bytes, parts: multipart ? 1 : 0 };
}

/** Any kill point the remaining work can reach. */
export function anyPoint(rnd: Random, world: World, actions: PlannedAction[]): KillPoint {
  const uploads = actions.filter((a) => a.action === 'upload');
  const small = uploads.filter((a) => a.bytes < THRESHOLD);
  const large = uploads.filter((a) => a.bytes >= 1 * MiB);
  const big = uploads.filter((a) => a.bytes >= THRESHOLD);
  const copies = actions.filter((a) => ['copy', 'metadata', 'trash'].includes(a.action)).length;
  const removals = actions.filter((a) => a.action === 'trash' || a.action === 'delete').length;
  const applied = () => rnd() < 0.5;
  const options: Array<() => KillPoint> = [
    () => ({ kind: 'feed', n: 1 }),
    () => ({ kind: 'timer', ms: between(rnd, 10, 800) }),
  ];
  if (uploads.length) {
    options.push(() => ({ kind: 'download', n: between(rnd, 1, uploads.length) }));
  }
  if (large.length) {
    options.push(() => midBody(rnd, world, pick(rnd, large)) ?? { kind: 'feed', n: 1 });
  }
  if (small.length) {
    const n = () => between(rnd, 1, small.length);
    options.push(() => ({ kind: 's3', op: 'PutObject', n: n(), applied: applied() }));
  }
  if (big.length) {
    options.push(() => ({ kind: 's3', op: 'CompleteMultipartUpload', n: 1, applied: true }));
  }
  if (copies) {
    const n = () => between(rnd, 1, copies);
    options.push(() => ({ kind: 's3', op: 'CopyObject', n: n(), applied: applied() }));
  }
  if (removals) {
    options.push(() => ({ kind: 's3', op: 'DeleteObjects', n: 1, applied: applied() }));
  }
  return pick(rnd, options)();
}

/**
 * The drive changes while the backup is down, preferably a file the killed run was working
 * on: renamed, edited, deleted, or a new file beside it. Returns what happened, or undefined.
 */
function drift(
  rnd: Random,
  drive: SimDrive,
  actions: PlannedAction[],
  n: number,
): string | undefined {
  const busy = actions
    .filter((a) => a.action === 'upload' || a.action === 'copy')
    .map((a) => a.path);
  const live = new Set(drive.files().map((f) => f.path));
  const candidates = busy.filter((p) => live.has(p));
  const path = candidates.length ? pick(rnd, candidates) : pick(rnd, [...live]);
  if (path === undefined) return undefined;
  const folder = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  const name = path.slice(path.lastIndexOf('/') + 1);
  switch (pick(rnd, ['rename', 'edit', 'delete', 'add', 'none'] as const)) {
    case 'rename':
      drive.rename(path, `moved ${n} ${name}`);
      return `renamed ${path}`;
    case 'edit':
      drive.editFile(path, { size: between(rnd, 10, 300_000), seed: `drift ${n}` });
      return `edited ${path}`;
    case 'delete':
      drive.delete(path);
      return `deleted ${path}`;
    case 'add':
      drive.addFile(`${folder ? `${folder}/` : ''}drift ${n}.txt`, `added while down ${n}`);
      return `added beside ${path}`;
    case 'none':
      return undefined;
  }
}

/** Keys that stay in the bucket on purpose with delete_policy "keep": old keys, deleted files. */
function keptKeys(rig: Rig): string[] {
  return rig.withStore((s) =>
    s.db
      .all<{ key: string }>(
        `SELECT key FROM retained
         UNION SELECT w_key AS key FROM items WHERE deleted = 1 AND w_key IS NOT NULL`,
      )
      .map((r) => r.key),
  );
}

export async function crashLoop(t: TestContext, o: LoopOptions): Promise<void> {
  const rnd = prng(o.seed);
  const proxy = await startS3Proxy(await s3Endpoint());
  t.after(() => proxy.close());
  const rig = await Rig.start({
    prefix: 'c/',
    general: `delete_policy = "${o.policy}"\nconcurrency = 3`,
    sim: { pageSize: 3, shuffleSeed: o.seed },
    s3Endpoint: proxy.endpoint,
  });
  t.after(() => rig.close());
  const world: World = { rig, proxy };
  const ledger = new DownloadLedger(rig);
  const log: string[] = [];
  const check = (ok: boolean, what: string): void =>
    assert.ok(ok, `${what}\n(CRASH_SEED=${o.seed} replays these kill points)\n${log.join('\n')}`);
  let kills = 0;
  let drifts = 0;

  for (const batch of o.batches) {
    batch.change(rig.sim.drive);
    const keysBefore = (await listBucket(rig.s3.client, rig.s3.bucket, rig.prefix)).map(
      (x) => x.key,
    );
    let drifted = false;
    for (let k = 0; k < o.killsPerBatch; k++) {
      const actions = await plan(rig);
      const point =
        (k === 0 ? batch.aim(rnd, world, actions) : undefined) ?? anyPoint(rnd, world, actions);
      const extraMs = between(rnd, 0, 60);
      await ledger.beforeRun();
      const run = await runAndKill(world, point, extraMs);
      const feed = rig.withStore((s) => getCursor(s.db).link_kind ?? 'committed');
      const outcome = run.killed ? 'killed' : `exited ${run.code}`;
      log.push(`${batch.name}: ${describe(point)} +${extraMs} ms → ${outcome} (cursor: ${feed})`);
      if (run.killed) kills++;
      else
        check(
          run.code === 0 || drifted,
          `the run ended with ${run.code}:\n${run.stdout}${run.stderr}`,
        );
      const problems = ledger.afterRun();
      check(problems.length === 0, problems.join('\n'));
      const changed = drift(rnd, rig.sim.drive, actions, ++drifts);
      if (changed) log.push(`  while down: ${changed}`);
      drifted ||= changed !== undefined;
    }

    await ledger.beforeRun();
    const done = await runToEnd(rig);
    log.push(`${batch.name}: restarted and ran to the end → exit ${done.code}`);
    // A file changed while down after its page of the feed was read fails this round (its
    // bytes no longer match the listing) and is picked up by the next: nothing else may fail.
    const failures = [...done.stdout.matchAll(/\[([a-z-]+)\]$/gm)].map((m) => m[1]);
    const tolerated =
      drifted && failures.every((c) => c === 'download-size-mismatch' || c === 'hash-mismatch');
    check(
      done.code === 0 || (done.code === 1 && tolerated),
      `the restart ended with ${done.code}:\n${done.stdout}${done.stderr}`,
    );
    let problems = ledger.afterRun();
    check(problems.length === 0, problems.join('\n'));
    const verify = await rig.cli(['verify']);
    check(verify.code === 0, `verify after the restart:\n${verify.stdout}${verify.stderr}`);
    if (drifted) {
      // Changes made while down after the feed's snapshot come with the next round's feed.
      await ledger.beforeRun();
      const next = await rig.cli(['sync']);
      log.push(`${batch.name}: one more round for what changed while down → exit ${next.code}`);
      check(
        next.code === 0,
        `the next round ended with ${next.code}:\n${next.stdout}${next.stderr}`,
      );
      problems = ledger.afterRun();
      check(problems.length === 0, problems.join('\n'));
    }
    await checkEnd(rig, o.policy, keysBefore, check);
    log.push(`${batch.name}: verify, bucket, store and ${o.policy} policy checked`);
  }
  for (const line of log) t.diagnostic(line);
  check(kills >= o.minKills, `only ${kills} runs reached their kill point`);
}

/** After a restart ran to the end: verify, the mirror, the store, and the delete policy. */
async function checkEnd(
  rig: Rig,
  policy: DeletePolicy,
  keysBefore: string[],
  check: (ok: boolean, what: string) => void,
): Promise<void> {
  const verify = await rig.cli(['verify']);
  check(verify.code === 0, `verify:\n${verify.stdout}${verify.stderr}`);
  try {
    await assertBucketMatchesDrive(rig.s3.client, rig.s3.bucket, rig.sim.drive, {
      prefix: rig.prefix,
      ...(policy === 'keep' ? { ignore: keptKeys(rig) } : {}),
    });
  } catch (error) {
    check(false, (error as Error).message);
  }
  const open = await openUploads(rig);
  check(open.length === 0, `multipart uploads left open: ${open.join(', ')}`);
  const leftover = rig.withStore((s) => ({
    actions: s.db.value<number>('SELECT count(*) FROM actions'),
    checkpoints: s.db.value<number>('SELECT count(*) FROM checkpoints'),
  }));
  check(
    leftover.actions === 0 && leftover.checkpoints === 0,
    `left in the store: ${JSON.stringify(leftover)}`,
  );
  const keysAfter = new Set(
    (await listBucket(rig.s3.client, rig.s3.bucket, rig.prefix)).map((x) => x.key),
  );
  const gone = keysBefore.filter((k) => !keysAfter.has(k));
  if (policy === 'keep') {
    check(gone.length === 0, `removed although the policy keeps: ${gone.join(', ')}`);
    return;
  }
  if (policy !== 'trash') return;
  // Every key that left the mirror (deleted, or the old key of a move) is in the trash.
  const trash = (await listBucket(rig.s3.client, rig.s3.bucket, '.trash/')).map((x) => x.key);
  for (const key of gone) {
    const path = key.slice(rig.prefix.length);
    check(
      trash.some((x) => /^\.trash\/\d{4}-\d{2}-\d{2}\//.test(x) && x.endsWith(`/${path}`)),
      `${key} left the mirror without reaching the trash`,
    );
  }
}
