import type { Config, ConfigWarning } from '../core/config/index.js';
import type { Logger } from '../core/log/logger.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** Where a command writes; tests pass buffers, the real entry passes the process streams. */
export interface CliIO {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: Env;
  /** Aborted on SIGINT/SIGTERM. */
  signal: AbortSignal;
}

export interface CliContext {
  io: CliIO;
  /** Loads and validates config.toml once; throws ConfigError (exit 2). */
  loadConfig(options?: { checkTlsFiles?: boolean }): { config: Config; warnings: ConfigWarning[] };
  /** The file loadConfig reads. */
  configFile: string;
  logger(config: Config): Promise<Logger>;
}

export interface OptionSpec {
  type: 'boolean' | 'string';
  short?: string;
  description: string;
  multiple?: boolean;
}

export interface Command {
  name: string;
  summary: string;
  /** One line per form, e.g. "sync [--full] [--dry-run]". */
  usage: string;
  options: Record<string, OptionSpec>;
  run(
    ctx: CliContext,
    values: Record<string, string | boolean | string[] | undefined>,
    positionals: string[],
  ): Promise<number>;
}

export const EXIT = { ok: 0, partial: 1, differences: 1, config: 2, auth: 2 } as const;
