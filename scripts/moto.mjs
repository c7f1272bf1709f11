// Starts moto's S3 server (preinstalled in the pyenv Python) on a free loopback port.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export async function startMoto({
  python = process.env.MOTO_PYTHON ?? 'python3',
  timeoutMs = 30_000,
} = {}) {
  const port = await freePort();
  const child = spawn(python, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: false,
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    if (stderr.length < 4000) stderr += d;
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(
        `moto server exited (${child.exitCode}); is moto installed for ${python}?\n${stderr}`,
      );
    }
    try {
      const res = await fetch(`${endpoint}/moto-api/`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(
        `moto server did not answer on ${endpoint} within ${timeoutMs} ms\n${stderr}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const stop = () => {
    if (child.exitCode === null) child.kill('SIGTERM');
  };
  process.on('exit', stop);
  // Lets a process that only borrowed moto (one test file run by hand) exit; 'exit' stops it.
  const unref = () => {
    child.unref();
    child.stderr.unref();
  };
  return { endpoint, port, stop, unref };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { endpoint } = await startMoto();
  console.log(endpoint);
  process.on('SIGTERM', () => process.exit(0));
  setInterval(() => {}, 1 << 30);
}
