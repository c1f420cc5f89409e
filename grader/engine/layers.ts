// What each layer of an image holds and what it costs: sizes, the instruction
// that made each layer, and the bytes wasted across layers, computed the way
// dive computes them (dive/filetree/efficiency.go) so that a course author can
// carry dive's CI thresholds over. Two ways in:
// - summarize_layers: inspect + history, no export (fast, for size and count);
// - read_image_contents: streams `docker save` and lists every layer's files
//   in memory (seconds for a 150 MB image, memoized per image id).
import path from "node:path";
import tar from "tar-stream";
import { docker } from "./client.js";
import { image_history, inspect_image } from "./image.js";

export interface LayerFacts {
  /** 0-based, base layers first (the order of RootFS). */
  index: number;
  diff_id: string;
  /** The instruction that made the layer, cleaned ("RUN apt-get ...", "COPY . /app"); "" when unknown (imported base). */
  instruction: string;
  /** Bytes of the files in the layer (what `docker history` shows). */
  size: number;
  /** The layer belongs to the base image (a prefix shared with it). */
  in_base: boolean;
}

export interface LayerSummary {
  image_id: string;
  /** Uncompressed size, as `docker images` shows it. */
  size: number;
  layers: LayerFacts[];
  /** The base image as asked for, whether it is present locally, its size and how many layers the image shares with it. */
  base: { ref: string; present: boolean; size: number; layers: number } | null;
  /** Layers at the start of the image that are the base image's. */
  base_layers: number;
  above_base_size: number;
}

const METADATA_ONLY = /^(ENV|CMD|LABEL|EXPOSE|USER|ENTRYPOINT|VOLUME|ARG|STOPSIGNAL|HEALTHCHECK|SHELL|ONBUILD|MAINTAINER)\b/;

