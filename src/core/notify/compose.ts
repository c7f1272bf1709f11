import type { RoundSummary } from '../../shared/events.js';

/** Subject and body of one alert, before redaction and addressing. */
export interface Letter {
  subject: string;
  text: string;
}

export interface MassDeleteFact {
  wouldDelete: number;
  limit: number;
  message: string;
}

/** How many failed items a mail lists by name; the total is always given. */
export const LISTED_FAILURES = 20;

const n = (x: number): string => x.toLocaleString('en-US');
const plural = (x: number, one: string, many = `${one}s`): string =>
  `${n(x)} ${x === 1 ? one : many}`;

/** "2026-11-27 10:00:00 UTC+01:00": local time, with the offset so it is unambiguous. */
export function localTime(ms: number | string): string {
  const d = new Date(ms);
  const pad = (v: number, w = 2): string => String(Math.abs(v)).padStart(w, '0');
  const off = -d.getTimezoneOffset();
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ` +
    `UTC${off < 0 ? '-' : '+'}${pad(Math.trunc(off / 60))}:${pad(off % 60)}`
  );
}

export function countsLine(s: RoundSummary): string {
  const parts: Array<[number, string]> = [
    [s.uploaded, 'uploaded'],
    [s.copied, 'moved or renamed'],
    [s.metadataRewritten, 'metadata updated'],
    [s.deleted, 'deleted'],
    [s.trashed, 'moved to trash'],
    [s.adopted, 'adopted'],
    [s.unchanged, 'unchanged'],
  ];
  const shown = parts.filter(([count]) => count > 0).map(([count, what]) => `${n(count)} ${what}`);
  shown.push(`${n(s.failed)} failed`);
  const mib = (b: number): string => `${(b / 1024 / 1024).toFixed(1)} MiB`;
  return `${shown.join(', ')}; ${mib(s.bytesUploaded)} uploaded.`;
}

function failureList(s: RoundSummary): string[] {
  const lines: string[] = [];
  const shown = s.failures.slice(0, LISTED_FAILURES);
  if (shown.length === 0) return lines;
  lines.push(
    s.failed > shown.length
      ? `The first ${shown.length} of ${plural(s.failed, 'failed item')}:`
      : `${shown.length === 1 ? 'The failed item' : 'The failed items'}:`,
  );
  for (const f of shown) {
    lines.push(`  - ${f.path}`, `      ${f.message}`);
    if (f.hint) lines.push(`      What to do: ${f.hint}`);
  }
  if (s.failed > shown.length) {
    lines.push(
      `  … and ${n(s.failed - shown.length)} more: run \`cloud-sync status\` or open the window.`,
    );
  }
  return lines;
}

export function roundProblemLetter(s: RoundSummary, host: string): Letter {
  const when = localTime(s.finishedAt);
  if (s.result === 'failed') {
    return {
      subject: `Backup round ${s.roundId} on ${host} failed`,
      text: [
        `The backup of your OneDrive on ${host} stopped at ${when} before it finished.`,
        s.message ? `Reason: ${s.message}` : 'No reason was recorded; the log has details.',
        '',
        ...failureList(s),
        ...(s.failures.length ? [''] : []),
        'Files already copied stay in the bucket. cloud-sync tries again at the next scheduled',
        'round and picks up where it stopped; if the reason above names a setting, fix it first.',
        '',
        `Round ${s.roundId}: ${countsLine(s)}`,
      ].join('\n'),
    };
  }
  return {
    subject: `${plural(s.failed, 'file')} could not be backed up on ${host}`,
    text: [
      `The backup round ${s.roundId} on ${host} finished at ${when}, but ` +
        `${plural(s.failed, 'item')} could not be copied to the bucket. Everything else is backed up.`,
      ...(s.message ? [s.message] : []),
      '',
      ...failureList(s),
      '',
      'cloud-sync retries these items in every round. You get another mail when this changes,',
      'or a reminder if it goes on.',
      '',
      `Round ${s.roundId}: ${countsLine(s)}`,
    ].join('\n'),
  };
}

