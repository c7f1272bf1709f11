import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { StateStore, SCHEMA_VERSION, acquireRoundLock } from '../../../src/core/store/index.js';
import {
  beginFull,
  commitCursor,
  getCheckpoint,
  getCursor,
  saveCheckpoint,
  setLink,
  unneededCheckpoints,
} from '../../../src/core/store/cursor.js';
import { enqueue } from '../../../src/core/store/queue.js';
import { tempDir } from '../../helpers/tmp.js';

const NOW = '2026-01-01T00:00:00.000Z';

test('a new store is created at the latest schema version in WAL mode and reopens unchanged', () => {
  const path = join(tempDir(), 'sub', 'state.db');
  const store = StateStore.open(path);
  assert.equal(Number(store.db.value('PRAGMA user_version')), SCHEMA_VERSION);
  assert.equal(store.db.value('PRAGMA journal_mode'), 'wal');
  setLink(store.db, 'https://next', 'next');
  store.close();
  const again = StateStore.open(path);
  assert.equal(getCursor(again.db).link, 'https://next');
  again.close();
});

test('a store written by a newer version is refused rather than guessed at', () => {
  const path = join(tempDir(), 'state.db');
  const store = StateStore.open(path);
  store.db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
  store.close();
  assert.throws(() => StateStore.open(path), /newer cloud-sync/);
});

test('openExisting does not create a store that is not there', () => {
  assert.equal(StateStore.openExisting(join(tempDir(), 'none.db')), undefined);
});

test('nested transactions roll back only their own part, and an outer rollback undoes all', () => {
  const store = StateStore.open(':memory:');
  const db = store.db;
  db.tx(() => {
    setLink(db, 'kept', 'next');
    assert.throws(() =>
      db.tx(() => {
        setLink(db, 'undone', 'next');
        throw new Error('boom');
      }),
    );
  });
  assert.equal(getCursor(db).link, 'kept');
  db.exec('BEGIN');
  db.tx(() => setLink(db, 'dry', 'delta'));
  db.exec('ROLLBACK');
  assert.equal(getCursor(db).link, 'kept');
});

test('a full enumeration gets a new generation and committing moves the pending link to the cursor', () => {
  const store = StateStore.open(':memory:');
  const db = store.db;
  assert.equal(beginFull(db, null), 1);
  assert.equal(beginFull(db, 'https://resync'), 2);
  assert.equal(getCursor(db).link, 'https://resync');
  setLink(db, 'https://delta', 'delta');
  commitCursor(db, 'https://delta', NOW);
  const c = getCursor(db);
  assert.equal(c.delta_link, 'https://delta');
  assert.equal(c.link, null);
});

test('checkpoints no queued upload needs are reported for cleanup', () => {
  const store = StateStore.open(':memory:');
  const db = store.db;
  const cp = (key: string) => ({
    uploadId: `u-${key}`,
    key,
    partSize: 5,
    parts: [{ partNumber: 1, etag: 'e' }],
    bytes: 5,
    hash: { register: '', length: 5 },
  });
  saveCheckpoint(db, 'a', { size: 10, quickXor: 'h' }, cp('k/a'), NOW);
  saveCheckpoint(db, 'b', { size: 10, quickXor: 'h' }, cp('k/b'), NOW);
  enqueue(db, { itemId: 'a', kind: 'upload', key: 'k/a', size: 10 }, NOW);
  assert.deepEqual(
    unneededCheckpoints(db).map((c) => c.key),
    ['k/b'],
  );
  assert.equal(JSON.parse(getCheckpoint(db, 'a', 'k/a')?.data ?? '{}').uploadId, 'u-k/a');
});

test('only one round at a time holds the lock, and a lock left by a dead process is taken over', () => {
  const path = join(tempDir(), 'state.db');
  const lock = `${path}.lock`;
  const release = acquireRoundLock(path);
  assert.throws(() => acquireRoundLock(path), /another round is running \(in this process\)/);
  release();
  writeFileSync(lock, String(process.ppid));
  assert.throws(() => acquireRoundLock(path), /another round is running \(process \d+\)/);
  writeFileSync(lock, '999999999 dead-holder');
  const again = acquireRoundLock(path);
  // A late release by an earlier holder leaves the current lock alone.
  release();
  assert.ok(existsSync(lock));
  again();
  assert.ok(!existsSync(lock));
});

test('recent summaries come newest first and leave out rounds that never finished', async () => {
  const { finishRun, startRun } = await import('../../../src/core/store/cursor.js');
  const store = StateStore.open(':memory:');
  const summary = (roundId: number) => ({
    roundId,
    startedAt: NOW,
    finishedAt: NOW,
    full: false,
    dryRun: false,
    result: 'ok' as const,
    uploaded: roundId,
    copied: 0,
    metadataRewritten: 0,
    deleted: 0,
    trashed: 0,
    adopted: 0,
    skipped: 0,
    failed: 0,
    unchanged: 0,
    bytesUploaded: 0,
    bytesDownloaded: 0,
    failures: [],
  });
  for (let i = 0; i < 3; i++) startRun(store.db, NOW, false);
  finishRun(store.db, summary(1));
  finishRun(store.db, summary(2));
  assert.deepEqual(
    store.recentSummaries().map((s) => s.uploaded),
    [2, 1],
  );
});
