import type { Machine } from './machine.js';
import type { Check, ScenarioResult } from './measure.js';

export interface BenchReport {
  machine: Machine;
  /** Whole `npm run bench`, seconds (setup included). */
  totalS: number;
  results: ScenarioResult[];
}

const num = (n: number): string => {
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : String(Math.round(n * 100) / 100);
};

const unit = (u: string): string => (u ? ` ${u}` : '');

function target(c: Check): string {
  return `${c.op === '=' ? '=' : c.op} ${num(c.limit)}${unit(c.unit)}`;
}

/** "PutObject 2,000, ListObjectsV2 1" (largest first). */
export function requests(counts: Record<string, number>): string {
  const entries = Object.entries(counts).filter(([, n]) => n > 0);
  if (entries.length === 0) return '0';
  return entries
    .sort((a, b) => b[1] - a[1])
    .map(([op, n]) => `${op} ${num(n)}`)
    .join(', ');
}

function cells(row: string[]): string {
  return `| ${row.join(' | ')} |`;
}

/** The targets table (Markdown, so the README can hold it as printed). */
export function targetsTable(results: ScenarioResult[]): string {
  const lines = [
    cells(['id', 'scenario', 'measured', 'target', 'met']),
    cells(['---', '---', '---', '---', '---']),
  ];
  for (const r of results) {
    const highlights = Object.entries(r.metrics)
      .filter(([k]) => HIGHLIGHT.has(k))
      .map(([k, v]) => `${k} ${typeof v === 'number' ? num(v) : v}`);
    const checks = r.checks.length ? r.checks : [undefined];
    checks.forEach((c, i) => {
      lines.push(
        cells([
          i === 0 ? r.id : '',
          i === 0 ? r.title : '',
          c ? `${c.label} ${num(c.value)}${unit(c.unit)}` : '',
          c ? target(c) : '',
          c ? (c.met ? 'yes' : '**no**') : '',
        ]),
      );
    });
    if (!r.checks.some((c) => c.label === 'wall')) highlights.unshift(`wall ${num(r.wallS)} s`);
    if (r.load) highlights.push(`load ${r.load.start}→${r.load.end}`);
    if (highlights.length) lines.push(cells(['', '', highlights.join(', '), '', '']));
  }
  return lines.join('\n');
}

/** Metrics worth a line of their own in the table (the rest are in latest.json). */
const HIGHLIGHT = new Set([
  'runs',
  'filesPerS',
  'ceilingFilesPerS',
  'MiBPerS',
  'ceilingMiBPerS',
  'itemsPerS',
  'storeMB',
  'copies',
  'bytesDownloaded',
]);

/** S3 requests per round next to the original tool's design on the same feed (B1–B3). */
export function requestsTable(results: ScenarioResult[]): string {
  const lines = [
    cells([
      'id',
      'cloud-sync: S3 requests (measured)',
      'original design: HEAD + PUT (same feed)',
      'Graph requests',
    ]),
    cells(['---', '---', '---', '---']),
  ];
  for (const r of results) {
    const graph = requests(r.graph.byRoute);
    const original = r.original
      ? `${num(r.original.head)} + ${num(r.original.put)} = ${num(r.original.total)}`
      : '—';
    const ours = `${num(Object.values(r.s3).reduce((a, b) => a + b, 0))} (${requests(r.s3)})`;
    lines.push(cells([r.id, ours, original, graph]));
  }
  return lines.join('\n');
}

export function machineLine(m: Machine): string {
  const mem = /Mem:\s+(\S+)/.exec(m.free)?.[1] ?? `${m.memoryGiB}Gi`;
  return (
    `${m.date.slice(0, 10)}, ${m.cpu}, nproc ${m.nproc}, ${mem} RAM, Node ${m.node}, ` +
    `load ${m.loadStart}→${m.loadEnd ?? '?'}`
  );
}

export function render(report: BenchReport): string {
  const measured = report.results.filter((r) => !r.id.startsWith('setup'));
  const out = [
    `Machine: ${machineLine(report.machine)}; whole run ${num(report.totalS)} s`,
    '',
    targetsTable(measured),
    '',
    requestsTable(measured),
  ];
  const problems = report.results.filter((r) => r.problems.length);
  for (const r of problems) out.push('', `${r.id} problems:`, ...r.problems.map((p) => `  - ${p}`));
  return out.join('\n');
}