export function authLetter(host: string, reauthorizeUrl: string | undefined): Letter {
  return {
    subject: `sign in to OneDrive again so backups on ${host} can go on`,
    text: [
      `cloud-sync on ${host} can no longer read your OneDrive: Microsoft wants you to sign in again.`,
      'This happens after a password change, when access was revoked in your Microsoft account,',
      'or when the sign-in went unused for a long time. Backups are paused until then; nothing is lost,',
      'the next round continues from where the last one stopped.',
      '',
      'To fix it:',
      ...(reauthorizeUrl
        ? [
            `  1. Open ${reauthorizeUrl} in a browser that can reach ${host}.`,
            '  2. Sign in with the Microsoft account whose OneDrive is backed up, and accept.',
          ]
        : [
            `  1. On ${host}, run \`cloud-sync authorize\`, or choose "Authorize OneDrive…" in the tray menu.`,
            '  2. Sign in with the Microsoft account whose OneDrive is backed up, and accept.',
          ]),
      '  3. Backups resume by themselves; you will get a mail saying so.',
      ...(reauthorizeUrl
        ? ['', 'Alternatively run `cloud-sync authorize` on that machine, or use the tray menu.']
        : []),
    ].join('\n'),
  };
}

export function massDeleteLetter(f: MassDeleteFact, host: string): Letter {
  const known = f.wouldDelete > 0;
  return {
    subject: known
      ? `stopped before deleting ${plural(f.wouldDelete, 'backup object')} on ${host}`
      : `stopped before a mass delete on ${host}`,
    text: [
      known
        ? `A backup round on ${host} would have deleted ${plural(f.wouldDelete, 'object')} from the ` +
          `bucket, more than the safety limit of ${n(f.limit)}.`
        : `A backup round on ${host} would have deleted more objects from the bucket than the safety limit allows.`,
      'Nothing was deleted; the round stopped there.',
      ...(f.message ? ['', f.message] : []),
      '',
      'This guards against a OneDrive mix-up (a wrong account, an unmounted folder) wiping the backup.',
      'If you did delete or move that many files on purpose:',
      `  - run \`cloud-sync sync --allow-mass-delete\` on ${host}, or`,
      '  - confirm in the cloud-sync window.',
      'If you did not, check your OneDrive in a browser before doing anything else.',
      'Until then, every round stops at this point, before deleting anything.',
    ].join('\n'),
  };
}

export type ProblemKey = 'round' | 'auth' | 'mass-delete';

const RECOVERED: Record<ProblemKey, string> = {
  round: 'Backup rounds finish without errors again.',
  auth: 'OneDrive is authorized again; backups continue with the next round.',
  'mass-delete': 'The mass-delete stop is resolved; the round went ahead.',
};

export function recoveredLetter(
  keys: Array<{ key: ProblemKey; since: number }>,
  host: string,
  summary: RoundSummary | undefined,
): Letter {
  return {
    subject: `working again on ${host}`,
    text: [
      ...keys.map(({ key, since }) => `${RECOVERED[key]} The problem began ${localTime(since)}.`),
      ...(summary ? ['', `Round ${summary.roundId}: ${countsLine(summary)}`] : []),
    ].join('\n'),
  };
}

export function reminderLetter(letter: Letter, since: number): Letter {
  return {
    subject: `Reminder: ${letter.subject}`,
    text: `This is still the case; it began ${localTime(since)}.\n\n${letter.text}`,
  };
}

export function summaryLetter(s: RoundSummary, host: string): Letter {
  const what = s.dryRun ? 'Dry run' : s.full ? 'Full backup round' : 'Backup round';
  return {
    subject: `${what} ${s.roundId} on ${host}: ${s.result}, ${n(s.uploaded)} uploaded, ${n(s.failed)} failed`,
    text: [
      `${what} ${s.roundId} on ${host} ran from ${localTime(s.startedAt)} to ${localTime(s.finishedAt)}.`,
      `Result: ${s.result}.`,
      countsLine(s),
      ...(s.failures.length ? ['', ...failureList(s)] : []),
      '',
      'You get this mail because [mail] round_summary = true.',
    ].join('\n'),
  };
}
