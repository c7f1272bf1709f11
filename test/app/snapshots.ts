// Builders for app snapshots in the states the tray and window must handle.
import {
  emptyEngineView,
  type AppSnapshot,
  type EngineView,
  type HostStatus,
} from '../../src/shared/app-state.js';
import type { RoundSummary } from '../../src/shared/events.js';

export function summary(overrides: Partial<RoundSummary> = {}): RoundSummary {
  return {
    roundId: 7,
    startedAt: '2025-03-12T10:40:00.000Z',
    finishedAt: '2025-03-12T10:42:00.000Z',
    full: false,
    dryRun: false,
    result: 'ok',
    uploaded: 3,
    copied: 0,
    metadataRewritten: 0,
    deleted: 0,
    trashed: 0,
    adopted: 0,
    skipped: 0,
    failed: 0,
    unchanged: 120,
    bytesUploaded: 3_400_000,
    bytesDownloaded: 3_400_000,
    failures: [],
    ...overrides,
  };
}

export function snapshot(
  engine: Partial<EngineView> = {},
  status: Partial<HostStatus> = {},
): AppSnapshot {
  return {
    v: 1,
    status: {
      configured: true,
      paused: false,
      startAtLogin: false,
      account: { bucket: 'backup', prefix: 'onedrive/', flow: 'desktop' },
      ...status,
    },
    engine: {
      ...emptyEngineView([summary()]),
      auth: { state: 'authorized', account: 'ada@example.com' },
      ...engine,
    },
  };
}
