import { existsSync } from 'node:fs';
import type { RoundSummary } from '../../shared/events.js';
import { Db } from './db.js';
import { migrate } from './schema.js';
import { recentRuns, type RunRow } from './cursor.js';

export { Db } from './db.js';
export { SCHEMA_VERSION } from './schema.js';
export { acquireRoundLock } from './lock.js';
export type { ItemRow, ItemKind, ItemState, WrittenState } from './items.js';
export type { ActionRow, QueuedKind } from './queue.js';
export type { CursorRow, RunRow, CheckpointRow } from './cursor.js';

/** The state store: one SQLite file holding items by id, the cursor, the queue and the runs. */
export class StateStore {
  private constructor(
    readonly db: Db,
    readonly path: string,
  ) {}

  /** Opens (creating and migrating as needed) the store at `path`; ':memory:' for a throwaway. */
  static open(path: string): StateStore {
    const db = Db.open(path);
    try {
      migrate(db);
    } catch (error) {
      db.close();
      throw error;
    }
    return new StateStore(db, path);
  }

  /** Opens only an existing store (status and dry runs must not create one). */
  static openExisting(path: string): StateStore | undefined {
    return existsSync(path) ? StateStore.open(path) : undefined;
  }

  recentRuns(limit = 10): RunRow[] {
    return recentRuns(this.db, limit);
  }

  /** Summaries of the last finished rounds, newest first (for the tray, the window and mails). */
  recentSummaries(limit = 10): RoundSummary[] {
    return this.db
      .all<{ summary: string }>(
        'SELECT summary FROM runs WHERE summary IS NOT NULL ORDER BY id DESC LIMIT ?',
        limit,
      )
      .map((r) => JSON.parse(r.summary) as RoundSummary);
  }

  close(): void {
    this.db.close();
  }
}
