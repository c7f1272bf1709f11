import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatMtime, mtimeToDate, parseMtime, sameSecond } from '../../../src/core/s3/metadata.js';

test('mtime is written in rclone format: decimal seconds, trailing zeros trimmed', () => {
  assert.equal(formatMtime('2024-05-01T10:20:30Z'), '1714558830');
  assert.equal(formatMtime('2024-05-01T10:20:30.000Z'), '1714558830');
  assert.equal(formatMtime('2024-05-01T10:20:30.1Z'), '1714558830.1');
  assert.equal(formatMtime('2024-05-01T10:20:30.1234567Z'), '1714558830.1234567');
  assert.equal(formatMtime('2024-05-01T10:20:30.123456789123Z'), '1714558830.123456789');
  assert.equal(formatMtime('2024-05-01T12:20:30.5+02:00'), '1714558830.5');
});

test('an unparseable date-time is refused rather than written as garbage', () => {
  assert.throws(() => formatMtime('yesterday'), /not a date-time/);
});

test("mtime written by rclone or by the original tool's integer seconds both parse", () => {
  assert.deepEqual(parseMtime('1714558830'), { seconds: 1714558830, nanos: 0 });
  assert.deepEqual(parseMtime('1714558830.25'), { seconds: 1714558830, nanos: 250_000_000 });
  assert.equal(parseMtime('soon'), undefined);
  assert.equal(mtimeToDate('1714558830.25')?.toISOString(), '2024-05-01T10:20:30.250Z');
});

test('objects are compared to the second for adoption', () => {
  assert.equal(sameSecond('1714558830', '1714558830.999'), true);
  assert.equal(sameSecond('1714558830', '1714558831'), false);
  assert.equal(sameSecond(undefined, '1714558831'), false);
});
