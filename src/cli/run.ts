import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig, resolveConfigFile, secretsOf } from '../core/config/index.js';
import { ConfigError, SyncError } from '../core/errors.js';
import { createNodeLogger } from '../core/log/logger.js';
import { redact, redactor } from '../core/log/redact.js';
import { EXIT, type CliContext, type CliIO, type Command } from './command.js';
import { COMMANDS } from './commands/index.js';

export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

function help(commands: Command[]): string {
  const width = Math.max(...commands.map((c) => c.usage.length));
  return [
    'cloud-sync — back up a OneDrive Personal drive into an S3 bucket',
    '',
    'Usage: cloud-sync <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    '',
    'Global options:',
    '  --config FILE   config.toml to use (default: $CONFIG_PATH/config.toml, $CONFIG_DIR, ~/.config/cloud-sync)',
    '  -h, --help      this help; `cloud-sync <command> --help` for one command',
    '  -V, --version   print the version',
    '',
    'Exit codes: 0 ok · 1 some items failed / differences found · 2 configuration or authorization problem',
    '',
  ].join('\n');
}

function commandHelp(command: Command): string {
  const lines = Object.entries(command.options).map(
    ([name, spec]) =>
      `  --${name}${spec.type === 'string' ? ' VALUE' : ''}`.padEnd(28) + spec.description,
  );
  return [
    `Usage: cloud-sync ${command.usage}`,
    '',
    command.summary,
    '',
    ...(lines.length ? ['Options:', ...lines, ''] : []),
  ].join('\n');
}

/** The whole CLI as a function of argv and streams, so tests run it in-process. */
export async function runCli(
  argv: string[],
  io: CliIO,
  commands: Command[] = COMMANDS,
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    io.stdout.write(help(commands));
    return name === undefined ? EXIT.config : EXIT.ok;
  }
  if (name === '-V' || name === '--version') {
    io.stdout.write(`${version()}\n`);
    return EXIT.ok;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(
      `cloud-sync: unknown command "${name}". Run \`cloud-sync --help\` for the list.\n`,
    );
    return EXIT.config;
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: {
        ...command.options,
        config: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    io.stderr.write(`cloud-sync ${name}: ${(error as Error).message}\n${commandHelp(command)}`);
    return EXIT.config;
  }
  if (parsed.values.help) {
    io.stdout.write(commandHelp(command));
    return EXIT.ok;
  }
  const configFile = resolveConfigFile({
    configFile: parsed.values.config as string | undefined,
    env: io.env,
  });
  let cached: ReturnType<CliContext['loadConfig']> | undefined;
  const ctx: CliContext = {
    io,
    configFile,
    loadConfig(options) {
      if (cached && !options?.checkTlsFiles) return cached;
      const first = cached === undefined;
      cached = loadConfig(configFile, { env: io.env, ...options });
      for (const secret of secretsOf(cached.config)) redactor.addSecret(secret);
      if (first) printWarnings(io, cached.warnings);
      return cached;
    },
    logger: (config) =>
      createNodeLogger({
        logPath: config.general.logPath,
        console: false,
        level: io.env.CLOUD_SYNC_DEBUG ? 'debug' : 'info',
      }),
  };
  try {
    return await command.run(
      ctx,
      parsed.values as Record<string, string | boolean | string[] | undefined>,
      parsed.positionals,
    );
  } catch (error) {
    if (error instanceof ConfigError) printWarnings(io, error.warnings);
    if (error instanceof Error && (error.name === 'AbortError' || io.signal.aborted)) {
      // Stopped before its work was done: not "all good" for cron or systemd.
      io.stderr.write(`cloud-sync ${name}: stopped.\n`);
      return EXIT.partial;
    }
    if (error instanceof SyncError) {
      const hint = error.hint && !(error instanceof ConfigError) ? `hint: ${error.hint}\n` : '';
      io.stderr.write(`cloud-sync ${name}: ${redact(error.message)}\n${hint}`);
      // Configuration and authorization: 2. Anything else (another round running, a
      // transient outage that outlasted the retries): 1, worth trying again.
      return error.kind === 'fatal' ? EXIT.config : EXIT.partial;
    }
    io.stderr.write(
      `cloud-sync ${name}: ${redact(error instanceof Error ? (error.stack ?? error.message) : String(error))}\n`,
    );
    return EXIT.partial;
  }
}

function printWarnings(
  io: CliIO,
  warnings: ReadonlyArray<{ file: string; line: number | undefined; message: string }>,
): void {
  for (const warning of warnings) {
    io.stderr.write(
      `warning: ${warning.file}${warning.line ? `:${warning.line}` : ''}: ${warning.message}\n`,
    );
  }
}
