import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { escapeAttr, json, oauthError, pkceMatches, readBody } from './http.js';
import { testCertificate } from './tls.js';
import {
  CONSUMERS_TENANT_ID,
  clientInfo,
  defaultUser,
  idToken,
  opaque,
  type SimUser,
} from './tokens.js';

export interface SimClient {
  clientId: string;
  /** Present: a confidential ("Web") client that must send it. */
  secret?: string;
  /** Exact redirect URIs; public clients may also use any http://localhost:PORT loopback. */
  redirectUris?: string[];
}

interface PendingCode {
  clientId: string;
  redirectUri: string;
  scope: string;
  challenge: string | undefined;
  nonce: string | undefined;
  expiresAt: number;
}

type Fault =
  { kind: 'unavailable'; status: number; retryAfterSeconds?: number } | { kind: 'invalid_grant' };

/**
 * A Microsoft identity platform (v2.0 endpoints) on 127.0.0.1 over TLS, enough for MSAL's
 * authorization-code (query and form_post) and refresh-token flows, with refresh-token
 * rotation, fault knobs and counters. It serves nothing else: any request MSAL might send for
 * discovery lands in `unexpected`, which tests assert stays empty.
 */
export class IdentitySimulator {
  readonly counters = { authorize: 0, token: 0, authorizationCode: 0, refresh: 0, faults: 0 };
  /** Every access token handed out; the Graph simulator accepts these as bearer tokens. */
  readonly issuedAccessTokens = new Set<string>();
  /** Requests to paths this simulator does not serve (discovery, anything else). */
  readonly unexpected: string[] = [];
  /** Seconds until an access token expires; under 300 makes MSAL refresh on every silent call. */
  accessTokenLifetimeSeconds = 3600;
  user: SimUser = defaultUser();
  readonly tenantId = CONSUMERS_TENANT_ID;

  private readonly clients = new Map<string, SimClient>();
  private readonly codes = new Map<string, PendingCode>();
  private readonly refreshTokens = new Map<string, { clientId: string; scope: string }>();
  private readonly faults: Fault[] = [];
  private denial: { error: string; description: string } | undefined;

  private readonly server: Server;
  /** PEM certificate clients must trust. */
  readonly ca: string;

