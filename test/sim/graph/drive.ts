import { makeContent, type ContentSpec } from './content.js';
import {
  mimeFor,
  SimTree,
  split,
  type SimItem,
  type SimItemKind,
  type SimItemState,
  type SimItemView,
} from './tree.js';

export type { SimItem, SimItemKind, SimItemState, SimItemView } from './tree.js';

export interface SimDriveOptions {
  driveId: string;
  now: () => number;
  /** Changing an item also reports its ancestors (OneDrive Personal does: their cTag changes). */
  reportAncestors: boolean;
  /** A deleted folder is reported alone, its descendants' tombstones left out. */
  deletedFolderAlone: boolean;
}

export interface AddOptions {
  mtime?: string;
  mimeType?: string;
}

/** In-memory OneDrive: items by id, a change sequence, and tombstones for the delta feed. */
export class SimDrive extends SimTree {
  seq = 1;
  readonly root: SimItem;
  private counter = 101;

  constructor(private readonly options: SimDriveOptions) {
    super();
    this.root = this.create('root', 'root', undefined, {});
  }

  get driveId(): string {
    return this.options.driveId;
  }

  addFolder(path: string, options: AddOptions = {}): SimItemView {
    return this.view(this.ensureFolder(split(path), options));
  }

  addFile(path: string, content: ContentSpec, options: AddOptions = {}): SimItemView {
    const parts = split(path);
    const name = this.leaf(parts, path);
    const parent = this.ensureFolder(parts.slice(0, -1), {});
    const item = this.create('file', name, parent.id, options);
    item.content = makeContent(content);
    item.mimeType = options.mimeType ?? mimeFor(name);
    return this.view(item);
  }

  /** A OneNote notebook: a package item, not downloadable as a file. */
  addOneNote(path: string, options: AddOptions = {}): SimItemView {
    const parts = split(path);
    const parent = this.ensureFolder(parts.slice(0, -1), {});
    return this.view(this.create('package', this.leaf(parts, path), parent.id, options));
  }

  editFile(path: string, content: ContentSpec, options: AddOptions = {}): SimItemView {
    const item = this.need(path, 'file');
    this.change(item, () => {
      item.content = makeContent(content);
      item.contentVersion++;
      item.mtime = options.mtime ?? this.stamp(item.version);
      if (options.mimeType) item.mimeType = options.mimeType;
    });
    return this.view(item);
  }

  /** Changes only fileSystemInfo.lastModifiedDateTime (content and cTag stay). */
  touch(path: string, isoTime: string): SimItemView {
    const item = this.need(path);
    this.change(item, () => void (item.mtime = isoTime));
    return this.view(item);
  }

  rename(path: string, newName: string): SimItemView {
    const item = this.need(path);
    if (item.parentId === undefined) throw new Error('cannot rename the root');
    this.assertFree(item.parentId, newName);
    this.change(item, () => void (item.name = newName));
    return this.view(item);
  }

  /** Moves an item (with its subtree, which the feed will not list) under another folder. */
  move(path: string, newParentPath: string): SimItemView {
    const item = this.need(path);
    const target = this.need(newParentPath);
    if (target.kind !== 'folder' && target.kind !== 'root')
      throw new Error(`not a folder: ${newParentPath}`);
    for (
      let p: SimItem | undefined = target;
      p;
      p = p.parentId ? this.items.get(p.parentId) : undefined
    ) {
      if (p === item) throw new Error(`cannot move ${path} into itself`);
    }
    this.assertFree(target.id, item.name);
    this.change(item, () => {
      this.bumpAncestors(item); // the old parent chain; change() reports the new one
      this.children.get(item.parentId as string)?.delete(item.id);
      item.parentId = target.id;
      this.kids(target.id).add(item.id);
    });
    return this.view(item);
  }

  /**
   * Deletes the item and its whole subtree. Each becomes a tombstone in the feed, unless
   * `deletedFolderAlone` is set: then only the item itself is reported, like a renamed folder.
   */
  delete(path: string): void {
    const item = this.need(path);
    if (item.kind === 'root') throw new Error('cannot delete the root');
    this.seq++;
    this.bumpAncestors(item);
    const walk = (it: SimItem): void => {
      for (const child of [...this.kids(it.id)]) walk(this.items.get(child) as SimItem);
      it.prev = this.snapshot(it);
      it.deleted = true;
      it.version++;
      if (it === item || !this.options.deletedFolderAlone) it.seq = this.seq;
      this.items.delete(it.id);
      this.children.delete(it.id);
      this.tombstones.set(it.id, it);
    };
    this.children.get(item.parentId as string)?.delete(item.id);
    walk(item);
  }

  private create(
    kind: SimItemKind,
    name: string,
    parentId: string | undefined,
    o: AddOptions,
  ): SimItem {
    if (parentId !== undefined) this.assertFree(parentId, name);
    this.seq++;
    const n = this.counter++;
    const stamp = o.mtime ?? this.stamp(n);
    const item: SimItem = {
      id: `${this.options.driveId}!${n}`,
      kind,
      name,
      parentId,
      mtime: stamp,
      created: stamp,
      modified: new Date(this.options.now()).toISOString(),
      version: 1,
      contentVersion: 1,
      content: undefined,
      mimeType: undefined,
      seq: this.seq,
      deleted: false,
      prev: undefined,
    };
    this.items.set(item.id, item);
    if (parentId !== undefined) {
      this.kids(parentId).add(item.id);
      this.bumpAncestors(item);
    }
    return item;
  }

  /** One change: new sequence number, previous state kept, ancestors reported too. */
  private change(item: SimItem, mutate: () => void): void {
    this.seq++;
    item.prev = this.snapshot(item);
    mutate();
    item.version++;
    item.modified = new Date(this.options.now()).toISOString();
    item.seq = this.seq;
    this.bumpAncestors(item);
  }

  private bumpAncestors(item: SimItem): void {
    if (!this.options.reportAncestors) return;
    for (let id = item.parentId; id;) {
      const a = this.items.get(id);
      if (!a) break;
      a.version++;
      a.contentVersion++;
      a.seq = this.seq;
      id = a.parentId;
    }
  }

  private snapshot(item: SimItem): SimItemState {
    const { name, parentId, mtime, created, modified, version, contentVersion, content, mimeType } =
      item;
    return { name, parentId, mtime, created, modified, version, contentVersion, content, mimeType };
  }

  /**
   * Client-side times as OneDrive keeps them: whole seconds for some items, seven fractional
   * digits for others (Windows' 100 ns ticks), so consumers must parse both.
   */
  private stamp(n: number): string {
    const ms = this.options.now();
    const whole = new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19);
    if (n % 3 === 0) return `${whole}Z`;
    const ticks = String((ms % 1000) * 10_000 + ((n * 7919) % 10_000)).padStart(7, '0');
    return `${whole}.${ticks}Z`;
  }

  private ensureFolder(parts: string[], o: AddOptions): SimItem {
    let at = this.root;
    for (const name of parts) {
      const existing = this.childNamed(at.id, name);
      if (existing && existing.kind !== 'folder') throw new Error(`not a folder: ${name}`);
      at = existing ?? this.create('folder', name, at.id, o);
    }
    return at;
  }
}
