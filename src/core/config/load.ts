import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { ConfigError } from '../errors.js';
import type { Config, ConfigWarning } from './types.js';
import { Validator, type ValidateOptions } from './validator.js';

export { DEFAULT_AUTHORITY, DEFAULT_GRAPH_URL, DEFAULT_SCOPE } from './validator.js';
export const CONFIG_FILE_NAME = 'config.toml';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Where config.toml lives: `--config FILE`, else the directory in CONFIG_PATH (the original
 * tool's variable) or CONFIG_DIR, else ~/.config/cloud-sync.
 */
export function resolveConfigFile(options: {
  configFile?: string | undefined;
  env?: Env;
  fallbackDir?: string;
}): string {
  const env = options.env ?? process.env;
  if (options.configFile) return resolve(options.configFile);
  const dir = env.CONFIG_PATH || env.CONFIG_DIR;
  if (dir) return resolve(dir, CONFIG_FILE_NAME);
  return join(
    options.fallbackDir ?? join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'cloud-sync'),
    CONFIG_FILE_NAME,
  );
}

export type LoadOptions = ValidateOptions;

export interface LoadResult {
  config: Config;
  warnings: ConfigWarning[];
}

export function loadConfig(file: string, options: LoadOptions = {}): LoadResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      code === 'ENOENT'
        ? `${file}: no configuration file here. Copy config.example.toml there, or set CONFIG_PATH to its directory.`
        : `${file}: cannot read the configuration file (${code ?? String(error)}).`,
      { cause: error, code: 'config-missing' },
    );
  }
  return validateConfigText(text, file, options);
}

/** Parses and validates config text; the Settings form uses this too, so both agree. */
export function validateConfigText(
  text: string,
  file: string,
  options: LoadOptions = {},
): LoadResult {
  let raw: Record<string, unknown>;
  try {
    raw = parse(text) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof TomlError) {
      const reason =
        error.message.split('\n')[0]?.replace(/^Invalid TOML document: /, '') ?? 'invalid TOML';
      throw new ConfigError(`${file}:${error.line}:${error.column}: TOML syntax error: ${reason}`, {
        cause: error,
        code: 'config-syntax',
      });
    }
    throw error;
  }
  return new Validator(raw, text, file, options).run();
}
