// Tools for killing the real CLI at chosen points: a child process running `cloud-sync sync`,
// kill points armed on the Graph simulator and on an S3 proxy in front of moto, a seeded
// random source, and the bookkeeping that proves nothing finished is transferred again.
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { HeadObjectCommand, ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { fromS3Metadata } from '../../src/core/s3/metadata.js';
import { StateStore } from '../../src/core/store/index.js';
import { SyncEngine } from '../../src/core/sync/engine.js';
import type { PlannedAction } from '../../src/core/sync/preview.js';
import { SIM_TOKEN } from '../sim/graph/index.js';
import { listBucket } from './bucket.js';
import type { Rig } from './rig.js';
import type { S3Proxy, S3ProxyOp } from './s3-proxy.js';

const root = new URL('../..', import.meta.url).pathname;

/** mulberry32: small, seedable, good enough to pick kill points reproducibly. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Random = () => number;
/** A whole number in [lo, hi]. */
export const between = (rnd: Random, lo: number, hi: number): number =>
  lo + Math.floor(rnd() * (hi - lo + 1));
export const pick = <T>(rnd: Random, list: readonly T[]): T =>
  list[Math.floor(rnd() * list.length)] as T;

export type KillPoint =
  /** Hold the n-th delta request: pages before it are applied, the rest are not. */
  | { kind: 'feed'; n: number }
  /** Hold the n-th request for a file's bytes: that transfer has begun, nothing arrived. */
  | { kind: 'download'; n: number }
  /** A file's body goes quiet after `bytes`; kill once `parts` more parts are checkpointed. */
  | { kind: 'mid-body'; path: string; itemId: string; bytes: number; parts: number }
  /**
   * The n-th S3 request of `op`: held before S3 sees it, or (applied) carried out by S3 with
   * its answer never delivered — done on S3, not recorded by the product.
   */
  | { kind: 's3'; op: S3ProxyOp; n: number; applied: boolean }
  /** Some time after the run's first delta request, wherever the run is by then. */
  | { kind: 'timer'; ms: number };

export function describe(k: KillPoint): string {
  switch (k.kind) {
    case 'feed':
      return `delta request #${k.n}`;
    case 'download':
      return `download #${k.n}`;
    case 'mid-body':
      return `${k.path} after ${k.bytes} bytes${k.parts ? ` and ${k.parts} more part(s)` : ''}`;
    case 's3':
      return `${k.op} #${k.n}${k.applied ? ' (applied, answer lost)' : ' (held)'}`;
    case 'timer':
      return `${k.ms} ms after the first delta request`;
  }
}

export interface World {
  rig: Rig;
  proxy: S3Proxy;
}

export interface ChildResult {
  /** Killed at the kill point (false: the run ended before reaching it). */
  killed: boolean;
  code: number | null;
  stdout: string;
  stderr: string;
}

function startChild(rig: Rig): {
  kill: () => void;
  exited: Promise<ChildResult>;
} {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/integration/cli-child.ts', 'sync'],
    {
      cwd: root,
      env: { ...process.env, CONFIG_PATH: rig.dir, SIM_TOKEN },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => (stdout += d));
  child.stderr?.on('data', (d) => (stderr += d));
  const exited = new Promise<ChildResult>((resolve) =>
    child.on('exit', (code, signal) =>
      resolve({ killed: signal === 'SIGKILL', code, stdout, stderr }),
    ),
  );
  return { kill: () => child.kill('SIGKILL'), exited };
}

/** One `cloud-sync sync` in a child process, to its end. */
export async function runToEnd(rig: Rig): Promise<ChildResult> {
  return startChild(rig).exited;
}

/**
 * Runs `cloud-sync sync` in a child process and kills it with SIGKILL at `point` (plus
 * `extraMs`, letting other workers move on meanwhile). Every hook and fault is removed after.
 */
export async function runAndKill(
  world: World,
  point: KillPoint,
  extraMs: number,
): Promise<ChildResult> {
  const { rig, proxy } = world;
  const cleanups: Array<() => void> = [];
  const releases: Array<() => void> = [];
  const hold = () => new Promise<void>((r) => releases.push(r));
  let fire!: () => void;
  const fired = new Promise<void>((r) => (fire = r));
  let seen = 0;

  switch (point.kind) {
    case 'feed':
    case 'download': {
      const route = point.kind === 'feed' ? 'delta' : 'download';
      cleanups.push(
        rig.sim.onRequest(async (info) => {
          if (info.route !== route || ++seen !== point.n) return;
          fire();
          await hold();
        }),
      );
      break;
    }
    case 'mid-body': {
      rig.sim.faults.stallAfter({ bytes: point.bytes, ms: 120_000, itemId: point.itemId });
      const servedBefore = rig.sim.counters.bytesServed(point.itemId);
      const partsBefore = checkpointedParts(rig, point.itemId);
      let stopped = false;
      cleanups.push(() => (stopped = true));
      void (async () => {
        while (!stopped) {
          const served = rig.sim.counters.bytesServed(point.itemId) - servedBefore;
          if (
            served >= point.bytes &&
            checkpointedParts(rig, point.itemId) >= partsBefore + point.parts
          )
            return fire();
          await sleep(25);
        }
      })();
      break;
    }
    case 's3':
      cleanups.push(
        proxy.onRequest((r) => {
          if (r.op !== point.op || ++seen !== point.n) return undefined;
          if (!point.applied) {
            fire();
            return { kind: 'hold' };
          }
          return { kind: 'apply-then-hold', onApplied: fire };
        }),
      );
      break;
    case 'timer':
      cleanups.push(
        rig.sim.onRequest((info) => {
          if (info.route === 'delta' && ++seen === 1) setTimeout(fire, point.ms);
        }),
      );
      break;
  }

  const child = startChild(rig);
  const first = await Promise.race([fired.then(() => 'fired' as const), child.exited]);
  if (first === 'fired') {
    if (extraMs > 0) await sleep(extraMs);
    child.kill();
  }
  const result = await child.exited;
  cleanups.forEach((c) => c());
  releases.forEach((r) => r());
  rig.sim.faults.clear();
  return result;
}

function checkpointedParts(rig: Rig, itemId: string): number {
  const store = StateStore.openExisting(rig.config.general.statePath);
  if (!store) return 0;
  try {
    const row = store.db.one<{ data: string }>(
      'SELECT data FROM checkpoints WHERE item_id = ?',
      itemId.toLowerCase(),
    );
    return row ? (JSON.parse(row.data) as { parts: unknown[] }).parts.length : 0;
  } finally {
    store.close();
  }
}

/** What the next round would do, planned in a transaction that is rolled back. */
export async function plan(rig: Rig): Promise<PlannedAction[]> {
  const store = StateStore.open(rig.config.general.statePath);
  try {
    const engine = new SyncEngine({
      config: rig.config,
      store,
      source: rig.source(),
      target: rig.target(),
    });
    return (await engine.preview()).actions;
  } finally {
    store.close();
  }
}

/**
 * Ids of the drive's files whose current content already sits in the bucket under the prefix
 * (at any key: a renamed file's content is at its old key), told by the object's metadata.
 */
export async function contentInBucket(rig: Rig): Promise<Set<string>> {
  const found = new Set<string>();
  const byId = new Map<string, Array<{ hash: string | undefined; size: number }>>();
  for (const o of await listBucket(rig.s3.client, rig.s3.bucket, rig.prefix)) {
    const head = await rig.s3.client.send(
      new HeadObjectCommand({ Bucket: rig.s3.bucket, Key: o.key }),
    );
    const meta = fromS3Metadata(head.Metadata);
    if (!meta.itemId) continue;
    const list = byId.get(meta.itemId) ?? [];
    list.push({ hash: meta.quickXorHash, size: o.size });
    byId.set(meta.itemId, list);
  }
  for (const f of rig.sim.drive.files()) {
    const held = byId.get(f.id) ?? [];
    if (held.some((h) => h.size === f.size && h.hash === f.quickXorHash)) found.add(f.id);
  }
  return found;
}

/** Multipart uploads still open under the prefix. */
export async function openUploads(rig: Rig): Promise<string[]> {
  const res = await rig.s3.client.send(
    new ListMultipartUploadsCommand({ Bucket: rig.s3.bucket, Prefix: rig.prefix }),
  );
  return (res.Uploads ?? []).map((u) => `${u.Key ?? '?'} (${u.UploadId ?? '?'})`);
}

/**
 * The promise "a file that completed its transfer is not transferred again": before a run,
 * note which files' content is in the bucket and how often each was served whole; after it,
 * those files were not served again, and no other file more than once.
 */
export class DownloadLedger {
  private before = new Map<string, number>();
  private held = new Set<string>();

  constructor(private readonly rig: Rig) {}

  async beforeRun(): Promise<void> {
    this.held = await contentInBucket(this.rig);
    this.before = new Map(
      this.rig.sim.drive.files().map((f) => [f.id, this.rig.sim.counters.completeDownloads(f.id)]),
    );
  }

  /** What broke the promise in the run since `beforeRun`, one line per file. */
  afterRun(): string[] {
    const problems: string[] = [];
    for (const f of this.rig.sim.drive.files()) {
      const more = this.rig.sim.counters.completeDownloads(f.id) - (this.before.get(f.id) ?? 0);
      if (this.held.has(f.id) && more > 0) {
        problems.push(`${f.path}: in the bucket already, downloaded whole ${more} more time(s)`);
      } else if (more > 1) {
        problems.push(`${f.path}: downloaded whole ${more} times in one run`);
      }
    }
    return problems;
  }
}
