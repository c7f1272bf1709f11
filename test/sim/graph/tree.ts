import type { SimContent } from './content.js';

export type SimItemKind = 'root' | 'folder' | 'file' | 'package';

/** The part of an item that changes; kept as `prev` so a feed can show a stale occurrence. */
export interface SimItemState {
  name: string;
  parentId: string | undefined;
  /** fileSystemInfo.lastModifiedDateTime: the client-side time OneDrive keeps verbatim. */
  mtime: string;
  created: string;
  /** Server-side lastModifiedDateTime. */
  modified: string;
  /** eTag version: bumps on any change. */
  version: number;
  /** cTag version: bumps on content changes (for folders: on changes below them). */
  contentVersion: number;
  content: SimContent | undefined;
  mimeType: string | undefined;
}

export interface SimItem extends SimItemState {
  readonly id: string;
  readonly kind: SimItemKind;
  /** Change sequence number of the last change (delta cursors compare against it). */
  seq: number;
  deleted: boolean;
  prev: SimItemState | undefined;
}

/** What tests read back about an item. */
export interface SimItemView {
  id: string;
  name: string;
  /** '/'-separated path below the root, no leading slash ('' for the root). */
  path: string;
  kind: SimItemKind;
  parentId: string | undefined;
  size: number;
  mtime: string;
  mimeType: string | undefined;
  quickXorHash: string | undefined;
  eTag: string;
  cTag: string;
  content: SimContent | undefined;
}

const MIME: Record<string, string> = {
  txt: 'text/plain',
  md: 'text/markdown',
  json: 'application/json',
  html: 'text/html',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  pdf: 'application/pdf',
  mp4: 'video/mp4',
  zip: 'application/zip',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

export const mimeFor = (name: string): string =>
  MIME[name.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream';

export const split = (path: string): string[] => path.split('/').filter((p) => p.length > 0);

/**
 * The item tree and its read side: lookups by path and id, sizes, paths, and the views tests
 * read. Mutations live in SimDrive.
 */
export abstract class SimTree {
  abstract readonly root: SimItem;
  protected readonly items = new Map<string, SimItem>();
  protected readonly tombstones = new Map<string, SimItem>();
  protected readonly children = new Map<string, Set<string>>();

  byPath(path: string): SimItemView | undefined {
    const item = this.resolve(split(path));
    return item ? this.view(item) : undefined;
  }

  byId(id: string): SimItemView | undefined {
    const item = this.items.get(id);
    return item ? this.view(item) : undefined;
  }

  /** Every live file (not folders, not packages), in creation order. */
  files(): SimItemView[] {
    return [...this.items.values()].filter((i) => i.kind === 'file').map((i) => this.view(i));
  }

  /** Raw item, live or deleted: for the server. */
  raw(id: string): SimItem | undefined {
    return this.items.get(id) ?? this.tombstones.get(id);
  }

  live(): SimItem[] {
    return [...this.items.values()];
  }

  /** Items (live and deleted) changed after `seq`, oldest change first. */
  changedSince(seq: number): SimItem[] {
    return [...this.items.values(), ...this.tombstones.values()]
      .filter((i) => i.seq > seq)
      .sort((a, b) => a.seq - b.seq);
  }

  pathOf(item: SimItem): string {
    const parts: string[] = [];
    for (let it: SimItem | undefined = item; it && it.kind !== 'root';) {
      parts.unshift(it.name);
      it = it.parentId ? this.raw(it.parentId) : undefined;
    }
    return parts.join('/');
  }

  sizeOf(item: SimItem): number {
    if (item.kind === 'file') return item.content?.size ?? 0;
    if (item.kind === 'package') return 0;
    let total = 0;
    for (const id of this.kids(item.id)) total += this.sizeOf(this.items.get(id) as SimItem);
    return total;
  }

  childCount(item: SimItem): number {
    return this.kids(item.id).size;
  }

  eTag(item: SimItem): string {
    return `"{${item.id}},${item.version}"`;
  }

  cTag(item: SimItem): string {
    return `"c:{${item.id}},${item.contentVersion}"`;
  }

  protected view(item: SimItem): SimItemView {
    return {
      id: item.id,
      name: item.name,
      path: this.pathOf(item),
      kind: item.kind,
      parentId: item.parentId,
      size: this.sizeOf(item),
      mtime: item.mtime,
      mimeType: item.mimeType,
      quickXorHash: item.content && item.content.size > 0 ? item.content.quickXorHash : undefined,
      eTag: this.eTag(item),
      cTag: this.cTag(item),
      content: item.content,
    };
  }

  protected resolve(parts: string[]): SimItem | undefined {
    let at: SimItem | undefined = this.root;
    for (const name of parts) {
      at = at ? this.childNamed(at.id, name) : undefined;
    }
    return at;
  }

  protected need(path: string, kind?: SimItemKind): SimItem {
    const item = this.resolve(split(path));
    if (!item) throw new Error(`no such item: ${path}`);
    if (kind && item.kind !== kind) throw new Error(`not a ${kind}: ${path}`);
    return item;
  }

  protected leaf(parts: string[], path: string): string {
    const name = parts[parts.length - 1];
    if (!name) throw new Error(`path names no item: "${path}"`);
    return name;
  }

  /** OneDrive names are unique per folder, case-insensitively. */
  protected childNamed(parentId: string, name: string): SimItem | undefined {
    const lower = name.toLowerCase();
    for (const id of this.kids(parentId)) {
      const child = this.items.get(id);
      if (child && child.name.toLowerCase() === lower) return child;
    }
    return undefined;
  }

  protected assertFree(parentId: string, name: string): void {
    if (this.childNamed(parentId, name)) throw new Error(`name already taken: ${name}`);
  }

  protected kids(id: string): Set<string> {
    let set = this.children.get(id);
    if (!set) this.children.set(id, (set = new Set()));
    return set;
  }
}
