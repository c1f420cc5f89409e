// The disk measure of a build step's folder (the guard stops a step that
// writes more than the limit). No Docker.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { disk_usage } from "./build-guard.js";

describe("disk usage of a step's folder", () => {
  test("counts allocated bytes, and stops once past the limit", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dl-du-"));
    fs.mkdirSync(path.join(dir, "a", "b"), { recursive: true });
    fs.writeFileSync(path.join(dir, "a", "b", "one"), Buffer.alloc(256 * 1024, 1));
    fs.writeFileSync(path.join(dir, "two"), Buffer.alloc(256 * 1024, 1));
    expect(disk_usage(dir, Number.MAX_SAFE_INTEGER)).toBeGreaterThanOrEqual(512 * 1024);
    expect(disk_usage(dir, 1)).toBeGreaterThan(1);
    // A sparse file takes no room: it is not what fills a disk.
    fs.writeFileSync(path.join(dir, "sparse"), "");
    fs.truncateSync(path.join(dir, "sparse"), 1024 * 1024 * 1024);
    expect(disk_usage(dir, Number.MAX_SAFE_INTEGER)).toBeLessThan(2 * 1024 * 1024);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
