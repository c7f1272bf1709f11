/** RestoreObject's retrieval tiers (the `Tier` of GlacierJobParameters). */
export const RETRIEVAL_TIERS = ['Standard', 'Bulk', 'Expedited'] as const;
export type RetrievalTier = (typeof RETRIEVAL_TIERS)[number];

/** Classes whose objects must be restored (RestoreObject) before a GET succeeds. */
export const ARCHIVE_CLASSES: readonly string[] = ['GLACIER', 'DEEP_ARCHIVE'];

export function isArchiveClass(storageClass: string | undefined): boolean {
  return storageClass !== undefined && ARCHIVE_CLASSES.includes(storageClass);
}

/**
 * Typical restore times from AWS's "Understanding archive retrieval options" page (S3 user
 * guide): Glacier Flexible Retrieval 1–5 min / 3–5 h / 5–12 h; Deep Archive ≤ 12 h (Standard),
 * ≤ 48 h (Bulk); Expedited does not exist for Deep Archive.
 */
const WAITS: Record<string, Partial<Record<RetrievalTier, string>>> = {
  GLACIER: { Expedited: '1–5 minutes', Standard: '3–5 hours', Bulk: '5–12 hours' },
  DEEP_ARCHIVE: { Standard: 'up to 12 hours', Bulk: 'up to 48 hours' },
  // Intelligent-Tiering's archive tiers: which one holds the object is not visible in a listing.
  INTELLIGENT_TIERING: {
    Expedited: '1–5 minutes (Archive Access tier only)',
    Standard: '3–5 hours (Archive Access) or up to 12 hours (Deep Archive Access)',
    Bulk: '5–12 hours (Archive Access) or up to 48 hours (Deep Archive Access)',
  },
};

/**
 * The tier actually requested for a class: Expedited is not offered for Deep Archive, so it
 * falls back to Standard there (AWS would refuse the request).
 */
export function effectiveTier(
  storageClass: string | undefined,
  tier: RetrievalTier,
): RetrievalTier {
  return storageClass === 'DEEP_ARCHIVE' && tier === 'Expedited' ? 'Standard' : tier;
}

/** "3–5 hours" for a class and tier; a generic phrase for classes AWS does not document. */
export function expectedWait(storageClass: string | undefined, tier: RetrievalTier): string {
  const effective = effectiveTier(storageClass, tier);
  return WAITS[storageClass ?? '']?.[effective] ?? 'several hours';
}
