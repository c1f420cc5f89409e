// One pipeline: a student's `dockerlings check` and a teacher's `dockerlings
// grade` of the same folder give the same verdict, the same points and the
// same status for each check. Shown on a few cheap exercises' solutions,
// starters and wrong answers (each folder graded both ways, real CLI).
import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { dockerlings, project_root } from "./helpers/cli.js";
import { temp_dir } from "./grade-helpers.js";

interface Folder {
  exercise: string;
  name: string;
  /** Files laid over the solution (a wrong answer's folder), or the starter itself. */
  from: "solution" | "starter" | { wrong: string };
}

const folders: Folder[] = [
  { exercise: "01-premier-dockerfile", name: "solution", from: "solution" },
  { exercise: "01-premier-dockerfile", name: "starter", from: "starter" },
  { exercise: "01-premier-dockerfile", name: "wrong: sans-cmd", from: { wrong: "sans-cmd" } },
  { exercise: "01-premier-dockerfile", name: "wrong: debian-base", from: { wrong: "debian-base" } },
  { exercise: "07-expose-port", name: "solution", from: "solution" },
  { exercise: "07-expose-port", name: "starter", from: "starter" },
  { exercise: "07-expose-port", name: "wrong: port-en-trop", from: { wrong: "port-en-trop" } },
];

/** A workspace holding this folder under its exercise's id. */
function workspace(folder: Folder): string {
  const ws = temp_dir("dl-same-");
  const dir = path.join(ws, folder.exercise);
  if (folder.from === "starter") fs.cpSync(path.join(project_root, "exercises", folder.exercise, "starter"), dir, { recursive: true });
  else {
    fs.cpSync(path.join(project_root, "solutions", folder.exercise), dir, { recursive: true });
    if (typeof folder.from === "object") {
      const wrong = path.join(project_root, "test", "wrong-answers", folder.exercise, folder.from.wrong);
      fs.cpSync(wrong, dir, { recursive: true, filter: (source) => path.basename(source) !== "expect.yaml" });
      const removed = /^delete:\s*\[(.*)\]/m.exec(fs.readFileSync(path.join(wrong, "expect.yaml"), "utf8"))?.[1];
      for (const name of removed?.split(",").map((s) => s.trim().replace(/^["']|["']$/g, "")).filter(Boolean) ?? []) fs.rmSync(path.join(dir, name), { force: true });
    }
  }
  return ws;
}

type Verdict = { status: string; points: number; max_points: number; tests: Array<[string, string, number]> };
const verdict = (r: { status: string; points: number; max_points: number; tests: Array<{ name: string; status: string; points: number }> }): Verdict => ({
  status: r.status,
  points: r.points,
  max_points: r.max_points,
  tests: r.tests.map((t) => [t.name, t.status, t.points]),
});

describe("check and grade: the same verdict for the same folder", () => {
  test.each(folders.map((f) => [`${f.exercise} ${f.name}`, f] as const))("%s", async (_label, folder) => {
    const ws = workspace(folder);
    const json = path.join(ws, "grade.json");
    const [checked, graded] = [
      await dockerlings(["check", folder.exercise, "--workspace", ws, "--json"]),
      await dockerlings(["grade", "--workspace", ws, "--only", folder.exercise, "--json", json]),
    ];
    expect(graded.code, graded.stderr).toBe(0);
    const from_check = verdict(JSON.parse(checked.stdout));
    const from_grade = verdict(JSON.parse(fs.readFileSync(json, "utf8")).results[0]);
    expect(from_check).toEqual(from_grade);
    // And the exit code of check says the same.
    expect(checked.code).toBe(from_check.status === "pass" ? 0 : from_check.status === "fail" ? 1 : 2);
    if (folder.from === "solution") expect(from_check.status).toBe("pass");
    else expect(from_check.status).toBe("fail");
  });
});
