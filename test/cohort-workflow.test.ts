// The GitHub Actions workflow that grades a class on a matrix: each runner
// grades its shard into its own history, the last job merges them and
// publishes the report as an artefact.
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import { parse } from "yaml";
import { project_root } from "./helpers/cli.js";

type Step = { name?: string; uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> };
const workflow = parse(fs.readFileSync(path.join(project_root, "templates", "cohort-github", ".github", "workflows", "cohort.yml"), "utf8")) as {
  jobs: Record<string, { needs?: string; if?: string; strategy?: { matrix: { shard: number[] }; "fail-fast": boolean }; steps: Step[] }>;
};

test("grades one shard per runner of the matrix, into its own history", () => {
  const grade = workflow.jobs.grade!;
  expect(grade.strategy!.matrix.shard.length).toBeGreaterThan(1);
  expect(grade.strategy!["fail-fast"]).toBe(false);
  const run = grade.steps.find((s) => s.run?.includes("cohort grade"))!.run!;
  expect(run).toContain('--shard "${{ matrix.shard }}/${{ strategy.job-total }}"');
  expect(run).toContain('--db "shard-${{ matrix.shard }}.db"');
  const upload = grade.steps.find((s) => s.uses?.startsWith("actions/upload-artifact@"))!;
  expect(upload.with).toMatchObject({ name: "shard-${{ matrix.shard }}", path: "shard-${{ matrix.shard }}.db" });
});

test("then merges every shard and publishes the report as an artefact", () => {
  const report = workflow.jobs.report!;
  expect(report.needs).toBe("grade");
  expect(report.steps.find((s) => s.uses?.startsWith("actions/download-artifact@"))!.with).toMatchObject({ pattern: "shard-*", "merge-multiple": true });
  const run = report.steps.find((s) => s.run?.includes("cohort merge"))!.run!;
  expect(run).toContain("cohort merge shard-*.db --db cohort.db");
  for (const flag of ["--html", "--csv", "--canvas", "--moodle", "--json"]) expect(run).toContain(flag);
  expect(report.steps.at(-1)).toMatchObject({ uses: expect.stringMatching(/^actions\/upload-artifact@/), with: { name: "cohort-report", path: "report/" } });
});
