import type { INetworkModule } from '@azure/msal-node';
import type { TokenProvider } from '../core/auth/token-provider.js';
import type { Clock } from '../core/clock.js';
import type { Config } from '../core/config/index.js';
import type { DriveSource } from '../core/graph/types.js';
import type { Logger } from '../core/log/logger.js';
import type { BackupTarget } from '../core/s3/types.js';
import {
  createMsalParts,
  createSource,
  createTarget,
  type ThrottleHook,
} from '../core/service/parts.js';

export type { ThrottleHook };

/**
 * How the CLI builds the engine's outside world. The real entry uses `defaultDeps` (the same
 * parts the daemon and the app use); tests pass their own pieces (a static token, a client
 * pointed at the simulator) and run the real commands in-process.
 */
export interface CliDeps {
  createTokenProvider(config: Config, logger: Logger): TokenProvider;
  createSource(
    config: Config,
    tokens: TokenProvider,
    hooks: { logger: Logger; onThrottle: ThrottleHook },
  ): DriveSource;
  createTarget(config: Config, hooks: { logger: Logger; onThrottle: ThrottleHook }): BackupTarget;
  clock?: Clock;
}

export function createTokenProvider(
  config: Config,
  logger: Logger,
  networkClient?: INetworkModule,
): TokenProvider {
  return createMsalParts(config, logger, networkClient ? { networkClient } : {}).tokens;
}

export const defaultDeps: CliDeps = {
  createTokenProvider: (config, logger) => createTokenProvider(config, logger),
  createSource,
  createTarget,
};
