import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DriveItem } from '../../../src/core/graph/types.js';
import { StateStore } from '../../../src/core/store/index.js';
import {
  applyItems,
  clearWritten,
  getItem,
  markUnseenDeleted,
  recordWritten,
} from '../../../src/core/store/items.js';
import { all, finish, type ActionRow } from '../../../src/core/store/queue.js';
import type { PlanSettings } from '../../../src/core/sync/decide.js';
import { planDirty } from '../../../src/core/sync/planner.js';
import { deleted, file, folder, notebook, root, ROOT_ID } from './drive-items.js';

const NOW = '2026-01-01T00:00:00.000Z';
const settings: PlanSettings = { prefix: 'backup/', deletePolicy: 'delete', adopt: false };

function fresh(): StateStore {
  return StateStore.open(':memory:');
}

function round(store: StateStore, items: DriveItem[], s: Partial<PlanSettings> = {}, gen = 0) {
  return store.db.tx(() => {
    applyItems(store.db, items, gen, NOW);
    if (gen > 0) markUnseenDeleted(store.db, gen, NOW);
    return planDirty(store.db, { ...settings, ...s }, NOW);
  });
}

const brief = (a: ActionRow) =>
  `${a.kind} ${a.from_key ? `${a.from_key} -> ` : ''}${a.key}${a.retire ? ' (retire)' : ''}`;
const queued = (store: StateStore) => all(store.db).map(brief);

/** Pretends the executor finished every queued action. */
function drain(store: StateStore) {
  const db = store.db;
  for (const a of all(db)) {
    const item = getItem(db, a.item_id);
    if (a.kind === 'delete' || a.kind === 'trash') {
      clearWritten(db, a.item_id, a.key, NOW);
    } else if (item) {
      recordWritten(
        db,
        a.item_id,
        { key: a.key, size: item.size ?? 0, hash: item.quick_xor, mtime: item.mtime },
        NOW,
      );
    }
    finish(db, a.seq);
  }
}

const initial = (): DriveItem[] => [
  root(),
  folder('F1', ROOT_ID, 'Documents'),
  folder('F2', 'F1', 'Sub dir #1'),
  file('A', 'F2', 'a 100%.txt'),
  file('B', 'F1', 'b.txt'),
];

test('paths come from parent ids and names even when children arrive pages before parents', () => {
  const store = fresh();
  // Page 1 has only the deepest file; its folders come on a later page.
  store.db.tx(() => applyItems(store.db, [file('A', 'F2', 'a 100%.txt')], 0, NOW));
  const result = round(store, [
    root(),
    folder('F2', 'F1', 'Sub dir #1'),
    folder('F1', ROOT_ID, 'Documents'),
  ]);
  assert.deepEqual(queued(store), ['upload backup/Documents/Sub dir #1/a 100%.txt']);
  assert.equal(result.failures.length, 0);
});

test('the last occurrence of an id in a feed wins and ids match whatever their casing', () => {
  const store = fresh();
  round(store, [root(), file('abc!1', ROOT_ID, 'first.txt'), file('ABC!1', ROOT_ID, 'second.txt')]);
  assert.deepEqual(queued(store), ['upload backup/second.txt']);
  assert.equal(getItem(store.db, 'Abc!1')?.graph_id, 'ABC!1');
});

test('an unchanged item queues nothing; a changed hash or size queues an upload', () => {
  const store = fresh();
  round(store, initial());
  drain(store);
  const again = round(store, initial());
  assert.deepEqual(queued(store), []);
  assert.equal(again.unchanged, 2);
  round(store, [
    file('A', 'F2', 'a 100%.txt', { hash: 'new' }),
    file('B', 'F1', 'b.txt', { size: 7 }),
  ]);
  assert.deepEqual(queued(store), [
    'upload backup/Documents/Sub dir #1/a 100%.txt',
    'upload backup/Documents/b.txt',
  ]);
});

test('a changed time with equal content queues a metadata rewrite in place, not an upload', () => {
  const store = fresh();
  round(store, initial());
  drain(store);
  round(store, [file('B', 'F1', 'b.txt', { modified: '2025-02-02T02:02:02Z' })]);
  assert.deepEqual(queued(store), ['metadata backup/Documents/b.txt -> backup/Documents/b.txt']);
});