/** "RUN /bin/sh -c apt-get ... # buildkit" -> "RUN apt-get ..."; legacy "#(nop)" prefixes dropped. */
export function clean_instruction(created_by: string): string {
  let text = created_by.trim().replace(/\s*# buildkit$/, "");
  text = text.replace(/^\/bin\/sh -c #\(nop\)\s+/, "");
  // Build args are recorded in front of the shell: "|2 A=1 B=2 /bin/sh -c ...".
  text = text.replace(/^(RUN )?\|\d+ (?:\S+=\S* )*/, "$1");
  text = text.replace(/^(RUN )?\/bin\/(?:ba)?sh -c /, "RUN ");
  return text.replace(/\s+/g, " ").trim();
}

/** Number of leading layers shared by two RootFS lists. */
export function shared_prefix(layers: string[], base: string[]): number {
  let n = 0;
  while (n < layers.length && n < base.length && layers[n] === base[n]) n++;
  return n;
}

/**
 * Size, layers and the instruction of each, from inspect and history (no
 * export). `base_ref` is the FROM image of the final stage; "scratch" has no
 * layers; a base that is absent locally gives base_layers 0.
 */
export async function summarize_layers(ref: string, base_ref?: string): Promise<LayerSummary> {
  const [facts, history] = await Promise.all([inspect_image(ref), image_history(ref)]);
  let base: LayerSummary["base"] = null;
  let base_layers = 0;
  if (base_ref === "scratch") {
    base = { ref: base_ref, present: true, size: 0, layers: 0 };
  } else if (base_ref) {
    const base_facts = await inspect_image(base_ref).catch(() => undefined);
    base = { ref: base_ref, present: Boolean(base_facts), size: base_facts?.size ?? 0, layers: base_facts?.layers.length ?? 0 };
    if (base_facts) base_layers = shared_prefix(facts.layers, base_facts.layers);
  }

  // The engine's history API does not say which entries made a layer; the
  // image config does (empty_layer), but reading it means exporting the
  // image. Guess from the instruction, and export only when the guess does
  // not add up to the layer count.
  const made_layer = history.filter((h) => h.size > 0 || !METADATA_ONLY.test(clean_instruction(h.created_by)));
  let layers: LayerFacts[];
  if (made_layer.length === facts.layers.length) {
    layers = facts.layers.map((diff_id, index) => ({
      index,
      diff_id,
      instruction: clean_instruction(made_layer[index]!.created_by),
      size: made_layer[index]!.size,
      in_base: index < base_layers,
    }));
  } else {
    const contents = await read_image_contents(ref);
    layers = contents.layers.map((l) => ({ index: l.index, diff_id: l.diff_id, instruction: l.instruction, size: l.bytes, in_base: l.index < base_layers }));
  }
  const base_size = layers.slice(0, base_layers).reduce((sum, l) => sum + l.size, 0);
  return { image_id: facts.id, size: facts.size, layers, base, base_layers, above_base_size: Math.max(0, facts.size - base_size) };
}

// ---------------------------------------------------------------------------
// Layer contents: `docker save`, streamed.

export type EntryKind = "file" | "dir" | "symlink" | "hardlink" | "other" | "whiteout" | "opaque";

export interface LayerEntry {
  /** Absolute, normalised ("/usr/bin/env"). For a whiteout, the path it deletes; for an opaque marker, its folder. */
  path: string;
  kind: EntryKind;
  /** Size from the tar header (0 for folders, links and markers). */
  size: number;
}

export interface LayerContents {
  index: number;
  diff_id: string;
  instruction: string;
  entries: LayerEntry[];
  /** Sum of the entries' sizes. */
  bytes: number;
}

export interface ImageContents {
  image_id: string;
  layers: LayerContents[];
}

/** Turns one tar header into an entry; undefined for the root and for markers dive ignores. */
export function tar_entry(name: string, type: string, size: number): LayerEntry | undefined {
  const clean = path.posix.normalize("/" + name.replace(/^\.\//, "")).replace(/\/+$/, "");
  if (clean === "" || clean === "/" || clean === ".") return undefined;
  const base = path.posix.basename(clean);
  const dir = path.posix.dirname(clean);
  if (base === ".wh..wh..opq") return { path: dir, kind: "opaque", size: 0 };
  // Other ".wh..wh." names are aufs bookkeeping, never files of the image.
  if (base.startsWith(".wh..wh.")) return undefined;
  if (base.startsWith(".wh.")) return { path: path.posix.join(dir, base.slice(4)), kind: "whiteout", size: 0 };
  const kind: EntryKind =
    type === "file" || type === "contiguous-file"
      ? "file"
      : type === "directory"
        ? "dir"
        : type === "symlink"
          ? "symlink"
          : type === "link"
            ? "hardlink"
            : "other";
  return { path: clean, kind, size: kind === "file" ? size : 0 };
}

// The layer tars inside an export are read with a minimal header-only reader:
// per entry it costs a header decode instead of a stream object, which keeps
// listing a 150 MB base image well under a second. It understands ustar, the
// PAX records (path, linkpath, size) and GNU long names, which is what
// Docker's Go writer produces.
const HEADER_ONLY_TYPES = new Set(["1", "2", "3", "4", "5", "6"]);
const TAR_TYPES: Record<string, string> = {
  "0": "file", "\0": "file", "7": "contiguous-file", "1": "link", "2": "symlink", "5": "directory",
};

function read_string(block: Buffer, start: number, length: number): string {
  const end = block.indexOf(0, start);
  return block.toString("utf8", start, end < 0 || end > start + length ? start + length : end);
}

function read_number(block: Buffer, start: number, length: number): number {
  if (block[start]! & 0x80) {
    // base-256, used by Go for sizes over 8 GiB
    let value = block[start]! & 0x7f;
    for (let i = start + 1; i < start + length; i++) value = value * 256 + block[i]!;
    return value;
  }
  const text = block.toString("latin1", start, start + length).replace(/[\0 ]+$/g, "").trim();
  return text ? parseInt(text, 8) : 0;
}

export class TarLister {
  readonly entries: LayerEntry[] = [];
  /** Set when the data does not start like a tar (no "ustar" magic). */
  private not_a_tar = false;
  private readonly block = Buffer.alloc(512);
  private fill = 0;
  private skip = 0;
  private seen_header = false;
  private ended = false;
  private collecting?: { kind: string; chunks: Buffer[]; left: number; padding: number };
  private pax: Record<string, string> = {};
  private long_name?: string;

  /** A tar, or an empty one (zero blocks only); false for anything else, JSON included. */
  is_tar(): boolean {
    return !this.not_a_tar && (this.seen_header || this.ended);
  }

  push(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length && !this.ended && !this.not_a_tar) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - offset);
        this.skip -= n;
        offset += n;
      } else if (this.collecting) {
        const c = this.collecting;
        const n = Math.min(c.left, chunk.length - offset);
        c.chunks.push(chunk.subarray(offset, offset + n));
        c.left -= n;
        offset += n;
        if (c.left === 0) this.end_collect();
      } else {
        const n = Math.min(512 - this.fill, chunk.length - offset);
        chunk.copy(this.block, this.fill, offset, offset + n);
        this.fill += n;
        offset += n;
        if (this.fill === 512) {
          this.fill = 0;
          this.on_header();
        }
      }
    }
  }

  private end_collect(): void {
    const c = this.collecting!;
    this.collecting = undefined;
    this.skip = c.padding;
    const text = Buffer.concat(c.chunks).toString("utf8");
    if (c.kind === "L") this.long_name = text.replace(/\0+$/, "");
    else if (c.kind === "K") return; // a long link target: not needed here
    else {
      // PAX records: "<length> <key>=<value>\n"
      let at = 0;
      while (at < text.length) {
        const space = text.indexOf(" ", at);
        const length = parseInt(text.slice(at, space), 10);
        if (!(length > 0)) break;
        const record = text.slice(space + 1, at + length - 1);
        const eq = record.indexOf("=");
        if (eq > 0) this.pax[record.slice(0, eq)] = record.slice(eq + 1);
        at += length;
      }
    }
  }

  private on_header(): void {
    const b = this.block;
    if (b.every((byte) => byte === 0)) {
      this.ended = true;
      return;
    }
    const magic = b.toString("latin1", 257, 262);
    if (!this.seen_header && magic !== "ustar") {
      this.not_a_tar = true;
      return;
    }
    this.seen_header = true;
    const type = String.fromCharCode(b[156]!);
    let size = read_number(b, 124, 12);
    const padding = (512 - (size % 512)) % 512;
    if (type === "x" || type === "L" || type === "K") {
      this.collecting = { kind: type, chunks: [], left: size, padding };
      if (size === 0) this.end_collect();
      return;
    }
    if (type === "g") {
      this.skip = size + padding;
      return;
    }
    let name = read_string(b, 0, 100);
    // POSIX ustar keeps a prefix at 345; GNU tar ("ustar  ") uses that space for times.
    if (b.toString("latin1", 257, 263) === "ustar\0") {
      const prefix = read_string(b, 345, 155);
      if (prefix) name = `${prefix}/${name}`;
    }
    if (this.long_name !== undefined) name = this.long_name;
    if (this.pax.path !== undefined) name = this.pax.path;
    if (this.pax.size !== undefined) size = Number(this.pax.size);
    this.pax = {};
    this.long_name = undefined;
    const entry = tar_entry(name, TAR_TYPES[type] ?? "other", size);
    if (entry) this.entries.push(entry);
    this.skip = HEADER_ONLY_TYPES.has(type) ? 0 : size + ((512 - (size % 512)) % 512);
  }
}

