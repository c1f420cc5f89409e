// Layers on the real engine: the export is read layer by layer, each layer is
// tied to its instruction, and the waste figures match dive's formula, checked
// against a computation by hand on an image whose every byte is known.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { build_image } from "./build.js";
import { remove_managed } from "./cleanup.js";
import { forget_image_contents, read_image_contents, summarize_layers } from "./layers.js";
import { compute_waste } from "../layers/waste.js";
import type { ImageContents, LayerEntry } from "../layers/contents.js";
import { temp_folders } from "../../test/helpers/folders.js";

const session = randomUUID();
const folder = temp_folders();
afterAll(() => remove_managed(session));

const file = (path: string, size: number): LayerEntry => ({ path, kind: "file", size });

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

  test("the export is read once per image, until a spec worker forgets it (the end of its spec file)", async () => {
    const started = Date.now();
    expect(await read_image_contents(image_id)).toBe(contents);
    expect(Date.now() - started).toBeLessThan(500);
    forget_image_contents();
    const again = await read_image_contents(image_id);
    expect(again).not.toBe(contents);
    expect(again).toEqual(contents);
    contents = again;
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
