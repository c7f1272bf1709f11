// Authorization: MSAL apps from the config, the tokens file, the token provider, both flows.
export { FileCachePlugin, type TokenCodec, type CacheFileProblem } from './cache-plugin.js';
export { writeFileAtomic, readFileIfExists } from './atomic-file.js';
export { classifyAuthFailure } from './classify.js';
export { authorizeDesktop, type DesktopAuthOptions } from './desktop-flow.js';
export {
  isLoopback,
  startAuthListener,
  type AuthListener,
  type AuthListenerOptions,
  type AuthorizedAccount,
} from './listener.js';
export {
  createMsalApp,
  discoveryOptions,
  flowOf,
  isMicrosoftAuthority,
  type AuthFlow,
  type MsalApp,
  type MsalAppDeps,
} from './msal-app.js';
export {
  createNetworkClient,
  IdentityUnavailableError,
  parseRetryAfter,
  type NetworkClientOptions,
} from './network.js';
export {
  MsalTokenProvider,
  staticTokenProvider,
  type AuthStateDetail,
  type AuthStateListener,
  type MsalTokenProviderOptions,
  type TokenProvider,
} from './token-provider.js';
export { WebAuthFlow, type CodeOutcome, type WebAuthFlowOptions } from './web-flow.js';
