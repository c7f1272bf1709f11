import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatSummary, progressPrinter } from '../../src/cli/progress.js';
import type { EngineEvent, RoundSummary } from '../../src/shared/events.js';

const at = '2026-01-01T00:00:00.000Z';
const progress = (bytesDone: number): EngineEvent => ({
  type: 'progress',
  v: 1,
  at,
  roundId: 1,
  counts: {
    filesDone: 1,
    filesTotal: 4,
    filesFailed: 0,
    bytesDone,
    bytesTotal: 4_000_000,
    rate: 2_000_000,
    etaSeconds: 2,
  },
  inFlight: [{ path: 'Docs/a.txt', action: 'upload', bytesDone: 10, bytesTotal: 100 }],
});

function sink(isTTY: boolean) {
  const out = { text: '', isTTY, write: (t: string) => ((out.text += t), true) };
  return out;
}

test('on a terminal progress is a live bar with files, bytes, rate and ETA', () => {
  const stdout = sink(true);
  const stderr = sink(true);
  const p = progressPrinter({ stdout, stderr });
  p.listener({ type: 'phase', v: 1, at, phase: 'transferring', roundId: 1 });
  p.listener(progress(1_000_000));
  p.stop();
  assert.match(
    stderr.text,
    /transferring \[.*\] 1\/4 files · 1\.00 MB\/4\.00 MB · 2\.00 MB\/s · ETA 2 s/,
  );
  assert.equal(stdout.text, '');
});

test('without a terminal progress is plain lines, one per finished or failed item', () => {
  const stdout = sink(false);
  const p = progressPrinter({ stdout, stderr: sink(false) });
  p.listener(progress(1));
  p.listener({
    type: 'item-done',
    v: 1,
    at,
    roundId: 1,
    path: 'a b.txt',
    action: 'upload',
    bytes: 2048,
  });
  p.listener({ type: 'item-done', v: 1, at, roundId: 1, path: 'x/y', action: 'copy', bytes: 0 });
  p.listener({
    type: 'item-error',
    v: 1,
    at,
    roundId: 1,
    willRetry: false,
    failure: { path: 'bad', itemId: 'I', message: 'refused', code: 'x' },
  });
  assert.equal(stdout.text, 'uploaded a b.txt (2.05 KB)\ncopied x/y\nfailed bad: refused\n');
});

test('the summary names every listed failure with its reason and hint, and says how many more', () => {
  const s: RoundSummary = {
    roundId: 7,
    startedAt: at,
    finishedAt: '2026-01-01T00:01:05.000Z',
    full: false,
    dryRun: false,
    result: 'partial',
    uploaded: 3,
    copied: 1,
    metadataRewritten: 0,
    deleted: 0,
    trashed: 0,
    adopted: 0,
    skipped: 2,
    failed: 3,
    unchanged: 10,
    bytesUploaded: 1500,
    bytesDownloaded: 1500,
    failures: [
      {
        path: 'long/name.txt',
        itemId: 'A',
        message: 'key too long',
        code: 'key-too-long',
        hint: 'Shorten it.',
      },
      { path: 'b.txt', itemId: 'B', message: 'gone', code: 'not-found' },
    ],
  };
  const text = formatSummary(s);
  assert.match(text, /^Round 7: partial in 1 min 05 s\n/);
  assert.match(
    text,
    / {2}long\/name\.txt: key too long \[key-too-long\]\n {4}hint: Shorten it\.\n/,
  );
  assert.match(text, / {2}b\.txt: gone \[not-found\]\n/);
  assert.match(text, /… and 1 more/);
});
