import type { CostEstimate } from './estimate.js';

/** Dollars with enough digits that small request costs don't round to $0.00. */
export function formatUsd(amount: number): string {
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  const digits = abs === 0 || abs >= 1 ? 2 : abs >= 0.01 ? 4 : 6;
  return `${sign}$${abs.toFixed(digits)}`;
}

const gb = (value: number): string =>
  `${value.toFixed(value !== 0 && Math.abs(value) < 1 ? 4 : 2)} GB`;

/** Several lines for a person: requests by type, storage change, totals, and the caveats. */
export function formatEstimate(estimate: CostEstimate): string {
  const lines = [`Estimated cost (${estimate.label}; storage class ${estimate.storageClass}):`];
  if (estimate.requests.length === 0) lines.push('  requests:   none');
  for (const r of estimate.requests) {
    const price = r.tier === 'free' ? 'free' : `$${Number(r.pricePer1000.toPrecision(6))}/1,000`;
    lines.push(
      `  ${r.type.padEnd(7)} ${r.count.toLocaleString('en-US').padStart(12)}  × ${price.padEnd(16)} ${formatUsd(r.cost)}`,
    );
  }
  if (estimate.retrieval) {
    const x = estimate.retrieval;
    lines.push(
      `  retrieval  ${gb(x.gb)} in ${x.objects.toLocaleString('en-US')} objects from ${x.storageClass} (${x.tier}): ${formatUsd(x.cost)}`,
    );
  }
  const s = estimate.storage;
  const overhead = s.overheadGb + s.overheadStandardGb;
  lines.push(
    `  storage    ${s.dataGb >= 0 ? '+' : ''}${gb(s.dataGb)}-month in ${estimate.storageClass}${overhead ? ` (+ ${gb(overhead)} archive overhead)` : ''}: ${formatUsd(s.monthlyCost)} per month`,
    `  this run:  ${formatUsd(estimate.oneTimeCost)} once`,
    `  monthly:   ${estimate.monthlyCost >= 0 ? '+' : ''}${formatUsd(estimate.monthlyCost)} per month`,
    ...estimate.notes.map((n) => `  note: ${n}`),
  );
  return `${lines.join('\n')}\n`;
}
