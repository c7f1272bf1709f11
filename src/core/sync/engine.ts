import { existsSync } from 'node:fs';
import type { EngineEvent, Phase, RoundSummary } from '../../shared/events.js';
import { systemClock, type Clock } from '../clock.js';
import type { Config } from '../config/types.js';
import { isAbortError, retryable, serializeError } from '../errors.js';
import type { DriveSource } from '../graph/types.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { redact } from '../log/redact.js';
import type { BackupTarget } from '../s3/types.js';
import { acquireRoundLock, type StateStore } from '../store/index.js';
import { commitCursor, finishRun, getCursor, nextRunId, startRun } from '../store/cursor.js';
import { purgeGone, redirtyFailed } from '../store/items.js';
import { resetFailed } from '../store/queue.js';
import { isFatal, makeRoundContext, type EngineSettings, type RoundContext } from './context.js';
import { writeDeltaLinkFile } from './delta-link-file.js';
import { drainQueue } from './executor.js';
import { readFeed, type FeedResult } from './feed.js';
import { abortOrphanUploads, abortUnneededUploads } from './multipart-cleanup.js';
import { buildPreview, type DryRunReport } from './preview.js';
import { ProgressTracker } from './progress.js';

export interface SyncEngineDeps {
  config: Pick<Config, 'aws' | 'general' | 'onedrive'>;
  store: StateStore;
  source: DriveSource;
  target: BackupTarget;
  clock?: Clock;
  logger?: Logger;
  /** Tuning, mostly for tests: retries within a round and how often progress is emitted. */
  tuning?: Partial<Pick<EngineSettings, 'maxAttempts' | 'retryDelayMs'>> & {
    progressIntervalMs?: number;
  };
}

export interface RoundOptions {
  /** Re-enumerate the whole drive (nothing unchanged is uploaded again). */
  full?: boolean;
  /** Plan and report, change nothing: neither bucket nor store nor delta_link.json. */
  dryRun?: boolean;
  /** Let deletions past the mass-delete guard go ahead. */
  allowMassDelete?: boolean;
  signal?: AbortSignal;
}

export type EngineListener = (event: EngineEvent) => void;

/**
 * One round = read the delta feed into the store, plan, drain the queue, commit the cursor.
 * Events are the only output besides the summary: the CLI, tray and window subscribe.
 */
export class SyncEngine {
  private readonly listeners = new Set<EngineListener>();
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly settings: EngineSettings;
  private running = false;

  constructor(private readonly deps: SyncEngineDeps) {
    this.clock = deps.clock ?? systemClock;
    this.logger = deps.logger ?? silentLogger;
    const g = deps.config.general;
    this.settings = {
      prefix: deps.config.aws.prefix,
      deletePolicy: g.deletePolicy,
      trashPrefix: g.trashPrefix,
      concurrency: g.concurrency,
      maxDelete: g.maxDelete,
      maxDeleteShare: g.maxDeleteShare,
      maxAttempts: deps.tuning?.maxAttempts ?? 3,
      retryDelayMs: deps.tuning?.retryDelayMs ?? 2000,
    };
  }

