// Waste across an image's layers, computed the way dive computes it
// (dive/filetree/efficiency.go) so that a course author can carry dive's CI
// thresholds over, and the exact bytes the final filesystem hides. Pure.
import path from "node:path";
import type { EntryKind, LayerContents, LayerEntry } from "./contents.js";


/** A path dive counts as inefficient: present in several layers (or added then deleted). */
export interface DiveInefficiency {
  path: string;
  /** dive's CumulativeSize: the sizes of every copy, the kept one included. */
  cumulative_bytes: number;
  layers: number[];
}

/** Bytes stored in a layer that the final filesystem does not show. */
export interface HiddenPath {
  path: string;
  bytes: number;
  /** Layers that stored the hidden bytes. */
  added_in: number[];
  /** The layer that deleted or replaced them. */
  removed_in: number;
  how: "deleted" | "overwritten" | "opaque";
}

export interface WasteFigures {
  /** dive's score: sum of each path's smallest copy / sum of all copies (1 for an empty image). */
  efficiency: number;
  /** dive's wasted bytes: the cumulative size of every inefficient path. */
  wasted_bytes: number;
  /** Sum of all copies of all paths (dive's denominator). */
  total_bytes: number;
  /** Sorted biggest first; paths of 0 bytes left out. */
  inefficiencies: DiveInefficiency[];
  /** Exact bytes stored in layers but invisible in the final image (deleted, overwritten, hidden by an opaque folder). */
  hidden_bytes: number;
  /** Sorted biggest first. */
  hidden: HiddenPath[];
  /** Whether a path exists in the final filesystem. */
  present(path: string): boolean;
}

interface TreeNode {
  children: Map<string, TreeNode>;
  /** Absent for a folder only implied by its children (no tar entry). */
  entry?: { kind: EntryKind; size: number; layer: number };
}

const new_node = (): TreeNode => ({ children: new Map() });

function components(p: string): string[] {
  return p.split("/").filter(Boolean);
}

/** The filesystem seen through a stack of layers (overlay semantics). */
class StackedTree {
  readonly root = new_node();

  constructor(
    /** dive's stacking ignores opaque markers; the real filesystem does not. */
    private readonly honour_opaque: boolean,
    private readonly on_hidden?: (hidden: HiddenPath) => void,
  ) {}

  get(p: string): TreeNode | undefined {
    let node: TreeNode | undefined = this.root;
    for (const name of components(p)) {
      node = node.children.get(name);
      if (!node) return undefined;
    }
    return node;
  }

  private parent_of(p: string, create: boolean): TreeNode | undefined {
    let node: TreeNode | undefined = this.root;
    const names = components(p);
    for (const name of names.slice(0, -1)) {
      let child: TreeNode | undefined = node.children.get(name);
      if (!child) {
        if (!create) return undefined;
        child = new_node();
        node.children.set(name, child);
      }
      node = child;
    }
    return node;
  }

  private report(p: string, nodes: TreeNode[], removed_in: number, how: HiddenPath["how"]): void {
    if (!this.on_hidden) return;
    let bytes = 0;
    const added = new Set<number>();
    const visit = (node: TreeNode): void => {
      if (node.entry && node.entry.size > 0) {
        bytes += node.entry.size;
        added.add(node.entry.layer);
      }
      for (const child of node.children.values()) visit(child);
    };
    nodes.forEach(visit);
    if (bytes > 0) this.on_hidden({ path: p, bytes, added_in: [...added].sort((a, b) => a - b), removed_in, how });
  }

  apply(layer: number, entries: LayerEntry[]): void {
    // Deletions first: they apply to the layers below, never to this one's own files.
    for (const e of entries) {
      if (e.kind === "whiteout") {
        const parent = this.parent_of(e.path, false);
        const name = path.posix.basename(e.path);
        const node = parent?.children.get(name);
        if (!parent || !node) continue;
        this.report(e.path, [node], layer, "deleted");
        parent.children.delete(name);
      } else if (e.kind === "opaque" && this.honour_opaque) {
        const node = this.get(e.path);
        if (!node) continue;
        this.report(e.path, [...node.children.values()], layer, "opaque");
        node.children.clear();
      }
    }
    for (const e of entries) {
      if (e.kind === "whiteout" || e.kind === "opaque") continue;
      const parent = this.parent_of(e.path, true)!;
      const name = path.posix.basename(e.path);
      let node = parent.children.get(name);
      if (!node) {
        node = new_node();
        parent.children.set(name, node);
      } else if (e.kind !== "dir") {
        // A file (or link) replaces whatever was there, folder contents included.
        this.report(e.path, [{ children: node.children, entry: node.entry }], layer, "overwritten");
        node.children = new Map();
      } else if (node.entry && node.entry.kind !== "dir") {
        this.report(e.path, [{ children: new Map(), entry: node.entry }], layer, "overwritten");
      }
      node.entry = { kind: e.kind, size: e.size, layer };
    }
  }
}

