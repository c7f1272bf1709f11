import type { LifecycleRule } from '@aws-sdk/client-s3';
import { isOurs, rulePrefix, type LifecyclePlan } from './rules.js';

const days = (n: number | undefined): string => `${n ?? '?'} day${n === 1 ? '' : 's'}`;

/** One rule in words, e.g. `prefix "b/": move to DEEP_ARCHIVE after 30 days`. */
export function describeRule(rule: LifecycleRule): string {
  const parts: string[] = [];
  for (const t of rule.Transitions ?? []) {
    parts.push(
      `move to ${t.StorageClass} ${t.Date ? `on ${t.Date.toISOString().slice(0, 10)}` : `after ${days(t.Days)}`}`,
    );
  }
  for (const t of rule.NoncurrentVersionTransitions ?? []) {
    parts.push(`move old versions to ${t.StorageClass} after ${days(t.NoncurrentDays)}`);
  }
  const nve = rule.NoncurrentVersionExpiration;
  if (nve) {
    parts.push(
      `delete old versions ${days(nve.NoncurrentDays)} after they are replaced` +
        (nve.NewerNoncurrentVersions ? ` (keeping the newest ${nve.NewerNoncurrentVersions})` : ''),
    );
  }
  const exp = rule.Expiration;
  if (exp?.Days !== undefined) parts.push(`delete after ${days(exp.Days)}`);
  if (exp?.Date) parts.push(`delete on ${exp.Date.toISOString().slice(0, 10)}`);
  if (exp?.ExpiredObjectDeleteMarker) parts.push('remove delete markers with no versions left');
  const abort = rule.AbortIncompleteMultipartUpload;
  if (abort)
    parts.push(`abort unfinished multipart uploads after ${days(abort.DaysAfterInitiation)}`);
  const scope = [`prefix "${rulePrefix(rule)}"`];
  const and = rule.Filter?.And;
  const tags = [...(rule.Filter?.Tag ? [rule.Filter.Tag] : []), ...(and?.Tags ?? [])];
  if (tags.length) scope.push(`tags ${tags.map((t) => `${t.Key}=${t.Value}`).join(',')}`);
  const larger = rule.Filter?.ObjectSizeGreaterThan ?? and?.ObjectSizeGreaterThan;
  const smaller = rule.Filter?.ObjectSizeLessThan ?? and?.ObjectSizeLessThan;
  if (larger !== undefined) scope.push(`> ${larger} bytes`);
  if (smaller !== undefined) scope.push(`< ${smaller} bytes`);
  const status = rule.Status === 'Enabled' ? '' : ' [disabled]';
  return `${scope.join(', ')}: ${parts.join('; ') || 'no actions'}${status}`;
}

export interface LifecycleReport {
  bucket: string;
  prefix: string;
  versioning: string;
  plan: LifecyclePlan;
}

/** The bucket's rules beside the recommended ones, with what --apply would change. */
export function formatLifecycle(report: LifecycleReport): string {
  const { plan } = report;
  const width = Math.max(20, ...[...plan.existing, ...plan.merged].map((r) => (r.ID ?? '').length));
  const row = (mark: string, rule: LifecycleRule): string =>
    `  ${mark} ${(rule.ID ?? '(no id)').padEnd(width)}  ${describeRule(rule)}`;
  const lines = [
    `Bucket s3://${report.bucket}, prefix "${report.prefix}", versioning ${report.versioning}`,
    '',
    plan.existing.length
      ? `Lifecycle rules now (${plan.existing.length}):`
      : 'Lifecycle rules now: none',
    ...plan.existing.map((r) => row(isOurs(r) ? '·' : ' ', r)),
    '',
    'Recommended by cloud-sync:',
  ];
  for (const change of plan.changes) {
    if (change.action === 'add') lines.push(row('+', change.after));
    if (change.action === 'unchanged') lines.push(row('=', change.after));
    if (change.action === 'update' && change.before) {
      lines.push(row('-', change.before), row('+', change.after));
    }
  }
  const count = plan.changes.filter((c) => c.action !== 'unchanged').length;
  lines.push(
    '',
    count === 0
      ? 'The bucket already has every recommended rule.'
      : `${count} rule${count === 1 ? '' : 's'} to add or update (+ added, - replaced, = already there). Rules not made by cloud-sync are kept as they are.`,
  );
  return `${lines.join('\n')}\n`;
}
