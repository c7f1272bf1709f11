import type { Readable } from 'node:stream';

/** The subset of a Graph driveItem the engine reads (see `$select` in the client). */
export interface DriveItem {
  id: string;
  name?: string;
  size?: number;
  eTag?: string;
  cTag?: string;
  lastModifiedDateTime?: string;
  parentReference?: { id?: string; driveId?: string; path?: string };
  fileSystemInfo?: { lastModifiedDateTime?: string; createdDateTime?: string };
  file?: { mimeType?: string; hashes?: { quickXorHash?: string; sha1Hash?: string } };
  folder?: { childCount?: number };
  package?: { type?: string };
  root?: Record<string, never>;
  deleted?: { state?: string };
  '@microsoft.graph.downloadUrl'?: string;
}

/** One page of the delta feed. Exactly one of nextLink / deltaLink is set. */
export interface DeltaPage {
  items: DriveItem[];
  nextLink?: string;
  deltaLink?: string;
}

export interface DownloadOptions {
  /** First byte wanted (resuming); the source honours it even when the server ignores Range. */
  start?: number;
  /** Expected total size, to detect a truncated body. */
  size?: number;
  signal?: AbortSignal;
}

/**
 * The source seam: OneDrive as the engine sees it. A delta page, and a file's bytes as a stream.
 * The Graph client implements it; tests may hand in the client pointed at the simulator.
 */
export interface DriveSource {
  /**
   * Fetches one page: from scratch (`link` undefined) or from a saved nextLink/deltaLink.
   * A 410 Gone surfaces as a `SyncError` with code `resync-required` and
   * `resyncLink` set (the Location header) via `ResyncRequiredError`.
   */
  deltaPage(link: string | undefined, signal?: AbortSignal): Promise<DeltaPage>;
  /** The file's bytes from `start`; interrupted transfers resume by Range underneath. */
  download(itemId: string, options?: DownloadOptions): Promise<Readable>;
}