  /** Subscribes to every event; returns the unsubscribe function. */
  on(listener: EngineListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get busy(): boolean {
    return this.running;
  }

  /** For the composition root to wire the Graph and S3 pacers' Retry-After pauses into events. */
  notifyThrottled(service: 'graph' | 's3', retryAfterMs: number): void {
    this.emit({
      type: 'throttled',
      v: 1,
      at: this.iso(),
      service,
      retryAfterSeconds: Math.ceil(retryAfterMs / 1000),
    });
  }

  private emit(event: EngineEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.logger.warn(`an engine event listener failed: ${(error as Error).message}`);
      }
    }
  }

  private iso(): string {
    return new Date(this.clock.now()).toISOString();
  }

  private phase(phase: Phase, roundId?: number, full?: boolean): void {
    this.emit({
      type: 'phase',
      v: 1,
      at: this.iso(),
      phase,
      ...(full === undefined ? {} : { full }),
      ...(roundId === undefined ? {} : { roundId }),
    });
  }

  /**
   * Whether the next round enumerates the whole drive without being asked: the first round, a
   * full enumeration under way, or the original tool's gesture (delta_link.json deleted).
   */
  fullRequested(): boolean {
    const cursor = getCursor(this.deps.store.db);
    if (cursor.full_gen !== null || (cursor.link === null && cursor.delta_link === null))
      return true;
    return cursor.delta_link !== null && !existsSync(this.deps.config.onedrive.deltaLinkPath);
  }

  async runRound(options: RoundOptions = {}): Promise<RoundSummary> {
    if (options.dryRun) return (await this.preview(options)).summary;
    return this.exclusive(() => this.round(options));
  }

  /** A dry run: the feed is applied and planned inside a transaction that is rolled back. */
  async preview(options: Omit<RoundOptions, 'dryRun'> = {}): Promise<DryRunReport> {
    return this.exclusive(async () => {
      const { db } = this.deps.store;
      const startedAt = this.iso();
      const roundId = nextRunId(db);
      const full = options.full === true || this.fullRequested();
      this.phase('listing', roundId, full);
      db.exec('BEGIN');
      try {
        db.tx(() => {
          redirtyFailed(db);
          resetFailed(db);
        });
        const feed = await this.feed(full, roundId, options.signal);
        const report = await buildPreview(this.context(roundId, options.signal), feed, {
          roundId,
          startedAt,
          finishedAt: () => this.iso(),
        });
        this.emit({ type: 'round-finished', v: 1, at: this.iso(), summary: report.summary });
        return report;
      } finally {
        if (db.inTransaction) db.exec('ROLLBACK');
        this.phase('idle');
      }
    });
  }

  private async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running) throw retryable('a round is already running', { code: 'round-running' });
    this.running = true;
    const path = this.deps.store.path;
    const release = path === ':memory:' ? () => {} : acquireRoundLock(path);
    try {
      return await fn();
    } finally {
      release();
      this.running = false;
    }
  }

  private feed(
    full: boolean,
    roundId: number,
    signal: AbortSignal | undefined,
  ): Promise<FeedResult> {
    const { db } = this.deps.store;
    return readFeed(db, this.deps.source, {
      full,
      settings: { prefix: this.settings.prefix, deletePolicy: this.settings.deletePolicy },
      now: () => this.iso(),
      ...(signal ? { signal } : {}),
      onPage: ({ items }) =>
        this.emit({
          type: 'progress',
          v: 1,
          at: this.iso(),
          roundId,
          counts: {
            filesDone: items,
            filesTotal: 0,
            filesFailed: 0,
            bytesDone: 0,
            bytesTotal: 0,
            rate: 0,
            etaSeconds: null,
          },
          inFlight: [],
        }),
    });
  }

  private context(roundId: number, signal: AbortSignal | undefined): RoundContext {
    const { store, source, target } = this.deps;
    const emit = (e: EngineEvent) => this.emit(e);
    return makeRoundContext({
      db: store.db,
      source,
      target,
      clock: this.clock,
      logger: this.logger,
      settings: this.settings,
      signal,
      tracker: new ProgressTracker(roundId, this.clock, emit, this.deps.tuning?.progressIntervalMs),
      now: () => this.iso(),
    });
  }

  private async round(options: RoundOptions): Promise<RoundSummary> {
    const { db } = this.deps.store;
    const startedAt = this.iso();
    let full = options.full === true || this.fullRequested();
    const roundId = startRun(db, startedAt, full);
    const ctx = this.context(roundId, options.signal);
    const tally = ctx.tracker.tally;
    let result: RoundSummary['result'] = 'ok';
    let message: string | undefined;
    let thrown: unknown;
    this.phase('listing', roundId, full);
    try {
      db.tx(() => {
        redirtyFailed(db);
        resetFailed(db);
      });
      await abortOrphanUploads(ctx, { id: roundId, full });
      const feed = await this.feed(full, roundId, options.signal);
      full = feed.full;
      tally.unchanged += feed.plan.unchanged;
      tally.skipped += feed.plan.skipped;
      for (const failure of feed.plan.failures) ctx.tracker.fail(failure);
      this.phase('transferring', roundId, full);
      const drained = await drainQueue(ctx, { allowMassDelete: options.allowMassDelete === true });
      this.phase('finishing', roundId, full);
      db.tx(() => commitCursor(db, feed.deltaLink, this.iso()));
      await writeDeltaLinkFile(this.deps.config.onedrive.deltaLinkPath, feed.deltaLink, this.iso());
      await abortUnneededUploads(ctx);
      db.tx(() => purgeGone(db));
      if (drained.massDelete) {
        result = 'stopped-mass-delete';
        message = drained.massDelete.message;
        this.phase('waiting-confirmation', roundId, full);
        this.emit({
          type: 'mass-delete-stopped',
          v: 1,
          at: this.iso(),
          roundId,
          wouldDelete: drained.massDelete.wouldDelete,
          limit: drained.massDelete.limit,
          message: drained.massDelete.message,
        });
      } else if (tally.failed > 0) {
        result = 'partial';
      }
    } catch (error) {
      const cancelled = isAbortError(error) || options.signal?.aborted === true;
      result = cancelled ? 'cancelled' : 'failed';
      message = cancelled
        ? 'stopped before the round finished'
        : redact(serializeError(error).message);
      if (!cancelled) this.logger.error(`round ${roundId} failed: ${message}`);
      // Configuration, authorization and bucket problems need a person: the caller sees them.
      if (isFatal(error)) thrown = error;
    }
    const summary: RoundSummary = {
      roundId,
      startedAt,
      finishedAt: this.iso(),
      full,
      dryRun: false,
      result,
      ...tally,
      ...(message === undefined ? {} : { message }),
    };
    db.tx(() => finishRun(db, summary));
    this.emit({ type: 'round-finished', v: 1, at: this.iso(), summary });
    if (result !== 'stopped-mass-delete') this.phase('idle');
    if (thrown !== undefined) throw thrown;
    return summary;
  }
}
