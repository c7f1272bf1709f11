// B5: a folder of 1,000 files (1 GiB in all) renamed on the drive.
import type { DriveSpec } from '../drive-spec.js';
import { check, GiB, round, stopwatch, type ScenarioResult } from '../measure.js';
import { World } from '../world.js';
import { cpuMetrics, measuredRound, resultOf, total, type ScenarioEnv } from './common.js';

export const B5_DRIVE: DriveSpec = {
  root: 'B5',
  files: 1000,
  size: Math.ceil(GiB / 1000),
  content: 'generated',
  perFolder: 1000,
  ext: 'jpg',
};

export async function b5(env: ScenarioEnv): Promise<ScenarioResult> {
  const w = new World({
    dir: env.dir,
    bucket: 'bench-b5',
    s3Endpoint: env.s3Endpoint,
    sim: env.sim,
  });
  await w.createBucket();
  // Setup (not measured): the first round backs the folder up.
  const setup = stopwatch();
  const store = w.openStore();
  const first = await w
    .engine(store)
    .runRound()
    .finally(() => store.close());
  const setupS = setup();

  await w.sim.rename(B5_DRIVE.root, `${B5_DRIVE.root} renamed`);
  const m = await measuredRound(w);
  const copies = (m.s3.CopyObject ?? 0) + (m.s3.UploadPartCopy ?? 0);
  const problems =
    first.uploaded === B5_DRIVE.files ? [] : [`the first round uploaded ${first.uploaded} files`];
  return {
    ...resultOf('B5', 'a folder of 1,000 files (1 GiB) renamed', m, w, problems),
    metrics: {
      ...cpuMetrics(m),
      copies,
      copied: m.summary.copied,
      bytesDownloaded: m.graph.bytesServed,
      s3Requests: total(m.s3),
      setupS: round(setupS),
    },
    checks: [
      check('bytes downloaded', m.graph.bytesServed, '=', 0),
      check('server-side copies', copies, '=', B5_DRIVE.files),
    ],
    notes: [
      `Setup (not measured): a first round uploads the folder (${round(setupS)} s).`,
      'delete_policy = "keep" (the default): the old keys stay, so no DeleteObjects.',
    ],
  };
}
