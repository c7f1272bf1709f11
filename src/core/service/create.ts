import type { INetworkModule } from '@azure/msal-node';
import type { TokenCodec } from '../auth/cache-plugin.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config/types.js';
import type { Logger } from '../log/logger.js';
import { createTransport } from '../notify/transport.js';
import { StateStore } from '../store/index.js';
import { BackupService } from './backup-service.js';
import { createMsalParts, createSource, createTarget } from './parts.js';

export interface CreateServiceOptions {
  logger: Logger;
  clock?: Clock;
  /** MSAL's network client (tests: one trusting the identity simulator's certificate). */
  networkClient?: INetworkModule;
  /** The desktop app's safeStorage for the token cache. */
  codec?: TokenCodec;
  openBrowser?: (url: string) => Promise<void>;
}

/**
 * The one way the daemon and the desktop app build the product from a config: state store,
 * MSAL, Graph and S3 clients (their pacers' Retry-After pauses reported as engine events), the
 * mailer. The service owns the store and closes it once its last round has really ended.
 */
export function createBackupService(config: Config, options: CreateServiceOptions): BackupService {
  const { logger, clock } = options;
  const store = StateStore.open(config.general.statePath);
  try {
    const { app, tokens } = createMsalParts(config, logger, {
      ...(options.networkClient ? { networkClient: options.networkClient } : {}),
      ...(options.codec ? { codec: options.codec } : {}),
    });
    const hooks = (name: 'graph' | 's3') => ({
      logger,
      ...(clock ? { clock } : {}),
      // Only called during rounds, long after `service` below exists.
      onThrottle: (ms: number) => service.engine.notifyThrottled(name, ms),
    });
    const service: BackupService = new BackupService({
      config,
      logger,
      store,
      app,
      tokens,
      source: createSource(config, tokens, hooks('graph')),
      target: createTarget(config, hooks('s3')),
      ...(config.mail ? { transport: createTransport(config.mail) } : {}),
      ...(clock ? { clock } : {}),
      ...(options.openBrowser ? { openBrowser: options.openBrowser } : {}),
      onStopped: () => store.close(),
    });
    return service;
  } catch (error) {
    store.close();
    throw error;
  }
}
