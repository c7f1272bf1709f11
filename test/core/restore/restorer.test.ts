import { HeadObjectCommand } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { restoreObjects, type RestoreEvent } from '../../../src/core/restore/index.js';
import { freshBucket } from '../../helpers/s3.js';
import { tempDir } from '../../helpers/tmp.js';
import { mtimeMs, put, tree } from './helpers.js';

const big = Buffer.alloc(3 * 1024 * 1024 + 17, 7);

test('a restore recreates the objects below the prefix with their bytes and mtimes', async () => {
  const { client, bucket } = await freshBucket();
  await put(client, bucket, 'backup/Documents/Sub/a.txt', 'hello', {
    mtime: '1700000000.123456789',
  });
  await put(client, bucket, 'backup/Bilder/Ålänning ☃/ö.jpg', 'jpeg', { mtime: '1600000000' });
  await put(client, bucket, 'backup/big.bin', big, { mtime: '1650000000.5' });
  await put(client, bucket, 'backup/no-meta.txt', 'plain');
  await put(client, bucket, 'backup/Folder/', '');
  await put(client, bucket, 'elsewhere/x.txt', 'not mine');
  const to = join(tempDir(), 'restore');
  const events: RestoreEvent[] = [];

  const summary = await restoreObjects({
    client,
    bucket,
    prefix: 'backup/',
    to,
    onEvent: (e) => events.push(e),
  });

  assert.deepEqual(
    tree(to),
    new Map([
      ['Bilder/Ålänning ☃/ö.jpg', 'jpeg'],
      ['Documents/Sub/a.txt', 'hello'],
      ['big.bin', big.toString('latin1')],
      ['no-meta.txt', 'plain'],
    ]),
  );
  assert.ok(Math.abs(mtimeMs(join(to, 'Documents/Sub/a.txt')) - 1700000000123.4568) < 1);
  assert.equal(mtimeMs(join(to, 'Bilder/Ålänning ☃/ö.jpg')), 1600000000000);
  assert.equal(mtimeMs(join(to, 'big.bin')), 1650000000500);
  const head = await client.send(
    new HeadObjectCommand({ Bucket: bucket, Key: 'backup/no-meta.txt' }),
  );
  assert.equal(mtimeMs(join(to, 'no-meta.txt')), head.LastModified?.getTime());
  assert.equal(summary.restored, 4);
  assert.equal(summary.bytes, 5 + 4 + big.length + 5);
  assert.deepEqual([summary.skipped, summary.pending, summary.failed], [[], [], []]);
  assert.deepEqual(events[0], { type: 'listed', objects: 4, bytes: summary.bytes });
  const streamed = events.reduce((n, e) => n + (e.type === 'bytes' ? e.delta : 0), 0);
  assert.equal(streamed, summary.bytes);
  assert.ok(events.filter((e) => e.type === 'bytes').length > 4, 'big.bin arrives in chunks');
  assert.equal(events.filter((e) => e.type === 'item').length, 4);
});

test('a sub-prefix restores only that part of the tree, still below the configured prefix', async () => {
  const { client, bucket } = await freshBucket();
  await put(client, bucket, 'p/Documents/Sub/a.txt', 'a');
  await put(client, bucket, 'p/Documents/b.txt', 'b');
  await put(client, bucket, 'p/Music/c.mp3', 'c');
  const to = tempDir();
  const summary = await restoreObjects({
    client,
    bucket,
    prefix: 'p/',
    subPrefix: 'Documents/Sub',
    to,
  });
  assert.deepEqual([...tree(to).keys()], ['Documents/Sub/a.txt']);
  assert.equal(summary.listed, 1);
});

test('malicious keys are refused and nothing is written outside the restore folder', async () => {
  const { client, bucket } = await freshBucket();
  for (const key of ['../../etc/x', '/abs', 'a/../../b', 'c\\..\\..\\d', 'ok.txt']) {
    await put(client, bucket, key, 'x');
  }
  const outer = tempDir();
  const to = join(outer, 'inner', 'restore');
  const summary = await restoreObjects({ client, bucket, prefix: '', to });

  assert.deepEqual([...tree(outer).keys()], ['inner/restore/ok.txt']);
  assert.equal(summary.restored, 1);
  assert.deepEqual(
    summary.failed.map((f) => f.key),
    ['../../etc/x', '/abs', 'a/../../b', 'c\\..\\..\\d'],
  );
  for (const f of summary.failed) assert.match(f.message, /refused$/);
});

