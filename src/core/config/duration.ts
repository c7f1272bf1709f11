const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Parses "90s", "15m", "1h30m", "2d", "0" / "off" (= disabled) into milliseconds.
 * Returns undefined for anything else, so the caller can name the key in its message.
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === '0' || trimmed === 'off' || trimmed === 'never') return 0;
  const part = /(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)/y;
  let total = 0;
  let index = 0;
  while (index < trimmed.length) {
    part.lastIndex = index;
    const match = part.exec(trimmed);
    if (!match) return undefined;
    total += Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? Number.NaN);
    index = part.lastIndex;
    while (trimmed[index] === ' ') index++;
  }
  return index > 0 && Number.isFinite(total) ? Math.round(total) : undefined;
}

/** "HH:MM" or "HH:MM:SS", 24-hour. */
export function parseTimeOfDay(text: string): { h: number; m: number; s: number } | undefined {
  const match = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  if (!match) return undefined;
  const h = Number(match[1]);
  const m = Number(match[2]);
  const s = Number(match[3] ?? 0);
  return h < 24 && m < 60 && s < 60 ? { h, m, s } : undefined;
}
