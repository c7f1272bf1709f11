import {
  AuthError as MsalAuthError,
  InteractionRequiredAuthError,
  ServerError,
} from '@azure/msal-node';
import { AuthError, fatal, retryable, SyncError } from '../errors.js';
import { redact } from '../log/redact.js';
import { IdentityUnavailableError } from './network.js';

// Server answers that only a person signing in again can fix.
const NEEDS_PERSON = new Set([
  'invalid_grant',
  'interaction_required',
  'consent_required',
  'login_required',
  'bad_token',
  'no_tokens_found',
  'refresh_token_expired',
  'no_account_in_silent_request',
  'native_account_unavailable',
]);
// Answers that mean "not now" rather than "no".
const TRANSIENT = new Set(['temporarily_unavailable', 'server_error', 'network_error']);

/**
 * What the engine should do with a failure from MSAL: wait and retry (the tokens are fine),
 * stop and ask for authorization (AuthError), or stop because something is misconfigured.
 */
export function classifyAuthFailure(error: unknown): SyncError {
  if (error instanceof SyncError) return error;
  if (error instanceof IdentityUnavailableError) {
    return retryable(`Microsoft sign-in is unavailable: ${redact(error.errorMessage)}`, {
      code: 'auth-unavailable',
      cause: error,
      ...(error.retryAfterSeconds === undefined
        ? {}
        : { retryAfterSeconds: error.retryAfterSeconds }),
    });
  }
  if (error instanceof MsalAuthError) {
    const code = error.errorCode;
    const detail = redact(describe(error));
    if (error instanceof InteractionRequiredAuthError || NEEDS_PERSON.has(code)) {
      return new AuthError(`OneDrive authorization has to be renewed: ${detail}`, {
        cause: error,
      });
    }
    if (code === 'invalid_client' || code === 'unauthorized_client') {
      return new AuthError(`Microsoft rejected the app registration: ${detail}`, {
        cause: error,
        code: 'invalid-client',
        hint: 'Check onedrive.client_id and onedrive.client_secret (secrets expire) in config.toml.',
      });
    }
    if (TRANSIENT.has(code) || (error instanceof ServerError && (error.status ?? 0) >= 500)) {
      return retryable(`Microsoft sign-in is unavailable: ${detail}`, {
        code: 'auth-unavailable',
        cause: error,
      });
    }
    if (code === 'tls_error') {
      return fatal(`Cannot talk to the sign-in authority securely: ${detail}`, {
        code: 'auth-tls',
        cause: error,
        hint: 'Check onedrive.authority and the machine’s trusted certificates.',
      });
    }
    return fatal(`Token request failed: ${detail}`, { code: 'auth-failed', cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return fatal(`Token handling failed: ${redact(message)}`, { code: 'auth-failed', cause: error });
}

/**
 * "invalid_grant: AADSTS70000: …" from MSAL's "Error(s): 70000 - Timestamp: … - Description:
 * AADSTS70000: …\r\nTrace ID: … - Correlation ID: …" (only the description's first line).
 */
function describe(error: MsalAuthError): string {
  const text = error.errorMessage ?? '';
  const described = /Description: ([\s\S]*?)(?: - Correlation ID:|$)/.exec(text)?.[1] ?? text;
  const line = described.split(/\r?\n/)[0]?.trim() ?? '';
  return line ? `${error.errorCode}: ${line}` : error.errorCode;
}
