/**
 * COMPOSITION ROOT for the engine inside the app: the very same BackupService the daemon runs
 * (engine, scheduler, OAuth listener, alert mails), built from config.toml with the app's
 * secrets and codecs. Electron reaches in only through the parameters (browser, codec).
 */
import { flowOf, type TokenCodec } from '../core/auth/index.js';
import { loadConfig, secretsOf } from '../core/config/index.js';
import type { Logger } from '../core/log/logger.js';
import { redactor } from '../core/log/redact.js';
import { createBackupService } from '../core/service/create.js';
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

export function engineHostFactory(deps: ComposeDeps): HostFactory {
  return async (configFile: string): Promise<EngineHost> => {
    const { logger } = deps;
    const env = deps.env();
    const loaded = loadConfig(configFile, { env });
    // The TLS files matter only for the Web flow's listener.
    const web = flowOf(loaded.config.onedrive) === 'web';
    const { config, warnings } = web
      ? loadConfig(configFile, { env, checkTlsFiles: true })
      : loaded;
    for (const w of warnings) logger.warn(`${w.file}${w.line ? `:${w.line}` : ''}: ${w.message}`);
    // Secrets must never reach a log line, a mail or an error shown in the window.
    for (const secret of secretsOf(config)) redactor.addSecret(secret);
    // BackupService is the EngineHost: the app adds nothing to the engine but its face.
    return createBackupService(config, {
      logger,
      openBrowser: deps.openBrowser,
      ...(deps.tokenCodec ? { codec: deps.tokenCodec } : {}),
    });
  };
}
