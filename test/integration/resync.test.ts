import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { test } from 'node:test';
import { assertBucketMatchesDrive } from './bucket.js';
import { Rig } from './rig.js';

function fill(rig: Rig): void {
  for (let i = 0; i < 8; i++) rig.sim.drive.addFile(`f${i % 3}/file ${i}.txt`, `content ${i}`);
}

test('sync --full re-enumerates the drive and uploads none of the unchanged files', async (t) => {
  const rig = await Rig.start();
  t.after(() => rig.close());
  fill(rig);
  assert.equal((await rig.cli(['sync'])).code, 0);
  rig.sim.drive.addFile('f0/later.txt', 'later');
  rig.sim.counters.reset();
  const run = await rig.cli(['sync', '--full']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /full re-sync/);
  assert.match(run.stdout, /uploaded 1 /);
  assert.equal(rig.sim.counters.completeDownloads(), 1);
  await assertBucketMatchesDrive(rig.client, rig.s3.bucket, rig.sim.drive, { prefix: '' });
});

test('deleting delta_link.json asks for a full re-sync, as with the original tool', async (t) => {
  const rig = await Rig.start();
  t.after(() => rig.close());
  fill(rig);
  await rig.round();
  const file = rig.config.onedrive.deltaLinkPath;
  const saved = JSON.parse(readFileSync(file, 'utf8')) as {
    data_delta_link: string;
    date_time: string;
  };
  assert.match(saved.data_delta_link, /delta\?token=/);
  assert.ok(!Number.isNaN(Date.parse(saved.date_time)));
  rmSync(file);
  rig.sim.counters.reset();
  const summary = await rig.round();
  assert.equal(summary.full, true);
  assert.equal(summary.uploaded, 0);
  assert.equal(summary.unchanged, 8);
  assert.equal(rig.sim.counters.bytesServed(), 0);
  assert.ok(existsSync(file), 'the mirror is written again');
});

test('a 410 from the delta feed becomes a full re-sync that deletes only what is really gone', async (t) => {
  const rig = await Rig.start({ general: 'delete_policy = "delete"' });
  t.after(() => rig.close());
  fill(rig);
  await rig.round();
  rig.sim.drive.delete('f1/file 1.txt');
  rig.sim.faults.gone();
  rig.sim.counters.reset();
  const summary = await rig.round();
  assert.equal(summary.full, true);
  assert.equal(summary.uploaded, 0);
  assert.equal(summary.deleted, 1);
  assert.equal(rig.sim.counters.bytesServed(), 0);
  await assertBucketMatchesDrive(rig.client, rig.s3.bucket, rig.sim.drive, { prefix: '' });
});
