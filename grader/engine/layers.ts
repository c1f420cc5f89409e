// What each layer of an image holds and what it costs, read from the engine:
// sizes, the instruction that made each layer, every layer's files and the
// bytes wasted across layers (grader/layers/ reads the tars and counts the
// waste). Two ways in:
// - summarize_layers: inspect + history, no export (fast, for size and count);
// - read_image_contents: streams `docker save` and lists every layer's files
//   in memory (seconds for a 150 MB image, memoized per image id).
import tar from "tar-stream";
import { docker } from "./client.js";
import { image_history, inspect_image } from "./image.js";
import { clean_instruction, layer_entries, METADATA_ONLY, type ImageContents, type LayerContents, type LayerEntry } from "../layers/contents.js";
import { read_tar_or_data } from "../layers/tar.js";
import { compute_waste, type WasteFigures } from "../layers/waste.js";

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

/** Configs and manifests of an export are small; a bigger file is not one of them. */
const SMALL_FILE_BYTES = 8 * 1024 * 1024;

async function read_export(
  extract: ReturnType<typeof tar.extract>,
  layer_entries_by_name: Map<string, LayerEntry[]>,
  small_files: Map<string, Buffer>,
): Promise<void> {
  for await (const entry of extract) {
    const name = entry.header.name.replace(/^\.\//, "");
    // Legacy layout: <id>/layer.tar; OCI layout (newer engines): blobs/sha256/<hex>,
    // where configs and manifests are JSON and layers are tars.
    if (name.endsWith("/layer.tar") || name === "layer.tar") {
      const read = await read_tar_or_data(entry as AsyncIterable<Buffer>, 0);
      layer_entries_by_name.set(name, "headers" in read ? layer_entries(read.headers) : []);
    } else if (name.startsWith("blobs/") && entry.header.type === "file") {
      // JSON (configs, manifests) or a layer tar: keep the small ones whole, list the tars.
      const read = await read_tar_or_data(entry as AsyncIterable<Buffer>, SMALL_FILE_BYTES);
      if ("headers" in read) layer_entries_by_name.set(name, layer_entries(read.headers));
      else if (read.data) small_files.set(name, read.data);
    } else if (entry.header.type === "file") {
      const buffer = await collect(entry as AsyncIterable<Buffer>, SMALL_FILE_BYTES);
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
  const entries_by_layer = new Map<string, LayerEntry[]>();
  const small_files = new Map<string, Buffer>();
  stream.on("error", (error: Error) => extract.destroy(error));
  stream.pipe(extract as unknown as NodeJS.WritableStream);

  try {
    await read_export(extract, entries_by_layer, small_files);
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
    const entries = entries_by_layer.get(name) ?? [];
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

/**
 * Forgets the memoized exports: a spec worker calls it when a spec file ends
 * (warm-start.ts). Its threads live from one grading to the next, and an
 * export lists every file of every layer (measured: 16 MB of heap for the
 * four kept, in each worker, for the whole life of the worker).
 */
export function forget_image_contents(): void {
  contents_cache.clear();
}

/** Every layer's files, from `docker save` streamed in memory. Memoized per image id (the last few, within one spec file). */
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
// Waste, as dive computes it (grader/layers/waste.ts), memoized per export.
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
