import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RequestRecord } from '../sim/graph/counters.js';
import type { SimRoute } from '../sim/graph/index.js';
import { s3Endpoint } from '../helpers/s3.js';
import { assertBucketMatchesDrive } from './bucket.js';
import { MiB, Rig } from './rig.js';
import { startS3Proxy, type S3ProxyDecision } from './s3-proxy.js';

const WORKERS = 4;

/**
 * Holds requests to `route` until every worker has one waiting, `waves` times. Then the first
 * is let through alone to meet the scripted fault (429/503 + Retry-After) and, once the client
 * has had time to read that answer, the others are answered normally. Nothing is in flight
 * after the throttled answer except what the client itself sends next: a request arriving inside
 * the Retry-After window is a worker that did not pause, whether it was throttled or not.
 */
function barrier(rig: Rig, route: SimRoute, waves: number, arm: (wave: number) => void): void {
  let held: Array<() => void> = [];
  let left = waves;
  rig.sim.onRequest(async (info) => {
    if (info.route !== route || left === 0) return;
    await new Promise<void>((release) => {
      held.push(release);
      if (held.length < WORKERS) return;
      left--;
      const [first, ...rest] = held;
      held = [];
      arm(waves - left);
      first?.();
      setTimeout(() => rest.forEach((r) => r()), 150);
    });
  });
}

interface Timed {
  at: number;
  respondedAt: number | undefined;
  status: number | undefined;
}

/** Requests that arrived while a throttled answer's Retry-After was in force. */
function insideWindows<T extends Timed>(
  requests: T[],
  retryAfterMs: number,
  label: (r: T) => string,
): string[] {
  const throttled = requests.filter((r) => r.status === 429 || r.status === 503);
  const found: string[] = [];
  for (const t of throttled) {
    const from = t.respondedAt as number;
    for (const r of requests) {
      if (r.at > from && r.at < from + retryAfterMs) {
        found.push(`${label(r)} at +${r.at - from} ms after a ${t.status}`);
      }
    }
  }
  return found;
}

const graphLabel = (r: RequestRecord): string => `${r.route} ${r.path}`;

function drive(rig: Rig, n: number): void {
  for (let i = 0; i < n; i++) rig.sim.drive.addFile(`t/f${i}.txt`, { size: 20_000 + i, seed: i });
}

test('a 429 storm with Retry-After pauses every worker for the whole window, and the round completes', async (t) => {
  const rig = await Rig.start({ general: `concurrency = ${WORKERS}` });
  t.after(() => rig.close());
  drive(rig, 12);
  // First one of the four workers is throttled while the others are mid-round, then all four.
  barrier(rig, 'content', 2, (wave) =>
    rig.sim.faults.throttle({ route: 'content', retryAfter: 1, count: wave === 1 ? 1 : WORKERS }),
  );

  const run = await rig.cli(['sync']);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  const requests = rig.sim.counters.requests;
  assert.equal(requests.filter((r) => r.status === 429).length, 1 + WORKERS);
  assert.deepEqual(insideWindows(requests, 1000, graphLabel), []);
  assert.match(run.stdout, /throttled by graph: pausing 1 s/);
  await assertBucketMatchesDrive(rig.client, rig.s3.bucket, rig.sim.drive, { prefix: '' });
});

test('503 with Retry-After on downloads pauses every worker too, and the round completes', async (t) => {
  const rig = await Rig.start({ general: `concurrency = ${WORKERS}` });
  t.after(() => rig.close());
  drive(rig, 10);
  rig.sim.drive.addFile('big/large.bin', { size: 7 * MiB, seed: 'large' });
  barrier(rig, 'download', 2, () =>
    rig.sim.faults.throttle({ route: 'download', status: 503, retryAfter: 1 }),
  );

  const run = await rig.cli(['sync']);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  const requests = rig.sim.counters.requests;
  assert.equal(requests.filter((r) => r.status === 503).length, 2);
  assert.deepEqual(insideWindows(requests, 1000, graphLabel), []);
  // Each throttled download was asked again and served once, whole.
  assert.equal(rig.sim.counters.completeDownloads(), 11);
  await assertBucketMatchesDrive(rig.client, rig.s3.bucket, rig.sim.drive, { prefix: '' });
});

test('S3 answering 503 SlowDown to puts and parts is retried, and the bucket ends equal to the drive', async (t) => {
  const proxy = await startS3Proxy(await s3Endpoint());
  t.after(() => proxy.close());
  const rig = await Rig.start({ general: `concurrency = ${WORKERS}`, s3Endpoint: proxy.endpoint });
  t.after(() => rig.close());
  drive(rig, 8);
  rig.sim.drive.addFile('big/large.bin', { size: 13 * MiB, seed: 'slow' });
  const slowed = { PutObject: 5, UploadPart: 2, CompleteMultipartUpload: 1 };
  const left: Record<string, number> = { ...slowed };
  proxy.onRequest((r) => {
    if ((left[r.op] ?? 0) <= 0) return undefined;
    left[r.op] = (left[r.op] as number) - 1;
    return {
      kind: 'respond',
      status: 503,
      code: 'SlowDown',
      message: 'Please reduce your request rate.',
    };
  });

  const run = await rig.cli(['sync']);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  for (const [op, n] of Object.entries(slowed)) {
    assert.equal(
      proxy.requests.filter((r) => r.op === op && r.injected).length,
      n,
      `${op} answered SlowDown`,
    );
  }
  // The SDK does not retry on its own (the pacer does): each refused request was sent again.
  assert.equal(proxy.count('PutObject'), 8 + slowed.PutObject);
  assert.equal(proxy.count('UploadPart'), 3 + slowed.UploadPart);
  assert.equal(rig.sim.counters.completeDownloads(), 9, 'nothing downloaded twice');
  await assertBucketMatchesDrive(rig.s3.client, rig.s3.bucket, rig.sim.drive, { prefix: '' });
});

test('S3 SlowDown with Retry-After pauses every S3 worker for the whole window', async (t) => {
  const proxy = await startS3Proxy(await s3Endpoint());
  t.after(() => proxy.close());
  const rig = await Rig.start({ general: `concurrency = ${WORKERS}`, s3Endpoint: proxy.endpoint });
  t.after(() => rig.close());
  drive(rig, 10);
  // All four workers' puts wait together; one is told to slow down for 1 s, then the others
  // are carried out: no S3 request may arrive inside that second.
  let held: Array<(d: S3ProxyDecision) => void> = [];
  let armed = true;
  proxy.onRequest((r) => {
    if (!armed || r.op !== 'PutObject') return undefined;
    return new Promise<S3ProxyDecision>((decide) => {
      held.push(decide);
      if (held.length < WORKERS) return;
      armed = false;
      const [first, ...rest] = held;
      held = [];
      first?.({
        kind: 'respond',
        status: 503,
        code: 'SlowDown',
        message: 'Please reduce your request rate.',
        headers: { 'Retry-After': '1' },
      });
      setTimeout(() => rest.forEach((d) => d({ kind: 'forward' })), 150);
    });
  });

  const run = await rig.cli(['sync']);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.equal(proxy.requests.filter((r) => r.status === 503).length, 1);
  assert.deepEqual(
    insideWindows(proxy.requests, 1000, (r) => `${r.op} ${r.key}`),
    [],
  );
  assert.equal(proxy.count('PutObject'), 10 + 1);
  await assertBucketMatchesDrive(rig.s3.client, rig.s3.bucket, rig.sim.drive, { prefix: '' });
});
