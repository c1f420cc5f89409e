// What one layer of an image holds, as data: its entries read from the
// layer's tar (paths normalised, whiteouts and opaque markers as Docker's
// overlay writes them) and the instruction that made it, as the image's
// history records it. Pure: grader/engine/layers.ts streams `docker save`
// through it.
import path from "node:path";

/** Instructions that change only the image's config: their history entries made no layer. */
export const METADATA_ONLY = /^(ENV|CMD|LABEL|EXPOSE|USER|ENTRYPOINT|VOLUME|ARG|STOPSIGNAL|HEALTHCHECK|SHELL|ONBUILD|MAINTAINER)\b/;

/** "RUN /bin/sh -c apt-get ... # buildkit" -> "RUN apt-get ..."; legacy "#(nop)" prefixes dropped. */
export function clean_instruction(created_by: string): string {
  let text = created_by.trim().replace(/\s*# buildkit$/, "");
  text = text.replace(/^\/bin\/sh -c #\(nop\)\s+/, "");
  // Build args are recorded in front of the shell: "|2 A=1 B=2 /bin/sh -c ...".
  text = text.replace(/^(RUN )?\|\d+ (?:\S+=\S* )*/, "$1");
  text = text.replace(/^(RUN )?\/bin\/(?:ba)?sh -c /, "RUN ");
  return text.replace(/\s+/g, " ").trim();
}



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
