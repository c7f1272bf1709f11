import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Rig, rigConfigText } from '../integration/rig.js';

const root = new URL('../..', import.meta.url).pathname;

/** The real entry point in a child process: argv, env and exit code as a user would see them. */
function runMain(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: root,
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

test('sync exits 0 when every item succeeded and status then shows the round', async (t) => {
  const rig = await Rig.start();
  t.after(() => rig.close());
  rig.sim.drive.addFile('a.txt', 'a');
  const run = await rig.cli(['sync']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /Round 1 \(full re-sync\): ok/);
  const status = await rig.cli(['status', '--json']);
  const json = JSON.parse(status.stdout) as { rounds: Array<{ result: string; uploaded: number }> };
  assert.equal(json.rounds[0]?.result, 'ok');
  assert.equal(json.rounds[0]?.uploaded, 1);
  assert.match((await rig.cli(['status'])).stdout, /#1 .* ok \(full\): 1 uploaded/);
});

test('sync exits 1 when some items failed, naming each with its reason, and the rest are backed up', async (t) => {
  const rig = await Rig.start();
  t.after(() => rig.close());
  rig.sim.drive.addFile('good.txt', 'fine');
  const bad = rig.sim.drive.addFile('bad.txt', 'refused');
  rig.sim.faults.fail({
    status: 403,
    code: 'accessDenied',
    route: ['content', 'download'],
    itemId: bad.id,
    count: Infinity,
  });
  const run = await rig.cli(['sync']);
  assert.equal(run.code, 1, run.stdout + run.stderr);
  assert.match(run.stdout, /Failed \(1\):\n {2}bad\.txt: /);
  const status = JSON.parse((await rig.cli(['status', '--json'])).stdout) as {
    failedItems: Array<{ path: string }>;
  };
  assert.deepEqual(
    status.failedItems.map((f) => f.path),
    ['bad.txt'],
  );
  rig.sim.faults.clear();
  assert.equal((await rig.cli(['sync'])).code, 0, 'the next round retries it');
});

test('sync exits 2 on a configuration problem', async (t) => {
  const rig = await Rig.start();
  t.after(() => rig.close());
  writeFileSync(
    join(rig.dir, 'config.toml'),
    '[onedrive]\nclient_id = "x"\n[aws]\nregion = "us-east-1"\n',
  );
  const run = await rig.cli(['sync']);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /bucket/);
});

test('sync exits 2 when the bucket does not exist, with a hint naming it', async (t) => {
  const rig = await Rig.start();
  t.after(() => rig.close());
  writeFileSync(
    join(rig.dir, 'config.toml'),
    rigConfigText(
      rig.dir,
      rig.sim,
      { endpoint: rig.s3.endpoint, bucket: 'no-such-bucket-here' },
      {},
    ),
  );
  rig.sim.drive.addFile('a.txt', 'a');
  const run = await rig.cli(['sync']);
  assert.equal(run.code, 2, run.stdout + run.stderr);
  assert.match(run.stderr, /no-such-bucket-here/);
});

test('the real entry exits 2 before authorization, pointing at `cloud-sync authorize`', async (t) => {
  const rig = await Rig.start();
  t.after(() => rig.close());
  const run = await runMain(['sync'], { CONFIG_PATH: `${rig.dir}/` });
  assert.equal(run.code, 2, run.stdout + run.stderr);
  assert.match(run.stderr, /authorize/);
  assert.equal(rig.sim.counters.count(), 0, 'no Graph request without a token');
});
