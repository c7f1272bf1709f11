import cliProgress from 'cli-progress';
import type { EngineEvent, RoundSummary } from '../shared/events.js';
import { formatBytes, formatDuration, formatRate, plural } from '../shared/format.js';
import type { CliIO } from './command.js';

type Out = CliIO['stdout'];

/**
 * Renders engine events for a person: a live bar (files, bytes, rate, ETA) on a terminal, plain
 * lines when the output is a pipe or a log file. Returns the listener and a `stop` that clears
 * the bar before the summary is printed.
 */
export function progressPrinter(io: Pick<CliIO, 'stdout' | 'stderr'>): {
  listener: (event: EngineEvent) => void;
  stop(): void;
} {
  return io.stderr.isTTY ? barPrinter(io.stderr) : linePrinter(io.stdout);
}

function barPrinter(out: Out) {
  const bar = new cliProgress.SingleBar(
    {
      stream: out as unknown as NodeJS.WritableStream,
      format: '{phase} [{bar}] {files} · {bytes} · {rate} · ETA {left} {current}',
      barsize: 24,
      hideCursor: true,
      clearOnComplete: true,
      fps: 5,
      etaBuffer: 1,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let phase = 'listing';
  const payload = (extra: Record<string, string> = {}) => ({ phase, ...extra });
  const listener = (e: EngineEvent): void => {
    if (e.type === 'phase') {
      phase = e.phase;
      if (started) bar.update(payload());
      return;
    }
    if (e.type !== 'progress') return;
    const c = e.counts;
    const values = payload({
      files:
        phase === 'listing'
          ? `${plural(c.filesDone, 'item')} read`
          : `${c.filesDone + c.filesFailed}/${c.filesTotal} files`,
      bytes: `${formatBytes(c.bytesDone)}/${formatBytes(c.bytesTotal)}`,
      rate: formatRate(c.rate),
      left: formatDuration(c.etaSeconds),
      current: e.inFlight[0]?.path.slice(-40) ?? '',
    });
    const total = Math.max(1, c.bytesTotal || c.filesTotal);
    const done = c.bytesTotal ? c.bytesDone : c.filesDone;
    if (!started) {
      bar.start(total, done, values);
      started = true;
    } else {
      bar.setTotal(total);
      bar.update(done, values);
    }
  };
  return { listener, stop: () => started && bar.stop() };
}

const VERB: Record<string, string> = {
  upload: 'uploaded',
  copy: 'copied',
  metadata: 'metadata',
  delete: 'deleted',
  trash: 'trashed',
  adopt: 'adopted',
  skip: 'skipped',
};

function linePrinter(out: Out) {
  const listener = (e: EngineEvent): void => {
    if (e.type === 'phase' && e.phase !== 'idle')
      out.write(`[${e.phase}]${e.full ? ' full re-sync' : ''}\n`);
    if (e.type === 'item-done') {
      out.write(
        `${VERB[e.action] ?? e.action} ${e.path}${e.bytes ? ` (${formatBytes(e.bytes)})` : ''}\n`,
      );
    }
    if (e.type === 'item-error') {
      out.write(`${e.willRetry ? 'retrying' : 'failed'} ${e.failure.path}: ${e.failure.message}\n`);
    }
    if (e.type === 'throttled')
      out.write(`throttled by ${e.service}: pausing ${e.retryAfterSeconds} s\n`);
  };
  return { listener, stop: () => {} };
}

/** The round's outcome in a few lines; failures are named with their reason and hint. */
export function formatSummary(s: RoundSummary): string {
  const took = (Date.parse(s.finishedAt) - Date.parse(s.startedAt)) / 1000;
  const head = s.dryRun
    ? 'Dry run (nothing was changed)'
    : `Round ${s.roundId}${s.full ? ' (full re-sync)' : ''}`;
  const would = s.dryRun ? 'would be ' : '';
  const lines = [
    `${head}: ${s.result}${s.dryRun ? '' : ` in ${formatDuration(took)}`}`,
    `  ${would}uploaded ${s.uploaded} (${formatBytes(s.bytesUploaded)}), copied ${s.copied}, metadata rewritten ${s.metadataRewritten}, adopted ${s.adopted}`,
    `  ${would}deleted ${s.deleted}, trashed ${s.trashed}; skipped ${s.skipped}, unchanged ${s.unchanged}, failed ${s.failed}`,
  ];
  if (!s.dryRun) lines.push(`  downloaded ${formatBytes(s.bytesDownloaded)} from OneDrive`);
  if (s.message) lines.push(`  ${s.message}`);
  if (s.failed > 0) {
    lines.push(`Failed (${s.failed}):`);
    for (const f of s.failures) {
      lines.push(`  ${f.path}: ${f.message} [${f.code}]`);
      if (f.hint) lines.push(`    hint: ${f.hint}`);
    }
    if (s.failures.length < s.failed)
      lines.push(`  … and ${s.failed - s.failures.length} more (see the log)`);
  }
  return `${lines.join('\n')}\n`;
}
