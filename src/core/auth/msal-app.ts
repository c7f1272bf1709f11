import {
  ConfidentialClientApplication,
  LogLevel,
  PublicClientApplication,
  type Configuration,
  type INetworkModule,
  type NodeAuthOptions,
} from '@azure/msal-node';
import type { OneDriveConfig } from '../config/types.js';
import { ConfigError } from '../errors.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { FileCachePlugin, type TokenCodec } from './cache-plugin.js';
import { createNetworkClient } from './network.js';

export type AuthFlow = 'web' | 'desktop';

/** The MSAL application the config describes, with the file cache it reads and writes. */
export type MsalApp = {
  readonly onedrive: OneDriveConfig;
  readonly cache: FileCachePlugin;
} & (
  | { readonly flow: 'web'; readonly client: ConfidentialClientApplication }
  | { readonly flow: 'desktop'; readonly client: PublicClientApplication }
);

export interface MsalAppDeps {
  /** Defaults to node:https with Node's roots (see network.ts); tests pass one trusting their CA. */
  networkClient?: INetworkModule;
  /** Seals the tokens file (Electron's safeStorage); absent: plain JSON, mode 0600. */
  codec?: TokenCodec;
  logger?: Logger;
  /** Overrides the endpoint metadata derived for a non-Microsoft authority. */
  discovery?: { authorityMetadata: string; cloudDiscoveryMetadata: string };
}

/** A client secret means Azure's "Web" platform; without one, "Mobile and desktop" + PKCE. */
export function flowOf(onedrive: OneDriveConfig): AuthFlow {
  return onedrive.clientSecret ? 'web' : 'desktop';
}

export function createMsalApp(onedrive: OneDriveConfig, deps: MsalAppDeps = {}): MsalApp {
  const logger = deps.logger ?? silentLogger;
  const cache = new FileCachePlugin({
    path: onedrive.tokensPath,
    codec: deps.codec,
    forbidden: [onedrive.clientSecret],
    logger,
  });
  const auth: NodeAuthOptions = {
    clientId: onedrive.clientId,
    authority: onedrive.authority,
    ...discoveryOptions(onedrive.authority, deps.discovery),
  };
  const configuration: Configuration = {
    auth,
    cache: { cachePlugin: cache },
    system: {
      networkClient: deps.networkClient ?? createNetworkClient(),
      loggerOptions: {
        piiLoggingEnabled: false,
        logLevel: LogLevel.Warning,
        // MSAL's own warnings are detail; the provider logs the classified outcome.
        loggerCallback: (_level, message) => logger.debug(`msal: ${message}`),
      },
    },
  };
  if (onedrive.clientSecret) {
    return {
      flow: 'web',
      onedrive,
      cache,
      client: new ConfidentialClientApplication({
        ...configuration,
        auth: { ...auth, clientSecret: onedrive.clientSecret },
      }),
    };
  }
  return { flow: 'desktop', onedrive, cache, client: new PublicClientApplication(configuration) };
}

// Hosts MSAL already knows how to reach without asking anyone (its built-in metadata), plus
// the Microsoft domains national clouds and CIAM live under.
const MICROSOFT_HOST =
  /(^|\.)(microsoftonline\.(com|us|de|cn)|microsoft\.com|windows\.net|chinacloudapi\.cn|usgovcloudapi\.net|sovcloud-identity\.(fr|de|sg)|ciamlogin\.com|b2clogin\.com)$/i;

export function isMicrosoftAuthority(authority: string): boolean {
  return MICROSOFT_HOST.test(new URL(authority).hostname);
}

/**
 * For Microsoft's own authorities: nothing, MSAL's defaults stand. For any other authority
 * (a test simulator, a proxy): the endpoints are stated up front — the v2.0 layout under the
 * authority — and the host is declared known, so MSAL sends no request to Microsoft's instance
 * discovery nor to the authority's /.well-known/openid-configuration.
 */
export function discoveryOptions(
  authority: string,
  override?: MsalAppDeps['discovery'],
): Pick<NodeAuthOptions, 'knownAuthorities' | 'authorityMetadata' | 'cloudDiscoveryMetadata'> {
  let url: URL;
  try {
    url = new URL(authority);
  } catch (error) {
    throw new ConfigError(`onedrive.authority: expected an https:// URL, got "${authority}"`, {
      cause: error,
    });
  }
  if (isMicrosoftAuthority(authority)) return {};
  const base = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  return {
    knownAuthorities: [url.host],
    authorityMetadata:
      override?.authorityMetadata ??
      JSON.stringify({
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        token_endpoint: `${base}/oauth2/v2.0/token`,
        issuer: `${base}/v2.0`,
        jwks_uri: `${base}/discovery/v2.0/keys`,
        end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      }),
    cloudDiscoveryMetadata:
      override?.cloudDiscoveryMetadata ??
      JSON.stringify({
        tenant_discovery_endpoint: `${base}/v2.0/.well-known/openid-configuration`,
        'api-version': '1.1',
        metadata: [{ preferred_network: url.host, preferred_cache: url.host, aliases: [url.host] }],
      }),
  };
}
