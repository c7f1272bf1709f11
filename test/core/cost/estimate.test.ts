import assert from 'node:assert/strict';
import { test } from 'node:test';
import { estimateCost, formatEstimate, GB, resolvePrices } from '../../../src/core/cost/index.js';

const near = (actual: number, expected: number): void =>
  assert.ok(Math.abs(actual - expected) < 1e-9, `expected ${expected}, got ${actual}`);

test('first upload of 200 GB in 100,000 files to Deep Archive costs what the price list says', () => {
  const estimate = estimateCost({
    storageClass: 'DEEP_ARCHIVE',
    requests: { PUT: 100_000 },
    bytesAdded: 200 * GB,
    objectsAdded: 100_000,
  });
  // By hand: 100 × $0.05 = $5.00 for the PUTs.
  // Storage: 200 GB × $0.00099 = $0.198; overhead 100,000 × 32 KB = 3.0517578125 GB at $0.00099
  // = $0.003021240234375 and 100,000 × 8 KB = 0.762939453125 GB at $0.023 = $0.017547607421875.
  near(estimate.requestsCost, 5);
  near(estimate.storage.overheadGb, 3.0517578125);
  near(estimate.storage.overheadStandardGb, 0.762939453125);
  near(estimate.monthlyCost, 0.21856884765625);
  near(estimate.oneTimeCost + estimate.monthlyCost, 5.21856884765625);
  const text = formatEstimate(estimate);
  assert.match(text, /PUT\s+100,000\s+× \$0\.05\/1,000\s+\$5\.00/);
  assert.match(text, /monthly:\s+\+\$0\.2186 per month/);
  assert.match(text, /as of 2026/);
});

test('requests are billed by tier: LIST at the Standard rate, GET/HEAD tier 2, DELETE free', () => {
  const estimate = estimateCost({
    storageClass: 'GLACIER',
    requests: { PUT: 2000, PART: 1000, POST: 1000, LIST: 1000, GET: 10_000, HEAD: 5000, DELETE: 7 },
    bytesAdded: 0,
  });
  const cost = Object.fromEntries(estimate.requests.map((r) => [r.type, r.cost]));
  near(cost.PUT ?? NaN, 0.06);
  near(cost.PART ?? NaN, 0.03);
  near(cost.POST ?? NaN, 0.03);
  near(cost.LIST ?? NaN, 0.005);
  near(cost.GET ?? NaN, 0.004);
  near(cost.HEAD ?? NaN, 0.002);
  near(cost.DELETE ?? NaN, 0);
  near(estimate.requestsCost, 0.131);
});

test('a restore from Deep Archive prices Expedited as Standard, which is all AWS offers there', () => {
  const bulk = estimateCost({
    storageClass: 'DEEP_ARCHIVE',
    requests: {},
    bytesAdded: 0,
    retrieval: { storageClass: 'DEEP_ARCHIVE', tier: 'Bulk', bytes: 200 * GB, objects: 100_000 },
  });
  near(bulk.oneTimeCost, 200 * 0.0025 + 100 * 0.025);
  const expedited = estimateCost({
    storageClass: 'DEEP_ARCHIVE',
    requests: {},
    bytesAdded: 0,
    retrieval: { storageClass: 'DEEP_ARCHIVE', tier: 'Expedited', bytes: GB, objects: 1000 },
  });
  assert.equal(expedited.retrieval?.tier, 'Standard');
  near(expedited.oneTimeCost, 0.02 + 0.1);
});

test('removing data lowers the monthly bill and Intelligent-Tiering adds its monitoring fee', () => {
  const removed = estimateCost({
    storageClass: 'STANDARD',
    requests: { DELETE: 10 },
    bytesAdded: GB,
    bytesRemoved: 3 * GB,
  });
  near(removed.monthlyCost, -2 * 0.023);
  assert.match(formatEstimate(removed), /monthly:\s+-\$0\.0460/);
  const tiering = estimateCost({
    storageClass: 'INTELLIGENT_TIERING',
    requests: {},
    bytesAdded: 10 * GB,
    objectsAdded: 4000,
  });
  near(tiering.monthlyCost, 10 * 0.023 + 4 * 0.0025);
});

test('[pricing] overrides replace single prices and the label says prices were overridden', () => {
  const prices = resolvePrices({
    storage_gb_month: { DEEP_ARCHIVE: 0.0018 },
    tier1_per_1000: { DEEP_ARCHIVE: 0.06 },
    retrieval_gb: { DEEP_ARCHIVE: { Bulk: 0.003 } },
  });
  assert.equal(prices.storage_gb_month.DEEP_ARCHIVE, 0.0018);
  assert.equal(prices.storage_gb_month.STANDARD, 0.023);
  assert.equal(prices.retrieval_gb.DEEP_ARCHIVE?.Bulk, 0.003);
  assert.equal(prices.retrieval_gb.DEEP_ARCHIVE?.Standard, 0.02);
  assert.match(prices.label, /with \[pricing\] overrides/);
  const estimate = estimateCost(
    { storageClass: 'DEEP_ARCHIVE', requests: { PUT: 1000 }, bytesAdded: 10 * GB },
    prices,
  );
  near(estimate.requestsCost, 0.06);
  near(estimate.monthlyCost, 0.018);
  assert.equal(
    resolvePrices({ label: 'My contract, eu-north-1' }).label,
    'My contract, eu-north-1',
  );
});

test('a bad price override is refused with a message naming the key', () => {
  const cases: Array<[unknown, RegExp]> = [
    [
      { storage_gb_month: { DEEP_ARCHIVE: 'cheap' } },
      /pricing\.storage_gb_month\.DEEP_ARCHIVE: expected a price in US dollars \(a number ≥ 0\), got "cheap"/,
    ],
    [
      { storage_gb_month: { DEEP_ARCHIVE: -1 } },
      /pricing\.storage_gb_month\.DEEP_ARCHIVE: .*got -1/,
    ],
    [
      { storage_gb_month: { DEEP_ARCHIV: 0.001 } },
      /unknown price key pricing\.storage_gb_month\.DEEP_ARCHIV; did you mean pricing\.storage_gb_month\.DEEP_ARCHIVE\?/,
    ],
    [
      { storage_gb_mnth: {} },
      /unknown price key pricing\.storage_gb_mnth; did you mean pricing\.storage_gb_month\?/,
    ],
    [
      { storage_gb_month: 0.02 },
      /pricing\.storage_gb_month: expected a table of prices, got 0\.02/,
    ],
    [
      { retrieval_gb: { DEEP_ARCHIVE: { Fast: 1 } } },
      /unknown price key pricing\.retrieval_gb\.DEEP_ARCHIVE\.Fast/,
    ],
    [{ label: 5 }, /pricing\.label: expected a string, got 5/],
  ];
  for (const [overrides, message] of cases) {
    assert.throws(
      () => resolvePrices(overrides),
      (error: Error) => {
        assert.equal(error.name, 'ConfigError');
        assert.match(error.message, message);
        return true;
      },
    );
  }
});

test('the default price table cannot be changed by accident', () => {
  const prices = resolvePrices(undefined);
  assert.throws(() => {
    (prices.storage_gb_month as Record<string, number>).STANDARD = 0;
  }, TypeError);
  assert.equal(resolvePrices({}).storage_gb_month.STANDARD, 0.023);
});
