// A layer's tar read into entries, through tar-stream: the names Docker's Go
// writer produces (PAX records for long paths), links, folders, whiteouts and
// opaque markers; what is not a tar (a JSON blob of an OCI export) told apart
// and kept whole when small; an archive of the course read into its files.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import tar from "tar-stream";
import { describe, expect, test } from "vitest";
import { layer_entries, tar_entry } from "./contents.js";
import { is_tar_start, read_archive, read_tar_or_data } from "./tar.js";

/** A tar written by tar-stream's packer (the writer of the library that reads it, and of ustar with PAX for long names). */
async function pack(entries: Array<{ name: string; type?: "file" | "directory" | "symlink"; content?: string; linkname?: string }>): Promise<Buffer> {
  const packer = tar.pack();
  for (const e of entries) {
    if (e.type === "file" || e.type === undefined) packer.entry({ name: e.name, type: "file" }, e.content ?? "");
    else packer.entry({ name: e.name, type: e.type, ...(e.linkname ? { linkname: e.linkname } : {}) });
  }
  packer.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of packer as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** The bytes as a stream cut in chunks of `size` (headers cut across chunks). */
async function* chunks_of(bytes: Buffer, size = 100): AsyncIterable<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe("a layer's tar", () => {
  test("long names (PAX), links, folders, whiteouts and opaque markers, read in chunks that cut headers", async () => {
    const long = "deep/" + "x".repeat(150) + "/file.txt";
    const bytes = await pack([
      { name: "deep/", type: "directory" },
      { name: long, content: "abc" },
      { name: "deep/link", type: "symlink", linkname: "file.txt" },
      { name: "deep/.wh.gone" },
      { name: "other/.wh..wh..opq" },
      { name: "other/.wh..wh.plnk" },
    ]);
    const read = await read_tar_or_data(chunks_of(bytes), 0);
    expect("headers" in read).toBe(true);
    if (!("headers" in read)) return;
    expect(layer_entries(read.headers)).toEqual([
      { path: "/deep", kind: "dir", size: 0 },
      { path: "/" + long, kind: "file", size: 3 },
      { path: "/deep/link", kind: "symlink", size: 0 },
      { path: "/deep/gone", kind: "whiteout", size: 0 },
      { path: "/other", kind: "opaque", size: 0 },
    ]);
  });

  test("an empty layer (zero blocks only) is a tar with no entry", async () => {
    const read = await read_tar_or_data(chunks_of(Buffer.alloc(1024)), 0);
    expect(read).toEqual({ headers: [] });
  });

  test("something that is not a tar: kept whole when small, dropped when big", async () => {
    const json = Buffer.from(JSON.stringify({ history: [] }).padEnd(600, " "));
    expect(is_tar_start(json.subarray(0, 512))).toBe(false);
    expect(await read_tar_or_data(chunks_of(json), 1024)).toEqual({ data: json });
    expect(await read_tar_or_data(chunks_of(json), 100)).toEqual({ data: undefined });
    // Shorter than a block: not a tar either.
    expect(await read_tar_or_data(chunks_of(Buffer.from("{}")), 1024)).toEqual({ data: Buffer.from("{}") });
  });

  test("the root, and paths normalised", () => {
    expect(tar_entry("./", "directory", 0)).toBeUndefined();
    expect(tar_entry("./usr/bin/", "directory", 0)).toEqual({ path: "/usr/bin", kind: "dir", size: 0 });
    expect(tar_entry("a/hard", "link", 10)).toEqual({ path: "/a/hard", kind: "hardlink", size: 0 });
  });
});

describe("an archive of the course", () => {
  test("its regular files by path, gzipped or not; folders and links left out", async () => {
    const bytes = await pack([
      { name: "assets/", type: "directory" },
      { name: "assets/logo.svg", content: "<svg/>" },
      { name: "./assets/style.css", content: "body{}" },
      { name: "assets/lien", type: "symlink", linkname: "logo.svg" },
    ]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dl-archive-"));
    try {
      fs.writeFileSync(path.join(dir, "a.tar"), bytes);
      fs.writeFileSync(path.join(dir, "a.tar.gz"), zlib.gzipSync(bytes));
      const expected = new Map([
        ["assets/logo.svg", "<svg/>"],
        ["assets/style.css", "body{}"],
      ]);
      expect(await read_archive(path.join(dir, "a.tar"))).toEqual(expected);
      expect(await read_archive(path.join(dir, "a.tar.gz"))).toEqual(expected);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
