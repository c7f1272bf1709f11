import type { LifecycleRule } from '@aws-sdk/client-s3';
import type { StorageClass } from '../config/types.js';

/** What cloud-sync recommends for its part of the bucket. */
export interface LifecyclePolicy {
  /** The configured key prefix; every rule is scoped to it. */
  prefix: string;
  /** The class uploads use: no archive transition is recommended when it already is Deep Archive. */
  storageClass: StorageClass;
  /** Move current objects to DEEP_ARCHIVE after this many days. Default 30. */
  archiveAfterDays?: number;
  /** Delete replaced/deleted versions this many days after they stopped being current. Default 180. */
  noncurrentDays?: number;
  /** Abort multipart uploads left unfinished this many days. Default 7. */
  abortMultipartDays?: number;
  /** Whether the bucket keeps versions (GetBucketVersioning: Enabled or Suspended). */
  versioned: boolean;
}

export const DEFAULT_ARCHIVE_AFTER_DAYS = 30;
// Deep Archive bills 180 days minimum; expiring old versions sooner would pay for days anyway.
export const DEFAULT_NONCURRENT_DAYS = 180;
export const DEFAULT_ABORT_MULTIPART_DAYS = 7;

export const RULE_BASES = {
  abortMultipart: 'cloud-sync-abort-multipart',
  archive: 'cloud-sync-archive',
  noncurrent: 'cloud-sync-noncurrent-versions',
} as const;

/**
 * Rule IDs carry the prefix when there is one, so two configurations sharing a bucket under
 * different prefixes each keep their own rules instead of overwriting each other's.
 */
export function ruleId(base: string, prefix: string): string {
  return (prefix ? `${base}:${prefix}` : base).slice(0, 255);
}

/** True for rules this tool made (any prefix). */
export function isOurs(rule: LifecycleRule): boolean {
  return Object.values(RULE_BASES).some((b) => rule.ID === b || rule.ID?.startsWith(`${b}:`));
}

export function recommendedRules(policy: LifecyclePolicy): LifecycleRule[] {
  const { prefix } = policy;
  const filter = { Prefix: prefix };
  const rules: LifecycleRule[] = [
    {
      ID: ruleId(RULE_BASES.abortMultipart, prefix),
      Status: 'Enabled',
      Filter: filter,
      AbortIncompleteMultipartUpload: {
        DaysAfterInitiation: policy.abortMultipartDays ?? DEFAULT_ABORT_MULTIPART_DAYS,
      },
    },
  ];
  if (policy.storageClass !== 'DEEP_ARCHIVE') {
    rules.push({
      ID: ruleId(RULE_BASES.archive, prefix),
      Status: 'Enabled',
      Filter: filter,
      Transitions: [
        {
          Days: policy.archiveAfterDays ?? DEFAULT_ARCHIVE_AFTER_DAYS,
          StorageClass: 'DEEP_ARCHIVE',
        },
      ],
    });
  }
  if (policy.versioned) {
    rules.push({
      ID: ruleId(RULE_BASES.noncurrent, prefix),
      Status: 'Enabled',
      Filter: filter,
      NoncurrentVersionExpiration: {
        NoncurrentDays: policy.noncurrentDays ?? DEFAULT_NONCURRENT_DAYS,
      },
      // Once its last old version expires, a delete marker guards nothing: clear it away.
      Expiration: { ExpiredObjectDeleteMarker: true },
    });
  }
  return rules;
}

export interface RuleChange {
  id: string;
  action: 'add' | 'update' | 'unchanged';
  before?: LifecycleRule;
  after: LifecycleRule;
}

export interface LifecyclePlan {
  existing: LifecycleRule[];
  changes: RuleChange[];
  /** The whole configuration to write: the user's rules untouched, ours added or replaced. */
  merged: LifecycleRule[];
  changed: boolean;
}

/** Merges recommended rules into the bucket's configuration by rule ID, dropping nothing. */
export function planLifecycle(
  existing: LifecycleRule[],
  recommended: LifecycleRule[],
): LifecyclePlan {
  const merged = [...existing];
  const changes: RuleChange[] = [];
  for (const rule of recommended) {
    const id = rule.ID ?? '';
    const at = merged.findIndex((r) => r.ID === id);
    const before = at >= 0 ? merged[at] : undefined;
    if (before === undefined) {
      merged.push(rule);
      changes.push({ id, action: 'add', after: rule });
    } else if (sameRule(before, rule)) {
      changes.push({ id, action: 'unchanged', before, after: before });
    } else {
      merged[at] = rule;
      changes.push({ id, action: 'update', before, after: rule });
    }
  }
  return { existing, changes, merged, changed: changes.some((c) => c.action !== 'unchanged') };
}

/** Equal in effect: S3 may answer with the legacy top-level Prefix, and empty lists vary. */
export function sameRule(a: LifecycleRule, b: LifecycleRule): boolean {
  return canonical(a) === canonical(b);
}

export function rulePrefix(rule: LifecycleRule): string {
  return rule.Filter?.Prefix ?? rule.Filter?.And?.Prefix ?? rule.Prefix ?? '';
}

function canonical(rule: LifecycleRule): string {
  const { Prefix: _legacy, Filter, ...rest } = rule;
  const filter = { ...(Filter ?? {}), Prefix: rulePrefix(rule) };
  return stable({ ...rest, Filter: filter });
}

function stable(value: unknown): string {
  if (Array.isArray(value)) return value.length ? `[${value.map(stable).join(',')}]` : '';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === 'object' && value !== null) {
    const parts = Object.keys(value)
      .sort()
      .map((k) => [k, stable((value as Record<string, unknown>)[k])] as const)
      .filter(([, v]) => v !== '' && v !== '{}')
      .map(([k, v]) => `${JSON.stringify(k)}:${v}`);
    return `{${parts.join(',')}}`;
  }
  return value === undefined ? '' : JSON.stringify(value);
}
