import { readFileSync, writeFileSync } from 'node:fs';

export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;

/** A target from the issue, checked against a measured value. */
export interface Check {
  label: string;
  value: number;
  unit: string;
  op: '<' | '>=' | '=';
  limit: number;
  met: boolean;
}

export function check(
  label: string,
  value: number,
  op: Check['op'],
  limit: number,
  unit = '',
): Check {
  const met = op === '<' ? value < limit : op === '>=' ? value >= limit : value === limit;
  return { label, value, unit, op, limit, met };
}

/** What one scenario reports; bench/run.ts turns these into the table and latest.json. */
export interface ScenarioResult {
  id: string;
  title: string;
  /** Wall time of the measured part, seconds. */
  wallS: number;
  /** Peak RSS of the measured part (this process: engine only, simulator and moto elsewhere). */
  peakRssMB: number;
  /** How the peak was taken: 'reset' = VmHWM reset just before the measured part. */
  rssScope: 'reset' | 'process';
  metrics: Record<string, number | string>;
  /** S3 requests of the measured part by operation, from SDK middleware. */
  s3: Record<string, number>;
  /** Graph requests of the measured part by simulator route, and body bytes served. */
  graph: { byRoute: Record<string, number>; bytesServed: number };
  /** The original tool's design on the same feed: one HEAD per file + one PUT per changed file. */
  original?: { head: number; put: number; total: number };
  checks: Check[];
  notes: string[];
  /** Warnings and errors the engine logged, and failed items: empty when all went well. */
  problems: string[];
  /** 1-minute load average when the scenario's process started and ended (noise: 2 cores). */
  load?: { start: number; end: number };
}

/**
 * Resets the kernel's peak-RSS mark (VmHWM) to the current RSS, so setup work done in this
 * process before the measured part does not count. Linux ≥ 4.0; false if not possible.
 */
export function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/** Peak RSS in MB (VmHWM), or the process's maxRSS where /proc is unavailable. */
export function peakRssMB(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}

/** Starts a stopwatch; the returned function gives seconds elapsed. */
export function stopwatch(): () => number {
  const started = process.hrtime.bigint();
  return () => Number(process.hrtime.bigint() - started) / 1e9;
}

export const round = (n: number, digits = 2): number => {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
};

/** CPU seconds (user + system) a process has used so far, from /proc; undefined if unknown. */
export function processCpuS(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): utime and stime are 14th and 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return ticks / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

/** CPU seconds used by the simulator and moto (their pids come from bench/run.ts). */
export function serverCpu(): { sim: number | undefined; moto: number | undefined } {
  const pid = (name: string) => Number(process.env[name]) || undefined;
  return { sim: processCpuS(pid('BENCH_SIM_PID')), moto: processCpuS(pid('BENCH_MOTO_PID')) };
}
