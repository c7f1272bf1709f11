// B6: a 1,000,000-item feed (metadata only) read from the simulator and applied to the store.
import { statSync } from 'node:fs';
import { readFeed } from '../../src/core/sync/feed.js';
import type { DriveSpec } from '../drive-spec.js';
import {
  check,
  MiB,
  peakRssMB,
  resetPeakRss,
  round,
  serverCpu,
  stopwatch,
  type ScenarioResult,
} from '../measure.js';
import { World } from '../world.js';
import { total, type ScenarioEnv } from './common.js';

export const B6_DRIVE: DriveSpec = {
  root: 'B6',
  files: 1_000_000,
  size: 300_000,
  content: 'declared',
};

/**
 * The feed step of a first round, as the engine runs it (readFeed: one transaction per page,
 * then planning once the last page is in), on an empty store. The transfers that would follow
 * are not part of it.
 */
export async function b6(env: ScenarioEnv): Promise<ScenarioResult> {
  const w = new World({
    dir: env.dir,
    bucket: 'bench-b6',
    s3Endpoint: env.s3Endpoint,
    sim: env.sim,
  });
  await w.resetCounters();
  const rssScope = resetPeakRss() ? 'reset' : 'process';
  const elapsed = stopwatch();
  const cpu = process.cpuUsage();
  const simStart = serverCpu().sim ?? 0;
  // At each page: [seconds, engine CPU s, simulator CPU s]. The last page is followed by
  // planning, so "applying" ends at the one before it.
  const mark = (): [number, number, number] => {
    const used = process.cpuUsage(cpu);
    return [elapsed(), (used.user + used.system) / 1e6, (serverCpu().sim ?? 0) - simStart];
  };
  let beforeLast: [number, number, number] = [0, 0, 0];
  let last: [number, number, number] = [0, 0, 0];
  const store = w.openStore();
  let feed;
  try {
    feed = await readFeed(store.db, w.tap, {
      full: true,
      settings: { prefix: w.config.aws.prefix, deletePolicy: w.config.general.deletePolicy },
      now: () => new Date().toISOString(),
      onPage: () => {
        beforeLast = last;
        last = mark();
      },
    });
  } finally {
    store.close();
  }
  const end = mark();
  const wallS = end[0];
  const peak = peakRssMB();
  const graph = await w.sim.counters();
  const storeBytes = statSync(w.config.general.statePath).size;
  const itemsPerS = feed.items / wallS;
  const problems = w.tap.files === B6_DRIVE.files ? [] : [`the feed listed ${w.tap.files} files`];
  return {
    id: 'B6',
    title: 'a 1,000,000-item feed (metadata only) applied to the store',
    wallS,
    peakRssMB: peak,
    rssScope,
    s3: { ...w.counter.counts },
    graph: { byRoute: graph.byRoute, bytesServed: graph.bytesServed },
    metrics: {
      items: feed.items,
      pages: feed.pages,
      itemsPerS: Math.round(itemsPerS),
      applyS: round(beforeLast[0]),
      applyCpuS: round(beforeLast[1]),
      applySimCpuS: round(beforeLast[2]),
      planS: round(wallS - beforeLast[0]),
      planCpuS: round(end[1] - beforeLast[1]),
      queued: feed.plan.queued,
      storeMB: round(storeBytes / MiB, 1),
      s3Requests: total(w.counter.counts),
    },
    checks: [check('peak RSS', round(peak, 1), '<', 500, 'MB')],
    notes: [
      'applyS: pages read and applied (one transaction each); planS: the last page, then ' +
        'planning every item (1,000,000 uploads queued) in one transaction.',
      'storeMB: state.db after the store is closed (WAL checkpointed into it).',
    ],
    problems: [...problems, ...w.logger.problems],
  };
}
