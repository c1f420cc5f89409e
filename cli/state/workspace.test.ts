import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import type { Exercise } from "../../grader/index.js";
import { backups_dir, reset_exercise } from "./workspace.js";

function exercise(): Exercise {
  const course = fs.mkdtempSync(path.join(os.tmpdir(), "dl-course-"));
  const starter_dir = path.join(course, "starter");
  fs.mkdirSync(path.join(starter_dir, "site"), { recursive: true });
  fs.writeFileSync(path.join(starter_dir, "Dockerfile"), "FROM debian:bookworm-slim\n");
  fs.writeFileSync(path.join(starter_dir, "site", "index.html"), "<p>départ</p>\n");
  return { id: "42-essai", starter_dir } as Exercise;
}

describe("reset_exercise", () => {
  test("moves the student's folder to a backup and puts the starter back", () => {
    const ex = exercise();
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), "dl-ws-"));
    fs.mkdirSync(path.join(ws, ex.id));
    fs.writeFileSync(path.join(ws, ex.id, "Dockerfile"), "FROM scratch\n");
    fs.writeFileSync(path.join(ws, ex.id, "notes.txt"), "mes notes\n");
    const now = new Date("2025-03-01T10:00:00.000Z");
    const { backup } = reset_exercise(ws, ex, now);
    expect(backup).toBe(path.join(backups_dir(ws), "42-essai-2025-03-01T10-00-00-000Z"));
    expect(fs.readFileSync(path.join(backup!, "Dockerfile"), "utf8")).toBe("FROM scratch\n");
    expect(fs.readFileSync(path.join(backup!, "notes.txt"), "utf8")).toBe("mes notes\n");
    expect(fs.readdirSync(path.join(ws, ex.id)).sort()).toEqual(["Dockerfile", "site"]);
    expect(fs.readFileSync(path.join(ws, ex.id, "site", "index.html"), "utf8")).toBe("<p>départ</p>\n");
    // The same second again: a second backup, not an overwrite.
    const again = reset_exercise(ws, ex, now);
    expect(again.backup).toBe(`${backup}-2`);
    expect(fs.readdirSync(path.join(ws, ".dockerlings")).sort()).toEqual(["backups"]);
  });

  test("a missing folder is simply created, with no backup", () => {
    const ex = exercise();
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), "dl-ws-"));
    expect(reset_exercise(ws, ex).backup).toBeUndefined();
    expect(fs.existsSync(path.join(ws, ex.id, "Dockerfile"))).toBe(true);
  });
});
