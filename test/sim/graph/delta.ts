import type { SimDrive, SimItem } from './drive.js';

/** Cursor tokens: opaque to clients, readable here. */
type Token =
  | { k: 'start'; sel?: string }
  | { k: 'page'; e: number; o: number }
  | { k: 'delta'; s: number; sel?: string };

export const encodeToken = (t: Token): string =>
  Buffer.from(JSON.stringify(t)).toString('base64url');

export function decodeToken(raw: string): Token | undefined {
  try {
    const t = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Token;
    return typeof t === 'object' && t !== null && 'k' in t ? t : undefined;
  } catch {
    return undefined;
  }
}

export interface FeedOptions {
  pageSize: number;
  /** Shuffle a full enumeration with this seed (children before parents, etc.). */
  shuffleSeed: number | undefined;
  /** In a full enumeration, list this many items twice: first stale, later current. */
  repeat: number;
}

interface Entry {
  id: string;
  stale: boolean;
}

interface Enumeration {
  entries: Entry[];
  /** The cursor the final page hands out: changes after this sequence number. */
  until: number;
  sel: string | undefined;
  pageSize: number;
}

export interface FeedPage {
  items: Array<{ item: SimItem; stale: boolean }>;
  next?: Token;
  delta?: Token;
  sel: string | undefined;
}

/**
 * The delta feed over a SimDrive. An enumeration is snapshotted (ids only) when it starts, so
 * its pages stay consistent while tests mutate the drive; items render in their latest state,
 * and anything changed after the start comes again through the deltaLink (at least once).
 */
export class DeltaFeed {
  private readonly enumerations = new Map<number, Enumeration>();
  private nextEnum = 1;

  constructor(
    private readonly drive: SimDrive,
    private readonly options: FeedOptions,
  ) {}

  startToken(sel: string | undefined): Token {
    return sel === undefined ? { k: 'start' } : { k: 'start', sel };
  }

  latestToken(sel: string | undefined): Token {
    return sel === undefined
      ? { k: 'delta', s: this.drive.seq }
      : { k: 'delta', s: this.drive.seq, sel };
  }

  /**
   * Serves the page a token points at. `undefined` means the token names an enumeration this
   * server does not know (e.g. from before a restart): the caller answers 410.
   */
  page(token: Token, sel: string | undefined, top: number | undefined): FeedPage | undefined {
    let enumId: number;
    let offset = 0;
    if (token.k === 'page') {
      enumId = token.e;
      offset = token.o;
    } else {
      const entries =
        token.k === 'start'
          ? this.fullOrder()
          : this.drive.changedSince(token.s).map((i) => ({ id: i.id, stale: false }));
      enumId = this.nextEnum++;
      this.enumerations.set(enumId, {
        entries,
        until: this.drive.seq,
        sel: sel ?? token.sel,
        pageSize: top ?? this.options.pageSize,
      });
    }
    const e = this.enumerations.get(enumId);
    if (!e) return undefined;
    const end = Math.min(e.entries.length, offset + e.pageSize);
    const items = e.entries.slice(offset, end).flatMap(({ id, stale }) => {
      const item = this.drive.raw(id);
      return item ? [{ item, stale }] : [];
    });
    const selOut = sel ?? e.sel;
    if (end < e.entries.length)
      return { items, next: { k: 'page', e: enumId, o: end }, sel: selOut };
    const delta: Token =
      e.sel === undefined ? { k: 'delta', s: e.until } : { k: 'delta', s: e.until, sel: e.sel };
    return { items, delta, sel: selOut };
  }

  private fullOrder(): Entry[] {
    const entries: Entry[] = this.drive.live().map((i) => ({ id: i.id, stale: false }));
    const seed = this.options.shuffleSeed;
    const random = mulberry32(seed ?? 0x5eed);
    if (seed !== undefined) shuffle(entries, random);
    const candidates = entries.filter((e) => this.drive.raw(e.id)?.kind !== 'root');
    shuffle(candidates, random);
    for (const pick of candidates.slice(0, this.options.repeat)) {
      const at = entries.indexOf(pick);
      entries.splice(Math.floor(random() * (at + 1)), 0, { id: pick.id, stale: true });
    }
    return entries;
  }
}

function shuffle<T>(list: T[], random: () => number): void {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [list[i], list[j]] = [list[j] as T, list[i] as T];
  }
}

/** Small seeded PRNG so shuffles are reproducible from a test's seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
