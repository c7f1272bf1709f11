import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertBucketMatchesDrive } from './bucket.js';
import { MiB, Rig } from './rig.js';

/** Most downloads open at the same moment, from the simulator's own request log. */
function maxConcurrentDownloads(rig: Rig): number {
  const spans = rig.sim.counters.requests
    .filter((r) => r.route === 'download')
    .map((r) => [r.at, r.respondedAt ?? r.at] as const);
  return Math.max(0, ...spans.map(([at]) => spans.filter(([a, b]) => a <= at && at < b).length));
}

test('several files are in flight at once, never more than the configured concurrency', async (t) => {
  const rig = await Rig.start({ general: 'concurrency = 3' });
  t.after(() => rig.close());
  for (let i = 0; i < 9; i++) rig.sim.drive.addFile(`f${i}.txt`, `file ${i}`);
  rig.sim.faults.delay({ route: 'download', ms: 150, count: Infinity });
  const summary = await rig.round();
  assert.equal(summary.uploaded, 9);
  assert.equal(maxConcurrentDownloads(rig), 3);
});

test('a cancelled round keeps its progress: the next round resumes the multipart upload', async (t) => {
  const rig = await Rig.start();
  t.after(() => rig.close());
  const size = 24 * MiB;
  const big = rig.sim.drive.addFile('big.bin', { size, seed: 'cancel' });
  rig.sim.faults.stallAfter({ bytes: 17 * MiB, ms: 60_000, itemId: big.id });
  const controller = new AbortController();
  const cancelled = rig.round({ signal: controller.signal });
  // Cancel once the download is stalled and three 5 MiB parts are checkpointed.
  const checkpointed = () =>
    rig.withStore((s) => {
      const row = s.db.one<{ data: string }>('SELECT data FROM checkpoints');
      return row ? (JSON.parse(row.data) as { parts: unknown[] }).parts.length : 0;
    });
  while (checkpointed() < 3 || rig.sim.counters.bytesServed(big.id) < 17 * MiB) {
    await new Promise((r) => setTimeout(r, 50));
  }
  controller.abort(Object.assign(new Error('stop'), { name: 'AbortError' }));
  const summary = await cancelled;
  assert.equal(summary.result, 'cancelled');
  rig.sim.faults.clear();
  rig.counter.reset();
  const next = await rig.round();

  assert.equal(next.result, 'ok');
  assert.equal(rig.counter.counts.CreateMultipartUpload ?? 0, 0);
  assert.equal(checkpointed(), 0, 'the finished upload left no checkpoint');
  assert.equal(rig.counter.counts.UploadPart, 2, 'only the last two of five 5 MiB parts');
  await assertBucketMatchesDrive(rig.client, rig.s3.bucket, rig.sim.drive, { prefix: '' });
});
