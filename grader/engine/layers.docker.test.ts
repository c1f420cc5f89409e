// Layers on the real engine: the export is read layer by layer, each layer is
// tied to its instruction, and the waste figures match dive's formula, checked
// against a computation by hand on an image whose every byte is known.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { build_image } from "./build.js";
import { remove_managed } from "./cleanup.js";
import { compute_waste, read_image_contents, summarize_layers, TarLister, type ImageContents, type LayerEntry } from "./layers.js";
import { temp_folders } from "../../test/helpers/folders.js";

const session = randomUUID();
const folder = temp_folders();
afterAll(() => remove_managed(session));

const file = (path: string, size: number): LayerEntry => ({ path, kind: "file", size });

describe("compute_waste follows dive's Efficiency()", () => {
  test("dive's own test case: score 0.75, one inefficient path of 7000 bytes", () => {
    // dive/filetree/efficiency_test.go, TestEfficiency: folders only implied by their files.
    const waste = compute_waste([
      { entries: [file("/etc/nginx/nginx.conf", 2000), file("/etc/nginx/public", 3000)] },
      { entries: [file("/etc/nginx/nginx.conf", 5000), file("/etc/athing", 10000)] },
      { entries: [{ path: "/etc/nginx", kind: "whiteout", size: 0 }] },
    ]);
    expect(waste.efficiency).toBe(0.75);
    expect(waste.inefficiencies).toEqual([{ path: "/etc/nginx/nginx.conf", cumulative_bytes: 7000, layers: [0, 1] }]);
    expect(waste.wasted_bytes).toBe(7000);
  });

  test("dive's scratch case: a lone empty file scores 1", () => {
    const waste = compute_waste([{ entries: [file("/nothing", 0)] }, { entries: [] }, { entries: [] }]);
    expect(waste.efficiency).toBe(1);
    expect(waste.inefficiencies).toEqual([]);
  });

  test("hidden bytes: deleted, overwritten, and emptied by an opaque folder", () => {
    const dir = (path: string): LayerEntry => ({ path, kind: "dir", size: 0 });
    const waste = compute_waste([
      { entries: [dir("/a"), file("/a/x", 10), file("/a/y", 20), file("/f", 5), dir("/o"), file("/o/old", 7)] },
      { entries: [{ path: "/a", kind: "whiteout", size: 0 }, file("/f", 6), dir("/o"), { path: "/o", kind: "opaque", size: 0 }, file("/o/new", 1)] },
    ]);
    expect(waste.hidden).toEqual([
      { path: "/a", bytes: 30, added_in: [0], removed_in: 1, how: "deleted" },
      { path: "/o", bytes: 7, added_in: [0], removed_in: 1, how: "opaque" },
      { path: "/f", bytes: 5, added_in: [0], removed_in: 1, how: "overwritten" },
    ]);
    expect(waste.hidden_bytes).toBe(42);
    expect(waste.present("/a/x")).toBe(false);
    expect(waste.present("/o/old")).toBe(false);
    expect(waste.present("/o/new")).toBe(true);
    // dive: /f counted twice (5 + 6), the folder whiteout counts what /a held (30) once, the opaque marker is ignored.
    expect(waste.wasted_bytes).toBe(11);
    expect(waste.efficiency).toBeCloseTo((10 + 20 + 5 + 7 + 1 + 30) / (10 + 20 + 11 + 7 + 1 + 30), 12);
  });

  test("the tar reader: long names (PAX), links, folders, and something that is not a tar", () => {
    const header = (name: string, type: string, size: number, magic = "ustar\u000000"): Buffer => {
      const b = Buffer.alloc(512);
      b.write(name.slice(0, 100), 0, "utf8");
      b.write(size.toString(8).padStart(11, "0"), 124, "latin1");
      b.write(type, 156, "latin1");
      b.write(magic, 257, "latin1");
      return b;
    };
    const long = "deep/" + "x".repeat(150) + "/file.txt";
    const record = ` path=${long}\n`;
    const pax = `${record.length + String(record.length + 3).length}${record}`;
    const body = Buffer.alloc(512);
    body.write(pax);
    const data = Buffer.alloc(512, 0x61);
    const tar = Buffer.concat([
      header("deep/", "5", 0),
      header("PaxHeader", "x", Buffer.byteLength(pax)),
      body,
      header("ignored-short-name", "0", 3),
      data,
      header("deep/link", "2", 0),
      header("deep/.wh.gone", "0", 0),
      Buffer.alloc(1024),
    ]);
    const lister = new TarLister();
    for (let i = 0; i < tar.length; i += 100) lister.push(tar.subarray(i, i + 100)); // chunks that cut headers
    expect(lister.is_tar()).toBe(true);
    expect(lister.entries).toEqual([
      { path: "/deep", kind: "dir", size: 0 },
      { path: "/" + long, kind: "file", size: 3 },
      { path: "/deep/link", kind: "symlink", size: 0 },
      { path: "/deep/gone", kind: "whiteout", size: 0 },
    ]);
    const json = new TarLister();
    json.push(Buffer.from(JSON.stringify({ history: [] }).padEnd(600, " ")));
    expect(json.is_tar()).toBe(false);
  });
});

