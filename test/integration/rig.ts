import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { staticTokenProvider } from '../../src/core/auth/token-provider.js';
import type { Clock } from '../../src/core/clock.js';
import { loadConfig, type Config } from '../../src/core/config/index.js';
import { GraphClient } from '../../src/core/graph/client.js';
import { Pacer } from '../../src/core/net/pacer.js';
import { countRequests, createS3Client, type RequestCounter } from '../../src/core/s3/client.js';
import { S3Target } from '../../src/core/s3/target.js';
import { StateStore } from '../../src/core/store/index.js';
import { SyncEngine, type RoundOptions } from '../../src/core/sync/engine.js';
import type { CliIO } from '../../src/cli/command.js';
import { COMMANDS } from '../../src/cli/commands/index.js';
import { createSyncCommand } from '../../src/cli/commands/sync.js';
import { createVerifyCommand } from '../../src/cli/commands/verify.js';
import type { CliDeps } from '../../src/cli/deps.js';
import { runCli } from '../../src/cli/run.js';
import type { EngineEvent, RoundSummary } from '../../src/shared/events.js';
import { freshBucket } from '../helpers/s3.js';
import { tempDir } from '../helpers/tmp.js';
import {
  startGraphSim,
  SIM_TOKEN,
  type GraphSim,
  type GraphSimOptions,
} from '../sim/graph/index.js';

export const MiB = 1024 * 1024;

export interface RigOptions {
  prefix?: string;
  /** Extra `[general]` lines, e.g. `delete_policy = "trash"`. */
  general?: string;
  sim?: GraphSimOptions;
  /** The config's S3 endpoint, when not moto's own (e.g. a fault-injecting proxy in front of it). */
  s3Endpoint?: string;
}

/** The TOML a rig runs with: the simulator as Graph, moto as S3, 6 MiB multipart threshold. */
export function rigConfigText(
  dir: string,
  sim: { url: string },
  s3: { endpoint: string; bucket: string },
  o: RigOptions,
): string {
  return `[onedrive]
client_id = "test-client"
graph_url = "${sim.url}"
authority = "https://127.0.0.1:9/consumers"
tokens_path = "${dir}/tokens.json"
delta_link_path = "${dir}/delta_link.json"

[aws]
access_key_id = "test"
secret_access_key = "test"
region = "us-east-1"
bucket = "${s3.bucket}"
endpoint = "${s3.endpoint}"
prefix = "${o.prefix ?? ''}"
multipart_threshold_mib = 6

[general]
state_path = "${dir}/state.db"
log_path = "${dir}/cloud-sync.log"
${o.general ?? ''}
`;
}

/**
 * One scenario's world: a Graph simulator with its drive, a fresh moto bucket, a config.toml in
 * a temp folder. Rounds run through the engine (`round`) or the real CLI in-process (`cli`);
 * the S3 client used by both counts its requests.
 */
export class Rig {
  readonly counter: RequestCounter;
  readonly events: EngineEvent[] = [];
  /** The clock the CLI's engine runs on (retry pauses); the system's when unset. */
  clock: Clock | undefined;
  readonly client: S3Client;

  private constructor(
    readonly sim: GraphSim,
    readonly s3: { endpoint: string; bucket: string; client: S3Client },
    readonly dir: string,
    readonly config: Config,
  ) {
    this.client = createS3Client(config.aws);
    this.counter = countRequests(this.client);
  }

  static async start(options: RigOptions = {}): Promise<Rig> {
    const sim = await startGraphSim({ pageSize: 5, ...options.sim });
    const s3 = await freshBucket();
    const dir = tempDir('rig');
    const endpoint = options.s3Endpoint ?? s3.endpoint;
    writeFileSync(join(dir, 'config.toml'), rigConfigText(dir, sim, { ...s3, endpoint }, options));
    const { config } = loadConfig(join(dir, 'config.toml'), { env: {} });
    return new Rig(sim, s3, dir, config);
  }

  get prefix(): string {
    return this.config.aws.prefix;
  }

  /** The bucket named by `config` (the CLI passes what it loaded), through the counting client. */
  target(config: Config = this.config): S3Target {
    return new S3Target({
      client: this.client,
      bucket: config.aws.bucket,
      storageClass: 'STANDARD',
      multipartThresholdBytes: this.config.aws.multipartThresholdBytes,
      partSizeBytes: 5 * MiB,
      // Back-off steps of 1 ms like the Graph side: tests script failures, not wait them out.
      pacer: new Pacer({ service: 's3', baseDelayMs: 1 }),
    });
  }

  source(onThrottle?: (ms: number) => void): GraphClient {
    return new GraphClient({
      graphUrl: this.sim.url,
      tokens: staticTokenProvider(SIM_TOKEN),
      pacer: new Pacer({ service: 'graph', baseDelayMs: 1, ...(onThrottle ? { onThrottle } : {}) }),
    });
  }

  /** The real CLI's dependencies, pointed at this rig (only the token is static). */
  deps(): CliDeps {
    return {
      createTokenProvider: () => staticTokenProvider(SIM_TOKEN),
      createSource: (_config, _tokens, hooks) => this.source(hooks.onThrottle),
      createTarget: (config) => this.target(config),
      ...(this.clock ? { clock: this.clock } : {}),
    };
  }

  /** One round through the engine, with a store opened and closed around it like the CLI does. */
  async round(options: RoundOptions = {}): Promise<RoundSummary> {
    const store = StateStore.open(this.config.general.statePath);
    try {
      const engine = new SyncEngine({
        config: this.config,
        store,
        source: this.source(),
        target: this.target(),
        tuning: { retryDelayMs: 1 },
      });
      engine.on((e) => this.events.push(e));
      return await engine.runRound(options);
    } finally {
      store.close();
    }
  }

  /** The real CLI in-process: `cloud-sync <argv>` with CONFIG_PATH at this rig's folder. */
  async cli(
    argv: string[],
    signal = new AbortController().signal,
  ): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const io: CliIO = {
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t) },
      env: { CONFIG_PATH: this.dir },
      signal,
    };
    const commands = COMMANDS.map((c) =>
      c.name === 'sync'
        ? createSyncCommand(this.deps())
        : c.name === 'verify'
          ? createVerifyCommand(this.deps())
          : c,
    );
    const code = await runCli(argv, io, commands);
    return { code, stdout, stderr };
  }

  withStore<T>(fn: (store: StateStore) => T): T {
    const store = StateStore.open(this.config.general.statePath);
    try {
      return fn(store);
    } finally {
      store.close();
    }
  }

  async close(): Promise<void> {
    this.counter.detach();
    await this.sim.close();
  }
}
