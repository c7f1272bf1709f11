import { test } from 'node:test';
import { between, pick, type KillPoint } from './crash-kit.js';
import { crashLoop, midBody, THRESHOLD, type Batch } from './crash-scenario.js';
import type { SimDrive } from '../sim/graph/index.js';
import { MiB } from './rig.js';

/**
 * The drive with edits, renames, moves and deletions that skip a path the drive no longer has:
 * a file the loop renamed or deleted while the backup was down.
 */
function tolerant(drive: SimDrive): SimDrive {
  return new Proxy(drive, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || prop === 'addFile' || prop === 'addFolder') return value;
      return (...args: unknown[]) => {
        try {
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        } catch (error) {
          if (/no such item/.test((error as Error).message)) return undefined;
          throw error;
        }
      };
    },
  });
}

/** Set CRASH_SEED to replay a failure: the kill points (and changes while down) follow from it. */
const SEED = Number(process.env.CRASH_SEED ?? 20_251_127);

const BATCHES: Batch[] = [
  {
    name: 'first backup',
    change(drive) {
      const d = tolerant(drive);
      for (let i = 0; i < 5; i++) d.addFile(`Docs/note ${i}.txt`, `note number ${i}`);
      d.addFile('Docs/Work/report.docx', { size: 300_000, seed: 'report' });
      for (let i = 0; i < 4; i++)
        d.addFile(`Photos/2024/img${i}.jpg`, { size: 400_000 + i * 700_000, seed: `img${i}` });
      for (let i = 0; i < 3; i++)
        d.addFile(`Music/track${i}.mp3`, { size: 1.5 * MiB + i * 0.5 * MiB, seed: `track${i}` });
      d.addFile('Video/holiday.mp4', { size: 13 * MiB + 3, seed: 'holiday' });
    },
    // Mid-feed: the full enumeration comes in pages of three.
    aim: (rnd) => ({ kind: 'feed', n: between(rnd, 2, 6) }),
  },
  {
    name: 'edits and additions',
    change(drive) {
      const d = tolerant(drive);
      d.editFile('Docs/note 0.txt', 'note number 0, edited');
      d.editFile('Docs/note 1.txt', 'note number 1, edited');
      d.editFile('Music/track1.mp3', { size: 2 * MiB + 77, seed: 'track1 v2' });
      d.editFile('Video/holiday.mp4', { size: 14 * MiB + 5, seed: 'holiday v2' });
      d.touch('Docs/note 2.txt', '2025-11-20T08:00:00.5Z');
      d.addFile('Docs/new.txt', 'a new note');
      d.addFile('Photos/2025/img4.jpg', { size: 900_000, seed: 'img4' });
    },
    // Mid-multipart: the edited video's second part is on S3 when its body goes quiet.
    aim: (rnd, world, actions) =>
      midBody(
        rnd,
        world,
        actions.find((a) => a.path === 'Video/holiday.mp4'),
      ),
  },
  {
    name: 'renames and moves',
    change(drive) {
      const d = tolerant(drive);
      d.rename('Photos/2024', '2024 (Italy)');
      d.rename('Docs/note 3.txt', 'note three.txt');
      d.move('Music/track2.mp3', 'Docs');
      d.rename('Video', 'Videos');
    },
    // Between a rename's copies and the removal of the old keys.
    aim: (rnd) => ({ kind: 's3', op: 'DeleteObjects', n: 1, applied: rnd() < 0.5 }),
  },
  {
    name: 'deletions and a large addition',
    change(drive) {
      const d = tolerant(drive);
      d.delete('Docs/note 4.txt');
      d.delete('Music');
      d.addFile('Big/archive.bin', { size: 13 * MiB + 1, seed: 'archive' });
      d.addFile('Docs/late.txt', 'late');
      d.editFile('Photos/2025/img4.jpg', { size: 700_000, seed: 'img4 v2' });
    },
    // Mid-upload: a file's transfer begun, or its PutObject done on S3 but not recorded.
    aim: (rnd, _world, actions) => {
      const small = actions.filter((a) => a.action === 'upload' && a.bytes < THRESHOLD).length;
      if (small === 0) return undefined;
      return pick(rnd, [
        { kind: 'download', n: between(rnd, 1, small) },
        { kind: 's3', op: 'PutObject', n: between(rnd, 1, small), applied: false },
        { kind: 's3', op: 'PutObject', n: between(rnd, 1, small), applied: true },
      ] as KillPoint[]);
    },
  },
];

const KEEP_BATCHES: Batch[] = [
  {
    name: 'first backup',
    change(drive) {
      const d = tolerant(drive);
      for (let i = 0; i < 6; i++) d.addFile(`Notes/n${i}.txt`, `note ${i}`);
      d.addFile('Archive/2023/scan.pdf', { size: 9 * MiB + 11, seed: 'scan' });
      d.addFile('Archive/2023/list.csv', { size: 120_000, seed: 'list' });
    },
    aim: (rnd, world, actions) =>
      midBody(
        rnd,
        world,
        actions.find((a) => a.path === 'Archive/2023/scan.pdf'),
      ),
  },
  {
    name: 'renames and deletions',
    change(drive) {
      const d = tolerant(drive);
      d.rename('Archive/2023', '2023 (done)');
      d.rename('Notes/n1.txt', 'first.txt');
      d.delete('Notes/n2.txt');
      d.editFile('Notes/n3.txt', 'note 3, edited');
    },
    // The copies of the renamed folder: held, or done on S3 and not recorded.
    aim: (rnd) => ({ kind: 's3', op: 'CopyObject', n: between(rnd, 1, 3), applied: rnd() < 0.5 }),
  },
];

test(`kill -9 at randomized points with delete policy "trash" (seed ${SEED}): every restart completes with the bucket equal to the drive and nothing finished transferred again`, (t) =>
  crashLoop(t, { seed: SEED, policy: 'trash', batches: BATCHES, killsPerBatch: 2, minKills: 6 }));

test(`kill -9 at randomized points with delete policy "keep" (seed ${SEED}): nothing is removed, old keys stay expected by verify`, (t) =>
  crashLoop(t, {
    seed: SEED,
    policy: 'keep',
    batches: KEEP_BATCHES,
    killsPerBatch: 1,
    minKills: 1,
  }));
