/**
 * COMPOSITION ROOT for the engine inside the app: the very same BackupService the daemon runs
 * (engine, scheduler, OAuth listener, alert mails), built from config.toml with the app's
 * secrets and codecs. Electron reaches in only through the parameters (browser, codec).
 */
import type { TokenCodec } from '../core/auth/index.js';
import { loadConfig, type Config } from '../core/config/index.js';
import type { Logger } from '../core/log/logger.js';
import { redactor } from '../core/log/redact.js';
import { createTransport } from '../core/notify/index.js';
import { BackupService } from '../core/service/backup-service.js';
import { createMsalParts, createSource, createTarget } from '../core/service/parts.js';
import { StateStore } from '../core/store/index.js';
import type { EngineHost, HostFactory } from './ports.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface ComposeDeps {
  /** The process environment plus the decrypted Settings secrets (SettingsService.engineEnv). */
  env: () => Env;
  logger: Logger;
  /** safeStorage for the token cache; undefined = plain 0600 file (no keyring). */
  tokenCodec: TokenCodec | undefined;
  /** shell.openExternal: the desktop sign-in and the Web flow's /grant page. */
  openBrowser: (url: string) => Promise<void>;
}

/** Secrets that must never reach a log line, a mail or an error shown in the window. */
function guardSecrets(config: Config): void {
  for (const value of [
    config.onedrive.clientSecret,
    config.aws.secretAccessKey,
    config.mail?.apiKey,
    config.mail?.smtpUrl,
  ])
    redactor.addSecret(value);
}

export function engineHostFactory(deps: ComposeDeps): HostFactory {
  return async (configFile: string): Promise<EngineHost> => {
    const { logger } = deps;
    const { config, warnings } = loadConfig(configFile, { env: deps.env(), checkTlsFiles: true });
    for (const w of warnings) logger.warn(`${w.file}${w.line ? `:${w.line}` : ''}: ${w.message}`);
    guardSecrets(config);
    const store = StateStore.open(config.general.statePath);
    try {
      const { app, tokens } = createMsalParts(config, logger, {
        ...(deps.tokenCodec ? { codec: deps.tokenCodec } : {}),
      });
      // The pacers' Retry-After pauses become `throttled` events once the service exists.
      const hooks = (name: 'graph' | 's3') => ({
        logger,
        // Only called during rounds, long after `running` below exists.
        onThrottle: (ms: number) => running.engine.notifyThrottled(name, ms),
      });
      const running: BackupService = new BackupService({
        config,
        logger,
        store,
        app,
        tokens,
        source: createSource(config, tokens, hooks('graph')),
        target: createTarget(config, hooks('s3')),
        ...(config.mail ? { transport: createTransport(config.mail) } : {}),
        openBrowser: deps.openBrowser,
      });
      const host: EngineHost = {
        get account() {
          return running.account;
        },
        get paused() {
          return running.paused;
        },
        subscribe: (listener) => running.subscribe(listener),
        onChange: (listener) => running.onChange(listener),
        start: () => running.start(),
        trigger: (request) => running.trigger(request),
        pause: () => running.pause(),
        resume: () => running.resume(),
        nextRunAt: () => running.nextRunAt(),
        auth: () => running.auth(),
        authorize: (signal) => running.authorize(signal),
        recentRounds: (limit) => running.recentRounds(limit),
        async stop(graceMs) {
          await running.stop(graceMs);
          // A round past the grace period still writes to the store: close it once it ends.
          void running.scheduler.stop().finally(() => store.close());
        },
      };
      return host;
    } catch (error) {
      store.close();
      throw error;
    }
  };
}
