import { createCipheriv, createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { QuickXorHash } from '../../../src/core/hash/quickxor.js';

/** A file's bytes in the simulator: either held in memory or generated on demand. */
export interface SimContent {
  readonly size: number;
  /** base64 QuickXorHash, computed once (for generated content, by generating it once). */
  readonly quickXorHash: string;
  /** Bytes [start, end) as a stream that respects back-pressure; never buffers the whole range. */
  stream(start?: number, end?: number): Readable;
  /** The whole content in memory: for small files in tests. */
  read(): Promise<Buffer>;
}

/** What tests hand in: literal bytes, or a size + seed for large deterministic content. */
export type ContentSpec =
  Buffer | string | { size: number; seed: number | string; quickXorHash?: string };

const CHUNK = 256 * 1024;
const ZEROS = Buffer.alloc(4 * 1024 * 1024);

export function makeContent(spec: ContentSpec): SimContent {
  if (typeof spec === 'string') return new BufferContent(Buffer.from(spec));
  if (Buffer.isBuffer(spec)) return new BufferContent(spec);
  return new GeneratedContent(spec.size, spec.seed, spec.quickXorHash);
}

class BufferContent implements SimContent {
  private hash: string | undefined;
  constructor(private readonly data: Buffer) {}
  get size(): number {
    return this.data.length;
  }
  get quickXorHash(): string {
    this.hash ??= new QuickXorHash().update(this.data).digest();
    return this.hash;
  }
  stream(start = 0, end = this.size): Readable {
    const data = this.data;
    let at = start;
    return new Readable({
      highWaterMark: CHUNK,
      read() {
        if (at >= end) return void this.push(null);
        const next = Math.min(end, at + CHUNK);
        const chunk = data.subarray(at, next);
        at = next;
        this.push(chunk);
      },
    });
  }
  read(): Promise<Buffer> {
    return Promise.resolve(Buffer.from(this.data));
  }
}

/**
 * Pseudo-random bytes from AES-128-CTR over zeros: any offset is reachable directly (the counter
 * is the 16-byte block index), so a Range request into a multi-GiB file costs nothing extra, and
 * OpenSSL generates GiBs per second.
 */
class GeneratedContent implements SimContent {
  private readonly key: Buffer;
  private hash: string | undefined;

  constructor(
    readonly size: number,
    seed: number | string,
    knownHash?: string,
  ) {
    if (!Number.isSafeInteger(size) || size < 0) {
      throw new TypeError(`Expected \`size\` to be a whole number >= 0, got ${size}`);
    }
    this.key = createHash('sha256').update(`graph-sim:${seed}`).digest().subarray(0, 16);
    this.hash = knownHash;
  }

  get quickXorHash(): string {
    if (this.hash === undefined) {
      const h = new QuickXorHash();
      const gen = this.generator(0);
      for (let at = 0; at < this.size;) {
        const n = Math.min(4 * 1024 * 1024, this.size - at);
        h.update(gen(n));
        at += n;
      }
      this.hash = h.digest();
    }
    return this.hash;
  }

  stream(start = 0, end = this.size): Readable {
    const gen = this.generator(start);
    let at = start;
    return new Readable({
      highWaterMark: CHUNK,
      read() {
        if (at >= end) return void this.push(null);
        const n = Math.min(CHUNK, end - at);
        at += n;
        this.push(gen(n));
      },
    });
  }

  async read(): Promise<Buffer> {
    const parts: Buffer[] = [];
    for await (const chunk of this.stream()) parts.push(chunk as Buffer);
    return Buffer.concat(parts);
  }

  /** Returns a function that yields the next n bytes starting at `start`. */
  private generator(start: number): (n: number) => Buffer {
    const iv = Buffer.alloc(16);
    iv.writeBigUInt64BE(BigInt(Math.floor(start / 16)), 8);
    const cipher = createCipheriv('aes-128-ctr', this.key, iv);
    const skip = start % 16;
    if (skip > 0) cipher.update(Buffer.alloc(skip));
    return (n) => cipher.update(n <= ZEROS.length ? ZEROS.subarray(0, n) : Buffer.alloc(n));
  }
}
