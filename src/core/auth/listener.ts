import { readFile } from 'node:fs/promises';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { isIP, type AddressInfo } from 'node:net';
import type { Clock } from '../clock.js';
import type { Config } from '../config/types.js';
import { ConfigError } from '../errors.js';
import { silentLogger, type Logger } from '../log/logger.js';
import type { MsalApp } from './msal-app.js';
import { page } from './pages.js';
import { WebAuthFlow } from './web-flow.js';

export interface AuthorizedAccount {
  username: string;
  homeAccountId: string;
}

export interface AuthListenerOptions {
  config: Pick<Config, 'onedrive' | 'webServer'>;
  /** The web-flow MSAL app (client secret configured); it shares the tokens file with the provider. */
  app: MsalApp;
  logger?: Logger;
  /** Called after each successful /code: the tokens file now holds the new authorization. */
  onAuthorized?: (account: AuthorizedAccount) => void;
  clock?: Clock;
}

export interface AuthListener {
  /** Where a person starts: the registered redirect URI's sibling `grant`. */
  url: string;
  /** The socket actually bound (bind_port 0 picks a free port). */
  address: { host: string; port: number; protocol: 'http' | 'https' };
  close(): Promise<void>;
}

const MAX_URL_LENGTH = 4096;
const MAX_QUERY_PARAMS = 20;
const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  // The /code URL carries the code: never hand it to another site as a Referer.
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
};

/**
 * The Web flow's HTTPS listener on `[web_server] bind_address:bind_port`: `GET /grant` sends the
 * browser to Microsoft, the redirect URI's path (`/code`) redeems what comes back. The CLI runs
 * it until one authorization succeeds; the daemon keeps it running.
 */
export async function startAuthListener(options: AuthListenerOptions): Promise<AuthListener> {
  const { config, app } = options;
  const logger = options.logger ?? silentLogger;
  if (app.flow !== 'web') {
    throw new ConfigError(
      'onedrive.client_secret: the /grant listener is for the Web flow and needs a client secret; without one, `cloud-sync authorize` uses the desktop flow.',
    );
  }
  const redirectUri = config.onedrive.redirectUri;
  if (!redirectUri) {
    throw new ConfigError(
      'onedrive.redirect_uri: missing; the Web flow needs https://host:port/code',
    );
  }
  const redirect = new URL(redirectUri);
  const codePath = redirect.pathname;
  const grantUrl = new URL('grant', redirect);
  const grantPath = grantUrl.pathname;
  const flow = new WebAuthFlow({
    app,
    redirectUri,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const tls = await loadTls(config.webServer);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const send = (status: number, body: string, extra: Record<string, string> = {}) => {
      res.writeHead(status, { ...HEADERS, ...extra });
      res.end(body);
    };
    if ((req.url ?? '').length > MAX_URL_LENGTH) {
      return send(414, page('Address too long', 'This request is longer than any sign-in needs.'));
    }
    if (req.method !== 'GET') {
      return send(405, page('Method not allowed', 'Only GET is served here.'), { allow: 'GET' });
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://listener.invalid');
    } catch {
      return send(400, page('Bad request', 'The address cannot be parsed.'));
    }
    if ([...url.searchParams.keys()].length > MAX_QUERY_PARAMS) {
      return send(400, page('Bad request', 'Too many query parameters.'));
    }
    if (url.pathname === grantPath) {
      const target = await flow.begin();
      logger.info('authorization started: browser sent to Microsoft');
      return send(302, page('Redirecting', 'Continue to Microsoft to sign in.'), {
        location: target,
      });
    }
    if (url.pathname === codePath) {
      const outcome = await flow.complete(url.searchParams);
      if (outcome.ok) {
        const { username, homeAccountId } = outcome.account;
        logger.info(`authorization completed for ${username}`);
        try {
          options.onAuthorized?.({ username, homeAccountId });
        } catch (error) {
          // The tokens are saved; a failing observer must not turn success into an error page.
          logger.error('onAuthorized callback failed', error);
        }
        return send(
          200,
          page(
            'OneDrive authorized',
            `cloud-sync can now read the OneDrive of ${username}.`,
            'You can close this window.',
          ),
        );
      }
      if (outcome.reason === 'exchange-failed')
        logger.error(`authorization failed: ${outcome.message}`);
      else logger.warn(`authorization refused at ${codePath}: ${outcome.message}`);
      const title = outcome.reason === 'denied' ? 'Access was not granted' : 'Authorization failed';
      return send(
        outcome.status,
        page(title, outcome.message, `Start again: ${grantUrl.toString()}`),
      );
    }
    return send(404, page('Not found', 'Nothing here. Sign-in starts at /grant.'));
  };

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      logger.error('authorization listener failed', error);
      if (!res.headersSent) res.writeHead(500, HEADERS);
      res.end(page('Something went wrong', 'The error is in the cloud-sync log.'));
    });
  };
  const serverOptions = {
    requestTimeout: 30_000,
    headersTimeout: 15_000,
    maxHeaderSize: 16 * 1024,
  };
  let server;
  try {
    server = tls
      ? createHttpsServer({ ...serverOptions, ...tls }, listener)
      : createHttpServer(serverOptions, listener);
  } catch (error) {
    throw new ConfigError(
      `web_server.tls_private_key: the key and certificate cannot be used together (${(error as Error).message})`,
      { cause: error },
    );
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new ConfigError(
          `web_server.bind_port: cannot listen on ${config.webServer.bindAddress}:${config.webServer.bindPort} (${error.code ?? error.message})${error.code === 'EADDRINUSE' ? '; if `cloud-sync daemon` is running, it already serves /grant: open that address instead' : ''}`,
          { cause: error },
        ),
      ),
    );
    server.listen(config.webServer.bindPort, config.webServer.bindAddress, () => resolve());
  });
  const bound = server.address() as AddressInfo;
  logger.info(
    `authorization listener on ${tls ? 'https' : 'http'}://${bound.address}:${bound.port}`,
  );
  return {
    url: grantUrl.toString(),
    address: { host: bound.address, port: bound.port, protocol: tls ? 'https' : 'http' },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** TLS material from the config, or undefined for plain HTTP, which only loopback may use. */
async function loadTls(
  web: Config['webServer'],
): Promise<{ key: Buffer; cert: Buffer } | undefined> {
  const { tlsPrivateKey, tlsChainCert, bindAddress } = web;
  if (!tlsPrivateKey && !tlsChainCert) {
    if (isLoopback(bindAddress)) return undefined;
    throw new ConfigError(
      `web_server.tls_private_key: missing, and bind_address ${bindAddress} is not loopback; set tls_private_key and tls_chain_cert (plain HTTP is only allowed on 127.0.0.1/::1, e.g. behind a TLS proxy)`,
    );
  }
  if (!tlsPrivateKey)
    throw new ConfigError(
      'web_server.tls_private_key: missing; tls_chain_cert is set, the key must be too',
    );
  if (!tlsChainCert)
    throw new ConfigError(
      'web_server.tls_chain_cert: missing; tls_private_key is set, the certificate must be too',
    );
  const read = async (key: string, path: string) => {
    try {
      return await readFile(path);
    } catch (error) {
      throw new ConfigError(
        `web_server.${key}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
        { cause: error },
      );
    }
  };
  return {
    key: await read('tls_private_key', tlsPrivateKey),
    cert: await read('tls_chain_cert', tlsChainCert),
  };
}

export function isLoopback(address: string): boolean {
  if (address === 'localhost') return true;
  if (isIP(address) === 4) return address.startsWith('127.');
  return address === '::1' || address === '0:0:0:0:0:0:0:1';
}
