/**
 * Secrets entered in Settings, encrypted with the OS keyring (Electron's safeStorage, passed in
 * as a codec so this file stays testable under plain Node). One small JSON file next to
 * config.toml maps env-variable names to ciphertext; the app injects the decrypted values as
 * the env fallback the config validator already supports, so config.toml never holds them.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from '../../core/errors.js';

export interface SecretCodec {
  /** False when the OS offers no keyring (then nothing may be stored). */
  available(): boolean;
  encrypt(plain: string): Buffer;
  decrypt(cipher: Buffer): string;
}

interface SecretsFile {
  v: 1;
  note: string;
  values: Record<string, string>;
}

export const SECRETS_FILE_NAME = 'secrets.json';

export class SecretStore {
  constructor(
    readonly file: string,
    private readonly codec: SecretCodec,
  ) {}

  get available(): boolean {
    return this.codec.available();
  }

  /** Decrypted values by env name; an absent file is simply empty. */
  read(): Record<string, string> {
    let raw: string;
    try {
      raw = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
    const parsed = JSON.parse(raw) as Partial<SecretsFile>;
    const out: Record<string, string> = {};
    if (!parsed.values || Object.keys(parsed.values).length === 0) return out;
    if (!this.codec.available())
      throw new ConfigError(
        `${this.file}: the stored secrets cannot be decrypted because the system keyring is not available.`,
        {
          code: 'secrets-locked',
          hint: 'Unlock the keyring, or enter the secrets again in Settings.',
        },
      );
    for (const [name, cipher] of Object.entries(parsed.values)) {
      try {
        out[name] = this.codec.decrypt(Buffer.from(cipher, 'base64'));
      } catch (error) {
        throw new ConfigError(`${this.file}: cannot decrypt the stored value of ${name}.`, {
          cause: error,
          code: 'secrets-unreadable',
          hint: 'Enter the secret again in Settings.',
        });
      }
    }
    return out;
  }

  /** Replaces the stored set (atomic write, owner-only permissions). */
  write(values: Record<string, string>): void {
    const entries = Object.entries(values).filter(([, v]) => v !== '');
    if (entries.length && !this.codec.available())
      throw new ConfigError(
        'No system keyring is available to encrypt secrets, so they cannot be saved by the app.',
        {
          code: 'secrets-unavailable',
          hint: `Set them as environment variables instead: ${entries.map(([k]) => k).join(', ')}.`,
        },
      );
    const data: SecretsFile = {
      v: 1,
      note: 'Encrypted by cloud-sync with the system keyring (Electron safeStorage). Only this user on this machine can read them.',
      values: Object.fromEntries(
        entries.map(([k, v]) => [k, this.codec.encrypt(v).toString('base64')]),
      ),
    };
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(data, null, 2) + '\n', { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.file);
  }
}
