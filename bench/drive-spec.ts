import { createHash } from 'node:crypto';
import type { SimDrive } from '../test/sim/graph/index.js';

/** A generated part of the simulated drive: `files` files under `root`, in nested folders. */
export interface DriveSpec {
  /** Folder the files go under, e.g. "B3". */
  root: string;
  files: number;
  /** Bytes per file. */
  size: number;
  /**
   * 'generated': real bytes, generated on the fly from a seed (AES-CTR, any offset), hash
   * computed at build time. 'declared': size and a quickXorHash only; the bytes are never
   * meant to be read (a download would not match the hash, so an upload would fail loudly).
   */
  content: 'generated' | 'declared';
  /** Files per folder. Default 100. */
  perFolder?: number;
  /** Folders per level above the files. Default 10. */
  fanout?: number;
  /** File name extension. Default "bin". */
  ext?: string;
}

/**
 * Where file `i` goes: folders of `perFolder` files, nested `fanout` wide, so the simulator's
 * per-folder name checks stay cheap and the tree looks like a drive's (100k files → 1,000
 * folders three levels deep).
 */
export function filePath(spec: DriveSpec, i: number): string {
  const perFolder = spec.perFolder ?? 100;
  const fanout = spec.fanout ?? 10;
  const leaves = Math.ceil(spec.files / perFolder);
  let depth = 0;
  for (let cap = 1; cap < leaves; cap *= fanout) depth++;
  const parts = [spec.root];
  const leaf = Math.floor(i / perFolder);
  for (let level = depth - 1; level >= 0; level--) {
    parts.push(`d${Math.floor(leaf / fanout ** level) % fanout}`);
  }
  parts.push(`file-${String(i).padStart(7, '0')}.${spec.ext ?? 'bin'}`);
  return parts.join('/');
}

export interface BuildTotals {
  files: number;
  bytes: number;
}

export function buildDrive(drive: SimDrive, spec: DriveSpec): BuildTotals {
  for (let i = 0; i < spec.files; i++) {
    const seed = `${spec.root}-${i}`;
    const quickXorHash =
      spec.content === 'declared'
        ? createHash('sha1').update(seed).digest('base64') // 20 bytes, like a real one
        : undefined;
    drive.addFile(filePath(spec, i), {
      size: spec.size,
      seed,
      ...(quickXorHash ? { quickXorHash } : {}),
    });
  }
  return { files: spec.files, bytes: spec.files * spec.size };
}
