import { createServer } from 'node:net';
import { join } from 'node:path';
import { after } from 'node:test';
import type { INetworkModule } from '@azure/msal-node';
import type { Config, OneDriveConfig, WebServerConfig } from '../../../src/core/config/types.js';
import { createMsalApp, type MsalApp, type MsalAppDeps } from '../../../src/core/auth/msal-app.js';
import { createNetworkClient } from '../../../src/core/auth/network.js';
import { IdentitySimulator } from '../../sim/identity/server.js';
import { tempDir } from '../../helpers/tmp.js';

export const CLIENT_ID = '11111111-2222-3333-4444-555555555555';
export const CLIENT_SECRET = 'sim-secret-Zq8~xY7.wV6_uT5';

/** Every URL MSAL asked for, to prove nothing went anywhere but the simulator. */
export function recordingClient(inner: INetworkModule, urls: string[]): INetworkModule {
  return {
    sendGetRequestAsync: (url, options, timeout) => {
      urls.push(`GET ${url}`);
      return inner.sendGetRequestAsync(url, options, timeout);
    },
    sendPostRequestAsync: (url, options) => {
      urls.push(`POST ${url}`);
      return inner.sendPostRequestAsync(url, options);
    },
  };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface IdentityFixture {
  sim: IdentitySimulator;
  dir: string;
  tokensPath: string;
  onedrive: OneDriveConfig;
  webServer: WebServerConfig;
  config: Pick<Config, 'onedrive' | 'webServer'>;
  /** URLs the MSAL network client was asked for, across every app made here. */
  urls: string[];
  network: INetworkModule;
  /** A fresh MSAL app over the same tokens file: a new one is a "restart". */
  app(deps?: MsalAppDeps): MsalApp;
}

/**
 * A simulator with one registered app, a temp dir for the tokens file and the config pieces
 * auth needs. `web`: confidential client + a redirect URI on a free loopback port (plain HTTP
 * listener, as behind a TLS proxy); `desktop`: public client, loopback redirect.
 */
export async function identityFixture(flow: 'web' | 'desktop'): Promise<IdentityFixture> {
  const sim = await IdentitySimulator.start();
  after(() => sim.close());
  const dir = tempDir('cloud-sync-auth');
  const tokensPath = join(dir, 'tokens.json');
  const port = flow === 'web' ? await freePort() : 0;
  const redirectUri = flow === 'web' ? `http://127.0.0.1:${port}/code` : undefined;
  sim.registerClient({
    clientId: CLIENT_ID,
    ...(flow === 'web' ? { secret: CLIENT_SECRET, redirectUris: [redirectUri as string] } : {}),
  });
  const onedrive: OneDriveConfig = {
    clientId: CLIENT_ID,
    clientSecret: flow === 'web' ? CLIENT_SECRET : undefined,
    redirectUri,
    scopes: ['offline_access', 'Files.Read'],
    tokensPath,
    deltaLinkPath: join(dir, 'delta_link.json'),
    authority: sim.authority(),
    graphUrl: 'https://127.0.0.1:1/v1.0',
    realtime: false,
  };
  const webServer: WebServerConfig = {
    bindAddress: '127.0.0.1',
    bindPort: port,
    tlsPrivateKey: undefined,
    tlsChainCert: undefined,
  };
  const urls: string[] = [];
  const network = recordingClient(createNetworkClient({ ca: sim.ca, timeoutMs: 5_000 }), urls);
  return {
    sim,
    dir,
    tokensPath,
    onedrive,
    webServer,
    config: { onedrive, webServer },
    urls,
    network,
    app: (deps = {}) => createMsalApp(onedrive, { networkClient: network, ...deps }),
  };
}
