/**
 * THE IPC gate: the only code that registers IPC handlers. Before any handler runs it checks
 * that the message comes from the app's own window (sender id + page origin) and that the
 * payload matches the channel's contract. Errors cross as `{name, message, code}`; answers are
 * always an `IpcResult`, so the window never sees Electron's "Error invoking remote method".
 */
import { serializeError } from '../../core/errors.js';
import type { Logger } from '../../core/log/logger.js';
import { redact } from '../../core/log/redact.js';
import {
  INVOKE_CHANNELS,
  type InvokeChannel,
  type InvokeRequest,
  type InvokeResponse,
  type IpcError,
  type IpcResult,
} from '../../shared/ipc.js';
import { asRequest, REQUEST_CHECKS } from './validate.js';

/** Who sent a message: the webContents id and the URL of the frame that sent it. */
export interface IpcSender {
  id: number;
  url: string | undefined;
}

/** The part of ipcMain the gate needs; the Electron adapter maps its event to an IpcSender. */
export interface IpcMainPort {
  handle(
    channel: string,
    listener: (sender: IpcSender, payload: unknown) => Promise<unknown>,
  ): void;
  removeHandler(channel: string): void;
}

export type IpcHandlers = {
  readonly [C in InvokeChannel]: (request: InvokeRequest<C>) => Promise<InvokeResponse<C>>;
};

export interface GateOptions {
  /** Is this sender the app's own window showing the app's own page? */
  trusted(sender: IpcSender): boolean;
  logger: Logger;
}

const reject = (code: string, message: string): IpcResult<never> => ({
  ok: false,
  error: { name: 'IpcError', message, code },
});

function toIpcError(error: unknown): IpcError {
  const s = serializeError(error);
  return { name: s.name, message: redact(s.message), code: s.code };
}

/** Runs one call through the gate; exported so tests can drive it without Electron. */
export async function passGate<C extends InvokeChannel>(
  channel: C,
  sender: IpcSender,
  payload: unknown,
  handlers: IpcHandlers,
  options: GateOptions,
): Promise<IpcResult<InvokeResponse<C>>> {
  if (!options.trusted(sender)) {
    options.logger.warn(
      `IPC ${channel} refused: sender ${sender.id} at ${sender.url ?? '?'} is not the app window`,
    );
    return reject('ipc-forbidden-sender', 'This page may not talk to cloud-sync.');
  }
  const problem = REQUEST_CHECKS[channel](payload);
  if (problem !== undefined) {
    options.logger.warn(`IPC ${channel} refused: ${problem}`);
    return reject('ipc-invalid-payload', `Invalid request for ${channel}: ${problem}`);
  }
  try {
    const handler = handlers[channel] as (r: InvokeRequest<C>) => Promise<InvokeResponse<C>>;
    return { ok: true, value: await handler(asRequest(channel, payload)) };
  } catch (error) {
    const e = toIpcError(error);
    options.logger.warn(`IPC ${channel} failed: ${e.message}`);
    return { ok: false, error: e };
  }
}

/** Registers every contract channel on ipcMain; returns a function that unregisters them. */
export function installIpcGate(
  ipc: IpcMainPort,
  handlers: IpcHandlers,
  options: GateOptions,
): () => void {
  for (const channel of INVOKE_CHANNELS)
    ipc.handle(channel, (sender, payload) => passGate(channel, sender, payload, handlers, options));
  return () => {
    for (const channel of INVOKE_CHANNELS) ipc.removeHandler(channel);
  };
}

/** The app's pages are served from this origin by the app:// protocol (see app-protocol.ts). */
export const APP_ORIGIN = 'app://cloud-sync';

/** Trusts only the given window ids, and only while they show a page of the app's origin. */
export function trustWindows(ids: () => readonly number[]): (sender: IpcSender) => boolean {
  return (sender) => {
    if (!ids().includes(sender.id) || !sender.url) return false;
    try {
      const url = new URL(sender.url);
      return `${url.protocol}//${url.host}` === APP_ORIGIN;
    } catch {
      return false;
    }
  };
}
