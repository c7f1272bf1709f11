import { runCli } from '../../src/cli/run.js';
import type { CliIO } from '../../src/cli/command.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI in-process with captured output. */
export async function cli(
  argv: string[],
  env: Record<string, string | undefined> = {},
  extra: Partial<CliIO> = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env,
    signal: new AbortController().signal,
    ...extra,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}
