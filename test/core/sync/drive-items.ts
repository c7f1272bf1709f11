import type { DriveItem } from '../../../src/core/graph/types.js';

/** Fabricated delta items, shaped like OneDrive Personal's (no parentReference.path). */
export const ROOT_ID = 'ROOT!101';

export function root(): DriveItem {
  return { id: ROOT_ID, name: 'root', root: {}, folder: { childCount: 0 } };
}

export function folder(id: string, parent: string, name: string): DriveItem {
  return { id, name, folder: { childCount: 0 }, parentReference: { id: parent } };
}

export interface FileOptions {
  size?: number;
  hash?: string;
  modified?: string;
  mimeType?: string;
}

export function file(id: string, parent: string, name: string, o: FileOptions = {}): DriveItem {
  const modified = o.modified ?? '2024-05-01T10:20:30.5Z';
  const hash = o.hash ?? `hash-of-${id}`;
  return {
    id,
    name,
    size: o.size ?? 100,
    eTag: `etag-${id}`,
    cTag: `ctag-${id}-${hash}`,
    lastModifiedDateTime: modified,
    fileSystemInfo: { lastModifiedDateTime: modified },
    file: { mimeType: o.mimeType ?? 'text/plain', hashes: { quickXorHash: hash } },
    parentReference: { id: parent },
  };
}

export function notebook(id: string, parent: string, name: string): DriveItem {
  return { id, name, package: { type: 'oneNote' }, parentReference: { id: parent } };
}

export function deleted(id: string): DriveItem {
  return { id, deleted: { state: 'deleted' } };
}
