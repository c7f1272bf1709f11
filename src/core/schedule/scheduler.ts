import type { Clock } from '../clock.js';
import { isAbortError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import { silentLogger } from '../log/logger.js';
import { nextDailyOccurrence, parseSyncTime, type TimeOfDay } from './daily.js';

/** Why a round runs; the round records it so `status` can say what started it. */
export type TriggerReason =
  | 'start' // the scheduler started (daemon start, app launch once authorized)
  | 'interval' // `[general] interval` elapsed since the last round started
  | 'sync-time' // the daily `[general] sync_time` arrived
  | 'manual' // "Sync now" in the tray or window
  | 'realtime' // a change notification from OneDrive
  | 'resume'; // resumed after a pause that cut a round short

export interface SchedulerOptions {
  /** Milliseconds between round starts; 0 = no interval schedule. */
  intervalMs: number;
  /** Daily start, "HH:MM:SS" local time; undefined = none. */
  syncTime?: string | undefined;
  clock: Clock;
  /** One sync round. Must end (resolve or reject) soon after `signal` aborts. */
  runRound: (reason: TriggerReason, signal: AbortSignal) => Promise<void>;
  /** Milliseconds between verifications (bucket vs store); 0/undefined = off. */
  verifyIntervalMs?: number;
  runVerify?: (signal: AbortSignal) => Promise<void>;
  logger?: Logger;
  /** Told whenever the next scheduled round moves; null while paused, stopped or unscheduled. */
  onNextRun?: (at: Date | null) => void;
  /**
   * Longest single sleep, default 5 minutes: the wall clock is re-read at least this often, so
   * a laptop suspend or a clock change delays a due round by at most this much.
   */
  maxSleepMs?: number;
}

type Job = { kind: 'round'; reason: TriggerReason } | { kind: 'verify' };

/**
 * Runs sync rounds one at a time: at start, every `intervalMs` after the last round started,
 * and daily at `syncTime` (whichever comes first). Triggers during a round collapse into one
 * follow-up round. Verification, when configured, takes its turn in the same line so it never
 * overlaps a round.
 */
export class Scheduler {
  private readonly opts: Required<Pick<SchedulerOptions, 'intervalMs' | 'maxSleepMs'>> &
    SchedulerOptions;
  private readonly daily: TimeOfDay | undefined;
  private readonly logger: Logger;

  private loop: Promise<void> | undefined;
  private stopped = false;
  private isPaused = false;
  private pending: TriggerReason | undefined;
  private lastRoundStart: number | undefined;
  private lastVerifyStart: number | undefined;
  /** Daily occurrences at or before this are spent. */
  private dailyAnchor = 0;
  private wake: AbortController | undefined;
  private current: { job: Job; abort: AbortController } | undefined;
  private reportedNext: number | null | undefined;

  constructor(options: SchedulerOptions) {
    const { intervalMs, verifyIntervalMs = 0, maxSleepMs = 5 * 60_000 } = options;
    expectDuration('intervalMs', intervalMs);
    expectDuration('verifyIntervalMs', verifyIntervalMs);
    if (!(maxSleepMs > 0)) expectDuration('maxSleepMs', maxSleepMs, 'a positive number');
    if (verifyIntervalMs > 0 && !options.runVerify) {
      throw new TypeError('Expected `runVerify` when `verifyIntervalMs` is set, got undefined');
    }
    this.opts = { ...options, intervalMs, verifyIntervalMs, maxSleepMs };
    this.daily = options.syncTime === undefined ? undefined : parseSyncTime(options.syncTime);
    this.logger = options.logger ?? silentLogger;
  }

  get running(): boolean {
    return this.current?.job.kind === 'round';
  }

  get paused(): boolean {
    return this.isPaused;
  }

  /** The next scheduled round (not counting pending triggers); null when nothing is scheduled. */
  get nextRunAt(): Date | null {
    const next = this.isPaused || this.stopped ? undefined : this.nextRound();
    return next ? new Date(next.at) : null;
  }

  /** Starts the loop and the first round right away. Calling it again does nothing. */
  start(): void {
    if (this.loop || this.stopped) return;
    const now = this.opts.clock.now();
    this.dailyAnchor = now;
    this.lastVerifyStart = now;
    this.pending = 'start';
    this.loop = this.run();
  }

  /**
   * Asks for a round. While one runs, any number of triggers become exactly one follow-up
   * round after it; while idle they start one round. Ignored after `stop()`.
   */
  trigger(reason: TriggerReason): void {
    if (this.stopped) return;
    this.pending ??= reason;
    this.wake?.abort();
  }

  /**
   * No new rounds start until `resume()`; triggers meanwhile are kept (as one). With
   * `abortRound` the round in flight is cancelled too (it checkpoints) and runs again on resume.
   */
  pause(options: { abortRound?: boolean } = {}): void {
    if (this.stopped || this.isPaused) return;
    this.isPaused = true;
    if (options.abortRound && this.current?.job.kind === 'round') {
      this.pending ??= 'resume';
      this.current.abort.abort(abortReason('paused'));
    }
    this.wake?.abort();
  }

  resume(): void {
    if (this.stopped || !this.isPaused) return;
    this.isPaused = false;
    this.wake?.abort();
  }

  /** Aborts the round in flight and resolves once it has ended; nothing runs afterwards. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.pending = undefined;
    this.current?.abort.abort(abortReason('stopped'));
    this.wake?.abort();
    await this.loop;
    this.report(null);
  }

  private async run(): Promise<void> {
    const { clock } = this.opts;
    while (!this.stopped) {
      const job = this.isPaused ? undefined : this.dueJob();
      if (job) {
        await this.execute(job);
        continue;
      }
      const nextRound = this.isPaused ? undefined : this.nextRound();
      this.report(nextRound ? nextRound.at : null);
      const nextAt = Math.min(
        nextRound?.at ?? Infinity,
        this.isPaused ? Infinity : this.nextVerify(),
      );
      const ms = Math.min(this.opts.maxSleepMs, Math.max(0, nextAt - clock.now()));
      const wake = new AbortController();
      this.wake = wake;
      try {
        await clock.sleep(ms, wake.signal);
      } catch {
        // Woken by trigger, pause, resume or stop: look again.
      } finally {
        this.wake = undefined;
      }
    }
  }

  /** What should run now: a pending trigger first, then a scheduled round, then verification. */
  private dueJob(): Job | undefined {
    if (this.pending) {
      const reason = this.pending;
      this.pending = undefined;
      return { kind: 'round', reason };
    }
    const now = this.opts.clock.now();
    const round = this.nextRound();
    if (round && round.at <= now) return { kind: 'round', reason: round.reason };
    if (this.nextVerify() <= now) return { kind: 'verify' };
    return undefined;
  }

  private nextRound(): { at: number; reason: TriggerReason } | undefined {
    const { intervalMs } = this.opts;
    const interval =
      intervalMs > 0 && this.lastRoundStart !== undefined
        ? this.lastRoundStart + intervalMs
        : Infinity;
    const daily = this.daily
      ? nextDailyOccurrence(new Date(this.dailyAnchor), this.daily).getTime()
      : Infinity;
    if (interval === Infinity && daily === Infinity) return undefined;
    return daily < interval
      ? { at: daily, reason: 'sync-time' }
      : { at: interval, reason: 'interval' };
  }

  private nextVerify(): number {
    const every = this.opts.verifyIntervalMs ?? 0;
    return every > 0 ? (this.lastVerifyStart ?? 0) + every : Infinity;
  }

  private async execute(job: Job): Promise<void> {
    const now = this.opts.clock.now();
    const abort = new AbortController();
    this.current = { job, abort };
    try {
      if (job.kind === 'round') {
        this.lastRoundStart = now;
        // Any round satisfies a daily time that is due, so a catch-up runs once, not twice.
        if (
          this.daily &&
          nextDailyOccurrence(new Date(this.dailyAnchor), this.daily).getTime() <= now
        ) {
          this.dailyAnchor = now;
        }
        await this.opts.runRound(job.reason, abort.signal);
      } else {
        this.lastVerifyStart = now;
        await this.opts.runVerify?.(abort.signal);
      }
    } catch (error) {
      if (abort.signal.aborted && isAbortError(error)) {
        this.logger.info(`${job.kind === 'round' ? 'round' : 'verification'} cancelled`);
      } else {
        this.logger.error(
          job.kind === 'round' ? `round (${job.reason}) failed` : 'verification failed',
          error,
        );
      }
    } finally {
      this.current = undefined;
    }
  }

  private report(at: number | null): void {
    if (this.reportedNext === at) return;
    this.reportedNext = at;
    try {
      this.opts.onNextRun?.(at === null ? null : new Date(at));
    } catch (error) {
      this.logger.warn('onNextRun listener threw', error);
    }
  }
}

function abortReason(why: 'paused' | 'stopped'): DOMException {
  return new DOMException(`scheduler ${why}`, 'AbortError');
}

function expectDuration(name: string, value: unknown, what = 'a number of milliseconds ≥ 0'): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`Expected \`${name}\` to be ${what}, got ${String(value)}`);
  }
}
