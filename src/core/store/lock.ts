import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { fatal } from '../errors.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One round at a time per state store, across processes (the tray app and a `cloud-sync sync`
 * in a terminal share it). A lock left by a killed process is taken over.
 */
export function acquireRoundLock(statePath: string): () => void {
  const file = `${statePath}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(file, 'utf8').trim() === String(process.pid)) rmSync(file);
        } catch {
          // already gone
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && alive(holder)) {
        throw fatal(`another round is running (process ${holder})`, {
          code: 'round-running',
          hint: 'Wait for it to finish, or stop the other cloud-sync process.',
        });
      }
      rmSync(file, { force: true });
    }
  }
  throw fatal(`cannot take the round lock ${file}`, { code: 'round-running' });
}
