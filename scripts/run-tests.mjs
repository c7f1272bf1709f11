// Runs every test file under test/ with Node's own test runner, sharing one local S3 server
// (moto) across the run: starting one per file would cost a second or more each.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { startMoto } from './moto.mjs';

const root = new URL('..', import.meta.url).pathname;
const filter = process.argv.slice(2);
const files = readdirSync(join(root, 'test'), { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => join('test', f))
  .filter((f) => filter.length === 0 || filter.some((part) => f.includes(part)))
  .sort();
if (files.length === 0) {
  console.error(`no test files match ${filter.join(' ')}`);
  process.exit(1);
}

const moto = process.env.S3_TEST_ENDPOINT ? undefined : await startMoto();
const env = { ...process.env, S3_TEST_ENDPOINT: process.env.S3_TEST_ENDPOINT ?? moto.endpoint };
const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=300000', ...files],
  { cwd: root, env, stdio: 'inherit' },
);
const code = await new Promise((resolve) => child.on('exit', (c, s) => resolve(c ?? (s ? 1 : 0))));
moto?.stop();
console.error(`ran ${files.length} test files (${relative(root, root) || '.'})`);
process.exit(code);
