import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { listBucket } from './bucket.js';
import { Rig } from './rig.js';

test('a dry run before any round creates no store, writes nothing and lists what it would upload', async (t) => {
  const rig = await Rig.start();
  t.after(() => rig.close());
  rig.sim.drive.addFile('a/one.txt', 'one');
  rig.sim.drive.addFile('a/two.txt', 'two!');
  const run = await rig.cli(['sync', '--dry-run']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /upload\s+a\/one\.txt/);
  assert.match(run.stdout, /Dry run \(nothing was changed\)/);
  assert.match(run.stdout, /would be uploaded 2 \(7 B\)/);
  // The bill of that round: two small PUTs at STANDARD's $0.005 per 1,000.
  assert.match(run.stdout, /Estimated cost \(AWS list prices.*storage class STANDARD\)/);
  assert.match(run.stdout, /PUT\s+2\s+× \$0\.005\/1,000\s+\$0\.000010/);
  assert.equal(existsSync(rig.config.general.statePath), false);
  assert.equal(existsSync(rig.config.onedrive.deltaLinkPath), false);
  assert.deepEqual(await listBucket(rig.client, rig.s3.bucket), []);
});

test('a dry run after changes shows copies, rewrites and deletions and changes nothing', async (t) => {
  const rig = await Rig.start({ general: 'delete_policy = "delete"' });
  t.after(() => rig.close());
  const d = rig.sim.drive;
  d.addFile('A/x.txt', 'x');
  d.addFile('B/y.txt', 'y');
  d.addFile('z.txt', 'z');
  await rig.round();
  const before = {
    bucket: await listBucket(rig.client, rig.s3.bucket),
    link: readFileSync(rig.config.onedrive.deltaLinkPath, 'utf8'),
    store: rig.withStore((s) => JSON.stringify(s.db.all('SELECT * FROM items ORDER BY id'))),
  };
  d.rename('A', 'A2');
  d.touch('B/y.txt', '2025-01-01T00:00:00Z');
  d.delete('z.txt');
  rig.counter.reset();
  const run = await rig.cli(['sync', '--dry-run']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /copy\s+A\/x\.txt -> A2\/x\.txt/);
  assert.match(run.stdout, /delete \(old key\)\s+A\/x\.txt/);
  assert.match(run.stdout, /metadata\s+B\/y\.txt/);
  assert.match(run.stdout, /delete\s+z\.txt/);
  const writes = [
    'PutObject',
    'CopyObject',
    'DeleteObjects',
    'CreateMultipartUpload',
    'AbortMultipartUpload',
  ];
  for (const op of writes) assert.equal(rig.counter.counts[op] ?? 0, 0, op);
  assert.deepEqual(await listBucket(rig.client, rig.s3.bucket), before.bucket);
  assert.equal(readFileSync(rig.config.onedrive.deltaLinkPath, 'utf8'), before.link);
  assert.equal(
    rig.withStore((s) => JSON.stringify(s.db.all('SELECT * FROM items ORDER BY id'))),
    before.store,
  );
  // The real round afterwards does what the dry run said.
  const real = await rig.round();
  assert.deepEqual([real.copied, real.metadataRewritten, real.deleted], [1, 1, 1]);
});
