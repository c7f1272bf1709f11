import { randomBytes, randomUUID } from 'node:crypto';

/** The tenant id Microsoft uses for personal (consumer) accounts. */
export const CONSUMERS_TENANT_ID = '9188040d-6c67-4c5b-b112-36a304b66dad';

export interface SimUser {
  oid: string;
  username: string;
  name: string;
}

export function defaultUser(): SimUser {
  return { oid: randomUUID(), username: 'backup.owner@outlook.com', name: 'Backup Owner' };
}

export const b64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url');

/** An opaque random token, prefixed so a test failure message shows which kind it is. */
export const opaque = (kind: string): string => `${kind}.${randomBytes(24).toString('base64url')}`;

/**
 * An id_token as MSAL reads it: three dot-separated parts (MSAL decodes, it does not verify the
 * signature), the nonce echoed from the authorize request, and the claims MSAL builds the
 * account from.
 */
export function idToken(options: {
  issuer: string;
  clientId: string;
  tenantId: string;
  user: SimUser;
  nonce?: string | undefined;
  nowSeconds: number;
}): string {
  const { user, nowSeconds } = options;
  const header = { typ: 'JWT', alg: 'RS256', kid: 'sim' };
  const claims = {
    ver: '2.0',
    iss: options.issuer,
    aud: options.clientId,
    iat: nowSeconds,
    nbf: nowSeconds,
    exp: nowSeconds + 3600,
    oid: user.oid,
    sub: b64url(`${user.oid}:${options.clientId}`),
    tid: options.tenantId,
    preferred_username: user.username,
    name: user.name,
    ...(options.nonce ? { nonce: options.nonce } : {}),
  };
  return [
    b64url(JSON.stringify(header)),
    b64url(JSON.stringify(claims)),
    b64url('sim-signature'),
  ].join('.');
}

/** client_info: how MSAL learns the home account id (uid.utid). */
export function clientInfo(user: SimUser, tenantId: string): string {
  return b64url(JSON.stringify({ uid: user.oid, utid: tenantId }));
}
