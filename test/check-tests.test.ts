// Tests follow files: every check file of grader/checks/ has its pure test
// beside it (<file>.test.ts, run by `npm run test:unit`, no engine), and that
// test calls every check function the file exports. The engine's side of
// each check is its *.docker.test.ts.
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import { project_root } from "./helpers/cli.js";

const checks = path.join(project_root, "grader", "checks");

test("every exported check function is called by the pure test beside its file", () => {
  const missing: string[] = [];
  let functions = 0;
  for (const name of fs.readdirSync(checks).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts")).sort()) {
    const source = fs.readFileSync(path.join(checks, name), "utf8");
    const exported = [...source.matchAll(/^export (?:async )?function (check_\w+)/gm)].map((m) => m[1]!);
    if (exported.length === 0) continue;
    const beside = path.join(checks, name.replace(/\.ts$/, ".test.ts"));
    if (!fs.existsSync(beside)) {
      missing.push(`grader/checks/${name}: no ${path.basename(beside)} (${exported.join(", ")})`);
      continue;
    }
    const tests = fs.readFileSync(beside, "utf8");
    for (const fn of exported) {
      functions++;
      if (!new RegExp(`\\b${fn}\\(`).test(tests)) missing.push(`grader/checks/${name}: ${fn} is not called by ${path.basename(beside)}`);
    }
  }
  expect(missing).toEqual([]);
  // The scan saw the check functions (a renamed folder would pass it empty).
  expect(functions).toBeGreaterThan(40);
});

test("the matcher layer has its pure test", () => {
  expect(fs.existsSync(path.join(checks, "matchers.test.ts"))).toBe(true);
});