test('a renamed folder reported alone re-keys every file below it as a server-side copy', () => {
  const store = fresh();
  round(store, initial());
  drain(store);
  round(store, [folder('F1', ROOT_ID, 'Docs')]);
  assert.deepEqual(queued(store).sort(), [
    'copy backup/Documents/Sub dir #1/a 100%.txt -> backup/Docs/Sub dir #1/a 100%.txt',
    'copy backup/Documents/b.txt -> backup/Docs/b.txt',
  ]);
});

test('a folder moved and a file edited in the same feed: the edited file is uploaded to its new key', () => {
  const store = fresh();
  round(store, initial());
  drain(store);
  round(store, [folder('F2', ROOT_ID, 'Sub dir #1'), file('A', 'F2', 'a 100%.txt', { size: 5 })]);
  assert.deepEqual(queued(store), ['upload backup/Sub dir #1/a 100%.txt']);
});

test('a deleted folder removes the files below it according to the delete policy', () => {
  for (const [policy, expected] of [
    ['delete', ['delete backup/Documents/Sub dir #1/a 100%.txt']],
    ['trash', ['trash backup/Documents/Sub dir #1/a 100%.txt']],
    ['keep', []],
  ] as const) {
    const store = fresh();
    round(store, initial());
    drain(store);
    round(store, [deleted('F2')], { deletePolicy: policy });
    assert.deepEqual(queued(store), expected, policy);
    assert.equal(getItem(store.db, 'A')?.deleted, 1, policy);
  }
});

test('a full enumeration treats items it did not list as deleted', () => {
  const store = fresh();
  round(store, initial(), {}, 1);
  drain(store);
  round(store, [root(), folder('F1', ROOT_ID, 'Documents'), file('B', 'F1', 'b.txt')], {}, 2);
  assert.deepEqual(queued(store), ['delete backup/Documents/Sub dir #1/a 100%.txt']);
});

test('OneNote notebooks are skipped, not failed', () => {
  const store = fresh();
  const result = round(store, [root(), notebook('N', ROOT_ID, 'Notes')]);
  assert.equal(result.skipped, 1);
  assert.equal(result.failures.length, 0);
  assert.deepEqual(queued(store), []);
});

test('a key longer than 1024 bytes fails that item with a reason and the rest go on', () => {
  const store = fresh();
  const result = round(store, [
    root(),
    file('L', ROOT_ID, 'é'.repeat(600)),
    file('S', ROOT_ID, 's'),
  ]);
  assert.deepEqual(queued(store), ['upload backup/s']);
  assert.equal(result.failures[0]?.code, 'key-too-long');
  assert.match(result.failures[0]?.message ?? '', /1207 bytes/);
});

test('a file whose folder the store never heard of fails with a hint instead of being deleted', () => {
  const store = fresh();
  const result = round(store, [root(), file('X', 'NOPE', 'x')]);
  assert.equal(result.failures[0]?.code, 'unresolved-path');
  assert.deepEqual(queued(store), []);
});

test('a file deleted and another created at the same path: the new object is not deleted', () => {
  const store = fresh();
  round(store, initial());
  drain(store);
  round(store, [deleted('B'), file('B2', 'F1', 'b.txt', { hash: 'other' })]);
  assert.deepEqual(queued(store), ['upload backup/Documents/b.txt']);
  assert.equal(getItem(store.db, 'B'), undefined);
});

test('two files swapping names are uploaded, since each copy would read a key being overwritten', () => {
  const store = fresh();
  round(store, [root(), file('P', ROOT_ID, 'p'), file('Q', ROOT_ID, 'q')]);
  drain(store);
  round(store, [file('P', ROOT_ID, 'q'), file('Q', ROOT_ID, 'p')]);
  assert.deepEqual(queued(store), ['upload backup/q', 'upload backup/p']);
});

test('items without written state in a full enumeration may adopt existing objects', () => {
  const store = fresh();
  round(store, initial(), { adopt: true }, 1);
  assert.ok(all(store.db).every((a) => a.adopt === 1));
});

test('a name S3 cannot carry (a control character) fails that item with the S3 rule it breaks', () => {
  const store = fresh();
  const result = round(store, [root(), file('C', ROOT_ID, 'line\nbreak.txt')]);
  assert.equal(result.failures[0]?.code, 'key-invalid');
  assert.match(result.failures[0]?.message ?? '', /control character/);
  assert.deepEqual(queued(store), []);
});
