// The Kubernetes template's commands run for real, as the cluster would run
// them, on this machine's engine: the grade container's script, with the
// environment its pod spec gives it and JOB_COMPLETION_INDEX set, grades its
// shard of a class (students in git repositories) into its history on the
// volume; every index of the Indexed Job, then the merge Job's script, give
// one history with every student graded once, and the report. What differs
// from a pod is overridden, and only that: the paths of the mounts (temporary
// folders), the engine (this machine's instead of the sidecar's), the
// program's path (this checkout's instead of the image's) and, to stay short,
// the exercises (01 only).
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parseAllDocuments } from "yaml";
import type { IContainer } from "kubernetes-models/v1";
import { shard_of } from "../grader/cohort/shard.js";
import { project_root } from "./helpers/cli.js";

const EXERCISE = "01-premier-dockerfile";
const folder = path.join(project_root, "templates", "cohort-kubernetes");
const root = fs.mkdtempSync(path.join(os.tmpdir(), "dl-k8s-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

type JobDoc = { kind: string; spec: { completions?: number; template: { spec: { containers: IContainer[] } } } };
const job = (file: string): JobDoc =>
  parseAllDocuments(fs.readFileSync(path.join(folder, file), "utf8"))
    .map((d) => d.toJS() as JobDoc)
    .find((d) => d?.kind === "Job")!;
const grade_job = job("grade-job.yaml");
const merge_job = job("merge-job.yaml");
const shards = grade_job.spec.completions!;

/** The container's script and the environment its spec gives (plain values; those from Secrets and ConfigMaps are absent here). */
function pod_command(doc: JobDoc, name: string): { script: string; env: Record<string, string> } {
  const container = doc.spec.template.spec.containers.find((c) => c.name === name)!;
  expect(container.command).toEqual(["sh", "-c"]);
  const env = Object.fromEntries((container.env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value!]));
  return { script: container.args!.join("\n"), env };
}

const mounts = { ROSTER: path.join(root, "roster", "cohort.yaml"), STATE: path.join(root, "volume", "state"), WORK: path.join(root, "work") };
const here = { ...mounts, DOCKERLINGS_BIN: path.join(project_root, "bin", "dockerlings.js"), DOCKERLINGS_ONLY: "01" };

/** Runs a pod's script as its container would (sh -c), with the spec's environment and this machine's overrides. */
function run_pod(doc: JobDoc, name: string, extra: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const { script, env } = pod_command(doc, name);
  const merged: NodeJS.ProcessEnv = { ...process.env, ...env, ...here, ...extra, NO_COLOR: "1" };
  // The engine: this machine's, not the sidecar's socket.
  if (process.env.DOCKER_HOST) merged.DOCKER_HOST = process.env.DOCKER_HOST;
  else delete merged.DOCKER_HOST;
  return new Promise((resolve, reject) => {
    const child = spawn("sh", ["-c", script], { env: merged, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

function git(cwd: string, args: string[]): void {
  const date = "2026-12-10T10:00:00+01:00";
  const env = { ...process.env, GIT_AUTHOR_NAME: "s", GIT_AUTHOR_EMAIL: "s@example.org", GIT_COMMITTER_NAME: "s", GIT_COMMITTER_EMAIL: "s@example.org", GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
  execFileSync("git", ["-c", "init.defaultBranch=main", ...args], { cwd, env });
}

/** A student's repository, shaped like workspace/, with 01's solution or starter. */
function repository(id: string, from: string): string {
  const dir = path.join(root, "repos", id);
  fs.mkdirSync(dir, { recursive: true });
  git(dir, ["init", "-q"]);
  fs.cpSync(from, path.join(dir, EXERCISE), { recursive: true });
  git(dir, ["add", "-A"]);
  git(dir, ["commit", "-q", "-m", "rendu"]);
  return `file://${dir}`;
}

// Three students: two in the first index's shard, one elsewhere (ids chosen by the roster's own split).
const candidates = Array.from({ length: 400 }, (_, i) => `etudiant-${i}`);
const in_first = candidates.filter((id) => shard_of(id, shards) === 1).slice(0, 2);
const elsewhere = candidates.find((id) => shard_of(id, shards) !== 1)!;
const students = [...in_first, elsewhere];

beforeAll(() => {
  const solution = path.join(project_root, "solutions", EXERCISE);
  const starter = path.join(project_root, "exercises", EXERCISE, "starter");
  fs.mkdirSync(path.dirname(mounts.ROSTER), { recursive: true });
  fs.writeFileSync(
    mounts.ROSTER,
    `students:\n${students.map((id, i) => `  - { id: ${id}, repo: "${repository(id, i === 1 ? starter : solution)}" }`).join("\n")}\n`,
  );
});

/** The gradings a history holds (a rerun's reused results point to them, and are not gradings). */
const graded = (db: string): { student_id: string; exercise_id: string; status: string }[] => {
  const history = new Database(db, { readonly: true });
  try {
    return history.prepare("SELECT student_id, exercise_id, status FROM results WHERE reused_from IS NULL ORDER BY student_id").all() as never;
  } finally {
    history.close();
  }
};

describe("the Kubernetes Indexed Job's commands, run here", () => {
  test("index 0 grades shard 1: its students, and only them, into shard-1.db on the volume", async () => {
    const run = await run_pod(grade_job, "grade", { JOB_COMPLETION_INDEX: "0" });
    expect(run.code, run.output).toBe(0);
    const db = path.join(mounts.STATE, "shard-1.db");
    // Worked on in the pod's own folder, then copied whole to the volume (no journal beside it).
    expect(fs.readdirSync(mounts.STATE).filter((f) => f.startsWith("shard-1.db"))).toEqual(["shard-1.db"]);
    expect(graded(db)).toEqual(
      [...in_first]
        .sort()
        .map((id) => ({ student_id: id, exercise_id: EXERCISE, status: id === in_first[1] ? "fail" : "pass" })),
    );
    // A retry of the index (the same pod command) grades nothing again: both unchanged.
    const retry = await run_pod(grade_job, "grade", { JOB_COMPLETION_INDEX: "0" });
    expect(retry.code, retry.output).toBe(0);
    expect(retry.output.match(/inchangé/g)).toHaveLength(2);
    expect(graded(db)).toHaveLength(2);
  });

  test("every index, then the merge Job: one history with every student graded once, and the report", async () => {
    for (let index = 1; index < shards; index++) {
      const run = await run_pod(grade_job, "grade", { JOB_COMPLETION_INDEX: String(index) });
      expect(run.code, `index ${index}: ${run.output}`).toBe(0);
    }
    expect(fs.readdirSync(mounts.STATE).filter((f) => /^shard-\d+\.db$/.test(f))).toHaveLength(shards);
    const merge = await run_pod(merge_job, "merge", {});
    expect(merge.code, merge.output).toBe(0);
    expect(graded(path.join(mounts.STATE, "cohort.db")).map((r) => r.student_id)).toEqual([...students].sort());
    for (const file of ["index.html", "class.csv", "canvas.csv", "moodle.csv", "class.json"]) {
      expect(fs.existsSync(path.join(mounts.STATE, "report", file)), file).toBe(true);
    }
    expect(fs.readFileSync(path.join(mounts.STATE, "report", "class.csv"), "utf8")).toContain(elsewhere);
  });
});
