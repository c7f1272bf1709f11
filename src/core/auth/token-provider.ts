/**
 * The engine asks this for a bearer token before each Graph request. The MSAL-backed provider
 * refreshes silently; when it cannot, it throws an `AuthError` (needs authorization).
 */
export interface TokenProvider {
  getAccessToken(signal?: AbortSignal): Promise<string>;
}

/** A fixed token, for tests against the simulators. */
export const staticTokenProvider = (token: string): TokenProvider => ({
  getAccessToken: () => Promise.resolve(token),
});
