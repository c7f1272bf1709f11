import assert from 'node:assert/strict';
import { test } from 'node:test';
import { estimateCost } from '../../../src/core/cost/estimate.js';
import { planCostInput } from '../../../src/core/cost/plan.js';

const MiB = 1024 * 1024;

test('a planned round is priced by the requests S3 bills for it', () => {
  const input = planCostInput(
    [
      { action: 'upload', bytes: 1000 },
      { action: 'upload', bytes: 100 * MiB }, // 13 parts of 8 MiB + create + complete
      { action: 'copy', bytes: 2000 },
      { action: 'metadata', bytes: 0 },
      { action: 'trash', bytes: 500 },
      { action: 'delete', bytes: 700 },
      { action: 'skip', bytes: 0 },
    ],
    { storageClass: 'STANDARD', multipartThresholdBytes: 16 * MiB },
  );
  assert.deepEqual(input.requests, { PUT: 1, POST: 2, PART: 13, COPY: 3, DELETE: 2 });
  assert.equal(input.bytesAdded, 1000 + 100 * MiB + 2000);
  assert.equal(input.bytesRemoved, 700);
  // Hand-computed: 19 tier-1 requests (PUT, POST, PART, COPY) at $0.005 per 1,000.
  assert.equal(
    Number(estimateCost(input).requestsCost.toFixed(6)),
    Number(((19 * 0.005) / 1000).toFixed(6)),
  );
});
