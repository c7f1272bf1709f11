/**
 * Which engine events deserve a desktop notification: the ones a person must act on
 * (authorization lost, a failed round, deletions held back). Pure, so the rules are tested
 * without Electron; repeated events do not repeat the notification.
 */
import type { EngineView } from '../shared/app-state.js';
import type { EngineEvent } from '../shared/events.js';
import { formatCount, plural } from '../shared/format.js';
import type { ConfirmDialog, Notice } from './ports.js';

export function noticeFor(before: EngineView, event: EngineEvent): Notice | undefined {
  switch (event.type) {
    case 'auth':
      if (event.state !== 'needs-authorization' || before.auth.state === 'needs-authorization')
        return undefined;
      return {
        title: 'OneDrive needs authorization',
        body: `${event.message ? `${event.message} ` : ''}Backups wait until you sign in again: click here or choose Authorize OneDrive… in the tray.`,
        action: 'authorize',
      };
    case 'round-finished': {
      const s = event.summary;
      if (s.result === 'failed')
        return {
          title: 'Backup failed',
          body: s.message ?? 'The sync round stopped. Open cloud-sync for details.',
          action: 'open-window',
        };
      if (s.result === 'partial')
        return {
          title: `Backup finished with ${plural(s.failed, 'failure')}`,
          body: `${plural(s.failed, 'file')} could not be backed up. Open cloud-sync to see why and what to do.`,
          action: 'open-window',
        };
      return undefined;
    }
    case 'mass-delete-stopped':
      if (before.massDelete?.roundId === event.roundId) return undefined;
      return {
        title: 'Deletions held back',
        body: `This sync would delete ${plural(event.wouldDelete, 'object')} from the bucket (limit ${formatCount(event.limit)}). Nothing was deleted; open cloud-sync to review.`,
        action: 'review-deletions',
      };
    default:
      return undefined;
  }
}

export const FULL_RESYNC_DIALOG: ConfirmDialog = {
  title: 'Full re-sync',
  message: 'Re-read your whole OneDrive and compare it with the bucket?',
  detail:
    'cloud-sync lists every file in OneDrive again instead of only the latest changes, and checks each one against what is already in the bucket. Files that have not changed are NOT uploaded again; only new or changed files are transferred. On a large drive the listing can take a while.',
  confirmLabel: 'Start full re-sync',
};

export function massDeleteDialog(wouldDelete: number): ConfirmDialog {
  return {
    title: 'Allow deletions',
    message: `Delete ${plural(wouldDelete, 'object')} from the bucket?`,
    detail:
      'These files were removed (or moved out of view) in OneDrive. With your delete policy the next sync removes or trashes their copies in the bucket. Choose Cancel to keep them for now.',
    confirmLabel: 'Allow and sync',
  };
}
