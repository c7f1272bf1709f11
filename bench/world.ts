import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { staticTokenProvider } from '../src/core/auth/token-provider.js';
import { loadConfig, type Config } from '../src/core/config/index.js';
import { GraphClient } from '../src/core/graph/client.js';
import type { DeltaPage, DownloadOptions, DriveSource } from '../src/core/graph/types.js';
import type { Logger } from '../src/core/log/logger.js';
import { Pacer } from '../src/core/net/pacer.js';
import { countRequests, createS3Client, type RequestCounter } from '../src/core/s3/client.js';
import { S3Target } from '../src/core/s3/target.js';
import { StateStore } from '../src/core/store/index.js';
import { SyncEngine } from '../src/core/sync/engine.js';
import { SIM_TOKEN } from '../test/sim/graph/index.js';
import type { RemoteSim } from './sim-remote.js';

/**
 * Counts what the engine reads from the delta feed, passing every page through unchanged: the
 * original tool's cost (one HEAD per file in the feed) is computed from these numbers.
 */
export class FeedTap implements DriveSource {
  pages = 0;
  items = 0;
  /** Live files in the feed (each one the original tool would HEAD). */
  files = 0;
  deleted = 0;

  constructor(private readonly inner: DriveSource) {}

  async deltaPage(link: string | undefined, signal?: AbortSignal): Promise<DeltaPage> {
    const page = await this.inner.deltaPage(link, signal);
    this.pages++;
    this.items += page.items.length;
    for (const item of page.items) {
      if (item.deleted) this.deleted++;
      else if (item.file) this.files++;
    }
    return page;
  }

  download(itemId: string, options?: DownloadOptions): Promise<Readable> {
    return this.inner.download(itemId, options);
  }

  reset(): void {
    this.pages = this.items = this.files = this.deleted = 0;
  }
}

/** Keeps warnings and errors (the first few) so a scenario can show why something failed. */
export function benchLogger(): Logger & { problems: string[] } {
  const problems: string[] = [];
  const keep = (level: string) => (message: string) => {
    if (problems.length < 20) problems.push(`${level}: ${message}`);
  };
  return { problems, error: keep('error'), warn: keep('warn'), info() {}, debug() {} };
}

export interface WorldOptions {
  /** A folder of its own: config.toml, state.db, delta_link.json. */
  dir: string;
  bucket: string;
  s3Endpoint: string;
  sim: RemoteSim;
}

/**
 * The product as `cloud-sync sync` composes it (src/core/service/parts.ts), pointed at the
 * simulator and moto, with the product's defaults (concurrency 4, 16 MiB multipart threshold,
 * 4 parts in flight). The only differences: a static OneDrive token, and an S3 client whose
 * requests are counted by SDK middleware.
 */
export class World {
  readonly config: Config;
  readonly client: S3Client;
  readonly counter: RequestCounter;
  readonly tap: FeedTap;
  readonly logger = benchLogger();

  constructor(private readonly options: WorldOptions) {
    mkdirSync(options.dir, { recursive: true });
    const file = join(options.dir, 'config.toml');
    writeFileSync(file, configText(options));
    this.config = loadConfig(file, { env: {} }).config;
    this.client = createS3Client(this.config.aws);
    this.counter = countRequests(this.client);
    this.tap = new FeedTap(
      new GraphClient({
        graphUrl: this.config.onedrive.graphUrl,
        tokens: staticTokenProvider(SIM_TOKEN),
        logger: this.logger,
        pacer: new Pacer({ service: 'graph' }),
      }),
    );
  }

  get sim(): RemoteSim {
    return this.options.sim;
  }

  async createBucket(): Promise<void> {
    await this.client.send(new CreateBucketCommand({ Bucket: this.config.aws.bucket }));
    this.counter.reset();
  }

  target(): S3Target {
    const aws = this.config.aws;
    return new S3Target({
      client: this.client,
      bucket: aws.bucket,
      storageClass: aws.storageClass,
      sse: aws.sse,
      kmsKeyId: aws.kmsKeyId,
      multipartThresholdBytes: aws.multipartThresholdBytes,
      logger: this.logger,
      pacer: new Pacer({ service: 's3' }),
    });
  }

  openStore(): StateStore {
    return StateStore.open(this.config.general.statePath);
  }

  engine(store: StateStore): SyncEngine {
    return new SyncEngine({
      config: this.config,
      store,
      source: this.tap,
      target: this.target(),
      logger: this.logger,
    });
  }

  /** Resets every counter: S3 middleware, the feed tap, the simulator's. */
  async resetCounters(): Promise<void> {
    this.counter.reset();
    this.tap.reset();
    await this.sim.reset();
  }
}

/** `BENCH_GENERAL` (e.g. "concurrency = 8") adds lines to [general], for experiments only. */
function configText(o: WorldOptions): string {
  return `[onedrive]
client_id = "bench"
graph_url = "${o.sim.url}"
authority = "https://127.0.0.1:9/consumers"
tokens_path = "${o.dir}/tokens.json"
delta_link_path = "${o.dir}/delta_link.json"

[aws]
access_key_id = "bench"
secret_access_key = "bench"
region = "us-east-1"
bucket = "${o.bucket}"
endpoint = "${o.s3Endpoint}"

[general]
state_path = "${o.dir}/state.db"
${process.env.BENCH_GENERAL ?? ''}
log_path = "${o.dir}/cloud-sync.log"
`;
}
