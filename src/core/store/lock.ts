import { randomUUID } from 'node:crypto';
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { retryable } from '../errors.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Lock files this process holds: its own pid in a lock file does not make the lock stale. */
const heldHere = new Set<string>();

const busy = (holder: string) =>
  retryable(`another round is running (${holder})`, {
    code: 'round-running',
    hint: 'Wait for it to finish, or stop the other cloud-sync process.',
  });

/**
 * One round at a time per state store, across processes (the tray app and a `cloud-sync sync`
 * in a terminal share it) and within one (the app rebuilding its engine after a settings
 * change while the old round still runs). A lock left by a killed process is taken over; the
 * file carries a token so a late release never removes someone else's lock.
 */
export function acquireRoundLock(statePath: string): () => void {
  const file = `${statePath}.lock`;
  if (heldHere.has(file)) throw busy('in this process');
  const token = `${process.pid} ${randomUUID()}`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, token);
      closeSync(fd);
      heldHere.add(file);
      return () => {
        heldHere.delete(file);
        try {
          if (readFileSync(file, 'utf8').trim() === token) rmSync(file);
        } catch {
          // already gone
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(file, 'utf8').trim().split(' ')[0]);
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && alive(holder)) {
        throw busy(`process ${holder}`);
      }
      rmSync(file, { force: true });
    }
  }
  throw busy(`cannot take the round lock ${file}`);
}
