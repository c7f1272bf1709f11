import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { AuthError as MsalAuthError } from '@azure/msal-node';
import { AuthError } from '../errors.js';
import { redact } from '../log/redact.js';
import { classifyAuthFailure } from './classify.js';
import type { AuthorizedAccount } from './listener.js';
import type { MsalApp } from './msal-app.js';
import { page } from './pages.js';
import { forgetOtherAccounts } from './web-flow.js';

export interface DesktopAuthOptions {
  app: Extract<MsalApp, { flow: 'desktop' }>;
  /**
   * Shows the authorize URL to the person: the CLI prints it and tries xdg-open/open/start,
   * the Electron app calls shell.openExternal. It should resolve once the browser is asked.
   */
  openBrowser: (url: string) => Promise<void>;
  scopes?: string[];
  /** Aborting stops waiting for the browser and closes the loopback listener. */
  signal?: AbortSignal;
  /** Loopback port to try first (0 or absent: any free port). */
  preferredPort?: number;
}

const CANCELLED = 'cloud_sync_cancelled';

/**
 * The "Mobile and desktop" flow: MSAL listens on 127.0.0.1, the system browser signs in at
 * Microsoft, which form-posts the code back to http://localhost:PORT; PKCE binds the code to
 * this process, so no client secret exists anywhere.
 */
export async function authorizeDesktop(options: DesktopAuthOptions): Promise<AuthorizedAccount> {
  const { app, signal } = options;
  signal?.throwIfAborted();
  let authorizeUrl: string | undefined;
  let cancelled = false;
  const cancel = () => {
    cancelled = true;
    if (authorizeUrl) void releaseLoopback(authorizeUrl);
  };
  signal?.addEventListener('abort', cancel, { once: true });
  try {
    const result = await app.client.acquireTokenInteractive({
      scopes: options.scopes ?? [...app.onedrive.scopes],
      nonce: randomBytes(16).toString('base64url'),
      prompt: 'select_account',
      ...(options.preferredPort ? { preferredPort: options.preferredPort } : {}),
      successTemplate: page(
        'OneDrive authorized',
        'You can close this window and return to cloud-sync.',
      ),
      errorTemplate: page('Authorization failed', 'Return to cloud-sync for the details.'),
      openBrowser: async (url) => {
        authorizeUrl = url;
        // Aborted before MSAL's listener was up: release it now instead of opening a browser.
        if (cancelled) return void releaseLoopback(url);
        await options.openBrowser(url);
      },
    });
    if (!result.account) throw new AuthError('The token response named no account.');
    await forgetOtherAccounts(app, result.account);
    return { username: result.account.username, homeAccountId: result.account.homeAccountId };
  } catch (error) {
    if (cancelled && signal) throw signal.reason;
    if (error instanceof MsalAuthError && error.errorCode === 'access_denied') {
      throw new AuthError(
        redact(`Access was not granted: ${error.errorMessage || error.errorCode}`),
        {
          code: 'authorization-denied',
          cause: error,
          hint: 'Run `cloud-sync authorize` again and accept the permissions.',
        },
      );
    }
    throw classifyAuthFailure(error);
  } finally {
    signal?.removeEventListener('abort', cancel);
  }
}

/**
 * MSAL's loopback listener has no cancel; it ends when a form_post with its state arrives. So
 * cancelling posts one — an error carrying the state from the authorize URL — to 127.0.0.1.
 */
function releaseLoopback(authorizeUrl: string): Promise<void> {
  const query = new URL(authorizeUrl).searchParams;
  const redirect = new URL(query.get('redirect_uri') ?? 'http://localhost/');
  const body = new URLSearchParams({
    error: CANCELLED,
    error_description: 'cancelled',
    state: query.get('state') ?? '',
  }).toString();
  return new Promise<void>((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: redirect.port,
        path: '/',
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', resolve);
      },
    );
    req.on('error', () => resolve());
    req.end(body);
  });
}
