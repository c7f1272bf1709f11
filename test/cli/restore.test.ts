import { PutObjectCommand, type StorageClass } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli } from '../helpers/cli.js';
import { writeConfig } from '../helpers/config.js';
import { freshBucket } from '../helpers/s3.js';
import { tempDir } from '../helpers/tmp.js';

/** A config dir pointing at a fresh bucket on the local S3 server. */
async function setup(prefix = 'backup/', extra = '') {
  const s3 = await freshBucket();
  const { dir } = writeConfig(
    (d) => `[onedrive]
client_id = "cli-client"
tokens_path = "${d}/tokens.json"

[aws]
bucket = "${s3.bucket}"
endpoint = "${s3.endpoint}"
force_path_style = true
region = "us-east-1"
access_key_id = "test"
secret_access_key = "test"
prefix = "${prefix}"
${extra}`,
  );
  const put = (key: string, body: string, mtime?: string, storageClass?: StorageClass) =>
    s3.client.send(
      new PutObjectCommand({
        Bucket: s3.bucket,
        Key: key,
        Body: body,
        ...(mtime ? { Metadata: { mtime } } : {}),
        ...(storageClass ? { StorageClass: storageClass } : {}),
      }),
    );
  return { ...s3, put, env: { CONFIG_PATH: dir } };
}

test('cloud-sync restore brings the backup back into a folder and exits 0', async () => {
  const { put, env } = await setup();
  await put('backup/Documents/ä b.txt', 'one', '1700000000.25');
  await put('backup/Pictures/2024/x.jpg', 'two', '1600000000');
  const to = tempDir();

  const { code, stdout } = await cli(['restore', '--to', to], env);

  assert.equal(code, 0, stdout);
  assert.match(stdout, /^2 objects to restore \(6 B\)\n/);
  assert.match(stdout, /^restored backup\/Documents\/ä b\.txt \(3 B\)$/m);
  assert.match(stdout, /Restored 2 files \(6 B\) into /);
  assert.equal(readFileSync(join(to, 'Documents/ä b.txt'), 'utf8'), 'one');
  assert.equal(statSync(join(to, 'Documents/ä b.txt')).mtimeMs, 1700000000250);
  assert.equal(statSync(join(to, 'Pictures/2024/x.jpg')).mtimeMs, 1600000000000);
});

test('with an empty prefix the trash stays in the bucket, not in the restored folder', async () => {
  const { put, env } = await setup('');
  await put('Documents/a.txt', 'alive');
  await put('.trash/2026-11-01/Documents/old.txt', 'deleted in OneDrive');
  const to = tempDir();
  const { code, stdout } = await cli(['restore', '--to', to], env);
  assert.equal(code, 0, stdout);
  assert.match(stdout, /^1 object to restore/);
  assert.throws(() => statSync(join(to, '.trash')), /ENOENT/);
});

test('an archived object makes restore exit 1 naming the wait; the next run fetches it', async () => {
  const { put, env } = await setup('');
  await put('cold.txt', 'cold', undefined, 'GLACIER');
  await put('warm.txt', 'warm');
  const to = tempDir();

  const first = await cli(['restore', '--to', to, '--tier', 'bulk'], env);
  assert.equal(first.code, 1);
  assert.match(first.stdout, /Pending: 1 archived object must be thawed by S3 first/);
  assert.match(first.stdout, /GLACIER, Bulk tier, typically 5–12 hours:\n\s+cold\.txt/);
  assert.match(first.stdout, /Estimated retrieval cost of the requests made now: \$0\.00/);
  assert.match(first.stdout, /Run the same command again/);

  const second = await cli(['restore', '--to', to, '--json'], env);
  assert.equal(second.code, 0);
  const summary = JSON.parse(second.stdout) as { restored: number; skipped: { key: string }[] };
  assert.equal(summary.restored, 1);
  assert.deepEqual(
    summary.skipped.map((s) => s.key),
    ['warm.txt'],
  );
  assert.equal(readFileSync(join(to, 'cold.txt'), 'utf8'), 'cold');
});

test('a malicious key fails alone: exit 1, the rest restored, nothing outside the folder', async () => {
  const { put, env } = await setup('');
  await put('../../escape.txt', 'x');
  await put('fine.txt', 'fine');
  const outer = tempDir();
  const to = join(outer, 'a', 'b');
  const { code, stdout } = await cli(['restore', '--to', to], env);
  assert.equal(code, 1);
  assert.match(
    stdout,
    /Failed: 1 object:\n\s+\.\.\/\.\.\/escape\.txt: key "\.\.\/\.\.\/escape\.txt" has a "\.\." segment/,
  );
  assert.equal(readFileSync(join(to, 'fine.txt'), 'utf8'), 'fine');
  assert.throws(() => statSync(join(outer, 'escape.txt')));
});

test('existing files are skipped unless --overwrite', async () => {
  const { put, env } = await setup('');
  await put('a.txt', 'from backup');
  const to = tempDir();
  writeFileSync(join(to, 'a.txt'), 'mine');
  const kept = await cli(['restore', '--to', to], env);
  assert.equal(kept.code, 0);
  assert.match(kept.stdout, /Skipped 1 file that already exist/);
  assert.equal(readFileSync(join(to, 'a.txt'), 'utf8'), 'mine');
  const replaced = await cli(['restore', '--to', to, '--overwrite'], env);
  assert.equal(replaced.code, 0);
  assert.equal(readFileSync(join(to, 'a.txt'), 'utf8'), 'from backup');
});

test('bad options and bad price overrides exit 2 with a message naming them', async () => {
  const { env } = await setup('', '[pricing]\nstorage_gb_month = { DEEP_ARCHIVE = "cheap" }\n');
  const cases: Array<[string[], RegExp]> = [
    [['restore'], /needs --to DIR/],
    [
      ['restore', '--to', tempDir(), '--tier', 'Fast'],
      /--tier: expected one of Standard, Bulk, Expedited, got "Fast"/,
    ],
    [['restore', '--to', tempDir(), '--at', 'yesterday-ish'], /--at: expected a date-time/],
    [
      ['restore', '--to', tempDir(), '--concurrency', '0'],
      /--concurrency: expected a whole number from 1 to 64/,
    ],
    [['restore', '--to', tempDir()], /pricing\.storage_gb_month\.DEEP_ARCHIVE: expected a price/],
  ];
  for (const [argv, message] of cases) {
    const { code, stderr } = await cli(argv, env);
    assert.equal(code, 2, argv.join(' '));
    assert.match(stderr, message);
  }
});

test('--at on a bucket without versioning exits 2 and says why', async () => {
  const { put, env } = await setup('');
  await put('a.txt', 'a');
  const { code, stderr } = await cli(
    ['restore', '--to', tempDir(), '--at', '2025-01-01T00:00:00Z'],
    env,
  );
  assert.equal(code, 2);
  assert.match(stderr, /is not versioned/);
  assert.match(stderr, /hint: Leave out --at/);
});
