import { retryable } from '../errors.js';
import type { QuickXorHash, QuickXorState } from '../hash/quickxor.js';

/** One part cut from the source, with where the source stands after it. */
export interface CutPart {
  partNumber: number;
  body: Buffer;
  /** Absolute byte offset just past this part. */
  end: number;
  /** Hash state after `end` bytes (what a checkpoint needs to resume here). */
  hash: QuickXorState | undefined;
}

export interface CutPlan {
  key: string;
  /** Absolute offset the source starts at (0, or where a resumed upload continues). */
  start: number;
  /** Expected total size of the object. */
  size: number;
  partSize: number;
  firstPart: number;
  /** Fed every byte in order; optional for small uploads without an expected hash. */
  hasher?: QuickXorHash;
  /** Where part buffers come from (a pool reusing sent parts); default a new buffer each. */
  alloc?: (size: number) => Buffer;
}

/**
 * Reads the source sequentially into part-sized buffers, hashing and counting as it goes. Each
 * buffer is allocated only when its first byte arrives, so the caller's pace (it pulls the next
 * part only when it has room) bounds memory. More or fewer bytes than `size` is an error: a file
 * that changed while being read must not be stored under the old description.
 */
export async function* cutParts(
  source: AsyncIterable<unknown>,
  plan: CutPlan,
): AsyncGenerator<CutPart> {
  const { key, size, partSize, hasher } = plan;
  const alloc = plan.alloc ?? ((n: number) => Buffer.allocUnsafe(n));
  let offset = plan.start;
  let partNumber = plan.firstPart;
  let body: Buffer | undefined;
  let filled = 0;
  for await (const raw of source) {
    let chunk = toBytes(raw);
    while (chunk.length > 0) {
      if (body === undefined) {
        if (offset >= size) throw sizeMismatch(key, size, `more than ${size}`);
        body = alloc(Math.min(partSize, size - offset));
        filled = 0;
      }
      const take = Math.min(chunk.length, body.length - filled);
      const piece = chunk.subarray(0, take);
      body.set(piece, filled);
      hasher?.update(piece);
      filled += take;
      offset += take;
      chunk = chunk.subarray(take);
      if (filled === body.length) {
        const part: CutPart = { partNumber, body, end: offset, hash: hasher?.state() };
        body = undefined;
        partNumber++;
        yield part;
      }
    }
  }
  if (offset < size) throw sizeMismatch(key, size, String(offset));
}

function toBytes(raw: unknown): Uint8Array {
  if (raw instanceof Uint8Array) return raw;
  if (typeof raw === 'string') return Buffer.from(raw);
  throw new TypeError(`Expected the source to yield bytes, got ${typeof raw}`);
}

/** The source delivered a different number of bytes than announced: retry the item later. */
export function sizeMismatch(key: string, expected: number, got: string) {
  return retryable(`"${key}": read ${got} bytes, expected ${expected}; nothing was stored`, {
    code: 'size-mismatch',
    hint: 'The file probably changed while it was being read; it will be tried again.',
  });
}

export function hashMismatch(key: string, expected: string, got: string) {
  return retryable(`"${key}": content hashes to ${got}, expected ${expected}; nothing was stored`, {
    code: 'hash-mismatch',
    hint: 'The file probably changed while it was being read; it will be tried again.',
  });
}
