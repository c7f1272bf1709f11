// What moto can take from this machine with nothing of the product in the path: the throughput
// ceilings the engine's ratios are taken against, measured in the same run on the same moto.
// Each ceiling runs in a process of its own (bench/ceiling-run.ts), so its bodies held in
// memory (up to 1 GiB) never count in the scenario's peak RSS.
import { spawn } from 'node:child_process';
import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import pLimit from 'p-limit';
import { createS3Client } from '../src/core/s3/client.js';
import type { AwsConfig } from '../src/core/config/types.js';
import { makeContent } from '../test/sim/graph/index.js';
import { stopwatch } from './measure.js';

export type CeilingJob =
  | {
      kind: 'put';
      aws: AwsConfig;
      /** The simulator's seeds of the files: the same bytes as the engine sent. */
      seeds: string[];
      size: number;
      concurrency: number;
    }
  | {
      kind: 'upload';
      aws: AwsConfig;
      seed: string;
      size: number;
      partSize: number;
      queueSize: number;
    };

export interface CeilingResult {
  /** Wall time of the transfers alone (bodies already in memory), seconds. */
  seconds: number;
  /** CPU seconds of the ceiling's process during the transfers. */
  cpuS: number;
}

/** Runs a ceiling in its own process; resolves with its timing. */
export function runCeiling(job: CeilingJob): Promise<CeilingResult> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', new URL('ceiling-run.ts', import.meta.url).pathname],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  child.stdin.end(JSON.stringify(job));
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`the ceiling process exited with ${code}`));
      resolve(JSON.parse(out) as CeilingResult);
    });
  });
}

/** An S3 client configured exactly like the engine's (same factory, same settings). */
async function freshClient(aws: AwsConfig, bucket: string): Promise<S3Client> {
  const client = createS3Client({ ...aws, bucket });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return client;
}

/** The simulator's bytes for a generated file, held in memory. */
async function contentBytes(size: number, seed: string): Promise<Buffer> {
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for await (const chunk of makeContent({ size, seed }).stream()) {
    (chunk as Buffer).copy(out, at);
    at += (chunk as Buffer).length;
  }
  return out;
}

async function timed(run: () => Promise<void>): Promise<CeilingResult> {
  const cpu = process.cpuUsage();
  const elapsed = stopwatch();
  await run();
  const seconds = elapsed();
  const used = process.cpuUsage(cpu);
  return { seconds, cpuS: (used.user + used.system) / 1e6 };
}

/**
 * B3's ceiling: the same bytes, already in memory, PutObject-ed to the same moto with the
 * same concurrency.
 */
async function putCeiling(job: Extract<CeilingJob, { kind: 'put' }>): Promise<CeilingResult> {
  const bucket = 'ceiling-put';
  const client = await freshClient(job.aws, bucket);
  const bodies: Buffer[] = [];
  for (const seed of job.seeds) bodies.push(await contentBytes(job.size, seed));
  const limit = pLimit(job.concurrency);
  const result = await timed(async () => {
    await Promise.all(
      bodies.map((Body, i) =>
        limit(() =>
          client.send(
            new PutObjectCommand({
              Bucket: bucket,
              Key: `ceiling/file-${i}.bin`,
              Body,
              ContentLength: Body.length,
            }),
          ),
        ),
      ),
    );
  });
  client.destroy();
  return result;
}

/**
 * B4's ceiling: lib-storage's Upload of one buffer from memory, with the part size and the
 * parts in flight the engine used.
 */
async function uploadCeiling(job: Extract<CeilingJob, { kind: 'upload' }>): Promise<CeilingResult> {
  const bucket = 'ceiling-upload';
  const client = await freshClient(job.aws, bucket);
  const body = await contentBytes(job.size, job.seed);
  const result = await timed(async () => {
    await new Upload({
      client,
      params: { Bucket: bucket, Key: 'ceiling/big.bin', Body: body },
      partSize: job.partSize,
      queueSize: job.queueSize,
    }).done();
  });
  client.destroy();
  return result;
}

export function ceiling(job: CeilingJob): Promise<CeilingResult> {
  return job.kind === 'put' ? putCeiling(job) : uploadCeiling(job);
}
