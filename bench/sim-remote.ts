import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { BuildTotals, DriveSpec } from './drive-spec.js';

export interface SimCounters {
  /** Requests by simulator route: delta, content (302 to a download URL), download, item… */
  byRoute: Record<string, number>;
  /** Body bytes written by the download host. */
  bytesServed: number;
  completeDownloads: number;
}

/** The simulator host as a scenario sees it: its Graph URL and its control API. */
export class RemoteSim {
  constructor(
    readonly url: string,
    readonly control: string,
  ) {}

  static fromEnv(env: NodeJS.ProcessEnv = process.env): RemoteSim {
    const url = env.BENCH_SIM_URL;
    const control = env.BENCH_SIM_CONTROL;
    if (!url || !control) throw new Error('BENCH_SIM_URL / BENCH_SIM_CONTROL are not set');
    return new RemoteSim(url, control);
  }

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.control}${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    const value = (await res.json()) as T & { error?: string };
    if (!res.ok) throw new Error(`simulator ${path}: ${value.error ?? res.status}`);
    return value;
  }

  build(drives: DriveSpec[]): Promise<{ totals: BuildTotals[]; buildMs: number }> {
    return this.call('POST', '/build', { drives });
  }

  rename(path: string, name: string): Promise<void> {
    return this.call('POST', '/rename', { path, name });
  }

  counters(): Promise<SimCounters> {
    return this.call('GET', '/counters');
  }

  async reset(): Promise<void> {
    await this.call('POST', '/reset');
  }
}

/** A running simulator host (bench/sim-host.ts) owned by the bench runner. */
export interface SimHost {
  env: { BENCH_SIM_URL: string; BENCH_SIM_CONTROL: string; BENCH_SIM_PID: string };
  stop(): Promise<void>;
}

export async function startSimHost(): Promise<SimHost> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--max-old-space-size=8192',
      '--import',
      'tsx',
      new URL('sim-host.ts', import.meta.url).pathname,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the simulator host exited (${code})`)));
  });
  lines.close();
  child.stdout?.resume(); // nothing more is expected; never let the pipe fill
  const { url, control } = JSON.parse(first) as { url: string; control: string };
  return {
    env: { BENCH_SIM_URL: url, BENCH_SIM_CONTROL: control, BENCH_SIM_PID: String(child.pid) },
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
