import assert from 'node:assert/strict';
import { after, beforeEach, test } from 'node:test';
import type { TokenProvider } from '../../../src/core/auth/token-provider.js';
import { AuthError, SyncError } from '../../../src/core/errors.js';
import { ResyncRequiredError } from '../../../src/core/graph/errors.js';
import type { DeltaPage, DriveItem } from '../../../src/core/graph/types.js';
import { startGraphSim, SIM_TOKEN, type GraphSim } from '../../sim/graph/index.js';
import { barrier, clientFor, collect } from './helpers.js';

let sim: GraphSim;
beforeEach(async () => {
  await sim?.close();
  sim = await startGraphSim({ pageSize: 3, shuffleSeed: 11 });
  sim.drive.addFile('Docs/a.txt', 'alpha');
  sim.drive.addFile('Docs/Sub/b.txt', 'bravo');
  sim.drive.addFile('c.bin', { size: 10_000, seed: 3 });
  sim.drive.addOneNote('Notebooks/Work');
});
after(() => sim.close());

async function drain(pages: (link: string | undefined) => Promise<DeltaPage>, link?: string) {
  const items: DriveItem[] = [];
  let count = 0;
  for (;;) {
    const page = await pages(link);
    count++;
    items.push(...page.items);
    if (page.deltaLink) return { items, deltaLink: page.deltaLink, count };
    link = page.nextLink;
  }
}

test('deltaPage pages from scratch to a deltaLink, asking for the engine’s fields with a descriptive User-Agent', async () => {
  const { client } = clientFor(sim);
  const seen: Array<string | undefined> = [];
  sim.onRequest((info) => void seen.push(info.headers['user-agent']));
  const { items, deltaLink, count } = await drain((l) => client.deltaPage(l));
  assert.equal(count, 3);
  assert.equal(items.length, sim.drive.live().length);
  assert.ok(seen.every((ua) => ua?.startsWith('cloud-sync/')));
  const a = items.find((i) => i.name === 'a.txt') as DriveItem;
  assert.ok(a.file?.hashes?.quickXorHash);
  assert.equal(
    a['@microsoft.graph.downloadUrl'],
    undefined,
    'the $select leaves download URLs out',
  );
  assert.deepEqual(items.find((i) => i.package)?.package, { type: 'oneNote' });
  sim.drive.rename('Docs', 'Papers');
  const next = await drain((l) => client.deltaPage(l), deltaLink);
  assert.ok(next.items.some((i) => i.name === 'Papers'));
  assert.ok(!next.items.some((i) => i.name === 'a.txt'));
});

test('a 410 surfaces once as ResyncRequiredError carrying the Location and Graph’s code', async () => {
  const { client } = clientFor(sim);
  const link = sim.latestDeltaLink();
  sim.faults.gone({ code: 'resyncChangesUploadDifferences' });
  const error = await client.deltaPage(link).then(
    () => assert.fail('expected a 410'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof ResyncRequiredError);
  assert.equal(error.code, 'resync-required');
  assert.equal(error.graphCode, 'resyncChangesUploadDifferences');
  assert.match(
    error.resyncLink ?? '',
    /^http:\/\/127\.0\.0\.1:\d+\/v1\.0\/me\/drive\/root\/delta\?token=/,
  );
  assert.equal(sim.counters.count('delta'), 1, 'a resync is never retried on the same link');
  const fresh = await drain((l) => client.deltaPage(l), error.resyncLink);
  assert.equal(fresh.items.length, sim.drive.live().length);
});

test('a link on another host is not sent our token: it asks for a resync instead', async () => {
  const { client } = clientFor(sim);
  await assert.rejects(
    client.deltaPage('https://graph.example.invalid/v1.0/me/drive/root/delta?token=x'),
    ResyncRequiredError,
  );
  assert.equal(sim.counters.count(), 0);
});

test('a refused token is asked for again once, then becomes an AuthError', async () => {
  const issued: string[] = [];
  let invalidated = 0;
  const tokens: TokenProvider & { invalidate(): void } = {
    getAccessToken: () => {
      const token = issued.length === 0 ? 'stale-token' : SIM_TOKEN;
      issued.push(token);
      return Promise.resolve(token);
    },
    invalidate: () => void invalidated++,
  };
  const { client } = clientFor(sim, { tokens });
  await client.deltaPage(undefined);
  assert.deepEqual(issued, ['stale-token', SIM_TOKEN]);
  assert.equal(invalidated, 1);

  sim.revokeAll();
  sim.counters.reset();
  const error = await client.deltaPage(undefined).catch((e: unknown) => e);
  assert.ok(error instanceof AuthError);
  assert.equal(error.kind, 'fatal');
  assert.equal(sim.counters.count('delta'), 2);
  assert.ok(!error.message.includes(SIM_TOKEN));
});

test('with 4 callers throttled at once, no request reaches Graph inside the Retry-After window', async () => {
  const { client, pacer } = clientFor(sim);
  const a = sim.drive.byPath('Docs/a.txt')?.id as string;
  const c = sim.drive.byPath('c.bin')?.id as string;
  sim.faults.throttle({ count: 4, retryAfter: 1, route: ['delta', 'content'] });
  const off = barrier(sim, 4);
  const [p1, p2, d1, d2] = await Promise.all([
    client.deltaPage(undefined),
    client.deltaPage(undefined),
    client.download(a).then(collect),
    client.download(c).then(collect),
  ]);
  off();
  assert.ok(p1.items.length > 0 && p2.items.length > 0);
  assert.equal(d1.bytes.toString(), 'alpha');
  assert.equal(d2.bytes.length, 10_000);
  const throttled = sim.counters.requests.filter((r) => r.status === 429);
  assert.equal(throttled.length, 4);
  const windowEnd = Math.max(...throttled.map((r) => r.respondedAt as number)) + 1000;
  const later = sim.counters.requests.filter((r) => r.status !== 429);
  assert.ok(later.length >= 6);
  for (const r of later) {
    assert.ok(r.at >= windowEnd, `${r.route} arrived ${windowEnd - r.at} ms inside the window`);
  }
  assert.equal(pacer.stats.throttles, 4);
});

test('server errors are retried with back-off; a missing item is not', async () => {
  const { client } = clientFor(sim);
  sim.faults.fail({ status: 502, route: 'delta', count: 2 });
  const page = await client.deltaPage(undefined);
  assert.ok(page.items.length > 0);
  assert.equal(sim.counters.count('delta'), 3);

  sim.counters.reset();
  const error = await client.download('A1B2C3D4E5F60718!999999').catch((e: unknown) => e);
  assert.ok(error instanceof SyncError);
  assert.equal(error.kind, 'item');
  assert.equal(error.code, 'item-not-found');
  assert.equal(sim.counters.count('content'), 1);
});

test('a OneNote notebook cannot be downloaded: an item error, not a retry', async () => {
  const { client } = clientFor(sim);
  const notebook = sim.drive.byPath('Notebooks/Work')?.id as string;
  const error = await client.download(notebook).catch((e: unknown) => e);
  assert.ok(error instanceof SyncError);
  assert.equal(error.kind, 'item');
  assert.equal(sim.counters.count('content'), 1);
});

test('retries give up after the pacer’s attempts and keep the error retryable', async () => {
  const { client } = clientFor(sim);
  sim.faults.fail({ status: 500, route: 'delta', count: Infinity });
  const error = await client.deltaPage(undefined).catch((e: unknown) => e);
  assert.ok(error instanceof SyncError);
  assert.equal(error.kind, 'retryable');
  assert.equal(sim.counters.count('delta'), 6);
});
