import { runCli } from './run.js';

// The headless entry: wires the process's streams and signals into the CLI.
const controller = new AbortController();
let signals = 0;
for (const name of ['SIGINT', 'SIGTERM'] as const) {
  process.on(name, () => {
    // First signal: stop taking work and let in-flight transfers checkpoint. Second: leave now.
    if (++signals > 1) process.exit(130);
    controller.abort(Object.assign(new Error(`received ${name}`), { name: 'AbortError' }));
  });
}

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: controller.signal,
});
process.exitCode = code;
