import { hostname } from 'node:os';
import type { AuthState, EngineEvent, RoundSummary } from '../../shared/events.js';
import type { Clock } from '../clock.js';
import type { MailConfig } from '../config/types.js';
import type { Logger } from '../log/logger.js';
import { silentLogger } from '../log/logger.js';
import { redact as redactGlobal } from '../log/redact.js';
import {
  authLetter,
  massDeleteLetter,
  recoveredLetter,
  reminderLetter,
  roundProblemLetter,
  summaryLetter,
  type Letter,
  type MassDeleteFact,
  type ProblemKey,
} from './compose.js';
import type { MailTransport } from './transport.js';

export interface AlertsOptions {
  transport: MailTransport;
  mail: Pick<MailConfig, 'from' | 'to' | 'reminderHours' | 'roundSummary'>;
  clock: Clock;
  logger?: Logger;
  /** Names the machine in subjects; default os.hostname(). */
  host?: string;
  /** Where a person re-authorizes (e.g. the daemon's https://host:port/grant), if anywhere. */
  reauthorizeUrl?: string;
  /** Applied to every subject and body; default the process-wide redactor. */
  redact?: (text: string) => string;
}

interface Problem {
  /** failed/partial for rounds; the variant matters: a change of variant is news. */
  state: string;
  since: number;
  lastMailAt: number;
  letter: () => Letter;
}

/**
 * Turns engine facts into few, useful mails: one when a problem starts or changes, a reminder
 * every `reminderHours` while it lasts (checked whenever a fact arrives, or on `tick()`), and
 * one when it clears. Repeats of the same fact — every retry, every round with the same
 * trouble — send nothing. Sending never throws into the caller; failures are logged.
 */
export class Alerts {
  private readonly problems = new Map<ProblemKey, Problem>();
  private readonly logger: Logger;
  private readonly host: string;
  private readonly redact: (text: string) => string;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: AlertsOptions) {
    this.logger = options.logger ?? silentLogger;
    this.host = options.host ?? hostname();
    this.redact = options.redact ?? redactGlobal;
  }

  /** Feeds an engine event; other event types are ignored. */
  onEvent(event: EngineEvent): void {
    if (event.type === 'round-finished') this.roundFinished(event.summary);
    else if (event.type === 'auth') this.authState(event.state);
    else if (event.type === 'mass-delete-stopped') this.massDeleteStopped(event);
  }

  roundFinished(summary: RoundSummary): void {
    const letters: Letter[] = [];
    const cleared: ProblemKey[] = [];
    const { result } = summary;
    // A round that failed only because authorization lapsed is the auth problem's to tell:
    // one mail for one cause.
    const authOnly = result === 'failed' && summary.failed === 0 && this.problems.has('auth');
    if ((result === 'failed' && !authOnly) || result === 'partial') {
      this.raise('round', result, () => roundProblemLetter(summary, this.host), letters);
    } else if (result === 'ok') {
      cleared.push('round');
    }
    if (result === 'stopped-mass-delete') {
      const fact = { wouldDelete: 0, limit: 0, message: summary.message ?? '' };
      // The mass-delete-stopped event usually came first with the numbers; keep its letter.
      if (!this.problems.has('mass-delete')) {
        this.raise('mass-delete', 'stopped', () => massDeleteLetter(fact, this.host), letters);
      }
    } else if (result === 'ok' || result === 'partial') {
      cleared.push('mass-delete'); // the round went past the delete guard
    }
    const recovered = this.clear(cleared, summary);
    if (recovered) letters.unshift(recovered);
    this.remind(letters);
    if (letters.length === 0 && this.options.mail.roundSummary && result !== 'cancelled') {
      letters.push(summaryLetter(summary, this.host));
    }
    letters.forEach((l) => this.send(l));
  }

  authState(state: AuthState, reauthorizeUrl?: string): void {
    const letters: Letter[] = [];
    if (state === 'needs-authorization' || state === 'not-authorized') {
      const url = reauthorizeUrl ?? this.options.reauthorizeUrl;
      this.raise('auth', 'needs-authorization', () => authLetter(this.host, url), letters);
    } else if (state === 'authorized') {
      const recovered = this.clear(['auth'], undefined);
      if (recovered) letters.push(recovered);
    }
    this.remind(letters);
    letters.forEach((l) => this.send(l));
  }

  massDeleteStopped(fact: MassDeleteFact): void {
    const letters: Letter[] = [];
    const copy = { wouldDelete: fact.wouldDelete, limit: fact.limit, message: fact.message };
    this.raise('mass-delete', 'stopped', () => massDeleteLetter(copy, this.host), letters);
    this.remind(letters);
    letters.forEach((l) => this.send(l));
  }

  /** Sends reminders that are due without a new fact (the daemon may call this hourly). */
  tick(): void {
    const letters: Letter[] = [];
    this.remind(letters);
    letters.forEach((l) => this.send(l));
  }

  /** Problems currently open, for status displays. */
  get openProblems(): ProblemKey[] {
    return [...this.problems.keys()];
  }

  /** Resolves when every mail queued so far has been sent or has failed. */
  idle(): Promise<void> {
    return this.queue;
  }

  /** Opens or updates a problem; mails only when it is new or its state changed. */
  private raise(key: ProblemKey, state: string, letter: () => Letter, out: Letter[]): void {
    const now = this.options.clock.now();
    const open = this.problems.get(key);
    if (open && open.state === state) {
      open.letter = letter; // reminders describe the latest facts
      return;
    }
    this.problems.set(key, { state, since: open?.since ?? now, lastMailAt: now, letter });
    out.push(letter());
  }

  private clear(keys: ProblemKey[], summary: RoundSummary | undefined): Letter | undefined {
    const gone = keys.flatMap((key) => {
      const open = this.problems.get(key);
      if (!open) return [];
      this.problems.delete(key);
      return [{ key, since: open.since }];
    });
    return gone.length ? recoveredLetter(gone, this.host, summary) : undefined;
  }

  private remind(out: Letter[]): void {
    const every = this.options.mail.reminderHours * 3600_000;
    if (!(every > 0)) return;
    const now = this.options.clock.now();
    for (const problem of this.problems.values()) {
      if (now - problem.lastMailAt < every) continue;
      problem.lastMailAt = now;
      out.push(reminderLetter(problem.letter(), problem.since));
    }
  }

  private send(letter: Letter): void {
    const { from, to } = this.options.mail;
    const subject = this.redact(`cloud-sync: ${letter.subject}`);
    const text = this.redact(letter.text);
    if (to.length === 0) {
      this.logger.warn(`alert not mailed, [mail] to is empty: ${subject}`);
      return;
    }
    this.queue = this.queue.then(async () => {
      try {
        await this.options.transport.send({ from, to: [...to], subject, text });
        this.logger.info(`alert mailed: ${subject}`);
      } catch (error) {
        const e = error as { message?: unknown; hint?: unknown };
        const hint = typeof e.hint === 'string' ? ` (${e.hint})` : '';
        this.logger.warn(
          this.redact(`alert mail not sent: ${subject}: ${String(e.message ?? error)}${hint}`),
        );
      }
    });
  }
}
