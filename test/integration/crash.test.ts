import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { getCursor } from '../../src/core/store/cursor.js';
import { SIM_TOKEN } from '../sim/graph/index.js';
import { assertBucketMatchesDrive } from './bucket.js';
import { MiB, Rig } from './rig.js';

const root = new URL('../..', import.meta.url).pathname;

function startChild(rig: Rig): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/integration/cli-child.ts', 'sync'],
    {
      cwd: root,
      env: { ...process.env, CONFIG_PATH: rig.dir, SIM_TOKEN },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(signal === 'SIGKILL' ? null : (code ?? -1))),
  );
  exited.then((code) => code !== null && code !== 0 && console.error(stderr));
  return { child, exited };
}

/** Waits for a condition another process brings about (not a timing assumption: it polls). */
async function until(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

test('a process killed mid-feed resumes from the last applied page and ends with a correct bucket', async (t) => {
  const rig = await Rig.start({ sim: { pageSize: 3, shuffleSeed: 3 } });
  t.after(() => rig.close());
  for (let i = 0; i < 30; i++) rig.sim.drive.addFile(`d${i % 4}/f ${i}.txt`, `file number ${i}`);
  // Hold the 5th delta request forever: the child has applied 4 pages when we kill it.
  let held = false;
  const release: Array<() => void> = [];
  rig.sim.onRequest(async (info) => {
    if (info.route !== 'delta' || rig.sim.counters.count('delta') !== 5) return;
    held = true;
    await new Promise<void>((r) => release.push(r));
  });
  const { child, exited } = startChild(rig);
  await until('the 5th delta page', () => held);
  await until('page 4 applied', () =>
    rig.withStore(
      (s) =>
        getCursor(s.db).link_kind === 'next' &&
        s.db.value<number>('SELECT count(*) FROM items') === 12,
    ),
  );
  child.kill('SIGKILL');
  assert.equal(await exited, null);
  release.forEach((r) => r());
  const pagesBefore = rig.sim.counters.count('delta');
  const summary = await rig.round();
  assert.equal(summary.result, 'ok');
  assert.equal(summary.uploaded, 30);
  // Resumed at page 5: the whole feed (13 pages for 35 items) is read once plus the held page.
  const total = rig.sim.counters.count('delta');
  assert.equal(total - pagesBefore, Math.ceil(35 / 3) - 4);
  await assertBucketMatchesDrive(rig.client, rig.s3.bucket, rig.sim.drive, { prefix: '' });
});

test('a process killed mid-multipart resumes from its checkpoint and nothing complete is uploaded twice', async (t) => {
  const rig = await Rig.start({ prefix: 'k/' });
  t.after(() => rig.close());
  const size = 40 * MiB + 5;
  const big = rig.sim.drive.addFile('big/video.mp4', { size, seed: 'crash' });
  for (let i = 0; i < 5; i++) rig.sim.drive.addFile(`small/s${i}.txt`, `small ${i}`);
  // The download goes quiet after 20 MiB: parts 1 and 2 (8 MiB each) are on S3 by then.
  rig.sim.faults.stallAfter({ bytes: 20 * MiB, ms: 120_000, itemId: big.id });
  const { child, exited } = startChild(rig);
  let checkpointed = { parts: 0, bytes: 0 };
  await until('two parts checkpointed', () => {
    const row = rig.withStore((s) => s.db.one<{ data: string }>('SELECT data FROM checkpoints'));
    if (!row) return false;
    const cp = JSON.parse(row.data) as { parts: unknown[]; bytes: number };
    checkpointed = { parts: cp.parts.length, bytes: cp.bytes };
    return cp.parts.length >= 2 && rig.sim.counters.bytesServed(big.id) >= 20 * MiB;
  });
  const smallDone = rig.withStore(
    (s) => s.db.value<number>(`SELECT count(*) FROM items WHERE state = 'synced'`) as number,
  );
  child.kill('SIGKILL');
  assert.equal(await exited, null);
  rig.sim.faults.clear();
  rig.counter.reset();
  const servedBefore = rig.sim.counters.bytesServed(big.id);
  const summary = await rig.round();
  assert.equal(summary.result, 'ok', JSON.stringify(summary.failures));
  // Only the parts after the checkpoint travel again; finished small files are not re-sent.
  const parts = Math.ceil(size / (8 * MiB));
  assert.equal(rig.counter.counts.UploadPart, parts - checkpointed.parts);
  assert.equal(
    rig.counter.counts.CreateMultipartUpload ?? 0,
    0,
    'the same multipart upload resumed',
  );
  assert.equal(rig.counter.counts.PutObject ?? 0, 5 - smallDone);
  assert.equal(rig.sim.counters.bytesServed(big.id) - servedBefore, size - checkpointed.bytes);
  assert.equal(rig.sim.counters.completeDownloads(big.id), 1);
  await assertBucketMatchesDrive(rig.client, rig.s3.bucket, rig.sim.drive, { prefix: 'k/' });
  rig.withStore((s) => assert.equal(s.db.value('SELECT count(*) FROM checkpoints'), 0));
});
