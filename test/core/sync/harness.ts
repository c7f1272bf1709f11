import { join } from 'node:path';
import type { Config } from '../../../src/core/config/types.js';
import { S3Target } from '../../../src/core/s3/target.js';
import { StateStore } from '../../../src/core/store/index.js';
import { SyncEngine, type SyncEngineDeps } from '../../../src/core/sync/engine.js';
import type { DriveSource } from '../../../src/core/graph/types.js';
import type { EngineEvent } from '../../../src/shared/events.js';
import { freshBucket } from '../../helpers/s3.js';
import { tempDir } from '../../helpers/tmp.js';

export type EngineConfig = SyncEngineDeps['config'];

/** The parts of Config the engine reads, with the product's defaults. */
export function engineConfig(
  dir: string,
  general: Partial<Config['general']> = {},
  prefix = '',
): EngineConfig {
  return {
    aws: {
      accessKeyId: 'test',
      secretAccessKey: 'test',
      region: 'us-east-1',
      bucket: 'unused',
      endpoint: undefined,
      forcePathStyle: true,
      prefix,
      storageClass: 'STANDARD',
      sse: undefined,
      kmsKeyId: undefined,
      multipartThresholdBytes: 6 * 1024 * 1024,
    },
    general: {
      syncTime: undefined,
      intervalMs: 0,
      logPath: undefined,
      statePath: join(dir, 'state.db'),
      concurrency: 4,
      deletePolicy: 'keep',
      trashPrefix: '.trash/',
      maxDelete: 1000,
      maxDeleteShare: 0.5,
      verifyIntervalMs: 0,
      ...general,
    },
    onedrive: {
      clientId: 'x',
      clientSecret: undefined,
      redirectUri: undefined,
      scopes: [],
      tokensPath: join(dir, 'tokens.json'),
      deltaLinkPath: join(dir, 'delta_link.json'),
      authority: 'https://login.example',
      graphUrl: 'http://127.0.0.1:1/v1.0',
      realtime: false,
    },
  };
}

/** An engine over a fresh moto bucket and a fresh store in a temp folder. */
export async function engineRig(
  source: DriveSource,
  options: { general?: Partial<Config['general']>; prefix?: string } = {},
) {
  const dir = tempDir('engine');
  const s3 = await freshBucket();
  const config = engineConfig(dir, options.general, options.prefix ?? '');
  const target = new S3Target({
    client: s3.client,
    bucket: s3.bucket,
    storageClass: 'STANDARD',
    multipartThresholdBytes: 6 * 1024 * 1024,
    partSizeBytes: 5 * 1024 * 1024,
  });
  const store = StateStore.open(config.general.statePath);
  const events: EngineEvent[] = [];
  const make = (extra: Partial<SyncEngineDeps> = {}) => {
    const engine = new SyncEngine({
      config,
      store,
      source,
      target,
      tuning: { retryDelayMs: 1 },
      ...extra,
    });
    engine.on((e) => events.push(e));
    return engine;
  };
  return { dir, s3, config, target, store, events, engine: make(), make };
}
