import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertBucketMatchesDrive } from './bucket.js';
import { MiB, Rig } from './rig.js';

/** The byte offsets the client asked to resume from (`Range: bytes=N-`), for one item. */
function resumedFrom(rig: Rig, itemId: string): number[] {
  return rig.sim.counters.requests
    .filter((r) => r.route === 'download' && r.itemId === itemId && r.range)
    .map((r) => Number(/^bytes=(\d+)-$/.exec(r.range as string)?.[1]));
}

test('a connection reset mid-download resumes by Range: each byte travels about once and the object is exact', async (t) => {
  const rig = await Rig.start();
  t.after(() => rig.close());
  for (let i = 0; i < 4; i++) rig.sim.drive.addFile(`small/s${i}.txt`, `small ${i}`);
  const one = rig.sim.drive.addFile('one/piece.bin', { size: 3 * MiB + 17, seed: 'one' });
  const multi = rig.sim.drive.addFile('multi/part.bin', { size: 13 * MiB + 5, seed: 'multi' });
  const cut = { [one.id]: 1 * MiB + 123, [multi.id]: 7 * MiB + 321 };
  for (const [itemId, bytes] of Object.entries(cut)) rig.sim.faults.resetAfter({ bytes, itemId });

  const summary = await rig.round();
  assert.equal(summary.result, 'ok', JSON.stringify(summary.failures));
  for (const item of [one, multi]) {
    const sent = cut[item.id] as number;
    const from = resumedFrom(rig, item.id);
    assert.equal(from.length, 1, `${item.path}: one resumed request`);
    const at = from[0] as number;
    assert.ok(at > 0 && at <= sent, `${item.path}: resumed at ${at}, ${sent} bytes sent before`);
    // The bytes before the reset, then the rest from where the client stood: not twice the file.
    assert.equal(rig.sim.counters.bytesServed(item.id), sent + (item.size - at), item.path);
    assert.equal(rig.sim.counters.completeDownloads(item.id), 1, item.path);
  }
  assert.equal(rig.sim.counters.completeDownloads(), 6);
  await assertBucketMatchesDrive(rig.client, rig.s3.bucket, rig.sim.drive, { prefix: '' });
});

test('a download link that expires mid-round is replaced by a fresh one, mid-body and before the first byte', async (t) => {
  // One at a time, so expiring every link for one download cannot touch another's.
  const rig = await Rig.start({ general: 'concurrency = 1' });
  t.after(() => rig.close());
  for (let i = 0; i < 4; i++) rig.sim.drive.addFile(`small/s${i}.txt`, `small ${i}`);
  const resumed = rig.sim.drive.addFile('a/resumed.bin', { size: 9 * MiB + 3, seed: 'r' });
  const first = rig.sim.drive.addFile('b/first.bin', { size: 2 * MiB + 9, seed: 'f' });
  const cutAt = 4 * MiB + 11;
  rig.sim.faults.resetAfter({ bytes: cutAt, itemId: resumed.id });
  // Every link handed out so far expires: when `resumed` comes back for its tail, and when
  // `first` arrives at the download host with the link it was just given.
  let expiredFor = new Set<string>();
  rig.sim.onRequest((info) => {
    if (info.route !== 'download' || !info.itemId || expiredFor.has(info.itemId)) return;
    const tail = info.itemId === resumed.id && info.headers.range !== undefined;
    if (tail || info.itemId === first.id) {
      expiredFor = new Set([...expiredFor, info.itemId]);
      rig.sim.faults.expireDownloadUrls();
    }
  });

  const summary = await rig.round();
  assert.equal(summary.result, 'ok', JSON.stringify(summary.failures));
  const statuses = (id: string) =>
    rig.sim.counters.requests
      .filter((r) => r.itemId === id && (r.route === 'download' || r.route === 'content'))
      .map((r) => `${r.route} ${r.status}`);
  assert.deepEqual(statuses(resumed.id), [
    'content 302',
    'download 200',
    'download 401',
    'content 302',
    'download 206',
  ]);
  assert.deepEqual(statuses(first.id), [
    'content 302',
    'download 401',
    'content 302',
    'download 200',
  ]);
  const at = resumedFrom(rig, resumed.id)[0] as number;
  assert.ok(at > 0 && at <= cutAt);
  assert.equal(rig.sim.counters.bytesServed(resumed.id), cutAt + resumed.size - at);
  assert.equal(rig.sim.counters.bytesServed(first.id), first.size);
  assert.equal(rig.sim.counters.completeDownloads(), 6);
  await assertBucketMatchesDrive(rig.client, rig.s3.bucket, rig.sim.drive, { prefix: '' });
});

test('a 410 Gone in the middle of a feed re-enumerates, downloads only what changed and deletes only what is gone', async (t) => {
  const rig = await Rig.start({ general: 'delete_policy = "delete"', sim: { pageSize: 4 } });
  t.after(() => rig.close());
  const d = rig.sim.drive;
  for (let i = 0; i < 24; i++) d.addFile(`f${i % 4}/file ${i}.txt`, `content ${i}`);
  await rig.round();

  // Changes spread over several pages of the next feed; the feed breaks on its third page.
  const changed = [
    d.editFile('f0/file 0.txt', 'content 0, edited'),
    d.addFile('f1/new a.txt', 'new a'),
    d.addFile('f2/new b.txt', 'new b'),
    d.editFile('f3/file 7.txt', 'content 7, edited'),
  ];
  d.rename('f2/file 10.txt', 'file 10 renamed.txt');
  d.delete('f1/file 5.txt');
  d.delete('f3/file 11.txt');
  d.addFile('f0/new c.txt', 'new c');
  changed.push(d.addFile('f0/new d.txt', 'new d'));
  let deltas = 0;
  rig.sim.onRequest((info) => {
    if (info.route === 'delta' && ++deltas === 3) rig.sim.faults.gone();
  });
  rig.sim.counters.reset();
  const summary = await rig.round();

  assert.equal(summary.result, 'ok', JSON.stringify(summary.failures));
  assert.equal(summary.full, true, 'the 410 turned the round into a full enumeration');
  assert.equal(rig.sim.counters.requests.filter((r) => r.status === 410).length, 1);
  assert.equal(summary.deleted, 2);
  assert.equal(summary.copied, 1, 'the renamed file is copied, not downloaded');
  const downloaded = new Set(
    rig.sim.counters.requests.filter((r) => r.route === 'download').map((r) => r.itemId),
  );
  const newC = d.files().find((f) => f.path === 'f0/new c.txt');
  assert.deepEqual(
    [...downloaded].sort(),
    [...changed.map((c) => c.id), newC?.id].sort(),
    'only new and edited files are downloaded',
  );
  await assertBucketMatchesDrive(rig.client, rig.s3.bucket, rig.sim.drive, { prefix: '' });
});