async function list_layer_tar(source: AsyncIterable<Buffer>): Promise<LayerEntry[] | undefined> {
  const lister = new TarLister();
  for await (const chunk of source) lister.push(chunk);
  return lister.is_tar() ? lister.entries : undefined;
}

async function collect(source: AsyncIterable<Buffer>, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of source) {
    length += chunk.length;
    if (length <= limit) chunks.push(chunk);
  }
  return length <= limit ? Buffer.concat(chunks) : undefined;
}

interface SavedManifest {
  Config: string;
  Layers: string[];
}
interface ImageConfigFile {
  history?: Array<{ created_by?: string; empty_layer?: boolean }>;
  rootfs?: { diff_ids?: string[] };
}

async function read_export(
  extract: ReturnType<typeof tar.extract>,
  layer_entries: Map<string, LayerEntry[]>,
  small_files: Map<string, Buffer>,
): Promise<void> {
  for await (const entry of extract) {
    const name = entry.header.name.replace(/^\.\//, "");
    // Legacy layout: <id>/layer.tar; OCI layout (newer engines): blobs/sha256/<hex>,
    // where configs and manifests are JSON and layers are tars.
    if (name.endsWith("/layer.tar") || name === "layer.tar") {
      layer_entries.set(name, (await list_layer_tar(entry as AsyncIterable<Buffer>)) ?? []);
    } else if (name.startsWith("blobs/") && entry.header.type === "file") {
      // JSON (configs, manifests) or a layer tar: keep the small ones whole, list the tars.
      const chunks: Buffer[] = [];
      let length = 0;
      const lister = new TarLister();
      for await (const chunk of entry as AsyncIterable<Buffer>) {
        lister.push(chunk);
        if (length + chunk.length <= 8 * 1024 * 1024) chunks.push(chunk);
        length += chunk.length;
      }
      if (lister.is_tar()) layer_entries.set(name, lister.entries);
      else if (length <= 8 * 1024 * 1024) small_files.set(name, Buffer.concat(chunks));
    } else if (entry.header.type === "file") {
      const buffer = await collect(entry as AsyncIterable<Buffer>, 8 * 1024 * 1024);
      if (buffer) small_files.set(name, buffer);
    } else {
      entry.resume();
    }
  }
}

async function export_contents(ref: string): Promise<ImageContents> {
  const facts = await inspect_image(ref);
  const stream = (await docker().getImage(facts.id).get()) as NodeJS.ReadableStream & { destroy?(error?: Error): void };
  const extract = tar.extract();
  const layer_entries = new Map<string, LayerEntry[]>();
  const small_files = new Map<string, Buffer>();
  stream.on("error", (error: Error) => extract.destroy(error));
  stream.pipe(extract as unknown as NodeJS.WritableStream);

  try {
    await read_export(extract, layer_entries, small_files);
  } catch (error) {
    // Stop the engine's export too, not only our reading of it.
    stream.destroy?.();
    throw error;
  }

  const manifest_file = small_files.get("manifest.json");
  if (!manifest_file) throw new Error(`docker save ${ref}: no manifest.json in the export`);
  const manifest = (JSON.parse(manifest_file.toString("utf8")) as SavedManifest[])[0]!;
  const config_file = small_files.get(manifest.Config);
  const config = config_file ? (JSON.parse(config_file.toString("utf8")) as ImageConfigFile) : {};
  const made_layer = (config.history ?? []).filter((h) => !h.empty_layer);
  const diff_ids = config.rootfs?.diff_ids ?? facts.layers;
  const aligned = made_layer.length === manifest.Layers.length;
  const layers = manifest.Layers.map((name, index): LayerContents => {
    const entries = layer_entries.get(name) ?? [];
    return {
      index,
      diff_id: diff_ids[index] ?? "",
      instruction: aligned ? clean_instruction(made_layer[index]!.created_by ?? "") : "",
      entries,
      bytes: entries.reduce((sum, e) => sum + e.size, 0),
    };
  });
  return { image_id: facts.id, layers };
}

const contents_cache = new Map<string, Promise<ImageContents>>();
const CONTENTS_CACHE_SIZE = 4;

/** Every layer's files, from `docker save` streamed in memory. Memoized per image id (the last few). */
export async function read_image_contents(ref: string): Promise<ImageContents> {
  const id = (await inspect_image(ref)).id;
  let pending = contents_cache.get(id);
  if (!pending) {
    pending = export_contents(id);
    contents_cache.set(id, pending);
    pending.catch(() => contents_cache.delete(id));
    while (contents_cache.size > CONTENTS_CACHE_SIZE) contents_cache.delete(contents_cache.keys().next().value!);
  }
  return pending;
}

// ---------------------------------------------------------------------------
// Waste, as dive computes it, and the exact hidden bytes.

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

const waste_cache = new WeakMap<ImageContents, WasteFigures>();

/** Exports the image (memoized) and computes its waste. */
export async function analyze_waste(ref: string): Promise<{ contents: ImageContents; waste: WasteFigures }> {
  const contents = await read_image_contents(ref);
  let waste = waste_cache.get(contents);
  if (!waste) {
    waste = compute_waste(contents.layers);
    waste_cache.set(contents, waste);
  }
  return { contents, waste };
}
