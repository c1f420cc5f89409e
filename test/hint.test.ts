import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { dockerlings } from "./helpers/cli.js";
import { student_workspace } from "./helpers/terminal.js";

describe("dockerlings hint", () => {
  test("shows one more hint each time, remembers the count, never past the last", async () => {
    const cwd = student_workspace(undefined, "dl-hint-");
    const first = await dockerlings(["hint", "01"], { cwd });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/indices \(1\/3\)/);
    expect(first.stdout).not.toMatch(/Indice 2/);
    const second = await dockerlings(["hint", "01"], { cwd });
    expect(second.stdout).toMatch(/Indice 2 :/);
    await dockerlings(["hint", "01"], { cwd });
    const fourth = await dockerlings(["hint", "01"], { cwd });
    expect(fourth.stdout).toMatch(/indices \(3\/3\)/);
    const progress = JSON.parse(fs.readFileSync(path.join(cwd, "workspace", ".dockerlings", "progress.json"), "utf8"));
    expect(progress.exercises["01-premier-dockerfile"]).toMatchObject({ status: "todo", hints_shown: 3 });
    const list = await dockerlings(["list"], { cwd });
    expect(list.stdout).toMatch(/· 01-premier-dockerfile/);
  });
});
