// The real CLI (`src/cli/main.ts`) with one difference: the OneDrive token is the Graph
// simulator's static one instead of MSAL's (authorization has its own tests). Crash tests run
// this in a child process so they can kill -9 it at a chosen moment.
import { staticTokenProvider } from '../../src/core/auth/token-provider.js';
import { COMMANDS } from '../../src/cli/commands/index.js';
import { createSyncCommand } from '../../src/cli/commands/sync.js';
import { defaultDeps } from '../../src/cli/deps.js';
import { runCli } from '../../src/cli/run.js';

const deps = {
  ...defaultDeps,
  createTokenProvider: () => staticTokenProvider(process.env.SIM_TOKEN ?? ''),
};
const commands = COMMANDS.map((c) => (c.name === 'sync' ? createSyncCommand(deps) : c));
process.exitCode = await runCli(
  process.argv.slice(2),
  {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    signal: new AbortController().signal,
  },
  commands,
);
