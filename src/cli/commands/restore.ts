import cliProgress from 'cli-progress';
import { resolve } from 'node:path';
import type { StorageClass } from '../../core/config/types.js';
import { estimateCost, formatUsd, resolvePrices } from '../../core/cost/index.js';
import { ConfigError } from '../../core/errors.js';
import {
  RETRIEVAL_TIERS,
  restoreObjects,
  type RestoreEvent,
  type RestoreSummary,
  type RetrievalTier,
} from '../../core/restore/index.js';
import { createS3Client } from '../../core/s3/client.js';
import { formatBytes, plural } from '../../shared/format.js';
import { EXIT, type CliIO, type Command } from '../command.js';

export const restoreCommand: Command = {
  name: 'restore',
  summary: 'download the backup (or the state at a past time) into a folder',
  usage:
    'restore --to DIR [--prefix P] [--at DATETIME] [--tier Standard|Bulk|Expedited] [--overwrite] [--json]',
  options: {
    to: { type: 'string', description: 'folder to restore into (created if missing)' },
    prefix: { type: 'string', description: 'only keys below this path (below [aws] prefix)' },
    at: {
      type: 'string',
      description: 'restore as of this time, e.g. 2025-03-01T12:00:00Z (versioned bucket)',
    },
    tier: { type: 'string', description: 'retrieval tier for archived objects (default Standard)' },
    days: { type: 'string', description: 'days a thawed archive copy stays readable (default 7)' },
    overwrite: { type: 'boolean', description: 'replace files that already exist in DIR' },
    concurrency: {
      type: 'string',
      description: 'downloads in flight (default: [general] concurrency)',
    },
    json: { type: 'boolean', description: 'print a machine-readable summary' },
  },
  async run(ctx, values) {
    const to = stringOption(values.to);
    if (!to) throw new ConfigError('restore needs --to DIR: the folder to restore into');
    const at = parseAt(stringOption(values.at));
    const tier = parseTier(stringOption(values.tier));
    const days = wholeNumber('days', stringOption(values.days), 1, 365_000);
    const { config } = ctx.loadConfig();
    const concurrency =
      wholeNumber('concurrency', stringOption(values.concurrency), 1, 64) ??
      config.general.concurrency;
    const prices = resolvePrices(config.extra.pricing);
    const client = createS3Client(config.aws, { sdkMaxAttempts: 3 });
    const progress = values.json ? undefined : printer(ctx.io);
    let summary: RestoreSummary;
    try {
      summary = await restoreObjects({
        client,
        bucket: config.aws.bucket,
        prefix: config.aws.prefix,
        exclude: config.general.trashPrefix,
        subPrefix: stringOption(values.prefix),
        to: resolve(to),
        at,
        tier,
        days,
        overwrite: values.overwrite === true,
        concurrency,
        signal: ctx.io.signal,
        ...(progress ? { onEvent: progress.onEvent } : {}),
      });
    } finally {
      progress?.stop();
      client.destroy();
    }
    const retrieval = retrievalCost(summary, tier, prices);
    if (values.json) {
      ctx.io.stdout.write(
        `${JSON.stringify({ to: resolve(to), ...summary, retrievalCost: retrieval }, null, 2)}\n`,
      );
    } else {
      ctx.io.stdout.write(report(summary, resolve(to), retrieval));
    }
    return summary.failed.length || summary.pending.length ? EXIT.partial : EXIT.ok;
  },
};

const stringOption = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function parseAt(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const at = new Date(text);
  if (Number.isNaN(at.getTime())) {
    throw new ConfigError(`--at: expected a date-time like 2025-03-01T12:00:00Z, got "${text}"`);
  }
  return at;
}

function parseTier(text: string | undefined): RetrievalTier {
  if (text === undefined) return 'Standard';
  const tier = RETRIEVAL_TIERS.find((t) => t.toLowerCase() === text.toLowerCase());
  if (!tier)
    throw new ConfigError(`--tier: expected one of ${RETRIEVAL_TIERS.join(', ')}, got "${text}"`);
  return tier;
}

export function wholeNumber(
  name: string,
  text: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(
      `--${name}: expected a whole number from ${min} to ${max}, got "${text}"`,
    );
  }
  return n;
}