/** Size of everything under a node, the node included (dive's sizer for a deleted folder). */
function subtree_size(node: TreeNode): number {
  let size = node.entry?.size ?? 0;
  for (const child of node.children.values()) size += subtree_size(child);
  return size;
}

/**
 * dive's Efficiency(trees), then the exact hidden bytes. dive visits, layer
 * by layer, the leaves of each layer's own tree (files, empty folders,
 * whiteouts); per path it sums the sizes (CumulativeSize) and keeps the
 * smallest; a whiteout counts 0, or, when it deletes a folder, the size of
 * what that folder held in the layers below. Score = sum of smallest / sum of
 * cumulative; wasted bytes = cumulative size of the paths seen more than once.
 * Differences with dive, on purpose: a whiteout of a path absent below counts
 * 0 (dive stops reading that layer); a folder only implied by its children is
 * not a folder (as in dive).
 */
export function compute_waste(layers: Array<Pick<LayerContents, "entries">>): WasteFigures {
  const per_path = new Map<string, { cumulative: number; min: number; layers: number[] }>();
  const dive_stack = new StackedTree(false);
  const hidden: HiddenPath[] = [];
  const real_stack = new StackedTree(true, (h) => hidden.push(h));

  layers.forEach((layer, index) => {
    // The layer's own tree: a node is a leaf when no other node of the layer sits below it.
    const nodes = new Map<string, LayerEntry | undefined>();
    const parents = new Set<string>();
    for (const e of layer.entries) {
      // dive adds the folders on the way to a path, even to an opaque marker it then drops.
      let ancestor = e.path;
      for (let cut = ancestor.lastIndexOf("/"); cut > 0; cut = ancestor.lastIndexOf("/")) {
        ancestor = ancestor.slice(0, cut);
        if (parents.has(ancestor)) break;
        parents.add(ancestor);
        if (!nodes.has(ancestor)) nodes.set(ancestor, undefined);
      }
      if (e.kind === "opaque") {
        if (!nodes.has(e.path)) nodes.set(e.path, undefined);
      } else {
        nodes.set(e.path + (e.kind === "whiteout" ? "\0wh" : ""), e);
      }
    }
    for (const [key, e] of nodes) {
      const p = e ? e.path : key;
      if (parents.has(key)) continue;
      let size = e?.size ?? 0;
      if (e?.kind === "whiteout") {
        const below = dive_stack.get(p);
        size = below?.entry?.kind === "dir" ? subtree_size(below) : 0;
      }
      let data = per_path.get(p);
      if (!data) {
        data = { cumulative: 0, min: size, layers: [] };
        per_path.set(p, data);
      }
      data.cumulative += size;
      data.min = Math.min(data.min, size);
      data.layers.push(index);
    }
    dive_stack.apply(index, layer.entries);
    real_stack.apply(index, layer.entries);
  });

  let minimum = 0;
  let total = 0;
  let wasted = 0;
  const inefficiencies: DiveInefficiency[] = [];
  for (const [p, data] of per_path) {
    minimum += data.min;
    total += data.cumulative;
    if (data.layers.length >= 2) {
      wasted += data.cumulative;
      if (data.cumulative > 0) inefficiencies.push({ path: p, cumulative_bytes: data.cumulative, layers: data.layers });
    }
  }
  inefficiencies.sort((a, b) => b.cumulative_bytes - a.cumulative_bytes);
  hidden.sort((a, b) => b.bytes - a.bytes);
  return {
    efficiency: total === 0 ? 1 : minimum / total,
    wasted_bytes: wasted,
    total_bytes: total,
    inefficiencies,
    hidden_bytes: hidden.reduce((sum, h) => sum + h.bytes, 0),
    hidden,
    present: (p: string) => real_stack.get(p) !== undefined,
  };
}
