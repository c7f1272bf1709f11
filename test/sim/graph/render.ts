import type { SimDrive, SimItem } from './drive.js';

export interface RenderContext {
  drive: SimDrive;
  /** A fresh pre-authenticated URL for a file, when the response should carry one. */
  downloadUrl: ((id: string) => string) | undefined;
  /** Report parentReference ids in lower case (OneDrive's 2025 id casing change). */
  lowerParentIds: boolean;
}

type Json = Record<string, unknown>;

/**
 * A driveItem as OneDrive Personal's delta feed shows it: no parentReference.path, hashes only
 * for non-empty files, and deleted items without size or cTag.
 */
export function renderItem(item: SimItem, ctx: RenderContext, stale = false): Json {
  const { drive } = ctx;
  const state = stale && item.prev ? { ...item, ...item.prev } : item;
  const parentReference: Json = { driveId: drive.driveId.toLowerCase(), driveType: 'personal' };
  if (state.parentId !== undefined) {
    parentReference.id = ctx.lowerParentIds ? state.parentId.toLowerCase() : state.parentId;
  }
  const eTag = `"{${item.id}},${state.version}"`;
  const base: Json = {
    id: item.id,
    name: state.name,
    eTag,
    lastModifiedDateTime: state.modified,
    createdDateTime: state.created,
    parentReference,
    fileSystemInfo: { createdDateTime: state.created, lastModifiedDateTime: state.mtime },
  };
  if (item.deleted && !stale) {
    // Personal tombstones: no size, no cTag, no hashes.
    base.deleted = {};
    if (item.kind === 'file') base.file = { mimeType: state.mimeType };
    if (item.kind === 'folder') base.folder = { childCount: 0 };
    return base;
  }
  base.cTag = `"c:{${item.id}},${state.contentVersion}"`;
  base.size = item.kind === 'file' ? (state.content?.size ?? 0) : drive.sizeOf(item);
  switch (item.kind) {
    case 'root':
      base.root = {};
      base.folder = { childCount: drive.childCount(item) };
      break;
    case 'folder':
      base.folder = { childCount: drive.childCount(item) };
      break;
    case 'package':
      base.package = { type: 'oneNote' };
      break;
    case 'file': {
      const size = state.content?.size ?? 0;
      base.file = {
        mimeType: state.mimeType,
        hashes: size > 0 && state.content ? { quickXorHash: state.content.quickXorHash } : {},
      };
      if (ctx.downloadUrl) base['@microsoft.graph.downloadUrl'] = ctx.downloadUrl(item.id);
      break;
    }
  }
  return base;
}

/** Keeps the selected top-level properties; `undefined` selects everything. */
export function applySelect(item: Json, select: ReadonlySet<string> | undefined): Json {
  if (!select) return item;
  const out: Json = {};
  for (const [key, value] of Object.entries(item)) {
    if (select.has(key)) out[key] = value;
  }
  return out;
}

export function parseSelect(value: string | null | undefined): Set<string> | undefined {
  if (!value) return undefined;
  const set = new Set(
    value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
  // Graph accepts the annotation under either spelling.
  if (set.has('content.downloadUrl')) set.add('@microsoft.graph.downloadUrl');
  return set;
}

/** Does this $select ask for download URLs (or is there no $select, meaning everything)? */
export const wantsDownloadUrl = (select: ReadonlySet<string> | undefined): boolean =>
  !select || select.has('@microsoft.graph.downloadUrl');
