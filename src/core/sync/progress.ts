import type {
  ActionKind,
  EngineEvent,
  ItemFailure,
  ItemInFlight,
  ProgressCounts,
  RoundSummary,
} from '../../shared/events.js';
import type { Clock } from '../clock.js';

type Emit = (event: EngineEvent) => void;

/** Bytes per second over the last `windowMs`; fed by upload progress. */
class RateWindow {
  private samples: Array<{ at: number; bytes: number }> = [];
  constructor(private readonly windowMs = 10_000) {}

  add(at: number, total: number): void {
    this.samples.push({ at, bytes: total });
    while (this.samples.length > 2 && (this.samples[0] as { at: number }).at < at - this.windowMs) {
      this.samples.shift();
    }
  }

  rate(): number {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last.at <= first.at) return 0;
    return ((last.bytes - first.bytes) * 1000) / (last.at - first.at);
  }
}

/** What a round did, as the summary reports it. */
export type Tally = Omit<
  RoundSummary,
  'roundId' | 'startedAt' | 'finishedAt' | 'full' | 'dryRun' | 'result' | 'message'
>;

export function emptyTally(): Tally {
  return {
    uploaded: 0,
    copied: 0,
    metadataRewritten: 0,
    deleted: 0,
    trashed: 0,
    adopted: 0,
    skipped: 0,
    failed: 0,
    unchanged: 0,
    bytesUploaded: 0,
    bytesDownloaded: 0,
    failures: [],
  };
}

/** Failures kept in the summary (the count is always complete). */
export const MAX_LISTED_FAILURES = 50;

/**
 * Counts, bytes, rate and ETA for one round, and the files in flight. Emits `progress` at most
 * every `intervalMs` of clock time (and whenever forced), so a fast round does not flood the
 * window with events.
 */
export class ProgressTracker {
  readonly tally: Tally = emptyTally();
  private readonly counts = {
    filesDone: 0,
    filesTotal: 0,
    filesFailed: 0,
    bytesDone: 0,
    bytesTotal: 0,
  };
  private readonly inFlight = new Map<number, ItemInFlight>();
  private readonly rate = new RateWindow();
  private lastEmit = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly roundId: number,
    private readonly clock: Clock,
    private readonly emit: Emit,
    private readonly intervalMs = 500,
  ) {}

  private at(): string {
    return new Date(this.clock.now()).toISOString();
  }

  addTotals(files: number, bytes: number): void {
    this.counts.filesTotal += files;
    this.counts.bytesTotal += bytes;
    this.tick(true);
  }

  begin(id: number, path: string, action: ActionKind, bytesTotal: number): void {
    this.inFlight.set(id, { path, action, bytesDone: 0, bytesTotal });
    this.tick(false);
  }

  /** Action changed its mind (a copy falling back to an upload). */
  relabel(id: number, action: ActionKind): void {
    const f = this.inFlight.get(id);
    if (f) f.action = action;
  }

  bytes(id: number, delta: number): void {
    const f = this.inFlight.get(id);
    if (f) f.bytesDone += delta;
    this.counts.bytesDone += delta;
    this.tally.bytesUploaded += delta;
    this.rate.add(this.clock.now(), this.counts.bytesDone);
    this.tick(false);
  }

  downloaded(delta: number): void {
    this.tally.bytesDownloaded += delta;
  }

  /** Planned bytes that will not flow (adopted, copied, failed): the ETA should not wait for them. */
  private settle(id: number, plannedBytes: number): void {
    const f = this.inFlight.get(id);
    this.counts.bytesTotal -= Math.max(0, plannedBytes - (f?.bytesDone ?? 0));
    if (this.counts.bytesTotal < this.counts.bytesDone)
      this.counts.bytesTotal = this.counts.bytesDone;
    this.inFlight.delete(id);
  }

  done(id: number, path: string, action: ActionKind, bytes: number, plannedBytes: number): void {
    this.settle(id, plannedBytes);
    this.counts.filesDone++;
    this.emit({
      type: 'item-done',
      v: 1,
      at: this.at(),
      roundId: this.roundId,
      path,
      action,
      bytes,
    });
    this.tick(false);
  }

  /** Housekeeping that is not news to a person (an old key retired after a move). */
  quiet(id: number): void {
    this.inFlight.delete(id);
  }

  failed(id: number, failure: ItemFailure, plannedBytes: number): void {
    this.settle(id, plannedBytes);
    this.counts.filesFailed++;
    this.fail(failure);
    this.emit({
      type: 'item-error',
      v: 1,
      at: this.at(),
      roundId: this.roundId,
      failure,
      willRetry: false,
    });
    this.tick(true);
  }

  /** A failure known before any transfer (planning): counted, not an action. */
  fail(failure: ItemFailure): void {
    this.tally.failed++;
    if (this.tally.failures.length < MAX_LISTED_FAILURES) this.tally.failures.push(failure);
  }

  retrying(failure: ItemFailure): void {
    this.emit({
      type: 'item-error',
      v: 1,
      at: this.at(),
      roundId: this.roundId,
      failure,
      willRetry: true,
    });
  }

  snapshot(): ProgressCounts {
    const rate = this.rate.rate();
    const left = this.counts.bytesTotal - this.counts.bytesDone;
    return {
      ...this.counts,
      rate,
      etaSeconds:
        rate > 0 ? Math.ceil(left / rate) : left === 0 && this.counts.filesTotal > 0 ? 0 : null,
    };
  }

  tick(force: boolean): void {
    const now = this.clock.now();
    if (!force && now - this.lastEmit < this.intervalMs) return;
    this.lastEmit = now;
    this.emit({
      type: 'progress',
      v: 1,
      at: this.at(),
      roundId: this.roundId,
      counts: this.snapshot(),
      inFlight: [...this.inFlight.values()].map((f) => ({ ...f })),
    });
  }
}
