/**
 * The engine's events: the one source of truth for state and progress. The CLI, the tray and
 * the window only subscribe; none of them invents state of its own. Versioned so a window
 * built against an older shape can tell.
 */
export const ENGINE_EVENTS_VERSION = 1;

export type Phase =
  | 'idle'
  | 'listing' // reading the delta feed into the state store
  | 'transferring' // draining the action queue
  | 'finishing' // committing the cursor, recording the round
  | 'paused'
  | 'waiting-confirmation' // mass-delete guard tripped
  | 'needs-authorization';

export type AuthState = 'authorized' | 'not-authorized' | 'needs-authorization' | 'refreshing';

export type ActionKind = 'upload' | 'copy' | 'metadata' | 'delete' | 'trash' | 'adopt' | 'skip';

export interface ItemInFlight {
  path: string;
  action: ActionKind;
  bytesDone: number;
  bytesTotal: number;
}

export interface ProgressCounts {
  filesDone: number;
  filesTotal: number;
  filesFailed: number;
  bytesDone: number;
  bytesTotal: number;
  /** Bytes per second over a moving window; 0 before the first sample. */
  rate: number;
  /** Seconds, or null while unknown. */
  etaSeconds: number | null;
}

export interface RoundSummary {
  roundId: number;
  startedAt: string; // ISO 8601
  finishedAt: string;
  full: boolean;
  dryRun: boolean;
  result: 'ok' | 'partial' | 'failed' | 'cancelled' | 'stopped-mass-delete';
  uploaded: number;
  copied: number;
  metadataRewritten: number;
  deleted: number;
  trashed: number;
  adopted: number;
  skipped: number;
  failed: number;
  unchanged: number;
  bytesUploaded: number;
  bytesDownloaded: number;
  /** The first failures, for a summary line or a mail; `failed` holds the full count. */
  failures: ItemFailure[];
  message?: string;
}

export interface ItemFailure {
  path: string;
  itemId: string;
  message: string;
  hint?: string;
  code: string;
}

export type EngineEvent =
  | { type: 'phase'; v: 1; at: string; phase: Phase; full?: boolean; roundId?: number }
  | {
      type: 'progress';
      v: 1;
      at: string;
      roundId: number;
      counts: ProgressCounts;
      inFlight: ItemInFlight[];
    }
  | {
      type: 'item-done';
      v: 1;
      at: string;
      roundId: number;
      path: string;
      action: ActionKind;
      bytes: number;
    }
  | {
      type: 'item-error';
      v: 1;
      at: string;
      roundId: number;
      failure: ItemFailure;
      willRetry: boolean;
    }
  | { type: 'round-finished'; v: 1; at: string; summary: RoundSummary }
  | { type: 'auth'; v: 1; at: string; state: AuthState; account?: string; message?: string }
  | {
      type: 'mass-delete-stopped';
      v: 1;
      at: string;
      roundId: number;
      wouldDelete: number;
      limit: number;
      message: string;
    }
  | { type: 'throttled'; v: 1; at: string; service: 'graph' | 's3'; retryAfterSeconds: number };

export type EngineEventType = EngineEvent['type'];
export type EngineEventOf<T extends EngineEventType> = Extract<EngineEvent, { type: T }>;
