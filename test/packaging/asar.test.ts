// Packs the app with electron-builder's `dir` target, offline: Electron itself is replaced by a
// stub folder (an 'electron' file and a 'version' file), which is all the packer needs to
// assemble resources/app.asar. Then checks what the archive holds.
import asar from '@electron/asar';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { tempDir } from '../helpers/tmp.js';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  main: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const electronVersion = (
  JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')) as {
    version: string;
  }
).version;

// Made here, at the top level, so it lives until the file's tests are done.
const dir = tempDir('pack');
let resources = '';
let archive = '';
let files = new Set<string>();

async function pack(): Promise<void> {
  // What `npm run build` produces is what gets packed.
  await run('npm', ['run', 'build'], { cwd: root, maxBuffer: 16 * 1024 * 1024 }).catch(
    (error: { stdout?: string; stderr?: string }) => {
      throw new Error(`npm run build failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
    },
  );
  const electronDist = join(dir, 'electron-stub');
  mkdirSync(electronDist);
  writeFileSync(join(electronDist, 'electron'), '#!/bin/sh\n');
  chmodSync(join(electronDist, 'electron'), 0o755);
  writeFileSync(join(electronDist, 'version'), `${electronVersion}\n`);
  const out = join(dir, 'out');
  await run(
    process.execPath,
    [
      join(root, 'node_modules/electron-builder/cli.js'),
      '--linux',
      'dir',
      '--x64',
      `-c.electronDist=${electronDist}`,
      `-c.directories.output=${out}`,
      '--publish',
      'never',
    ],
    { cwd: root, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, CI: '1' } },
  );
  resources = join(out, 'linux-unpacked', 'resources');
  archive = join(resources, 'app.asar');
  files = new Set(asar.listPackage(archive, { isPack: false }).map((f) => f.replace(/\\/g, '/')));
}

const has = (path: string): boolean => files.has(path);
const unpacked = (path: string): boolean =>
  Boolean((asar.statFile(archive, path.replace(/^\//, '')) as { unpacked?: boolean }).unpacked);

describe('the packaged app (electron-builder dir target, stub Electron)', () => {
  before(pack, { timeout: 120_000 });

  it('holds the main process, the CommonJS preload and the window', () => {
    for (const file of [
      `/${pkg.main}`,
      '/dist/app/controller.js',
      '/dist/app/ipc/gate.js',
      '/dist/preload/preload.cjs',
      '/dist/renderer/renderer/index.html',
      '/dist/renderer/renderer/main.js',
      '/dist/renderer/renderer/styles.css',
      '/dist/renderer/renderer/assets/tray/syncing@2x.png',
      '/dist/renderer/src/shared/app-state.js',
      '/dist/core/service/backup-service.js',
      '/package.json',
    ])
      assert.ok(has(file), `${file} is in app.asar`);
    const main = JSON.parse(asar.extractFile(archive, 'package.json').toString()) as {
      main: string;
    };
    assert.equal(main.main, 'dist/app/main.js');
    const preload = asar.extractFile(archive, 'dist/preload/preload.cjs').toString();
    assert.deepEqual(
      preload.match(/require\([^)]*\)/g),
      ['require("electron")'],
      'a sandboxed preload may require electron only',
    );
  });

  it('holds every production dependency and no development one', () => {
    for (const name of Object.keys(pkg.dependencies))
      assert.ok(has(`/node_modules/${name}/package.json`), `${name} is packed`);
    for (const name of Object.keys(pkg.devDependencies))
      assert.ok(!has(`/node_modules/${name}`), `${name} (dev) is not packed`);
    const own = [...files].filter((f) => !f.startsWith('/node_modules/'));
    const stray = own.filter(
      (f) => f.endsWith('.map') || f.endsWith('.ts') || /^\/(src|test|renderer|scripts)\//.test(f),
    );
    assert.deepEqual(stray, [], 'no sources, tests or source maps of ours');
  });

  it('keeps the native SQLite module outside the archive, where the OS can load it', () => {
    const native = [...files].filter((f) => f.endsWith('.node'));
    assert.ok(
      native.some((f) => f.startsWith('/node_modules/@libsql/linux-x64-gnu/')),
      'the platform binary is packed',
    );
    for (const f of native) {
      assert.ok(unpacked(f), `${f} is unpacked`);
      assert.ok(existsSync(join(resources, 'app.asar.unpacked', f)), `${f} exists on disk`);
    }
    assert.ok(unpacked('/node_modules/libsql/index.js'), 'its loader sits next to it');
  });
});
