import assert from 'node:assert/strict';
import { join, sep } from 'node:path';
import { test } from 'node:test';
import { insideRoot, keyToPath } from '../../../src/core/restore/paths.js';

const refused = (key: string, prefix = '', platform: NodeJS.Platform = 'linux'): string => {
  const result = keyToPath(key, prefix, platform);
  assert.equal(result.ok, false, `${key} should be refused`);
  return result.ok ? '' : result.reason;
};

test('keys below the prefix map to the same path below the restore folder', () => {
  assert.deepEqual(keyToPath('backup/Documents/Sub/a.txt', 'backup/'), {
    ok: true,
    relative: ['Documents', 'Sub', 'a.txt'].join(sep),
  });
  assert.deepEqual(keyToPath('Bilder/Ålänning ☃/ö.jpg', ''), {
    ok: true,
    relative: ['Bilder', 'Ålänning ☃', 'ö.jpg'].join(sep),
  });
});

test('keys that would climb out of the folder or name an absolute path are refused', () => {
  assert.match(refused('../../etc/x'), /"\.\." segment/);
  assert.match(refused('a/../../b'), /"\.\." segment/);
  assert.match(refused('p/../x', 'p/'), /"\.\." segment/);
  assert.match(refused('/abs'), /absolute path/);
  assert.match(refused('p//abs', 'p/'), /absolute path/);
  assert.match(refused('a\\..\\..\\b'), /backslash/);
  assert.match(refused('a/\0b'), /NUL/);
  assert.match(refused('a//b'), /empty path segment/);
  assert.match(refused('./a'), /"\." segment/);
  assert.match(refused('C:/Windows/x'), /drive letter/);
  assert.match(refused(`${'x'.repeat(256)}`), /longer than 255 bytes/);
  assert.match(refused('other/a', 'p/'), /not below the prefix/);
});

test('names Windows cannot hold are refused on Windows only', () => {
  assert.match(refused('a/b:c.txt', '', 'win32'), /Windows cannot hold/);
  assert.match(refused('a/CON.txt', '', 'win32'), /reserved Windows name/);
  assert.match(refused('a/trailing.', '', 'win32'), /ending in a dot/);
  assert.equal(keyToPath('a/b:c.txt', '', 'linux').ok, true);
});

test('a relative path is resolved inside the root or not at all', () => {
  assert.equal(insideRoot('/r', join('a', 'b')), join('/r', 'a', 'b'));
  assert.throws(() => insideRoot('/r', join('..', 'x')), RangeError);
  assert.throws(() => insideRoot('/r', '/etc/passwd'), RangeError);
  assert.throws(() => insideRoot('/r', ''), RangeError);
});
