import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import type { Exercise } from "../../grader/course/course.js";
import { backups_dir, find_workspace, open_workspace, NoWorkspaceError, reset_exercise } from "./workspace.js";

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
    expect(fs.readdirSync(path.join(ws, ".dockerlings")).sort()).toEqual([".gitignore", "backups"]);
  });

  test("a missing folder is simply created, with no backup", () => {
    const ex = exercise();
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), "dl-ws-"));
    expect(reset_exercise(ws, ex).backup).toBeUndefined();
    expect(fs.existsSync(path.join(ws, ex.id, "Dockerfile"))).toBe(true);
  });
});

describe("find_workspace: from the current folder upward, as git finds .git", () => {
  const ids = ["01-premier", "02-second"];
  const tree = (files: string[]): string => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "dl-find-"));
    for (const file of files) {
      fs.mkdirSync(path.join(root, path.dirname(file)), { recursive: true });
      if (!file.endsWith("/")) fs.writeFileSync(path.join(root, file), "");
    }
    return root;
  };

  test("a folder marked by .dockerlings/, from itself or any folder inside it", () => {
    const root = tree(["cours/.dockerlings/progress.json", "cours/01-premier/site/index.html"]);
    const pack = tree(["course.yaml"]);
    for (const from of ["cours", "cours/01-premier", "cours/01-premier/site"]) {
      expect(find_workspace(path.join(root, from), pack, ids)).toEqual({ dir: path.join(root, "cours"), kind: "marked" });
    }
    expect(find_workspace(root, pack, ids)).toBeUndefined();
  });

  test("a teacher's repository of exercise folders, with no .dockerlings/ yet", () => {
    const root = tree(["tp-docker/01-premier/Dockerfile", "tp-docker/README.md"]);
    const pack = tree(["course.yaml"]);
    expect(find_workspace(path.join(root, "tp-docker", "01-premier"), pack, ids)).toEqual({ dir: path.join(root, "tp-docker"), kind: "folders" });
    // Folders of another course are not a workspace of this one.
    expect(find_workspace(path.join(root, "tp-docker"), pack, ["07-autre"])).toBeUndefined();
  });

  test("./workspace, as an older dockerlings made it, from the folder above", () => {
    const root = tree(["workspace/.dockerlings/progress.json", "workspace/01-premier/Dockerfile"]);
    expect(find_workspace(root, tree(["course.yaml"]), ids)).toEqual({ dir: path.join(root, "workspace"), kind: "marked" });
  });

  test("in a clone of the pack: its workspace/, never exercises/ or solutions/ (even graded with --workspace)", () => {
    const pack = tree(["course.yaml", "exercises/01-premier/starter/Dockerfile", "solutions/01-premier/Dockerfile", "solutions/.dockerlings/progress.json", "docs/"]);
    for (const from of ["", "docs", "exercises", "exercises/01-premier/starter", "solutions", "solutions/01-premier"]) {
      expect(find_workspace(path.join(pack, from), pack, ids)).toEqual({ dir: path.join(pack, "workspace"), kind: "clone" });
    }
    // A student's `dockerlings init` inside the clone is theirs.
    fs.mkdirSync(path.join(pack, "moi", ".dockerlings"), { recursive: true });
    expect(find_workspace(path.join(pack, "moi"), pack, ids)).toEqual({ dir: path.join(pack, "moi"), kind: "marked" });
  });

  test("open_workspace: the clone's workspace/ is filled from the starters; a teacher's repository is left as it is; none is an error", () => {
    const ex = exercise();
    const pack = path.dirname(ex.starter_dir);
    fs.writeFileSync(path.join(pack, "course.yaml"), "");
    const opened = open_workspace(undefined, [ex], pack, pack);
    expect(opened).toMatchObject({ dir: path.join(pack, "workspace"), kind: "clone", is_default: true, created: [ex.id] });
    expect(fs.existsSync(path.join(pack, "workspace", ex.id, "Dockerfile"))).toBe(true);

    const repo = tree(["43-autre/Dockerfile"]);
    const teacher = open_workspace(undefined, [ex, { ...ex, id: "43-autre" }], pack, repo);
    expect(teacher).toMatchObject({ dir: repo, kind: "folders", created: [] });
    expect(fs.readdirSync(repo)).toEqual(["43-autre"]);

    expect(() => open_workspace(undefined, [ex], pack, tree([]))).toThrow(NoWorkspaceError);
    expect(open_workspace("subs", [ex], pack, repo)).toMatchObject({ dir: path.join(repo, "subs"), kind: "option", is_default: false });
  });
});
