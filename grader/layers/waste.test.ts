// The waste figures against dive's own test cases and a case whose every byte
// is known (the engine test, grader/engine/layers.docker.test.ts, checks
// them on a real image).
import { describe, expect, test } from "vitest";
import type { LayerEntry } from "./contents.js";
import { compute_waste } from "./waste.js";

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
});
