// What one layer of an image holds, as data: its entries read from the
// layer's tar (tar.ts; paths normalised, whiteouts and opaque markers as
// Docker's overlay writes them) and the instruction that made it, as the
// image's history records it. Pure: grader/engine/layers.ts streams
// `docker save` through it.
import path from "node:path";
import type { TarHeader } from "./tar.js";

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

/** A layer's entries from its tar's headers, in order (the root and aufs bookkeeping left out). */
export function layer_entries(headers: TarHeader[]): LayerEntry[] {
  return headers.flatMap((h) => tar_entry(h.name, h.type, h.size) ?? []);
}
