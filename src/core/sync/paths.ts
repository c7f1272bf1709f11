import type { Db } from '../store/db.js';
import type { ItemKind } from '../store/items.js';

export interface Resolved {
  /** Below the drive root ('' for the root); null when it cannot be built. */
  path: string | null;
  kind: ItemKind | null;
  /** Deleted, or inside a deleted folder. */
  gone: boolean;
  /** A OneNote package, or inside one: not a downloadable file. */
  skip: boolean;
  /** Why the path cannot be built (a parent the store never heard of). */
  unresolved?: string;
}

interface Node {
  parent_id: string | null;
  name: string | null;
  kind: ItemKind;
  deleted: number;
  path: string | null;
}

/**
 * Builds paths from parent ids and names (delta items carry no parentReference.path), walking
 * up and memoising each folder, so a round resolves each folder once however many files it has.
 */
export class PathResolver {
  private readonly memo = new Map<string, Resolved>();
  private readonly visiting = new Set<string>();

  constructor(private readonly db: Db) {}

  /** `node`: the item's row when the caller already read it (saves a query per item). */
  resolve(id: string, node?: Node): Resolved {
    const known = this.memo.get(id);
    if (known) return known;
    node ??= this.db.one<Node>(
      'SELECT parent_id, name, kind, deleted, path FROM items WHERE id = ?',
      id,
    );
    const result = this.compute(id, node);
    // Only folders (and the root, packages) are ever asked for again, as parents: memoising
    // files too would hold every file of a big first round in memory.
    if (node?.kind !== 'file') this.memo.set(id, result);
    return result;
  }

  private compute(id: string, node: Node | undefined): Resolved {
    if (!node)
      return {
        path: null,
        kind: null,
        gone: false,
        skip: false,
        unresolved: `item ${id} is unknown`,
      };
    const base = { kind: node.kind, skip: node.kind === 'package' };
    if (node.kind === 'root') return { ...base, path: '', gone: node.deleted === 1 };
    // A deleted item needs no parent to be known gone; its last planned path names it.
    if (node.deleted === 1) return { ...base, path: node.path, gone: true };
    if (!node.parent_id || node.name === null || node.name === '') {
      return { ...base, path: null, gone: false, unresolved: 'the item has no parent or name' };
    }
    if (this.visiting.has(id)) {
      return { ...base, path: null, gone: false, unresolved: 'its folders form a cycle' };
    }
    this.visiting.add(id);
    try {
      const parent = this.resolve(node.parent_id);
      if (parent.gone) {
        const path = parent.path === null ? node.path : join(parent.path, node.name);
        return { ...base, path, gone: true, skip: base.skip || parent.skip };
      }
      if (parent.unresolved !== undefined || parent.path === null) {
        return {
          ...base,
          path: null,
          gone: parent.gone,
          unresolved: parent.unresolved ?? 'its folder has no path',
        };
      }
      return {
        kind: node.kind,
        path: join(parent.path, node.name),
        gone: parent.gone,
        skip: base.skip || parent.skip,
      };
    } finally {
      this.visiting.delete(id);
    }
  }
}

const join = (folder: string, name: string): string => (folder === '' ? name : `${folder}/${name}`);

/**
 * Marks every item below `folderId`, however deep, for planning (UNION, not UNION ALL: a cycle
 * cannot loop). Done in SQL: a moved top folder can hold most of the drive.
 */
export function markDescendantsDirty(db: Db, folderId: string): number {
  return db.run(
    `UPDATE items SET dirty = 1 WHERE dirty = 0 AND id IN (
       WITH RECURSIVE d(id) AS (
         SELECT id FROM items WHERE parent_id = ?
         UNION SELECT i.id FROM items i JOIN d ON i.parent_id = d.id)
       SELECT id FROM d)`,
    folderId,
  ).changes;
}
