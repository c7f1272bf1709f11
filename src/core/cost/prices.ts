import { closest } from '../config/suggest.js';
import { STORAGE_CLASSES, type StorageClass } from '../config/types.js';
import { ConfigError } from '../errors.js';
import { RETRIEVAL_TIERS, type RetrievalTier } from '../restore/tiers.js';

type Table = { [key: string]: unknown };
function isTable(v: unknown): v is Table {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Retrieval price keys: restore tiers for the archive classes, `Instant` for IA / Glacier IR GETs. */
export type RetrievalKey = RetrievalTier | 'Instant';

/**
 * A price table. Field names are the `[pricing]` keys of config.toml, so a bad override is
 * reported under exactly the name the user typed (`pricing.storage_gb_month.DEEP_ARCHIVE`).
 * All amounts are US dollars; "GB" is what AWS bills: 2^30 bytes.
 */
export interface PriceTable {
  label: string;
  storage_gb_month: Record<StorageClass, number>;
  /** PUT, COPY, POST and multipart parts, per 1,000 requests, by the class written. */
  tier1_per_1000: Record<StorageClass, number>;
  /** GET and HEAD, per 1,000 requests, by the class read. */
  tier2_per_1000: Record<StorageClass, number>;
  /** LIST is a bucket operation; priced at the S3 Standard tier-1 rate. */
  list_per_1000: number;
  /** Intelligent-Tiering monitoring and automation, per 1,000 objects (≥ 128 KB) a month. */
  monitoring_per_1000_objects: number;
  retrieval_gb: Partial<Record<StorageClass, Partial<Record<RetrievalKey, number>>>>;
  retrieval_requests_per_1000: Partial<Record<StorageClass, Partial<Record<RetrievalKey, number>>>>;
  /** Deleting or overwriting earlier is billed as if stored this long. */
  min_storage_days: Record<StorageClass, number>;
  /** Per archived object (GLACIER, DEEP_ARCHIVE): KB billed at the archive class, and at STANDARD. */
  archive_overhead_kb: { archive: number; standard: number };
}

/**
 * AWS list prices, us-east-1, first 50 TB tier. Checked in 2026 against AWS's S3 user guide and
 * summaries of aws.amazon.com/s3/pricing dated May–June 2026 (the pricing page itself was not
 * reachable from here). Values marked "unverified" were not found in any source consulted.
 */
export const DEFAULT_PRICES: PriceTable = deepFreeze({
  label: 'AWS list prices, us-east-1, as of 2026',
  storage_gb_month: {
    STANDARD: 0.023,
    STANDARD_IA: 0.0125,
    ONEZONE_IA: 0.01,
    INTELLIGENT_TIERING: 0.023, // Frequent Access tier; colder tiers are cheaper
    GLACIER_IR: 0.004,
    GLACIER: 0.0036,
    DEEP_ARCHIVE: 0.00099,
  },
  tier1_per_1000: {
    STANDARD: 0.005,
    STANDARD_IA: 0.01,
    ONEZONE_IA: 0.01,
    INTELLIGENT_TIERING: 0.005, // unverified
    GLACIER_IR: 0.02,
    GLACIER: 0.03,
    DEEP_ARCHIVE: 0.05,
  },
  tier2_per_1000: {
    STANDARD: 0.0004,
    STANDARD_IA: 0.001, // unverified
    ONEZONE_IA: 0.001, // unverified
    INTELLIGENT_TIERING: 0.0004, // unverified
    GLACIER_IR: 0.01, // unverified
    GLACIER: 0.0004, // unverified
    DEEP_ARCHIVE: 0.0004, // unverified
  },
  list_per_1000: 0.005, // unverified: that LIST is billed at the Standard rate in every class
  monitoring_per_1000_objects: 0.0025,
  retrieval_gb: {
    STANDARD_IA: { Instant: 0.01 },
    ONEZONE_IA: { Instant: 0.01 },
    GLACIER_IR: { Instant: 0.03 },
    GLACIER: { Expedited: 0.03, Standard: 0.01, Bulk: 0 },
    DEEP_ARCHIVE: { Standard: 0.02, Bulk: 0.0025 },
  },
  retrieval_requests_per_1000: {
    GLACIER: { Expedited: 10, Standard: 0.05, Bulk: 0 },
    DEEP_ARCHIVE: { Standard: 0.1, Bulk: 0.025 },
  },
  min_storage_days: {
    STANDARD: 0,
    STANDARD_IA: 30,
    ONEZONE_IA: 30,
    INTELLIGENT_TIERING: 0,
    GLACIER_IR: 90,
    GLACIER: 90,
    DEEP_ARCHIVE: 180,
  },
  archive_overhead_kb: { archive: 32, standard: 8 },
});

/**
 * The defaults with `[pricing]` overrides laid over them. Every override must name a key the
 * table has and hold a number ≥ 0 (a string for `label`); errors name the key as written.
 */
export function resolvePrices(
  overrides: unknown,
  defaults: PriceTable = DEFAULT_PRICES,
): PriceTable {
  if (overrides === undefined) return defaults;
  if (!isTable(overrides)) throw bad('pricing', 'a [pricing] table', overrides);
  const merged = structuredClone(defaults) as unknown as Table;
  overlay(merged, overrides, 'pricing', defaults as unknown as Table);
  if (overrides.label === undefined) merged.label = `${defaults.label}, with [pricing] overrides`;
  return deepFreeze(merged) as unknown as PriceTable;
}

/** Retrieval tables list only the tiers a class offers today; any class and tier may be added. */
const RETRIEVAL_TABLES = new Set(['pricing.retrieval_gb', 'pricing.retrieval_requests_per_1000']);
const RETRIEVAL_KEYS: readonly string[] = [...RETRIEVAL_TIERS, 'Instant'];

function overlay(target: Table, source: Table, path: string, shape: Table): void {
  const parent = path.slice(0, path.lastIndexOf('.'));
  const allowed = RETRIEVAL_TABLES.has(path)
    ? STORAGE_CLASSES
    : RETRIEVAL_TABLES.has(parent)
      ? RETRIEVAL_KEYS
      : Object.keys(shape);
  for (const [key, value] of Object.entries(source)) {
    const name = `${path}.${key}`;
    if (!allowed.includes(key)) {
      const guess = closest(key, allowed);
      throw new ConfigError(
        `unknown price key ${name}${guess ? `; did you mean ${path}.${guess}?` : ''}`,
        { hint: `Known keys here: ${allowed.join(', ')}.` },
      );
    }
    const known = shape[key];
    if (isTable(known) || RETRIEVAL_TABLES.has(path)) {
      if (!isTable(value)) throw bad(name, 'a table of prices', value);
      if (!isTable(target[key])) target[key] = {};
      overlay(target[key] as Table, value, name, isTable(known) ? known : {});
    } else if (typeof known === 'string') {
      if (typeof value !== 'string') throw bad(name, 'a string', value);
      target[key] = value;
    } else {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        throw bad(name, 'a price in US dollars (a number ≥ 0)', value);
      }
      target[key] = value;
    }
  }
}

function bad(name: string, expected: string, value: unknown): ConfigError {
  const shown =
    typeof value === 'string' ? `"${value}"` : isTable(value) ? 'a table' : String(value);
  return new ConfigError(`${name}: expected ${expected}, got ${shown}`);
}

function deepFreeze<T>(value: T): T {
  if (isTable(value)) for (const child of Object.values(value)) deepFreeze(child);
  return Object.freeze(value);
}
