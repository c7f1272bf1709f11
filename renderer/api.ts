/** `window.cloudSync`, exposed by the preload; its type comes from the one IPC contract. */
import type { CloudSyncApi, IpcError } from '../src/shared/ipc.js';

declare global {
  interface Window {
    cloudSync: CloudSyncApi;
  }
}

export function api(): CloudSyncApi {
  return window.cloudSync;
}

/** API calls reject with `{name, message, code}`; anything else is shown as text. */
export function errorText(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error)
    return String((error as IpcError).message);
  return String(error);
}
