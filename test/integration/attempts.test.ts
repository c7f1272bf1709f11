import assert from 'node:assert/strict';
import { test } from 'node:test';
import { systemClock, type Clock } from '../../src/core/clock.js';
import { s3Endpoint } from '../helpers/s3.js';
import { assertBucketMatchesDrive, listBucket } from './bucket.js';
import { Rig } from './rig.js';
import { startS3Proxy } from './s3-proxy.js';

/** Attempts the shared pacers make per request (their default) and the engine per item. */
const PACER_ATTEMPTS = 6;
const ENGINE_ATTEMPTS = 3;

/** Real time, but the engine's pauses between attempts pass 100 times faster (and are noted). */
function hurriedClock(): Clock & { slept: number[] } {
  const slept: number[] = [];
  return {
    slept,
    now: () => Date.now(),
    sleep: (ms, signal) => {
      slept.push(ms);
      return systemClock.sleep(ms / 100, signal);
    },
  };
}

test('an item that keeps failing is tried a bounded number of times, named in the summary, and retried next round', async (t) => {
  const proxy = await startS3Proxy(await s3Endpoint());
  t.after(() => proxy.close());
  const rig = await Rig.start({ s3Endpoint: proxy.endpoint, general: 'concurrency = 2' });
  t.after(() => rig.close());
  const clock = hurriedClock();
  rig.clock = clock;
  for (let i = 0; i < 5; i++) rig.sim.drive.addFile(`ok/file ${i}.txt`, `fine ${i}`);
  const unreadable = rig.sim.drive.addFile('bad/unreadable.txt', 'OneDrive keeps failing');
  const unwritable = rig.sim.drive.addFile('bad/unwritable.txt', 'S3 keeps failing');
  // OneDrive answers 500 for one file's content; S3 answers 500 to every put of another.
  rig.sim.faults.fail({ status: 500, route: 'content', itemId: unreadable.id, count: Infinity });
  let s3Broken = true;
  proxy.onRequest((r) =>
    s3Broken && r.op === 'PutObject' && r.key === unwritable.path
      ? { kind: 'respond', status: 500, code: 'InternalError' }
      : undefined,
  );

  const first = await rig.cli(['sync']);
  assert.equal(first.code, 1, 'exit 1: some items failed');
  assert.match(first.stdout, /failed 2\b/);
  assert.match(first.stdout, /bad\/unreadable\.txt: .*HTTP 500/);
  assert.match(first.stdout, /bad\/unwritable\.txt: .*InternalError/);
  const contentAsks = rig.sim.counters.requests.filter(
    (r) => r.route === 'content' && r.itemId === unreadable.id,
  ).length;
  assert.equal(contentAsks, PACER_ATTEMPTS * ENGINE_ATTEMPTS);
  const puts = proxy.requests.filter((r) => r.op === 'PutObject' && r.key === unwritable.path);
  assert.equal(puts.length, PACER_ATTEMPTS * ENGINE_ATTEMPTS);
  // Between its attempts each item waited 1× then 2× the engine's retry delay.
  assert.deepEqual(
    clock.slept.sort((a, b) => a - b),
    [2000, 2000, 4000, 4000],
  );
  // The round went on: every other file is in the bucket.
  assert.deepEqual(
    (await listBucket(rig.s3.client, rig.s3.bucket)).map((o) => o.key),
    rig.sim.drive
      .files()
      .map((f) => f.path)
      .filter((p) => !p.startsWith('bad/'))
      .sort(),
  );

  rig.sim.faults.clear();
  s3Broken = false;
  rig.sim.counters.reset();
  const second = await rig.cli(['sync']);
  assert.equal(second.code, 0, second.stdout + second.stderr);
  assert.match(second.stdout, /uploaded 2 /);
  assert.equal(rig.sim.counters.completeDownloads(), 2, 'only the two failed files');
  await assertBucketMatchesDrive(rig.s3.client, rig.s3.bucket, rig.sim.drive, { prefix: '' });
});
