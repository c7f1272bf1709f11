// `npm run demo`: a whole backup round with no account anywhere. A local S3 server (moto) and
// the Graph simulator with a generated sample drive stand in for AWS and OneDrive; the real
// `cloud-sync sync` runs against them twice: the first backup, then a round after some edits.
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { staticTokenProvider } from '../src/core/auth/token-provider.js';
import { loadConfig } from '../src/core/config/index.js';
import { createS3Client } from '../src/core/s3/client.js';
import type { CliIO } from '../src/cli/command.js';
import { COMMANDS } from '../src/cli/commands/index.js';
import { createSyncCommand } from '../src/cli/commands/sync.js';
import { defaultDeps } from '../src/cli/deps.js';
import { runCli } from '../src/cli/run.js';
import { startGraphSim, SIM_TOKEN, type GraphSim } from '../test/sim/graph/index.js';
import { startMoto } from './moto.mjs';

const MiB = 1024 * 1024;

function sampleDrive(sim: GraphSim): void {
  const d = sim.drive;
  d.addFile('Documents/Taxes 2024/return.pdf', { size: 420_000, seed: 'tax' });
  d.addFile('Documents/Taxes 2024/receipts #1.txt', 'coffee 3.20\nbooks 42.00\n');
  d.addFile('Documents/CV – Åsa Lindström.docx', { size: 85_000, seed: 'cv' });
  d.addFile('Documents/notes/100% ideas.md', '# ideas\n- back up everything\n');
  d.addFile('Photos/2023/Kyoto/金閣寺.jpg', { size: 2 * MiB + 17, seed: 'kyoto' });
  d.addFile('Photos/2023/Kyoto/street at night.jpg', { size: 1_500_000, seed: 'night' });
  d.addFile('Videos/birthday.mp4', { size: 18 * MiB, seed: 'video' });
  d.addFile('empty placeholder.txt', Buffer.alloc(0));
  d.addOneNote('Notebooks/Personal');
}

const moto = await startMoto();
const sim = await startGraphSim({ pageSize: 4, shuffleSeed: 42 });
const dir = mkdtempSync(join(tmpdir(), 'cloud-sync-demo-'));
try {
  const bucket = 'cloud-sync-demo';
  writeFileSync(
    join(dir, 'config.toml'),
    `[onedrive]
client_id = "demo"
graph_url = "${sim.url}"
authority = "https://127.0.0.1:9/consumers"

[aws]
access_key_id = "demo"
secret_access_key = "demo"
region = "us-east-1"
bucket = "${bucket}"
endpoint = "${moto.endpoint}"
prefix = "onedrive/"

[general]
delete_policy = "trash"
`,
  );
  const { config } = loadConfig(join(dir, 'config.toml'), { env: {} });
  await createS3Client(config.aws).send(new CreateBucketCommand({ Bucket: bucket }));
  sampleDrive(sim);

  // The real sync command; only the OneDrive token is the simulator's instead of MSAL's.
  const sync = createSyncCommand({
    ...defaultDeps,
    createTokenProvider: () => staticTokenProvider(SIM_TOKEN),
  });
  const commands = COMMANDS.map((c) => (c.name === 'sync' ? sync : c));
  const io: CliIO = {
    stdout: process.stdout,
    stderr: process.stderr,
    env: { CONFIG_PATH: dir },
    signal: new AbortController().signal,
  };
  const say = (text: string) => process.stdout.write(`\n\x1b[1m== ${text}\x1b[0m\n`);

  say(
    `Backing up a simulated OneDrive (${sim.drive.files().length} files) into s3://${bucket}/onedrive/`,
  );
  let code = await runCli(['sync'], io, commands);

  say('Some changes: a folder renamed, a photo re-timed, a note edited, a receipt deleted');
  sim.drive.rename('Photos/2023/Kyoto', 'Kyoto trip');
  sim.drive.touch('Photos/2023/Kyoto trip/street at night.jpg', '2023-11-03T21:14:00Z');
  sim.drive.editFile('Documents/notes/100% ideas.md', '# ideas\n- back up everything\n- twice\n');
  sim.drive.delete('Documents/Taxes 2024/receipts #1.txt');
  sim.counters.reset();
  code = Math.max(code, await runCli(['sync'], io, commands));
  process.stdout.write(
    `(OneDrive served ${sim.counters.bytesServed()} bytes in that round: the renamed folder was copied inside S3)\n`,
  );

  say('cloud-sync status');
  await runCli(['status'], io, commands);
  process.exitCode = code;
} finally {
  await sim.close();
  moto.stop();
  rmSync(dir, { recursive: true, force: true });
}
