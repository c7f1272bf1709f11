import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg, totalmem } from 'node:os';

export interface Machine {
  date: string;
  nproc: number;
  cpu: string;
  memoryGiB: number;
  /** `free -h` as printed. */
  free: string;
  node: string;
  platform: string;
  /** 1-minute load average when the run started and ended: noise from other work. */
  loadStart: number;
  loadEnd?: number;
}

export function machine(): Machine {
  let cpu = 'unknown';
  try {
    cpu = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpu;
  } catch {
    // not Linux
  }
  let free = '';
  try {
    free = execFileSync('free', ['-h'], { encoding: 'utf8' }).trim();
  } catch {
    // no procps
  }
  return {
    date: new Date().toISOString(),
    nproc: availableParallelism(),
    cpu,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    free,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadStart: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}
