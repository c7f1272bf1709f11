// B3 and B4: transfer throughput, as a ratio to what moto takes from memory in the same run.
import { contentBytes, putCeiling, uploadCeiling } from '../ceiling.js';
import type { DriveSpec } from '../drive-spec.js';
import { check, GiB, MiB, round, serverCpu, type ScenarioResult } from '../measure.js';
import { World } from '../world.js';
import {
  cpuMetrics,
  measuredRound,
  originalCost,
  resetMoto,
  resultOf,
  total,
  type ScenarioEnv,
} from './common.js';

export const B3_DRIVE: DriveSpec = {
  root: 'B3',
  files: 2000,
  size: 64 * 1024,
  content: 'generated',
};
export const B4_DRIVE: DriveSpec = { root: 'B4', files: 1, size: GiB, content: 'generated' };

/** S3Target's default parts in flight per multipart upload (src/core/s3/target.ts). */
const PART_CONCURRENCY = 4;

/** CPU seconds of the ceiling's client and of moto while the ceiling ran. */
function ceilingCpuOf(
  cpu: NodeJS.CpuUsage,
  motoBefore: number | undefined,
): Record<string, number> {
  const used = process.cpuUsage(cpu);
  const motoAfter = serverCpu().moto;
  return {
    ceilingCpuS: round((used.user + used.system) / 1e6),
    ...(motoBefore !== undefined && motoAfter !== undefined
      ? { ceilingMotoCpuS: round(motoAfter - motoBefore) }
      : {}),
  };
}

/** B3: the initial round of 2,000 files of 64 KiB. */
export async function b3(env: ScenarioEnv): Promise<ScenarioResult> {
  const spec = B3_DRIVE;
  const w = new World({
    dir: env.dir,
    bucket: 'bench-b3',
    s3Endpoint: env.s3Endpoint,
    sim: env.sim,
  });
  await w.createBucket();
  const m = await measuredRound(w);
  const filesPerS = m.summary.uploaded / m.wallS;

  // The ceiling starts from an empty moto too, with the same bytes already in memory.
  await resetMoto(env.s3Endpoint);
  const bodies: Buffer[] = [];
  for (let i = 0; i < spec.files; i++)
    bodies.push(await contentBytes(spec.size, `${spec.root}-${i}`));
  const concurrency = w.config.general.concurrency;
  const motoBefore = serverCpu().moto;
  const cpu = process.cpuUsage();
  const ceilingS = await putCeiling(w.config.aws, bodies, concurrency);
  const ceilingCpu = ceilingCpuOf(cpu, motoBefore);
  const ceilingFilesPerS = spec.files / ceilingS;
  const ratio = filesPerS / ceilingFilesPerS;
  return {
    ...resultOf('B3', 'initial sync of 2,000 files of 64 KiB', m, w),
    metrics: {
      ...cpuMetrics(m),
      filesPerS: round(filesPerS, 1),
      ceilingFilesPerS: round(ceilingFilesPerS, 1),
      ceilingS: round(ceilingS),
      ...ceilingCpu,
      ratio: round(ratio, 3),
      concurrency,
      uploaded: m.summary.uploaded,
      bytesDownloaded: m.graph.bytesServed,
      s3Requests: total(m.s3),
    },
    original: originalCost(m),
    checks: [
      check('uploaded', m.summary.uploaded, '=', spec.files),
      check('ratio to ceiling', round(ratio, 3), '>=', 0.7),
    ],
    notes: [
      `Ceiling: the same ${spec.files} bodies PutObject-ed from memory, ${concurrency} at a time, ` +
        'to the same moto (emptied first), by a client from the same factory.',
      'The engine time is the whole round: feed, planning, downloads from the simulator, uploads.',
    ],
  };
}

/** B4: one file of 1 GiB (multipart, parts hashed and sent as they arrive). */
export async function b4(env: ScenarioEnv): Promise<ScenarioResult> {
  const spec = B4_DRIVE;
  const w = new World({
    dir: env.dir,
    bucket: 'bench-b4',
    s3Endpoint: env.s3Endpoint,
    sim: env.sim,
  });
  await w.createBucket();
  const m = await measuredRound(w);
  const mibPerS = spec.size / MiB / m.wallS;
  const parts = m.s3.UploadPart ?? 0;
  // The ceiling uses the part size and parts in flight the engine used.
  const partSize = parts > 0 ? Math.ceil(spec.size / parts / MiB) * MiB : 8 * MiB;

  await resetMoto(env.s3Endpoint);
  const body = await contentBytes(spec.size, `${spec.root}-0`);
  const motoBefore = serverCpu().moto;
  const cpu = process.cpuUsage();
  const ceilingS = await uploadCeiling(w.config.aws, body, partSize, PART_CONCURRENCY);
  const ceilingCpu = ceilingCpuOf(cpu, motoBefore);
  const ceilingMiBPerS = spec.size / MiB / ceilingS;
  const ratio = mibPerS / ceilingMiBPerS;
  return {
    ...resultOf('B4', 'one 1 GiB file', m, w),
    metrics: {
      ...cpuMetrics(m),
      MiBPerS: round(mibPerS, 1),
      ceilingMiBPerS: round(ceilingMiBPerS, 1),
      ceilingS: round(ceilingS),
      ...ceilingCpu,
      ratio: round(ratio, 3),
      partSizeMiB: partSize / MiB,
      parts,
      bytesDownloaded: m.graph.bytesServed,
    },
    checks: [
      check('uploaded', m.summary.uploaded, '=', 1),
      check('ratio to ceiling', round(ratio, 3), '>=', 0.85),
      check('peak RSS', round(m.peakRssMB, 1), '<', 250, 'MB'),
    ],
    notes: [
      `Ceiling: @aws-sdk/lib-storage Upload of the same 1 GiB from one buffer in memory, ` +
        `${partSize / MiB} MiB parts, ${PART_CONCURRENCY} in flight, to the same moto (emptied first).`,
    ],
  };
}
