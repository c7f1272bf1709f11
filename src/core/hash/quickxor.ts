/**
 * Microsoft's QuickXorHash (the hash OneDrive Personal reports as `file.hashes.quickXorHash`).
 *
 * Byte n of the input is XORed into a 160-bit circular register at bit offset (n * 11) mod 160;
 * the final digest XORs the total length (64-bit little-endian) into the register's last 8
 * bytes. Bytes 160 apart land at the same offset, so each chunk is first folded into 160 lanes.
 *
 * The state (register + length) is small and serializable, so a multipart upload interrupted
 * after part N can resume hashing where it stopped instead of re-reading the file.
 */
const WIDTH_BITS = 160;
const WIDTH_BYTES = 20;
const SHIFT = 11;

export interface QuickXorState {
  /** base64 of the 20-byte register */
  register: string;
  /** bytes hashed so far */
  length: number;
}

export class QuickXorHash {
  private readonly register = new Uint8Array(WIDTH_BYTES);
  private readonly lanes = new Uint8Array(WIDTH_BITS);
  private length = 0;

  static from(state: QuickXorState): QuickXorHash {
    const hash = new QuickXorHash();
    hash.register.set(Buffer.from(state.register, 'base64'));
    hash.length = state.length;
    return hash;
  }

  get bytesHashed(): number {
    return this.length;
  }

  update(chunk: Uint8Array): this {
    const n = chunk.length;
    if (n === 0) return this;
    const lanes = this.lanes;
    lanes.fill(0);
    const used = Math.min(n, WIDTH_BITS);
    for (let lane = 0; lane < used; lane++) {
      let x = 0;
      for (let j = lane; j < n; j += WIDTH_BITS) x ^= chunk[j] as number;
      lanes[lane] = x;
    }
    // Byte 0 of this chunk sits at the offset where the previous chunks left off.
    const start = (this.length % WIDTH_BITS) * SHIFT;
    for (let lane = 0; lane < used; lane++) {
      const value = lanes[lane] as number;
      if (value === 0) continue;
      const bit = (start + lane * SHIFT) % WIDTH_BITS;
      const byte = bit >> 3;
      const offset = bit & 7;
      this.register[byte] = (this.register[byte] as number) ^ ((value << offset) & 0xff);
      if (offset !== 0) {
        const next = (byte + 1) % WIDTH_BYTES;
        this.register[next] = (this.register[next] as number) ^ (value >> (8 - offset));
      }
    }
    this.length += n;
    return this;
  }

  state(): QuickXorState {
    return { register: Buffer.from(this.register).toString('base64'), length: this.length };
  }

  /** base64, as Graph reports it. Does not change the state. */
  digest(): string {
    const out = Buffer.from(this.register);
    let length = BigInt(this.length);
    for (let i = 0; i < 8; i++) {
      out[WIDTH_BYTES - 8 + i] = (out[WIDTH_BYTES - 8 + i] as number) ^ Number(length & 0xffn);
      length >>= 8n;
    }
    return out.toString('base64');
  }
}

export function quickXorHash(data: Uint8Array): string {
  return new QuickXorHash().update(data).digest();
}
