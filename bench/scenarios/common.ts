import type { RoundOptions } from '../../src/core/sync/engine.js';
import type { RoundSummary } from '../../src/shared/events.js';
import { peakRssMB, resetPeakRss, serverCpu, stopwatch, type ScenarioResult } from '../measure.js';
import type { RemoteSim } from '../sim-remote.js';
import type { World } from '../world.js';

/** What bench/scenario.ts hands each scenario. */
export interface ScenarioEnv {
  /** This scenario's folder (B1, B2 and their setup share one: the 100k store). */
  dir: string;
  s3Endpoint: string;
  sim: RemoteSim;
}

export type Scenario = (env: ScenarioEnv) => Promise<ScenarioResult>;

export interface MeasuredRound {
  summary: RoundSummary;
  wallS: number;
  peakRssMB: number;
  rssScope: ScenarioResult['rssScope'];
  s3: Record<string, number>;
  graph: ScenarioResult['graph'];
  /** RSS when the round began: modules loaded (tsx included), nothing done yet, MB. */
  startRssMB: number;
  /** What the process held when its RSS was highest (sampled every 100 ms), MB. */
  atPeak: MemorySample;
  /** CPU seconds this process used (user + system) during the round. */
  cpuS: number;
  /** CPU seconds the simulator and moto used meanwhile (the machine has few cores). */
  simCpuS: number | undefined;
  motoCpuS: number | undefined;
  /** Live files in the feed the round read. */
  feedFiles: number;
  feedItems: number;
  feedPages: number;
}

/**
 * One real round, measured from opening the store to closing it (what `cloud-sync sync` does
 * after loading its modules and config): counters are zeroed and the peak-RSS mark reset first.
 */
export async function measuredRound(
  world: World,
  options: RoundOptions = {},
): Promise<MeasuredRound> {
  await world.resetCounters();
  const rssScope = resetPeakRss() ? 'reset' : 'process';
  const startRssMB = process.memoryUsage().rss / 1024 / 1024;
  const elapsed = stopwatch();
  const cpu = process.cpuUsage();
  const servers = serverCpu();
  const sampler = sampleMemory();
  const store = world.openStore();
  let summary: RoundSummary;
  try {
    summary = await world.engine(store).runRound(options);
  } finally {
    store.close();
  }
  const wallS = elapsed();
  const atPeak = sampler.stop();
  const used = process.cpuUsage(cpu);
  const serversAfter = serverCpu();
  const diff = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined ? undefined : Math.round((b - a) * 100) / 100;
  const peak = peakRssMB();
  const graph = await world.sim.counters();
  return {
    summary,
    wallS,
    peakRssMB: peak,
    rssScope,
    startRssMB,
    atPeak,
    cpuS: (used.user + used.system) / 1e6,
    simCpuS: diff(servers.sim, serversAfter.sim),
    motoCpuS: diff(servers.moto, serversAfter.moto),
    s3: { ...world.counter.counts },
    graph: { byRoute: graph.byRoute, bytesServed: graph.bytesServed },
    feedFiles: world.tap.files,
    feedItems: world.tap.items,
    feedPages: world.tap.pages,
  };
}

export interface MemorySample {
  rss: number;
  heapUsed: number;
  /** Buffers and other memory V8 objects hold outside the heap. */
  external: number;
  arrayBuffers: number;
}

/**
 * Samples memory every 100 ms and keeps the sample with the highest RSS: tells a peak made of
 * buffers (arrayBuffers) from one of JS objects (heapUsed) or of native memory (the rest).
 */
export function sampleMemory(): { stop(): MemorySample } {
  const mb = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;
  let peak: MemorySample = { rss: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
  const take = () => {
    // rss() alone is cheap; the full breakdown only when the peak moves.
    if (process.memoryUsage.rss() / 1024 / 1024 <= peak.rss) return;
    const m = process.memoryUsage();
    peak = {
      rss: mb(m.rss),
      heapUsed: mb(m.heapUsed),
      external: mb(m.external),
      arrayBuffers: mb(m.arrayBuffers),
    };
  };
  take();
  const timer = setInterval(take, 100);
  return {
    stop: () => {
      clearInterval(timer);
      take();
      return peak;
    },
  };
}

export const total = (counts: Record<string, number>): number =>
  Object.values(counts).reduce((a, b) => a + b, 0);

/** The original tool's design on the same feed: a HEAD per file, a PUT per file to write. */
export function originalCost(m: MeasuredRound): NonNullable<ScenarioResult['original']> {
  const head = m.feedFiles;
  const put = m.summary.uploaded + m.summary.copied + m.summary.metadataRewritten;
  return { head, put, total: head + put };
}

/** Why a round was not clean: failures, a result other than ok, what the engine logged. */
export function problemsOf(m: MeasuredRound, world: World): string[] {
  const out: string[] = [];
  if (m.summary.result !== 'ok')
    out.push(`round result: ${m.summary.result} ${m.summary.message ?? ''}`);
  for (const f of m.summary.failures.slice(0, 5)) out.push(`failed ${f.path}: ${f.message}`);
  out.push(...world.logger.problems);
  return out;
}

/** Empties moto (every bucket): each throughput measurement starts from the same state. */
export async function resetMoto(endpoint: string): Promise<void> {
  const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  if (!res.ok) throw new Error(`moto reset answered ${res.status}`);
}

/** CPU seconds of the engine, the simulator and moto during the measured round. */
export function cpuMetrics(m: MeasuredRound): Record<string, number> {
  const out: Record<string, number> = {
    cpuS: Math.round(m.cpuS * 100) / 100,
    startRssMB: Math.round(m.startRssMB),
    heapAtPeakMB: m.atPeak.heapUsed,
    buffersAtPeakMB: m.atPeak.arrayBuffers,
  };
  if (m.simCpuS !== undefined) out.simCpuS = m.simCpuS;
  if (m.motoCpuS !== undefined) out.motoCpuS = m.motoCpuS;
  return out;
}

/** The common part of a scenario's result from its measured round. */
export function resultOf(
  id: string,
  title: string,
  m: MeasuredRound,
  world: World,
  problems: string[] = [],
): Omit<ScenarioResult, 'metrics' | 'checks' | 'notes'> {
  return {
    id,
    title,
    wallS: m.wallS,
    peakRssMB: m.peakRssMB,
    rssScope: m.rssScope,
    s3: m.s3,
    graph: m.graph,
    problems: [...problems, ...problemsOf(m, world)],
  };
}
