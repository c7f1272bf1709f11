import { spawn } from 'node:child_process';
import type { INetworkModule } from '@azure/msal-node';
import { authorizeDesktop } from '../../core/auth/desktop-flow.js';
import { startAuthListener, type AuthorizedAccount } from '../../core/auth/listener.js';
import { createMsalApp, flowOf } from '../../core/auth/msal-app.js';
import { SyncError } from '../../core/errors.js';
import { redact } from '../../core/log/redact.js';
import { EXIT, type CliIO, type Command } from '../command.js';

export interface AuthorizeDeps {
  /** MSAL's network client (tests: one trusting the simulator's certificate). */
  networkClient?: INetworkModule;
  /** Opens the system browser; the default tries xdg-open / open / rundll32 and never fails. */
  openBrowser?: (url: string) => Promise<void>;
}

export function createAuthorizeCommand(deps: AuthorizeDeps = {}): Command {
  return {
    name: 'authorize',
    summary: 'sign in to OneDrive with the flow config.toml describes (Web listener or desktop)',
    usage: 'authorize',
    options: {},
    async run(ctx) {
      const { config } = ctx.loadConfig();
      // The TLS files matter only for the Web flow's listener.
      if (flowOf(config.onedrive) === 'web') ctx.loadConfig({ checkTlsFiles: true });
      const logger = await ctx.logger(config);
      const { io } = ctx;
      const app = createMsalApp(config.onedrive, {
        logger,
        ...(deps.networkClient ? { networkClient: deps.networkClient } : {}),
      });
      try {
        let account: AuthorizedAccount | undefined;
        if (app.flow === 'web') {
          let done: (a: AuthorizedAccount) => void = () => undefined;
          const authorized = new Promise<AuthorizedAccount>((resolve) => (done = resolve));
          const listener = await startAuthListener({ config, app, logger, onAuthorized: done });
          try {
            const { protocol, host, port } = listener.address;
            io.stdout.write(
              `Open ${listener.url} in a browser and sign in with the Microsoft account to back up.\n` +
                `(listening on ${protocol}://${host}:${port}; Ctrl-C to stop)\n`,
            );
            account = await untilAborted(authorized, io.signal);
          } finally {
            await listener.close();
          }
        } else {
          account = await authorizeDesktop({
            app,
            signal: io.signal,
            openBrowser: async (url) => {
              io.stdout.write(
                `Sign in with the Microsoft account to back up. If no browser opens, visit:\n  ${url}\n` +
                  '(the browser must run on this machine: it returns to http://localhost)\n',
              );
              await (deps.openBrowser ?? openSystemBrowser)(url);
            },
          });
        }
        if (!account) {
          io.stderr.write('Stopped before the authorization completed; nothing was changed.\n');
          return EXIT.auth;
        }
        io.stdout.write(
          `Authorized: ${account.username}. Tokens saved to ${config.onedrive.tokensPath}.\n`,
        );
        return EXIT.ok;
      } catch (error) {
        if (io.signal.aborted) {
          io.stderr.write('Stopped before the authorization completed; nothing was changed.\n');
          return EXIT.auth;
        }
        // Whatever went wrong, the outcome is the same: not authorized (exit 2).
        io.stderr.write(`cloud-sync authorize: ${redact((error as Error).message)}\n`);
        if (error instanceof SyncError && error.hint) io.stderr.write(`hint: ${error.hint}\n`);
        return EXIT.auth;
      }
    },
  };
}

export const authorizeCommand = createAuthorizeCommand();

/** Resolves with the work's value, or undefined once the signal fires. */
function untilAborted<T>(work: Promise<T>, signal: CliIO['signal']): Promise<T | undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Best effort: on a headless server nothing opens and the printed URL is the way. */
export function openSystemBrowser(url: string): Promise<void> {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['rundll32', ['url.dll,FileProtocolHandler', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No opener installed: the URL is on screen.
  }
  return Promise.resolve();
}
