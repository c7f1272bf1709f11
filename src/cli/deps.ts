import type { INetworkModule } from '@azure/msal-node';
import { createMsalApp } from '../core/auth/msal-app.js';
import { MsalTokenProvider, type TokenProvider } from '../core/auth/token-provider.js';
import type { Clock } from '../core/clock.js';
import type { Config } from '../core/config/index.js';
import { GraphClient } from '../core/graph/client.js';
import type { DriveSource } from '../core/graph/types.js';
import type { Logger } from '../core/log/logger.js';
import { Pacer } from '../core/net/pacer.js';
import { createS3Client } from '../core/s3/client.js';
import { S3Target } from '../core/s3/target.js';
import type { BackupTarget } from '../core/s3/types.js';

/** Told when a service asks everyone to pause (Retry-After), to surface it as an event. */
export type ThrottleHook = (retryAfterMs: number) => void;

/**
 * How the CLI builds the engine's outside world. The real entry uses `defaultDeps`; tests pass
 * their own pieces (a static token, a client pointed at the simulator) and run the real
 * commands in-process.
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
  const app = createMsalApp(config.onedrive, {
    logger,
    ...(networkClient ? { networkClient } : {}),
  });
  return new MsalTokenProvider({ app, logger });
}

export const defaultDeps: CliDeps = {
  createTokenProvider: (config, logger) => createTokenProvider(config, logger),
  createSource: (config, tokens, hooks) =>
    new GraphClient({
      graphUrl: config.onedrive.graphUrl,
      tokens,
      logger: hooks.logger,
      pacer: new Pacer({ service: 'graph', onThrottle: hooks.onThrottle }),
    }),
  createTarget: (config, hooks) =>
    new S3Target({
      client: createS3Client(config.aws),
      bucket: config.aws.bucket,
      storageClass: config.aws.storageClass,
      sse: config.aws.sse,
      kmsKeyId: config.aws.kmsKeyId,
      multipartThresholdBytes: config.aws.multipartThresholdBytes,
      logger: hooks.logger,
      pacer: new Pacer({ service: 's3', onThrottle: hooks.onThrottle }),
    }),
};
