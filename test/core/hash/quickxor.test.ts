import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { QuickXorHash, quickXorHash } from '../../../src/core/hash/quickxor.js';

// Published test vectors (input base64 -> hash base64), as used by other OneDrive clients.
const VECTORS: Array<[string, string]> = [
  ['', 'AAAAAAAAAAAAAAAAAAAAAAAAAAA='],
  ['Sg==', 'SgAAAAAAAAAAAAAAAQAAAAAAAAA='],
  ['tbQ=', 'taAFAAAAAAAAAAAAAgAAAAAAAAA='],
  ['0pZP', '0rDEEwAAAAAAAAAAAwAAAAAAAAA='],
  ['qaApEj66lw==', 'qQBFCiTgA11cAgAABwAAAAAAAAA='],
  ['/aNzzCFPS/A=', '/RjFHJgRgicsAR4ACAAAAAAAAAA='],
];

/** A literal bit-by-bit reading of the algorithm, to check the folded implementation on long inputs. */
function naive(data: Uint8Array): string {
  const bits = new Uint8Array(160);
  data.forEach((byte, n) => {
    for (let b = 0; b < 8; b++)
      if ((byte >> b) & 1) bits[(n * 11 + b) % 160] = (bits[(n * 11 + b) % 160] as number) ^ 1;
  });
  const out = Buffer.alloc(20);
  bits.forEach((bit, i) => {
    if (bit) out[i >> 3] = (out[i >> 3] as number) | (1 << (i & 7));
  });
  let length = BigInt(data.length);
  for (let i = 0; i < 8; i++) {
    out[12 + i] = (out[12 + i] as number) ^ Number(length & 0xffn);
    length >>= 8n;
  }
  return out.toString('base64');
}

test('quickXorHash matches the published test vectors', () => {
  for (const [input, expected] of VECTORS) {
    assert.equal(quickXorHash(Buffer.from(input, 'base64')), expected, `input ${input}`);
  }
});

test('quickXorHash of long inputs equals the bit-by-bit definition', () => {
  for (const size of [159, 160, 161, 1000, 65_537]) {
    const data = randomBytes(size);
    assert.equal(quickXorHash(data), naive(data), `size ${size}`);
  }
});

test('hashing in uneven chunks gives the same digest as hashing at once', () => {
  const data = randomBytes(10_000);
  const hash = new QuickXorHash();
  for (let i = 0; i < data.length;) {
    const step = 1 + ((i * 7919) % 397);
    hash.update(data.subarray(i, i + step));
    i += step;
  }
  assert.equal(hash.digest(), quickXorHash(data));
});

test('a saved state resumes hashing where it stopped', () => {
  const data = randomBytes(5000);
  const first = new QuickXorHash().update(data.subarray(0, 1234));
  const resumed = QuickXorHash.from(JSON.parse(JSON.stringify(first.state()))).update(
    data.subarray(1234),
  );
  assert.equal(resumed.digest(), quickXorHash(data));
  assert.equal(resumed.bytesHashed, 5000);
});
