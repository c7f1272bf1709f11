import type { INetworkModule } from '@azure/msal-node';
import { createMsalApp, type MsalApp } from '../auth/msal-app.js';
import type { TokenCodec } from '../auth/cache-plugin.js';
import { MsalTokenProvider } from '../auth/token-provider.js';
import type { TokenProvider } from '../auth/token-provider.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config/types.js';
import { GraphClient } from '../graph/client.js';
import type { DriveSource } from '../graph/types.js';
import type { Logger } from '../log/logger.js';
import { Pacer } from '../net/pacer.js';
import { createS3Client } from '../s3/client.js';
import { S3Target } from '../s3/target.js';
import type { BackupTarget } from '../s3/types.js';

/** Told when a service asks everyone to pause (Retry-After), to surface it as an event. */
export type ThrottleHook = (retryAfterMs: number) => void;

export interface PartHooks {
  logger: Logger;
  onThrottle: ThrottleHook;
  clock?: Clock;
}

/**
 * The engine's outside world, built from the config. One place for the CLI, the daemon and the
 * desktop app, so all three talk to OneDrive and S3 the same way; tests replace single parts.
 */
export function createMsalParts(
  config: Config,
  logger: Logger,
  options: { networkClient?: INetworkModule; codec?: TokenCodec } = {},
): { app: MsalApp; tokens: MsalTokenProvider } {
  const app = createMsalApp(config.onedrive, { logger, ...options });
  return { app, tokens: new MsalTokenProvider({ app, logger }) };
}

export function createSource(config: Config, tokens: TokenProvider, hooks: PartHooks): DriveSource {
  return new GraphClient({
    graphUrl: config.onedrive.graphUrl,
    tokens,
    logger: hooks.logger,
    ...(hooks.clock ? { clock: hooks.clock } : {}),
    pacer: new Pacer({
      service: 'graph',
      onThrottle: hooks.onThrottle,
      ...(hooks.clock ? { clock: hooks.clock } : {}),
    }),
  });
}

export function createTarget(config: Config, hooks: PartHooks): BackupTarget {
  return new S3Target({
    client: createS3Client(config.aws),
    bucket: config.aws.bucket,
    storageClass: config.aws.storageClass,
    sse: config.aws.sse,
    kmsKeyId: config.aws.kmsKeyId,
    multipartThresholdBytes: config.aws.multipartThresholdBytes,
    logger: hooks.logger,
    pacer: new Pacer({
      service: 's3',
      onThrottle: hooks.onThrottle,
      ...(hooks.clock ? { clock: hooks.clock } : {}),
    }),
  });
}
