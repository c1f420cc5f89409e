// The GitHub Classroom workflow teachers drop into a template repository:
// valid YAML, wired the way the Classroom reporter reads results.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import { project_root } from "./helpers/cli.js";

const file = path.join(project_root, "templates", "github-classroom", ".github", "workflows", "dockerlings.yml");
const workflow = parse(fs.readFileSync(file, "utf8")) as {
  permissions: Record<string, string>;
  jobs: Record<string, { steps: Array<{ id?: string; uses?: string; run?: string; env?: Record<string, string>; with?: Record<string, string> }> }>;
};

describe("the GitHub Classroom workflow template", () => {
  // The reporter updates the check run named run-autograding-tests, with the checks permission.
  const job = workflow.jobs["run-autograding-tests"]!;

  test("has the job and permissions the reporter needs", () => {
    expect(job).toBeDefined();
    expect(workflow.permissions).toMatchObject({ checks: "write", actions: "read", contents: "read" });
  });

  test("grades with --github and hands the result output to the reporter", () => {
    const grade = job.steps.find((s) => s.run?.includes(" grade "))!;
    expect(grade.id).toBe("dockerlings");
    expect(grade.run).toMatch(/--github/);
    expect(grade.run).toMatch(/--workspace \./);
    const reporter = job.steps.find((s) => s.uses?.startsWith("classroom-resources/autograding-grading-reporter@"))!;
    // The reporter reads <RUNNER>_RESULTS for each runner id, upper-cased.
    const runner = reporter.with!.runners!;
    expect(runner).toBe(grade.id);
    expect(reporter.env![`${runner.toUpperCase()}_RESULTS`]).toBe(`\${{ steps.${grade.id}.outputs.result }}`);
  });

  test("installs Node 20 and dockerlings outside the student's repository", () => {
    expect(job.steps.find((s) => s.uses?.startsWith("actions/setup-node@"))?.with?.["node-version"]).toBe(20);
    expect(job.steps.find((s) => s.run?.includes("git clone"))?.run).toMatch(/\$RUNNER_TEMP\/dockerlings/);
  });
});
