import { randomBytes } from 'node:crypto';
import {
  CryptoProvider,
  type AccountInfo,
  type ConfidentialClientApplication,
} from '@azure/msal-node';
import { systemClock, type Clock } from '../clock.js';
import type { SyncError } from '../errors.js';
import { redact } from '../log/redact.js';
import { classifyAuthFailure } from './classify.js';
import type { MsalApp } from './msal-app.js';

export interface WebAuthFlowOptions {
  app: Extract<MsalApp, { flow: 'web' }>;
  /** The registered redirect URI (`https://host:port/code`). */
  redirectUri: string;
  scopes?: string[];
  clock?: Clock;
  /** How long a /grant stays redeemable. Default 10 minutes. */
  stateTtlMs?: number;
  /** Pending grants kept at most; the oldest is dropped first. Default 20. */
  maxPending?: number;
}

export type CodeOutcome =
  | { ok: true; account: AccountInfo }
  | {
      ok: false;
      /** 400: the request is refused and nothing changed; 502: Microsoft's side failed. */
      status: 400 | 502;
      reason: 'bad-request' | 'unknown-state' | 'denied' | 'exchange-failed';
      message: string;
      error?: SyncError;
    };

interface Pending {
  verifier: string;
  nonce: string;
  expiresAt: number;
}

/**
 * The Web platform's authorization-code flow, minus HTTP: `begin` makes the authorize URL with
 * a fresh `state`, PKCE pair and nonce remembered server-side; `complete` redeems a callback
 * only for a state it issued, once, before it expires. The tokens file changes only after a
 * successful exchange.
 */
export class WebAuthFlow {
  private readonly client: ConfidentialClientApplication;
  private readonly pending = new Map<string, Pending>();
  private readonly crypto = new CryptoProvider();
  private readonly scopes: string[];
  private readonly clock: Clock;
  private readonly ttl: number;
  private readonly maxPending: number;

  constructor(private readonly options: WebAuthFlowOptions) {
    this.client = options.app.client;
    this.scopes = options.scopes ?? [...options.app.onedrive.scopes];
    this.clock = options.clock ?? systemClock;
    this.ttl = options.stateTtlMs ?? 10 * 60_000;
    this.maxPending = options.maxPending ?? 20;
  }

  /** The URL to send the browser to. */
  async begin(): Promise<string> {
    this.expire();
    const state = randomBytes(32).toString('base64url');
    const nonce = randomBytes(16).toString('base64url');
    const { verifier, challenge } = await this.crypto.generatePkceCodes();
    while (this.pending.size >= this.maxPending) {
      const oldest = this.pending.keys().next().value;
      if (oldest === undefined) break;
      this.pending.delete(oldest);
    }
    this.pending.set(state, { verifier, nonce, expiresAt: this.clock.now() + this.ttl });
    return this.client.getAuthCodeUrl({
      scopes: this.scopes,
      redirectUri: this.options.redirectUri,
      responseMode: 'query',
      state,
      nonce,
      codeChallenge: challenge,
      codeChallengeMethod: 'S256',
      prompt: 'select_account',
    });
  }

  /** Redeems the query the browser brought back to the redirect URI. */
  async complete(query: URLSearchParams): Promise<CodeOutcome> {
    this.expire();
    for (const key of ['state', 'code', 'error']) {
      if (query.getAll(key).length > 1) return refuse('bad-request', `"${key}" appears twice.`);
    }
    const state = query.get('state');
    if (!state) return refuse('bad-request', 'The request carries no "state".');
    const pending = this.pending.get(state);
    if (!pending) {
      return refuse(
        'unknown-state',
        'This sign-in link is unknown, expired or already used. Start again from /grant.',
      );
    }
    this.pending.delete(state); // single use, whatever happens next
    const error = query.get('error');
    if (error) {
      const description = (query.get('error_description') ?? '').slice(0, 500);
      return {
        ok: false,
        status: 400,
        reason: 'denied',
        message: redact(
          `Microsoft did not grant access: ${error}${description ? ` — ${description}` : ''}`,
        ),
      };
    }
    const code = query.get('code');
    if (!code) return refuse('bad-request', 'The request carries no "code".');
    try {
      const result = await this.client.acquireTokenByCode(
        {
          code,
          scopes: this.scopes,
          redirectUri: this.options.redirectUri,
          codeVerifier: pending.verifier,
          nonce: pending.nonce,
          state,
        },
        {
          code,
          state,
          ...(query.get('client_info') ? { client_info: query.get('client_info') as string } : {}),
        },
      );
      if (!result.account) throw new Error('the token response named no account');
      await forgetOtherAccounts(this.options.app, result.account);
      return { ok: true, account: result.account };
    } catch (raw) {
      const failure = classifyAuthFailure(raw);
      return {
        ok: false,
        status: 502,
        reason: 'exchange-failed',
        message: `Exchanging the code failed: ${failure.message}`,
        error: failure,
      };
    }
  }

  /** Grants still redeemable (for tests and status). */
  get pendingCount(): number {
    this.expire();
    return this.pending.size;
  }

  private expire(): void {
    const now = this.clock.now();
    for (const [state, p] of this.pending) if (p.expiresAt <= now) this.pending.delete(state);
  }
}

/** One account per tokens file: a new authorization replaces whoever signed in before. */
export async function forgetOtherAccounts(app: MsalApp, keep: AccountInfo): Promise<void> {
  const cache = app.client.getTokenCache();
  for (const other of await cache.getAllAccounts()) {
    if (other.homeAccountId !== keep.homeAccountId) await cache.removeAccount(other);
  }
}

function refuse(reason: 'bad-request' | 'unknown-state', message: string): CodeOutcome {
  return { ok: false, status: 400, reason, message };
}