  private constructor(tls: { key: string; cert: string }) {
    this.ca = tls.cert;
    this.server = createServer(tls, (req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500);
        res.end(String(error));
      });
    });
  }

  static async start(): Promise<IdentitySimulator> {
    const sim = new IdentitySimulator(await testCertificate());
    await new Promise<void>((resolve) => sim.server.listen(0, '127.0.0.1', resolve));
    return sim;
  }

  /** https://127.0.0.1:PORT */
  get origin(): string {
    return `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  authority(tenant = 'consumers'): string {
    return `${this.origin}/${tenant}`;
  }

  /** The endpoint metadata MSAL needs so it never asks a discovery service. */
  authorityMetadata(tenant = 'consumers'): string {
    const base = this.authority(tenant);
    return JSON.stringify({
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      token_endpoint: `${base}/oauth2/v2.0/token`,
      issuer: `${base}/v2.0`,
      jwks_uri: `${base}/discovery/v2.0/keys`,
    });
  }

  cloudDiscoveryMetadata(tenant = 'consumers'): string {
    const host = new URL(this.origin).host;
    return JSON.stringify({
      tenant_discovery_endpoint: `${this.authority(tenant)}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    });
  }

  registerClient(client: SimClient): void {
    this.clients.set(client.clientId, client);
  }

  /** The next token request(s) answer 503 (or `status`), optionally with Retry-After. */
  failNextToken(
    kind: 'unavailable',
    options?: { status?: number; retryAfterSeconds?: number },
  ): void;
  /** The next token request answers 400 invalid_grant whatever it carries. */
  failNextToken(kind: 'invalid_grant'): void;
  failNextToken(
    kind: Fault['kind'],
    options: { status?: number; retryAfterSeconds?: number } = {},
  ): void {
    this.faults.push(
      kind === 'unavailable'
        ? { kind, status: options.status ?? 503, ...options }
        : { kind: 'invalid_grant' },
    );
  }

  /** The next authorize request redirects back with this error instead of a code. */
  denyNextAuthorize(error = 'access_denied', description = 'The user has denied access.'): void {
    this.denial = { error, description };
  }

  /** Refresh tokens currently valid (rotation removes each one as it is used). */
  get activeRefreshTokens(): string[] {
    return [...this.refreshTokens.keys()];
  }

  /** A refresh token issued out of band (as if by another tool using the same app). */
  grantRefreshToken(clientId: string, scope = 'offline_access Files.Read'): string {
    const token = opaque('rt');
    this.refreshTokens.set(token, { clientId, scope });
    return token;
  }

  revokeRefreshTokens(): void {
    this.refreshTokens.clear();
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    const match = /^\/([^/]+)\/oauth2\/v2\.0\/(authorize|token)$/.exec(url.pathname);
    if (match?.[2] === 'authorize' && req.method === 'GET') return this.authorize(url, res);
    if (match?.[2] === 'token' && req.method === 'POST') {
      return this.token(new URLSearchParams(await readBody(req)), res);
    }
    this.unexpected.push(`${req.method} ${url.pathname}`);
    json(res, 404, { error: 'not_found' });
  }

  private authorize(url: URL, res: ServerResponse): void {
    this.counters.authorize++;
    const q = url.searchParams;
    const client = this.clients.get(q.get('client_id') ?? '');
    const redirectUri = q.get('redirect_uri') ?? '';
    if (!client || !this.redirectAllowed(client, redirectUri)) {
      res.writeHead(400, { 'content-type': 'text/html' });
      res.end('<p>AADSTS50011: the redirect URI does not match the app registration.</p>');
      return;
    }
    const challenge = q.get('code_challenge') ?? undefined;
    const reply: Record<string, string> = {};
    if (this.denial) {
      reply.error = this.denial.error;
      reply.error_description = this.denial.description;
      this.denial = undefined;
    } else if (q.get('response_type') !== 'code') {
      reply.error = 'unsupported_response_type';
    } else if (!client.secret && (!challenge || q.get('code_challenge_method') !== 'S256')) {
      reply.error = 'invalid_request';
      reply.error_description = 'AADSTS9002325: PKCE is required for public clients.';
    } else {
      const code = opaque('code');
      this.codes.set(code, {
        clientId: client.clientId,
        redirectUri,
        scope: q.get('scope') ?? '',
        challenge,
        nonce: q.get('nonce') ?? undefined,
        expiresAt: Date.now() + 10 * 60_000,
      });
      reply.code = code;
      reply.client_info = clientInfo(this.user, this.tenantId);
    }
    const state = q.get('state');
    if (state !== null) reply.state = state;
    if (q.get('response_mode') === 'form_post') {
      const inputs = Object.entries(reply)
        .map(([k, v]) => `<input type="hidden" name="${k}" value="${escapeAttr(v)}">`)
        .join('');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        `<html><body onload="document.forms[0].submit()"><form method="POST" action="${escapeAttr(redirectUri)}">${inputs}</form></body></html>`,
      );
      return;
    }
    const target = new URL(redirectUri);
    for (const [k, v] of Object.entries(reply)) target.searchParams.set(k, v);
    res.writeHead(302, { location: target.toString() });
    res.end();
  }

  private token(body: URLSearchParams, res: ServerResponse): void {
    this.counters.token++;
    const fault = this.faults.shift();
    if (fault) {
      this.counters.faults++;
      if (fault.kind === 'invalid_grant') return oauthError(res, 400, 'invalid_grant', 70000);
      res.setHeader('content-type', 'application/json');
      if (fault.retryAfterSeconds !== undefined)
        res.setHeader('retry-after', String(fault.retryAfterSeconds));
      return oauthError(res, fault.status, 'temporarily_unavailable', 50001);
    }
    const client = this.clients.get(body.get('client_id') ?? '');
    if (!client) return oauthError(res, 400, 'unauthorized_client', 700016);
    if (client.secret !== undefined && body.get('client_secret') !== client.secret)
      return oauthError(res, 401, 'invalid_client', 7000215);
    const grant = body.get('grant_type');
    if (grant === 'authorization_code') {
      const code = body.get('code') ?? '';
      const pending = this.codes.get(code);
      this.codes.delete(code);
      if (
        !pending ||
        pending.expiresAt < Date.now() ||
        pending.clientId !== client.clientId ||
        pending.redirectUri !== body.get('redirect_uri') ||
        !pkceMatches(pending.challenge, body.get('code_verifier'))
      )
        return oauthError(res, 400, 'invalid_grant', 70000);
      this.counters.authorizationCode++;
      return this.issue(res, client.clientId, pending.scope, pending.nonce);
    }
    if (grant === 'refresh_token') {
      const presented = body.get('refresh_token') ?? '';
      const known = this.refreshTokens.get(presented);
      if (!known || known.clientId !== client.clientId)
        return oauthError(res, 400, 'invalid_grant', 70000);
      this.refreshTokens.delete(presented); // rotation: a refresh token works once
      this.counters.refresh++;
      return this.issue(res, client.clientId, body.get('scope') ?? known.scope, undefined);
    }
    oauthError(res, 400, 'unsupported_grant_type', 70003);
  }

  private issue(res: ServerResponse, clientId: string, scope: string, nonce?: string): void {
    const accessToken = opaque('at');
    const refreshToken = opaque('rt');
    this.issuedAccessTokens.add(accessToken);
    this.refreshTokens.set(refreshToken, { clientId, scope });
    json(res, 200, {
      token_type: 'Bearer',
      scope,
      expires_in: this.accessTokenLifetimeSeconds,
      ext_expires_in: this.accessTokenLifetimeSeconds,
      access_token: accessToken,
      refresh_token: refreshToken,
      id_token: idToken({
        issuer: `${this.origin}/${this.tenantId}/v2.0`,
        clientId,
        tenantId: this.tenantId,
        user: this.user,
        nonce,
        nowSeconds: Math.floor(Date.now() / 1000),
      }),
      client_info: clientInfo(this.user, this.tenantId),
    });
  }

  private redirectAllowed(client: SimClient, redirectUri: string): boolean {
    if (client.redirectUris?.includes(redirectUri)) return true;
    // Azure lets public clients use any port on the loopback redirect.
    return !client.secret && /^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?\/?$/.test(redirectUri);
  }
}
