import type { Db } from './db.js';

/**
 * The state store's schema, one entry per version (PRAGMA user_version). A migration only ever
 * appends: an older product opening a newer file refuses instead of guessing.
 */
const MIGRATIONS: string[] = [
  // v1
  `
  -- One row per OneDrive item, keyed by its lower-cased id (ids compare case-insensitively).
  CREATE TABLE items (
    id          TEXT PRIMARY KEY,
    graph_id    TEXT NOT NULL,           -- the id as Graph spelled it, for API calls
    parent_id   TEXT,
    name        TEXT,
    kind        TEXT NOT NULL CHECK (kind IN ('file','folder','package','root')),
    size        INTEGER,
    mtime       TEXT,                    -- rclone format, from fileSystemInfo.lastModifiedDateTime
    item_mtime  TEXT,                    -- rclone format, from lastModifiedDateTime (the original's)
    quick_xor   TEXT,
    etag        TEXT,
    ctag        TEXT,
    mime        TEXT,
    deleted     INTEGER NOT NULL DEFAULT 0,
    seen_gen    INTEGER NOT NULL DEFAULT 0,  -- last full enumeration that listed it
    dirty       INTEGER NOT NULL DEFAULT 1,  -- changed by the feed, not planned yet
    path        TEXT,                        -- below the drive root, as last planned
    w_key       TEXT,                        -- what the bucket holds for it (last written)
    w_size      INTEGER,
    w_hash      TEXT,
    w_mtime     TEXT,
    state       TEXT NOT NULL DEFAULT 'new'
                CHECK (state IN ('new','synced','failed','skipped','kept')),
    error       TEXT,
    error_code  TEXT,
    updated_at  TEXT
  );
  CREATE INDEX items_parent ON items(parent_id);
  CREATE INDEX items_dirty ON items(dirty) WHERE dirty = 1;
  CREATE INDEX items_w_key ON items(w_key) WHERE w_key IS NOT NULL;
  CREATE INDEX items_state ON items(state) WHERE state <> 'synced';

  -- The durable action queue: what the bucket still needs. Rows leave when done.
  CREATE TABLE actions (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id     TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('upload','copy','metadata','delete','trash')),
    key         TEXT NOT NULL,   -- target key; for delete/trash the key to remove
    from_key    TEXT,            -- copy source
    size        INTEGER NOT NULL DEFAULT 0,
    retire      INTEGER NOT NULL DEFAULT 0,  -- 1: removes an old key after a move (not a deletion)
    adopt       INTEGER NOT NULL DEFAULT 0,  -- 1: an object already at the key may be adopted
    started     INTEGER NOT NULL DEFAULT 0,  -- 1: a previous attempt began (check before redoing)
    status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','failed')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    error       TEXT,
    created_at  TEXT
  );
  CREATE INDEX actions_item ON actions(item_id);
  CREATE INDEX actions_key ON actions(key);

  -- Where the feed stands. link: where reading continues (a nextLink mid-feed, or the deltaLink
  -- of a fully applied feed whose round has not finished); delta_link: the committed cursor.
  CREATE TABLE cursor (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    link         TEXT,
    link_kind    TEXT CHECK (link_kind IN ('next','delta')),
    delta_link   TEXT,
    full_gen     INTEGER,            -- set while a full enumeration is being read
    generation   INTEGER NOT NULL DEFAULT 0,
    committed_at TEXT
  );
  INSERT INTO cursor (id) VALUES (1);

  CREATE TABLE runs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    full        INTEGER NOT NULL DEFAULT 0,
    result      TEXT,               -- null while running (or killed)
    summary     TEXT                -- RoundSummary JSON
  );

  -- Multipart progress per item and key (UploadCheckpoint JSON), so a killed upload resumes.
  CREATE TABLE checkpoints (
    item_id     TEXT NOT NULL,
    key         TEXT NOT NULL,
    upload_id   TEXT NOT NULL,
    size        INTEGER NOT NULL,   -- the item size it was started for
    quick_xor   TEXT,               -- the item hash it was started for
    data        TEXT NOT NULL,
    updated_at  TEXT,
    PRIMARY KEY (item_id, key)
  );
  `,
  // v2
  `
  -- Old keys that delete_policy = "keep" left in the bucket on purpose after a move or rename:
  -- verify counts them as expected, not as objects nobody maps to.
  CREATE TABLE retained (
    key         TEXT PRIMARY KEY,
    item_id     TEXT NOT NULL,
    retained_at TEXT
  );
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function migrate(db: Db): void {
  const current = Number(db.value<number>('PRAGMA user_version') ?? 0);
  if (current > SCHEMA_VERSION) {
    throw new Error(
      `the state store was written by a newer cloud-sync (schema ${current}, this one knows ${SCHEMA_VERSION})`,
    );
  }
  for (let v = current; v < SCHEMA_VERSION; v++) {
    db.tx(() => {
      db.exec(MIGRATIONS[v] as string);
      db.exec(`PRAGMA user_version = ${v + 1}`);
    });
  }
}
