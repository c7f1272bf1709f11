import type { Clock } from '../clock.js';

/**
 * Gathers signals into one call: the first signal opens a window of `ms`, signals inside it
 * join it, and `fire` runs when it closes. Unlike a sliding debounce, a steady stream of
 * changes cannot postpone the call forever.
 */
export class Debouncer {
  private timer: AbortController | undefined;
  private cancelled = false;

  constructor(
    private readonly clock: Clock,
    private readonly ms: number,
    private readonly fire: () => void,
  ) {}

  signal(): void {
    if (this.timer || this.cancelled) return;
    const timer = new AbortController();
    this.timer = timer;
    this.clock.sleep(this.ms, timer.signal).then(
      () => {
        this.timer = undefined;
        if (!this.cancelled) this.fire();
      },
      () => {
        this.timer = undefined;
      },
    );
  }

  /** Drops a window in progress; later signals are ignored. */
  cancel(): void {
    this.cancelled = true;
    this.timer?.abort();
  }
}

/** Exponential back-off with "equal jitter": between half and all of the step. */
export function backoffMs(
  failures: number,
  options: { minMs: number; maxMs: number; random: () => number },
): number {
  const step = Math.min(options.maxMs, options.minMs * 2 ** Math.max(0, failures - 1));
  return Math.round(step / 2 + (options.random() * step) / 2);
}