describe("an image read from the engine", () => {
  let image_id = "";
  let contents: ImageContents;
  const dockerfile = [
    "FROM debian:bookworm-slim",
    "ENV MODE=test",
    "RUN head -c 300000 /dev/zero > /big",
    "RUN rm /big",
    "RUN head -c 100000 /dev/zero > /f",
    "RUN head -c 200000 /dev/zero > /f",
    "RUN mkdir /d && head -c 50000 /dev/zero > /d/a && head -c 70000 /dev/zero > /d/b",
    "RUN rm -rf /d",
    "RUN mkdir /o && head -c 40000 /dev/zero > /o/old",
    "RUN rm -rf /o && mkdir /o && echo x > /o/new",
    "WORKDIR /w",
    "COPY note.txt /w/note.txt",
    'CMD ["cat", "/w/note.txt"]',
  ].join("\n");

  beforeAll(async () => {
    const dir = folder({ Dockerfile: dockerfile + "\n", "note.txt": "0123456789\n" });
    const outcome = await build_image({ dir, tag: `dockerlings/test-layers:${session.slice(0, 8)}`, session });
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.failure));
    image_id = outcome.image_id;
    contents = await read_image_contents(image_id);
  });

  test("each layer's files and instruction, base first", () => {
    const layers = contents.layers;
    expect(layers.map((l) => l.instruction)).toEqual([
      "",
      "RUN head -c 300000 /dev/zero > /big",
      "RUN rm /big",
      "RUN head -c 100000 /dev/zero > /f",
      "RUN head -c 200000 /dev/zero > /f",
      "RUN mkdir /d && head -c 50000 /dev/zero > /d/a && head -c 70000 /dev/zero > /d/b",
      "RUN rm -rf /d",
      "RUN mkdir /o && head -c 40000 /dev/zero > /o/old",
      "RUN rm -rf /o && mkdir /o && echo x > /o/new",
      "WORKDIR /w",
      "COPY note.txt /w/note.txt",
    ]);
    // A RUN layer also records the folders whose times changed (/etc, for the resolver files the build mounts).
    const not_dirs = (i: number) => layers[i]!.entries.filter((e) => e.kind !== "dir");
    expect(not_dirs(1)).toEqual([file("/big", 300000)]);
    expect(not_dirs(2)).toEqual([{ path: "/big", kind: "whiteout", size: 0 }]);
    expect(not_dirs(6)).toEqual([{ path: "/d", kind: "whiteout", size: 0 }]);
    expect(layers[8]!.entries).toContainEqual({ path: "/o", kind: "opaque", size: 0 });
    expect(layers[10]!.entries).toContainEqual(file("/w/note.txt", 11));
  });

  test("efficiency and wasted bytes match a computation by hand", () => {
    const waste = compute_waste(contents.layers);
    // The base is one layer without duplicates: each of its paths counts once, at its size.
    const base = contents.layers[0]!.bytes;
    // Per path, dive keeps the smallest copy (numerator) and the sum of the copies (denominator):
    //   /big 300000 then deleted (0)   -> min 0,      sum 300000
    //   /f 100000 then 200000          -> min 100000, sum 300000
    //   /d/a 50000, /d/b 70000         -> once each
    //   /d deleted as a folder         -> counts what it held, 120000, once
    //   /o/old 40000, /o/new 2         -> once each (dive ignores the opaque marker)
    //   /w/note.txt 11                 -> once
    const kept = base + 0 + 100000 + 50000 + 70000 + 120000 + 40000 + 2 + 11;
    const all = base + 300000 + 300000 + 50000 + 70000 + 120000 + 40000 + 2 + 11;
    expect(waste.efficiency).toBeCloseTo(kept / all, 12);
    expect(waste.total_bytes).toBe(all);
    expect(waste.wasted_bytes).toBe(600000);
    expect(waste.inefficiencies.slice(0, 2)).toEqual([
      { path: "/big", cumulative_bytes: 300000, layers: [1, 2] },
      { path: "/f", cumulative_bytes: 300000, layers: [3, 4] },
    ]);
    // What the final image cannot see, exactly: the deleted, replaced and emptied bytes.
    expect(waste.hidden).toEqual([
      { path: "/big", bytes: 300000, added_in: [1], removed_in: 2, how: "deleted" },
      { path: "/d", bytes: 120000, added_in: [5], removed_in: 6, how: "deleted" },
      { path: "/f", bytes: 100000, added_in: [3], removed_in: 4, how: "overwritten" },
      { path: "/o", bytes: 40000, added_in: [7], removed_in: 8, how: "opaque" },
    ]);
    expect(waste.present("/w/note.txt")).toBe(true);
    expect(waste.present("/big")).toBe(false);
  });

  test("the export is read once per image", async () => {
    const started = Date.now();
    expect(await read_image_contents(image_id)).toBe(contents);
    expect(Date.now() - started).toBeLessThan(500);
  });

  test("summarize_layers (no export): sizes, instructions, and what sits above the base", async () => {
    const summary = await summarize_layers(image_id, "debian:bookworm-slim");
    expect(summary.layers.map((l) => l.instruction)).toEqual(contents.layers.map((l) => l.instruction));
    expect(summary.base).toMatchObject({ ref: "debian:bookworm-slim", present: true, layers: 1 });
    expect(summary.base_layers).toBe(1);
    expect(summary.layers.map((l) => l.in_base)).toEqual([true, ...Array(10).fill(false)]);
    expect(summary.layers[1]!.size).toBe(300000);
    expect(summary.above_base_size).toBe(summary.size - summary.base!.size);
    expect(summary.above_base_size).toBeGreaterThanOrEqual(300000 + 100000 + 200000 + 120000 + 40000);

    expect((await summarize_layers(image_id, "scratch")).base_layers).toBe(0);
    const absent = await summarize_layers(image_id, "nowhere/absent:1");
    expect(absent.base).toMatchObject({ present: false });
    expect(absent.base_layers).toBe(0);
  });
});
