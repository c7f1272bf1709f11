// Records real engine events for the window's replay tests: the real SyncEngine, GraphClient
// and S3Target run against the Graph simulator (test/sim/graph) and moto, and every event is
// written as one JSON line to test/fixtures/events/<scenario>.jsonl. Nothing is hand-written.
//
//   node --import tsx scripts/record-events.ts      (starts its own moto unless S3_TEST_ENDPOINT)
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { staticTokenProvider } from '../src/core/auth/token-provider.js';
import { validateConfigText } from '../src/core/config/index.js';
import { GraphClient } from '../src/core/graph/index.js';
import { Pacer } from '../src/core/net/pacer.js';
import { createS3Client } from '../src/core/s3/client.js';
import { S3Target } from '../src/core/s3/target.js';
import { StateStore } from '../src/core/store/index.js';
import { SyncEngine } from '../src/core/sync/engine.js';
import type { EngineEvent } from '../src/shared/events.js';
import { SIM_TOKEN, startGraphSim } from '../test/sim/graph/index.js';
import { startMoto } from './moto.mjs';

const out = new URL('../test/fixtures/events/', import.meta.url).pathname;
const MiB = 1024 * 1024;

const moto = process.env.S3_TEST_ENDPOINT ? undefined : await startMoto();
const endpoint = process.env.S3_TEST_ENDPOINT ?? moto?.endpoint ?? '';
const sim = await startGraphSim({ pageSize: 40, shuffleSeed: 7 });
const dir = mkdtempSync(join(tmpdir(), 'record-events-'));

try {
  const bucket = `record-${Date.now()}`;
  const text = [
    '[onedrive]',
    'client_id = "00000000-0000-0000-0000-00000000abcd"',
    `graph_url = "${sim.url}"`,
    '[aws]',
    `bucket = "${bucket}"`,
    `endpoint = "${endpoint}"`,
    'access_key_id = "test"',
    'secret_access_key = "test"',
    'prefix = "onedrive/"',
    'multipart_threshold_mib = 6',
    '[general]',
    'concurrency = 4',
    'delete_policy = "delete"',
    'max_delete = 5',
  ].join('\n');
  // The real validator builds the Config, exactly as the app and the daemon do.
  const { config } = validateConfigText(text, join(dir, 'config.toml'), { env: {} });
  const client = createS3Client(config.aws);
  await client.send(new CreateBucketCommand({ Bucket: bucket }));

  const events: EngineEvent[] = [];
  const graphPacer = new Pacer({
    service: 'graph',
    baseDelayMs: 50,
    // Wired as the app's composition root does: pacer pauses become `throttled` events.
    onThrottle: (ms) => engine.notifyThrottled('graph', ms),
  });
  const engine: SyncEngine = new SyncEngine({
    config,
    store: StateStore.open(config.general.statePath),
    source: new GraphClient({
      graphUrl: config.onedrive.graphUrl,
      tokens: staticTokenProvider(SIM_TOKEN),
      pacer: graphPacer,
    }),
    target: new S3Target({
      client,
      bucket,
      storageClass: config.aws.storageClass,
      multipartThresholdBytes: config.aws.multipartThresholdBytes,
      partSizeBytes: 5 * MiB,
    }),
    tuning: { retryDelayMs: 50, progressIntervalMs: 100 },
  });
  engine.on((event) => events.push(event));

  async function round(name: string, options: { full?: boolean } = {}): Promise<void> {
    events.length = 0;
    const summary = await engine.runRound(options);
    mkdirSync(out, { recursive: true });
    writeFileSync(
      join(out, `${name}.jsonl`),
      events.map((e) => JSON.stringify(e)).join('\n') + '\n',
    );
    console.log(
      `${name}: ${events.length} events, result ${summary.result}, uploaded ${summary.uploaded}, failed ${summary.failed}`,
    );
  }

  // A drive with nested folders, long names, a few large files and one file Graph refuses.
  const d = sim.drive;
  const deep =
    'Documents/Projects/2024 Renovation of the old farmhouse/Invoices and receipts/Contractors';
  for (let i = 1; i <= 12; i++)
    d.addFile(
      `${deep}/invoice-${String(i).padStart(3, '0')}-kitchen-and-bathroom-final-version.pdf`,
      { size: 40_000 + i * 3000, seed: i },
    );
  for (let i = 1; i <= 10; i++)
    d.addFile(`Photos/2024/Summer holiday/IMG_${2000 + i}.jpg`, {
      size: 2 * MiB + i * 10_000,
      seed: `p${i}`,
    });
  d.addFile('Videos/drone-flight-over-the-lake.mp4', { size: 14 * MiB, seed: 'video' });
  d.addFile('Videos/birthday.mov', { size: 9 * MiB, seed: 'bday' });
  for (let i = 1; i <= 8; i++)
    d.addFile(`Music/Album ${i}/track.flac`, { size: 700_000, seed: `m${i}` });
  d.addFile('notes.txt', 'shopping list');
  const locked = d.addFile('Shared/locked-by-another-app.xlsx', { size: 120_000, seed: 'locked' });
  sim.faults.fail({
    route: 'content',
    itemId: locked.id,
    status: 403,
    code: 'accessDenied',
    count: Infinity,
  });
  sim.faults.throttle({ route: 'content', retryAfter: 1, count: 1 });
  await round('first-sync');

  // Changes: edits, a renamed folder (server-side copies), new files; the locked file now works.
  sim.faults.clear();
  d.editFile('notes.txt', 'shopping list, milk, eggs');
  d.rename('Music/Album 1', 'Album One (remastered)');
  for (let i = 11; i <= 14; i++)
    d.addFile(`Photos/2024/Autumn/IMG_${3000 + i}.jpg`, { size: 1 * MiB + i, seed: `q${i}` });
  await round('changes');

  // A few ordinary days for the history chart: varied sizes, one day with a refused file.
  const days: EngineEvent[] = [];
  for (let day = 1; day <= 6; day++) {
    for (let i = 1; i <= day * 2; i++)
      d.addFile(`Scans/day-${day}/scan-${i}.pdf`, {
        size: (day % 3) * 900_000 + i * 50_000,
        seed: `s${day}-${i}`,
      });
    d.editFile('notes.txt', `notes of day ${day}`);
    if (day === 4) {
      const busy = d.addFile('Scans/day-4/being-edited.docx', { size: 30_000, seed: 'busy' });
      sim.faults.fail({
        route: 'content',
        itemId: busy.id,
        status: 423,
        code: 'resourceLocked',
        count: Infinity,
      });
    }
    if (day === 5) sim.faults.clear();
    await round('history');
    days.push(...events);
  }
  writeFileSync(join(out, 'history.jsonl'), days.map((e) => JSON.stringify(e)).join('\n') + '\n');

  // Deleting a whole folder trips the mass-delete guard (max_delete = 5).
  d.delete('Photos/2024/Summer holiday');
  await round('mass-delete');
} finally {
  await sim.close();
  moto?.stop();
  rmSync(dir, { recursive: true, force: true });
}
