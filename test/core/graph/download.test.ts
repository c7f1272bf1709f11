import assert from 'node:assert/strict';
import { after, beforeEach, test } from 'node:test';
import { SyncError } from '../../../src/core/errors.js';
import { memoryLogger } from '../../../src/core/log/logger.js';
import { startGraphSim, type GraphSim } from '../../sim/graph/index.js';
import { clientFor, collect } from './helpers.js';

const SIZE = 3 * 1024 * 1024 + 17;
let sim: GraphSim;
let clock = Date.UTC(2026, 2, 1);
let id: string;
let expected: { bytes: Buffer; hash: string };

beforeEach(async () => {
  await sim?.close();
  sim = await startGraphSim({ now: () => clock });
  const file = sim.drive.addFile('Videos/clip.mp4', { size: SIZE, seed: 'clip' });
  id = file.id;
  expected = {
    bytes: await (file.content as NonNullable<typeof file.content>).read(),
    hash: file.quickXorHash as string,
  };
});
after(() => sim.close());

test('a download follows Graph’s redirect and fetches the bytes without the Authorization header', async () => {
  const { client } = clientFor(sim);
  const got = await collect(await client.download(id, { size: SIZE }));
  assert.equal(got.hash, expected.hash);
  const [content, download] = sim.counters.requests;
  assert.equal(content?.route, 'content');
  assert.equal(content?.authorization, true);
  assert.equal(download?.route, 'download');
  assert.equal(download?.authorization, false);
  assert.equal(sim.counters.completeDownloads(id), 1);
});

test('a connection reset mid-body resumes with Range from the byte reached, re-sending only the rest', async () => {
  const logger = memoryLogger();
  const { client } = clientFor(sim, { logger });
  sim.faults.resetAfter({ bytes: 1_000_000, itemId: id });
  const got = await collect(await client.download(id, { size: SIZE }));
  assert.equal(got.bytes.length, SIZE);
  assert.equal(got.hash, expected.hash);
  const downloads = sim.counters.requests.filter((r) => r.route === 'download');
  assert.deepEqual(
    downloads.map((r) => r.range),
    [undefined, 'bytes=1000000-'],
  );
  assert.equal(sim.counters.bytesServed(id), SIZE, 'nothing was sent twice');
  assert.equal(sim.counters.completeDownloads(id), 1);
  assert.ok(logger.lines.some((l) => l.includes('resuming')));
  assert.ok(!logger.lines.some((l) => l.includes('tempauth=') && !l.includes('[redacted]')));
});

test('a server that answers a resumed Range with 200 and the whole body still yields the right bytes', async () => {
  const { client } = clientFor(sim);
  sim.faults.resetAfter({ bytes: 700_001, itemId: id }).ignoreRange({ itemId: id });
  const got = await collect(await client.download(id, { size: SIZE }));
  assert.equal(got.hash, expected.hash);
  const statuses = sim.counters.requests.filter((r) => r.route === 'download').map((r) => r.status);
  assert.deepEqual(statuses, [200, 200]);
});

test('start > 0 asks for the rest with Range, and skips the head itself when Range is ignored', async () => {
  const { client } = clientFor(sim);
  const tail = await collect(await client.download(id, { start: 2_000_000, size: SIZE }));
  assert.deepEqual(tail.bytes, expected.bytes.subarray(2_000_000));
  sim.faults.ignoreRange();
  const again = await collect(await client.download(id, { start: 2_000_000, size: SIZE }));
  assert.deepEqual(again.bytes, expected.bytes.subarray(2_000_000));
});

test('an expired download link is replaced by a fresh one and the transfer continues where it was', async () => {
  const { client } = clientFor(sim);
  sim.faults.resetAfter({ bytes: 500_000, itemId: id });
  const stream = await client.download(id, { size: SIZE });
  clock += 10 * 60_000; // the first URL is now past its lifetime
  const got = await collect(stream);
  assert.equal(got.hash, expected.hash);
  const trail = sim.counters.requests.map((r) => `${r.route}:${r.status}`);
  assert.deepEqual(trail, [
    'content:302',
    'download:200',
    'download:401',
    'content:302',
    'download:206',
  ]);
  assert.equal(sim.counters.bytesServed(id), SIZE);
});

test('a download that keeps breaking without progress fails as an item error', async () => {
  const { client } = clientFor(sim, { maxResumes: 2 });
  sim.faults.resetAfter({ bytes: 10, itemId: id, count: Infinity });
  const error = await client
    .download(id, { size: SIZE })
    .then(collect)
    .catch((e: unknown) => e);
  assert.ok(error instanceof SyncError, String(error));
  assert.equal(error.kind, 'item');
  assert.equal(error.code, 'download-interrupted');
  assert.equal(sim.counters.count('download'), 3);
});

test('a body that goes silent is dropped and resumed from the byte reached', async () => {
  const { client } = clientFor(sim, { idleTimeoutMs: 300 });
  sim.faults.stallAfter({ bytes: 400_000, ms: 5_000, itemId: id });
  const got = await collect(await client.download(id, { size: SIZE }));
  assert.equal(got.hash, expected.hash);
  const downloads = sim.counters.requests.filter((r) => r.route === 'download');
  assert.deepEqual(
    downloads.map((r) => r.range),
    [undefined, 'bytes=400000-'],
  );
});

test('aborting the signal ends the stream with the signal’s reason', async () => {
  const { client } = clientFor(sim);
  const big = sim.drive.addFile('big.bin', {
    size: 256 * 1024 * 1024,
    seed: 'big',
    quickXorHash: 'unused',
  });
  const controller = new AbortController();
  const stream = await client.download(big.id, { size: big.size, signal: controller.signal });
  const reason = new Error('user cancelled');
  let received = 0;
  const error = await (async () => {
    for await (const chunk of stream) {
      received += (chunk as Buffer).length;
      if (received > 100_000) controller.abort(reason);
    }
  })().catch((e: unknown) => e);
  assert.equal(error, reason);
  assert.ok(sim.counters.bytesServed(big.id) < big.size);
  assert.equal(sim.counters.completeDownloads(big.id), 0);
});

test('a file whose size differs from the listing fails as an item error before any byte', async () => {
  const { client } = clientFor(sim);
  const error = await client.download(id, { size: SIZE - 1 }).catch((e: unknown) => e);
  assert.ok(error instanceof SyncError);
  assert.equal(error.code, 'download-size-mismatch');
  assert.equal(error.kind, 'item');
});

test('throttling on the download host pauses and retries rather than failing', async () => {
  const { client, pacer } = clientFor(sim);
  sim.faults.throttle({ route: 'download', status: 503, retryAfter: 0 });
  const got = await collect(await client.download(id, { size: SIZE }));
  assert.equal(got.hash, expected.hash);
  assert.equal(pacer.stats.throttles, 1);
});
