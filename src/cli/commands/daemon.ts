import type { INetworkModule } from '@azure/msal-node';
import type { Clock } from '../../core/clock.js';
import { createBackupService } from '../../core/service/create.js';
import type { EngineEvent } from '../../shared/events.js';
import { EXIT, type CliIO, type Command } from '../command.js';
import { formatSummary } from '../progress.js';

export interface DaemonDeps {
  /** MSAL's network client (tests: one trusting the identity simulator's certificate). */
  networkClient?: INetworkModule;
  clock?: Clock;
  /** How long a stop waits for in-flight transfers to checkpoint. Default 30 s. */
  graceMs?: number;
}

/**
 * The original tool's server mode, done right: OAuth listener + schedule + rounds until SIGTERM.
 * Rounds start at once when authorized (the original slept until sync_time even on first start).
 */
export function createDaemonCommand(deps: DaemonDeps = {}): Command {
  return {
    name: 'daemon',
    summary: 'OAuth listener and scheduled rounds until SIGTERM',
    usage: 'daemon',
    options: {},
    async run(ctx) {
      const { config } = ctx.loadConfig();
      // The TLS files matter only when the Web flow's listener will run.
      if (config.onedrive.clientSecret !== undefined) ctx.loadConfig({ checkTlsFiles: true });
      const logger = await ctx.logger(config);
      const { io } = ctx;
      const service = createBackupService(config, {
        logger,
        ...(deps.networkClient ? { networkClient: deps.networkClient } : {}),
        ...(deps.clock ? { clock: deps.clock } : {}),
      });
      const off = service.subscribe((event) => report(io, event));
      try {
        await service.start().catch(async (error: unknown) => {
          await service.stop(0); // releases the store and whatever did start
          throw error;
        });
        const schedule = [
          config.general.intervalMs > 0
            ? `every ${Math.round(config.general.intervalMs / 60_000)} min`
            : '',
          config.general.syncTime ? `daily at ${config.general.syncTime}` : '',
        ].filter(Boolean);
        io.stdout.write(
          `cloud-sync daemon: running (${schedule.join(' and ') || 'on demand only'}); SIGTERM to stop.\n`,
        );
        const auth = service.auth().state;
        io.stdout.write(`authorization: ${auth}\n`);
        if (service.grantUrl && auth !== 'authorized') {
          io.stdout.write(`To authorize, open ${service.grantUrl} in a browser.\n`);
        }
        await new Promise<void>((resolve) => {
          if (io.signal.aborted) resolve();
          io.signal.addEventListener('abort', () => resolve(), { once: true });
        });
        io.stdout.write('cloud-sync daemon: stopping; letting transfers in flight checkpoint…\n');
        await service.stop(deps.graceMs ?? 30_000);
        io.stdout.write('cloud-sync daemon: stopped.\n');
        return EXIT.ok;
      } finally {
        off();
      }
    },
  };
}

/** Headless output: one line per round and per auth change; the log file has the details. */
function report(io: CliIO, event: EngineEvent): void {
  if (event.type === 'round-finished')
    io.stdout.write(`${event.at} ${formatSummary(event.summary)}\n`);
  if (event.type === 'auth') {
    io.stdout.write(
      `${event.at} authorization: ${event.state}${event.account ? ` (${event.account})` : ''}${event.message ? ` — ${event.message}` : ''}\n`,
    );
  }
  if (event.type === 'mass-delete-stopped') io.stdout.write(`${event.at} ${event.message}\n`);
}

export const daemonCommand = createDaemonCommand();
