import { io } from 'socket.io-client';

/** An open notification connection; `close()` ends it without telling `onClose`. */
export interface NotificationChannel {
  close(): void;
}

export interface ChannelHandlers {
  /** OneDrive says something changed (the payload is not needed: the delta feed says what). */
  onNotification(): void;
  /** The connection ended without `close()` being called: dropped, refused later, expired. */
  onClose(reason: string): void;
}

export interface ChannelOptions {
  /** Aborting gives up a connection attempt still in progress. */
  signal: AbortSignal;
  /** Longest wait for the connection to open. */
  timeoutMs: number;
  userAgent: string;
}

/**
 * Opens a connection to a notificationUrl; resolves once it is open, rejects when it cannot
 * be opened. Tests hand in their own to script drops and refusals.
 */
export type ConnectChannel = (
  notificationUrl: string,
  handlers: ChannelHandlers,
  options: ChannelOptions,
) => Promise<NotificationChannel>;

/**
 * The socket.io client, as Microsoft's sample uses it: `io(notificationUrl)`, so the URL's
 * path is the namespace and its query (the credential) goes with the Engine.IO handshake.
 * WebSocket only: clients report that the long-polling handshake fails against OneDrive.
 * socket.io's own reconnection is off; the watcher reconnects with a fresh URL instead,
 * because the old one may have expired.
 */
export const connectSocketIo: ConnectChannel = (notificationUrl, handlers, options) =>
  new Promise<NotificationChannel>((resolve, reject) => {
    const { signal } = options;
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const socket = io(notificationUrl, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      timeout: options.timeoutMs,
      extraHeaders: { 'User-Agent': options.userAgent },
    });
    let open = false;
    const close = (): void => {
      signal.removeEventListener('abort', onAbort);
      socket.off();
      socket.close();
    };
    const onAbort = (): void => {
      close();
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    socket.on('connect', () => {
      open = true;
      signal.removeEventListener('abort', onAbort);
      resolve({ close });
    });
    socket.on('connect_error', (error: Error) => {
      if (open) return;
      close();
      reject(error);
    });
    socket.on('disconnect', (reason: string) => {
      if (!open) return;
      close();
      handlers.onClose(reason);
    });
    socket.on('notification', () => handlers.onNotification());
  });

/** Removes a URL, and every value in its query, from a text (connection errors may quote it). */
export function scrub(text: string, url: string): string {
  let out = text.split(url).join('[notificationUrl]');
  try {
    for (const value of new URL(url).searchParams.values()) {
      if (value.length >= 4) out = out.split(value).join('[redacted]');
    }
  } catch {
    // not a URL: nothing more to remove
  }
  return out;
}
