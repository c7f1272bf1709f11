/**
 * THE contract between the window and the main process: every channel, its request and its
 * response. Main's IPC gate, the preload and the window are all typed from this file, so a
 * channel cannot drift between them. Runtime-free apart from the small constant lists below
 * (the sandboxed preload may not require files, so it imports types only).
 */
import type { AppSnapshot, HostStatus } from './app-state.js';
import type { EngineEvent } from './events.js';

export const IPC_VERSION = 1;

/** How an error crosses the process boundary (never a stack, never a secret). */
export interface IpcError {
  name: string;
  message: string;
  code: string;
}

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

/** The secrets the Settings form can set; stored encrypted, injected as these env names. */
export const SECRET_FIELDS = [
  'clientSecret',
  'accessKeyId',
  'secretAccessKey',
  'mailApiKey',
  'mailSmtpUrl',
] as const;
export type SecretField = (typeof SECRET_FIELDS)[number];

/** Plain text fields of the Settings form (free text; the config validator judges them). */
export const TEXT_FIELDS = [
  'clientId',
  'redirectUri',
  'bindPort',
  'tlsPrivateKey',
  'tlsChainCert',
  'bucket',
  'region',
  'endpoint',
  'prefix',
  'storageClass',
  'interval',
  'syncTime',
  'deletePolicy',
  'maxDelete',
  'mailTransport',
  'mailFrom',
  'mailTo',
] as const;
export type TextField = (typeof TEXT_FIELDS)[number];

export type SettingsForm = Record<TextField | SecretField, string> & {
  flow: 'desktop' | 'web';
  mailEnabled: boolean;
};

/** Where a stored secret lives now: encrypted by the app, plain in config.toml, or nowhere. */
export type SecretState = 'encrypted' | 'config-file' | 'none';

export interface SettingsLoad {
  /** Secret fields are always '' here: secrets never travel to the window. */
  form: SettingsForm;
  secrets: Record<SecretField, SecretState>;
  file: string;
  /** No config.toml yet: the window shows the first-start guide. */
  firstRun: boolean;
  /** False when the OS offers no keyring: secrets then can only come from the environment. */
  encryptionAvailable: boolean;
}

export type SettingsCheck =
  | { ok: true; warnings: string[] }
  | {
      ok: false;
      /** The config validator's own message (it names the key). */
      message: string;
      /** The form field the message is about, when it maps to one. */
      field?: TextField | SecretField;
    };

export type View = 'dashboard' | 'settings';

/** Window -> main: request/response over `ipcRenderer.invoke`. */
export interface InvokeContract {
  'snapshot:get': { request: null; response: AppSnapshot };
  /** Responds false when the person declined the confirmation (full re-sync). */
  'sync:start': { request: { full: boolean }; response: boolean };
  'sync:pause': { request: { paused: boolean }; response: null };
  /** allow: confirm (main asks once more) and sync; false: keep the objects for now. */
  'mass-delete:resolve': { request: { allow: boolean }; response: boolean };
  'auth:start': { request: null; response: null };
  'logs:open': { request: null; response: null };
  'settings:get': { request: null; response: SettingsLoad };
  'settings:check': { request: SettingsForm; response: SettingsCheck };
  'settings:save': { request: SettingsForm; response: SettingsCheck };
}
export type InvokeChannel = keyof InvokeContract;
export type InvokeRequest<C extends InvokeChannel> = InvokeContract[C]['request'];
export type InvokeResponse<C extends InvokeChannel> = InvokeContract[C]['response'];

/** Main -> window: pushed with `webContents.send`. */
export interface PushContract {
  'engine:event': EngineEvent;
  'host:status': HostStatus;
  'view:show': View;
}
export type PushChannel = keyof PushContract;

export const INVOKE_CHANNELS = [
  'snapshot:get',
  'sync:start',
  'sync:pause',
  'mass-delete:resolve',
  'auth:start',
  'logs:open',
  'settings:get',
  'settings:check',
  'settings:save',
] as const satisfies readonly InvokeChannel[];

/**
 * `window.cloudSync`: what the window may do. Every method rejects with an `IpcError`
 * object on failure.
 */
export interface CloudSyncApi {
  readonly version: typeof IPC_VERSION;
  getSnapshot(): Promise<AppSnapshot>;
  syncNow(): Promise<boolean>;
  /** Main asks for confirmation first (the same dialog as the tray's); false if declined. */
  fullResync(): Promise<boolean>;
  setPaused(paused: boolean): Promise<null>;
  /** True when the banner's question is settled (declining the final dialog leaves it open). */
  resolveMassDelete(allow: boolean): Promise<boolean>;
  authorize(): Promise<null>;
  openLogFolder(): Promise<null>;
  getSettings(): Promise<SettingsLoad>;
  checkSettings(form: SettingsForm): Promise<SettingsCheck>;
  saveSettings(form: SettingsForm): Promise<SettingsCheck>;
  onEvent(listener: (event: EngineEvent) => void): () => void;
  onStatus(listener: (status: HostStatus) => void): () => void;
  onShow(listener: (view: View) => void): () => void;
}
