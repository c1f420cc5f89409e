import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { load_progress, progress_path, record_result, save_progress } from "./progress.js";

const workspace = () => fs.mkdtempSync(path.join(os.tmpdir(), "dl-ws-"));

describe("progress file", () => {
  test("round-trips, and keeps passed_at once passed", () => {
    const dir = workspace();
    const { progress } = load_progress(dir);
    record_result(progress, { exercise: "01-x", status: "pass", points: 10, max_points: 10 });
    const first = progress.exercises["01-x"]!.passed_at;
    record_result(progress, { exercise: "01-x", status: "fail", points: 2, max_points: 10 });
    save_progress(dir, progress);
    const again = load_progress(dir).progress.exercises["01-x"]!;
    expect(again).toMatchObject({ status: "fail", points: 2, passed_at: first });
    expect(fs.readdirSync(path.dirname(progress_path(dir))).sort()).toEqual([".gitignore", "progress.json"]);
  });

  test("a corrupt file is set aside and reported, never silently reset", () => {
    const dir = workspace();
    fs.mkdirSync(path.join(dir, ".dockerlings"));
    fs.writeFileSync(progress_path(dir), "{ this is not json");
    const loaded = load_progress(dir);
    expect(loaded.set_aside).toMatch(/progress\.json\.corrupt-/);
    expect(fs.readFileSync(loaded.set_aside!, "utf8")).toBe("{ this is not json");
    expect(loaded.progress.exercises).toEqual({});
  });
});
