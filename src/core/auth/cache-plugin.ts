import { createHash } from 'node:crypto';
import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import { silentLogger, type Logger } from '../log/logger.js';
import { readFileIfExists, writeFileAtomic } from './atomic-file.js';

/**
 * Seals the token cache at rest. The Electron app passes one built on `safeStorage`; the
 * headless CLI relies on the file's 0600 mode instead.
 */
export interface TokenCodec {
  encrypt(plain: Buffer): Buffer;
  decrypt(sealed: Buffer): Buffer;
}

/** Why the file on disk could not be used as a token cache; it is kept, never deleted. */
export type CacheFileProblem =
  { kind: 'undecodable'; message: string } | { kind: 'legacy'; message: string };

export interface FileCachePluginOptions {
  path: string;
  codec?: TokenCodec | undefined;
  /** Values that must never reach the file (the client secret); a write containing one fails. */
  forbidden?: ReadonlyArray<string | undefined>;
  logger?: Logger;
}

const MSAL_SECTIONS = ['Account', 'IdToken', 'AccessToken', 'RefreshToken', 'AppMetadata'];

/**
 * MSAL's token cache persisted at `tokens_path`. The file is re-read before every cache access,
 * so a new authorization written by another process (the CLI while the daemon runs, or the
 * tray's listener) is picked up without a restart; every change is written atomically, mode 0600.
 */
export class FileCachePlugin implements ICachePlugin {
  readonly path: string;
  private readonly codec: TokenCodec | undefined;
  private readonly forbidden: string[];
  private readonly logger: Logger;
  private loadedDigest: string | undefined;
  /** Set when the last read found a file it could not use. */
  problem: CacheFileProblem | undefined;
  /** The refresh token of a tokens file written by the original tool, for a one-time migration. */
  legacyRefreshToken: string | undefined;

  constructor(options: FileCachePluginOptions) {
    this.path = options.path;
    this.codec = options.codec;
    this.forbidden = (options.forbidden ?? []).filter((s): s is string => !!s && s.length >= 6);
    this.logger = options.logger ?? silentLogger;
  }

  async beforeCacheAccess(context: TokenCacheContext): Promise<void> {
    const raw = await readFileIfExists(this.path);
    this.loadedDigest = digestOf(raw);
    this.problem = undefined;
    this.legacyRefreshToken = undefined;
    if (raw === undefined || raw.length === 0) return;
    const text = this.decode(raw);
    if (text === undefined) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      this.fail('undecodable', 'it is not valid JSON');
      return;
    }
    if (!isRecord(parsed)) {
      this.fail('undecodable', 'it is not a JSON object');
      return;
    }
    if (typeof parsed.refresh_token === 'string' && !MSAL_SECTIONS.some((k) => k in parsed)) {
      // The original cloud_sync wrote {access_token, refresh_token, granted_at, …} here.
      this.legacyRefreshToken = parsed.refresh_token;
      this.problem = {
        kind: 'legacy',
        message: `${this.path} holds tokens written by the original cloud_sync`,
      };
      return;
    }
    context.tokenCache.deserialize(text);
  }

  async afterCacheAccess(context: TokenCacheContext): Promise<void> {
    if (!context.cacheHasChanged) return;
    const text = context.tokenCache.serialize();
    if (this.forbidden.some((secret) => text.includes(secret))) {
      throw new Error(`refusing to write a secret into ${this.path}`);
    }
    const plain = Buffer.from(text, 'utf8');
    const bytes = this.codec ? this.codec.encrypt(plain) : plain;
    await writeFileAtomic(this.path, bytes, { mode: 0o600 });
    this.loadedDigest = digestOf(bytes);
    this.problem = undefined;
    this.legacyRefreshToken = undefined;
  }

  /** A fingerprint of the file as last read or written (undefined: there was none). */
  get digest(): string | undefined {
    return this.loadedDigest;
  }

  /** Whether the file differs from `digest` now (someone authorized, or it was removed). */
  async changedSince(digest: string | undefined): Promise<boolean> {
    return digestOf(await readFileIfExists(this.path)) !== digest;
  }

  private decode(raw: Buffer): string | undefined {
    // A plain JSON file stays readable with a codec (first start of the app after the CLI):
    // it is sealed on the next write. Sealed bytes never start with '{'.
    if (raw[0] === 0x7b) return raw.toString('utf8');
    if (!this.codec) {
      this.fail('undecodable', 'it is encrypted (written by the desktop app?)');
      return undefined;
    }
    try {
      return this.codec.decrypt(raw).toString('utf8');
    } catch (error) {
      this.fail('undecodable', `it cannot be decrypted (${(error as Error).message})`);
      return undefined;
    }
  }

  private fail(kind: 'undecodable', why: string): void {
    const message = `${this.path} cannot be used as a token cache: ${why}. It is kept; authorizing again replaces it.`;
    this.problem = { kind, message };
    this.logger.warn(message);
  }
}

function digestOf(bytes: Buffer | undefined): string | undefined {
  return bytes === undefined ? undefined : createHash('sha256').update(bytes).digest('hex');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
