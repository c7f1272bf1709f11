// Builds the window: compiles renderer/ (browser ESM, no bundler needed) and copies its static
// files. Output: dist/renderer, or the folder given as the first argument (the browser tests
// build a private copy so parallel test processes never rewrite files another one is reading).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const src = join(root, 'renderer');
const out = process.argv[2] ? resolve(process.argv[2]) : join(root, 'dist', 'renderer');
if (readdirSync(src).some((f) => f.endsWith('.ts'))) {
  execFileSync(
    process.execPath,
    [
      join(root, 'node_modules/typescript/bin/tsc'),
      '-p',
      join(src, 'tsconfig.json'),
      '--outDir',
      out,
    ],
    { stdio: 'inherit' },
  );
}
for (const file of readdirSync(src)) {
  if (/\.(html|css|svg|png)$/.test(file)) cpSync(join(src, file), join(out, 'renderer', file));
}
if (existsSync(join(src, 'assets')))
  cpSync(join(src, 'assets'), join(out, 'renderer', 'assets'), { recursive: true });