/** What thawing the pending objects costs, by the price table (undefined when none pending). */
function retrievalCost(
  summary: RestoreSummary,
  tier: RetrievalTier,
  prices: ReturnType<typeof resolvePrices>,
): number | undefined {
  if (!summary.pending.length) return undefined;
  let total = 0;
  for (const cls of ['GLACIER', 'DEEP_ARCHIVE'] as StorageClass[]) {
    const items = summary.pending.filter((p) => p.storageClass === cls && p.requestedNow);
    if (!items.length) continue;
    const bytes = items.reduce((n, p) => n + p.size, 0);
    total += estimateCost(
      {
        storageClass: cls,
        requests: {},
        bytesAdded: 0,
        retrieval: { storageClass: cls, tier, bytes, objects: items.length },
      },
      prices,
    ).oneTimeCost;
  }
  return total;
}

function report(s: RestoreSummary, to: string, retrieval: number | undefined): string {
  const lines = [`Restored ${plural(s.restored, 'file')} (${formatBytes(s.bytes)}) into ${to}.`];
  if (s.skipped.length)
    lines.push(
      `Skipped ${plural(s.skipped.length, 'file')} that already exist (use --overwrite to replace them).`,
    );
  if (s.pending.length) {
    lines.push(
      `Pending: ${plural(s.pending.length, 'archived object')} must be thawed by S3 first:`,
    );
    const groups = new Map<string, string[]>();
    for (const p of s.pending) {
      const label = `${p.storageClass ?? 'archived'}, ${p.tier} tier, typically ${p.wait}${p.requestedNow ? '' : ', requested earlier'}`;
      groups.set(label, [...(groups.get(label) ?? []), p.key]);
    }
    for (const [label, keys] of groups) {
      lines.push(`  ${label}:`, ...keys.slice(0, 20).map((k) => `    ${k}`));
      if (keys.length > 20) lines.push(`    … and ${keys.length - 20} more`);
    }
    if (retrieval !== undefined)
      lines.push(`  Estimated retrieval cost of the requests made now: ${formatUsd(retrieval)}.`);
    lines.push('  Run the same command again after that wait to download them.');
  }
  if (s.failed.length) {
    lines.push(`Failed: ${plural(s.failed.length, 'object')}:`);
    for (const f of s.failed)
      lines.push(`  ${f.key}: ${f.message}${f.hint ? `\n    hint: ${f.hint}` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A byte bar on a terminal; one line per file otherwise (as `sync` prints). */
function printer(io: CliIO): { onEvent: (e: RestoreEvent) => void; stop(): void } {
  if (io.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream: io.stderr as unknown as NodeJS.WritableStream,
        format: 'restoring [{bar}] {files} · {done}/{total} · ETA {eta_formatted}',
        hideCursor: true,
        clearOnComplete: true,
        fps: 5,
      },
      cliProgress.Presets.shades_classic,
    );
    let files = 0;
    let objects = 0;
    let bytes = 0;
    let total = 0;
    const payload = () => ({
      files: `${files}/${objects} files`,
      done: formatBytes(bytes),
      total: formatBytes(total),
    });
    return {
      onEvent(e) {
        if (e.type === 'listed') {
          objects = e.objects;
          total = e.bytes;
          bar.start(Math.max(1, e.bytes), 0, payload());
        } else if (e.type === 'bytes') {
          bytes += e.delta;
          bar.update(bytes, payload());
        } else {
          files++;
          bar.update(bytes, payload());
        }
      },
      stop: () => bar.stop(),
    };
  }
  return {
    onEvent(e) {
      if (e.type === 'listed')
        io.stdout.write(`${plural(e.objects, 'object')} to restore (${formatBytes(e.bytes)})\n`);
      if (e.type !== 'item') return;
      const i = e.item;
      const line =
        i.outcome === 'restored'
          ? `restored ${i.key} (${formatBytes(i.bytes)})`
          : i.outcome === 'skipped'
            ? `skipped ${i.key}: ${i.reason}`
            : i.outcome === 'pending'
              ? `pending ${i.key}: ${i.requestedNow ? 'restore requested' : 'restore in progress'} (${i.tier}, typically ${i.wait})`
              : `failed ${i.key}: ${i.message}`;
      io.stdout.write(`${line}\n`);
    },
    stop: () => undefined,
  };
}
