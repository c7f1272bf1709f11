// Builds the window: compiles renderer/ (browser ESM, no bundler needed) and copies its static files.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const src = join(root, 'renderer');
const out = join(root, 'dist', 'renderer');
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