test('a symlinked folder inside the restore folder is not followed out of it', async () => {
  const { client, bucket } = await freshBucket();
  await put(client, bucket, 'link/x.txt', 'x');
  await put(client, bucket, 'y.txt', 'y');
  const outer = tempDir();
  const to = join(outer, 'restore');
  const elsewhere = join(outer, 'elsewhere');
  mkdirSync(to);
  mkdirSync(elsewhere);
  const { symlinkSync } = await import('node:fs');
  symlinkSync(elsewhere, join(to, 'link'));
  const summary = await restoreObjects({ client, bucket, prefix: '', to });
  assert.deepEqual(readdirSync(elsewhere), []);
  assert.deepEqual(
    summary.failed.map((f) => f.key),
    ['link/x.txt'],
  );
  assert.match(summary.failed[0]?.message ?? '', /symlink/);
  assert.equal(summary.restored, 1);
});

test('existing local files are kept unless --overwrite, and counted as skipped', async () => {
  const { client, bucket } = await freshBucket();
  await put(client, bucket, 'a.txt', 'from s3', { mtime: '1700000000' });
  await put(client, bucket, 'b.txt', 'new');
  const to = tempDir();
  writeFileSync(join(to, 'a.txt'), 'local edit');

  const first = await restoreObjects({ client, bucket, prefix: '', to });
  assert.equal(readFileSync(join(to, 'a.txt'), 'utf8'), 'local edit');
  assert.deepEqual(
    first.skipped.map((s) => s.key),
    ['a.txt'],
  );
  assert.equal(first.restored, 1);

  const second = await restoreObjects({ client, bucket, prefix: '', to, overwrite: true });
  assert.equal(readFileSync(join(to, 'a.txt'), 'utf8'), 'from s3');
  assert.equal(mtimeMs(join(to, 'a.txt')), 1700000000000);
  assert.equal(second.restored, 2);
});

test('a cancelled restore leaves neither a half-written file nor a temporary one', async () => {
  const { client, bucket } = await freshBucket();
  await put(client, bucket, 'big.bin', Buffer.alloc(8 * 1024 * 1024, 1));
  const to = tempDir();
  const controller = new AbortController();
  await assert.rejects(
    restoreObjects({
      client,
      bucket,
      prefix: '',
      to,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'bytes') controller.abort(new Error('stop'));
      },
    }),
    /stop/,
  );
  assert.deepEqual(readdirSync(to), []);
});

test('downloads run several at a time but never more than the limit', async () => {
  const { client, bucket } = await freshBucket();
  for (let i = 0; i < 12; i++) await put(client, bucket, `f${i}.bin`, Buffer.alloc(256 * 1024, i));
  let inFlight = 0;
  let most = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'GetObjectCommand') return next(args);
      most = Math.max(most, ++inFlight);
      try {
        return await next(args);
      } finally {
        inFlight--;
      }
    },
    { step: 'finalizeRequest', name: 'countInFlight' },
  );
  const summary = await restoreObjects({
    client,
    bucket,
    prefix: '',
    to: tempDir(),
    concurrency: 3,
  });
  assert.equal(summary.restored, 12);
  assert.ok(most >= 2 && most <= 3, `at most 3 GETs in flight, saw ${most}`);
});

test('a key that is both a file and a folder fails alone and the rest goes on', async () => {
  const { client, bucket } = await freshBucket();
  await put(client, bucket, 'a', 'file');
  await put(client, bucket, 'a/b.txt', 'inside');
  await put(client, bucket, 'c.txt', 'c');
  const to = tempDir();
  const summary = await restoreObjects({ client, bucket, prefix: '', to, concurrency: 1 });
  assert.equal(summary.restored, 2);
  assert.deepEqual(
    summary.failed.map((f) => f.key),
    ['a/b.txt'],
  );
  assert.ok(existsSync(join(to, 'c.txt')));
});
