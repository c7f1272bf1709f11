import type { StorageClass } from '../config/types.js';
import { effectiveTier, type RetrievalTier } from '../restore/tiers.js';
import { DEFAULT_PRICES, type PriceTable, type RetrievalKey } from './prices.js';

/** AWS bills storage per GB of 2^30 bytes. */
export const GB = 2 ** 30;
const KB = 1024;

/**
 * Request kinds as S3 bills them: PUT/COPY/POST/LIST are "tier 1", GET/HEAD "tier 2", DELETE
 * is free. PART is one UploadPart of a multipart upload (billed as a PUT; the Create and
 * Complete calls are POSTs).
 */
export const REQUEST_TYPES = [
  'PUT',
  'PART',
  'COPY',
  'POST',
  'LIST',
  'GET',
  'HEAD',
  'DELETE',
] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];
export type RequestTier = 'tier1' | 'tier2' | 'free';

export const REQUEST_TIER: Record<RequestType, RequestTier> = {
  PUT: 'tier1',
  PART: 'tier1',
  COPY: 'tier1',
  POST: 'tier1',
  LIST: 'tier1',
  GET: 'tier2',
  HEAD: 'tier2',
  DELETE: 'free',
};

export interface CostInput {
  /** The class objects are written in (config `aws.storage_class`). */
  storageClass: StorageClass;
  requests: Partial<Record<RequestType, number>>;
  bytesAdded: number;
  bytesRemoved?: number;
  /** Objects created / deleted: archive classes bill 40 KB of overhead per object. */
  objectsAdded?: number;
  objectsRemoved?: number;
  /** Reading archived or infrequent-access data back (a restore). */
  retrieval?: {
    storageClass: StorageClass;
    tier?: RetrievalTier;
    bytes: number;
    objects: number;
  };
}

export interface RequestLine {
  type: RequestType;
  count: number;
  tier: RequestTier;
  pricePer1000: number;
  cost: number;
}

export interface CostEstimate {
  label: string;
  currency: 'USD';
  storageClass: StorageClass;
  requests: RequestLine[];
  requestsCost: number;
  retrieval:
    | { storageClass: StorageClass; tier: RetrievalKey; gb: number; objects: number; cost: number }
    | undefined;
  storage: {
    /** Net data added, in GB (negative when more was removed than added). */
    dataGb: number;
    /** Per-object overhead of archive classes: GB billed at the class, and at STANDARD. */
    overheadGb: number;
    overheadStandardGb: number;
    /** What one month of the added data costs, overhead and monitoring included. */
    monthlyCost: number;
  };
  /** Paid once for this run: requests and retrieval. */
  oneTimeCost: number;
  /** Change to the monthly storage bill. */
  monthlyCost: number;
  notes: string[];
}

/** A pure function of its inputs: no clock, no network, so `sync --dry-run` can call it freely. */
export function estimateCost(input: CostInput, prices: PriceTable = DEFAULT_PRICES): CostEstimate {
  const cls = input.storageClass;
  const notes: string[] = [];
  const requests: RequestLine[] = [];
  for (const type of REQUEST_TYPES) {
    const count = input.requests[type] ?? 0;
    if (!Number.isFinite(count) || count < 0) {
      throw new RangeError(`Expected requests.${type} to be a count ≥ 0, got ${count}`);
    }
    if (count === 0) continue;
    const tier = REQUEST_TIER[type];
    const pricePer1000 =
      tier === 'free'
        ? 0
        : type === 'LIST'
          ? prices.list_per_1000
          : tier === 'tier1'
            ? prices.tier1_per_1000[cls]
            : prices.tier2_per_1000[cls];
    requests.push({ type, count, tier, pricePer1000, cost: (count / 1000) * pricePer1000 });
  }
  const requestsCost = sum(requests.map((r) => r.cost));

  const objects = (input.objectsAdded ?? 0) - (input.objectsRemoved ?? 0);
  const dataGb = (input.bytesAdded - (input.bytesRemoved ?? 0)) / GB;
  const archived = cls === 'GLACIER' || cls === 'DEEP_ARCHIVE';
  const overheadGb = archived ? (objects * prices.archive_overhead_kb.archive * KB) / GB : 0;
  const overheadStandardGb = archived
    ? (objects * prices.archive_overhead_kb.standard * KB) / GB
    : 0;
  const monitoring =
    cls === 'INTELLIGENT_TIERING' ? (objects / 1000) * prices.monitoring_per_1000_objects : 0;
  const storageMonthly =
    (dataGb + overheadGb) * prices.storage_gb_month[cls] +
    overheadStandardGb * prices.storage_gb_month.STANDARD +
    monitoring;

  const retrieval = input.retrieval ? retrievalCost(input.retrieval, prices) : undefined;

  if (archived) {
    notes.push(
      `Each ${cls} object also bills ${prices.archive_overhead_kb.archive} KB at ${cls} and ${prices.archive_overhead_kb.standard} KB at STANDARD rates.`,
    );
  }
  if (prices.min_storage_days[cls] > 0) {
    notes.push(
      `${cls} bills at least ${prices.min_storage_days[cls]} days per object: deleting or overwriting sooner costs the rest.`,
    );
  }
  if (cls === 'INTELLIGENT_TIERING') {
    notes.push(
      'INTELLIGENT_TIERING storage is priced at its Frequent Access tier (an upper bound).',
    );
  }
  if (cls === 'STANDARD_IA' || cls === 'ONEZONE_IA' || cls === 'GLACIER_IR') {
    notes.push(`${cls} bills objects smaller than 128 KB as 128 KB (not included above).`);
  }
  return {
    label: prices.label,
    currency: 'USD',
    storageClass: cls,
    requests,
    requestsCost,
    retrieval,
    storage: { dataGb, overheadGb, overheadStandardGb, monthlyCost: storageMonthly },
    oneTimeCost: requestsCost + (retrieval?.cost ?? 0),
    monthlyCost: storageMonthly,
    notes,
  };
}

function retrievalCost(
  r: NonNullable<CostInput['retrieval']>,
  prices: PriceTable,
): NonNullable<CostEstimate['retrieval']> {
  const instant = r.storageClass !== 'GLACIER' && r.storageClass !== 'DEEP_ARCHIVE';
  const tier: RetrievalKey = instant
    ? 'Instant'
    : effectiveTier(r.storageClass, r.tier ?? 'Standard');
  const gb = r.bytes / GB;
  const perGb = prices.retrieval_gb[r.storageClass]?.[tier] ?? 0;
  const per1000 = prices.retrieval_requests_per_1000[r.storageClass]?.[tier] ?? 0;
  return {
    storageClass: r.storageClass,
    tier,
    gb,
    objects: r.objects,
    cost: gb * perGb + (r.objects / 1000) * per1000,
  };
}

const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
