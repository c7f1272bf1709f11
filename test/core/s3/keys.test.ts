import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkKey, copySource, objectKey } from '../../../src/core/s3/keys.js';
import { SyncError } from '../../../src/core/errors.js';

test('the object key is the prefix plus the path below the drive root, without a leading slash', () => {
  assert.equal(objectKey('', '/Documents/Sub/a.txt'), 'Documents/Sub/a.txt');
  assert.equal(objectKey('', 'Documents/Sub/a.txt'), 'Documents/Sub/a.txt');
  assert.equal(
    objectKey('backup/', '/drive/root:/Documents/Sub/a.txt'),
    'backup/Documents/Sub/a.txt',
  );
  assert.equal(objectKey('backup/', '/drives/ABC!1/root:/a.txt'), 'backup/a.txt');
  assert.equal(objectKey('backup', '/a.txt'), 'backup/a.txt');
  assert.equal(objectKey('', '/100%25 #1.txt'), '100%25 #1.txt', 'names are not decoded twice');
});

const refused = (key: string, code: string) =>
  assert.throws(
    () => checkKey(key),
    (e: unknown) => e instanceof SyncError && e.kind === 'item' && e.code === code,
    JSON.stringify(key),
  );

test('keys up to 1024 UTF-8 bytes are accepted and longer ones fail the item with the reason', () => {
  assert.equal(checkKey('é'.repeat(512)), 'é'.repeat(512));
  refused('é'.repeat(513), 'key-too-long');
  assert.throws(() => checkKey('é'.repeat(513)), /1026 bytes in UTF-8; S3 allows at most 1024/);
  assert.equal(checkKey('a'.repeat(1024)).length, 1024);
  refused('a'.repeat(1025), 'key-too-long');
});

test('keys S3 cannot store or list safely are refused', () => {
  refused('', 'key-invalid');
  refused('a\nb', 'key-invalid');
  refused('a\u0001b', 'key-invalid');
  refused('a\u007fb', 'key-invalid');
  refused('bad\uD800.txt', 'key-invalid');
  refused('a/../b', 'key-invalid');
  refused('./a', 'key-invalid');
  assert.throws(() => checkKey('a\nb'), /a\\x0ab/, 'the message shows the control character');
  for (const fine of ['🎉 party.txt', 'a b/c%20d/e+f#g', "!'()*&=;:@$,", '...hidden', 'a..b/c.']) {
    assert.equal(checkKey(fine), fine);
  }
});

test('the copy source is the bucket and the key URL-encoded per segment', () => {
  assert.equal(copySource('b', 'a b/c#d/e%f+g?.txt'), 'b/a%20b/c%23d/e%25f%2Bg%3F.txt');
  assert.equal(copySource('b', "x/!'()*"), 'b/x/%21%27%28%29%2A');
  assert.equal(copySource('b', 'Été/ファ'), 'b/%C3%89t%C3%A9/%E3%83%95%E3%82%A1');
});
