import type { SecretCodec } from '../../../src/app/settings/secrets.js';

/** Stands in for safeStorage: reversible, and the plain text never appears in its output. */
export function fakeCodec(available = true): SecretCodec & { calls: number } {
  const codec = {
    calls: 0,
    available: () => available,
    encrypt(plain: string): Buffer {
      codec.calls++;
      return Buffer.from(Buffer.from(plain, 'utf8').map((b) => b ^ 0x5a));
    },
    decrypt(cipher: Buffer): string {
      return Buffer.from(cipher.map((b) => b ^ 0x5a)).toString('utf8');
    },
  };
  return codec;
}
