/**
 * The window's only door to the app: `window.cloudSync`, typed from src/shared/ipc.ts.
 * A sandboxed preload runs as CommonJS and may require only 'electron' (no relative files),
 * so this file imports types alone and is compiled to preload.cjs. Each call goes through
 * `invoke`, whose channel and payload types come from the contract; answers arrive as an
 * IpcResult and failures are re-thrown as plain `{name, message, code}` objects.
 */
// verbatimModuleSyntax: a CommonJS file imports with `import = require`.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import electron = require('electron');
import type { AppSnapshot, HostStatus } from '../shared/app-state.js';
import type { EngineEvent } from '../shared/events.js';
import type {
  CloudSyncApi,
  InvokeChannel,
  InvokeRequest,
  InvokeResponse,
  IpcResult,
  PushChannel,
  PushContract,
  View,
} from '../shared/ipc.js';

const { contextBridge, ipcRenderer } = electron;

async function invoke<C extends InvokeChannel>(
  channel: C,
  request: InvokeRequest<C>,
): Promise<InvokeResponse<C>> {
  const result = (await ipcRenderer.invoke(channel, request)) as IpcResult<InvokeResponse<C>>;
  if (result.ok) return result.value;
  // A plain object crosses the context bridge intact; an Error would lose its code.
  throw { name: result.error.name, message: result.error.message, code: result.error.code };
}

function subscribe<C extends PushChannel>(
  channel: C,
  listener: (payload: PushContract[C]) => void,
): () => void {
  // The Electron event (with its sender) stays here: the window gets the payload only.
  const wrapped = (_event: unknown, payload: PushContract[C]) => listener(payload);
  ipcRenderer.on(channel, wrapped);
  return () => {
    ipcRenderer.removeListener(channel, wrapped);
  };
}

const api: CloudSyncApi = {
  version: 1,
  getSnapshot: (): Promise<AppSnapshot> => invoke('snapshot:get', null),
  syncNow: () => invoke('sync:start', { full: false }),
  fullResync: () => invoke('sync:start', { full: true }),
  setPaused: (paused) => invoke('sync:pause', { paused }),
  resolveMassDelete: (allow) => invoke('mass-delete:resolve', { allow }),
  authorize: () => invoke('auth:start', null),
  openLogFolder: () => invoke('logs:open', null),
  getSettings: () => invoke('settings:get', null),
  checkSettings: (form) => invoke('settings:check', form),
  saveSettings: (form) => invoke('settings:save', form),
  onEvent: (listener: (event: EngineEvent) => void) => subscribe('engine:event', listener),
  onStatus: (listener: (status: HostStatus) => void) => subscribe('host:status', listener),
  onShow: (listener: (view: View) => void) => subscribe('view:show', listener),
};

contextBridge.exposeInMainWorld('cloudSync', api);
