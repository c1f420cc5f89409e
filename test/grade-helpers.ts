// Helpers for the `grade` tests: a throwaway course pack made of copies of
// real exercises (so a test can grade several submissions of the same spec in
// one run), workspaces written from the solutions and starters, and the check
// that nothing of a session is left in the engine.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Docker from "dockerode";
import { afterAll } from "vitest";
import { project_root } from "./helpers/cli.js";

const docker = new Docker();
/** The spec author's entry: what a spec imports. */
const grader_spec = path.join(project_root, "grader", "spec.js");

export const SOURCES = {
  /** The real exercise 01: 4 checks, 10 points. */
  "01": { dir: path.join(project_root, "exercises", "01-premier-dockerfile"), solution: path.join(project_root, "solutions", "01-premier-dockerfile") },
  /** The fixture server exercise: 2 checks, 3 points. */
  "90": {
    dir: path.join(project_root, "test", "fixtures", "course", "exercises", "90-serveur"),
    solution: path.join(project_root, "test", "fixtures", "course", "solutions", "90-serveur"),
  },
} as const;

export interface CourseExercise {
  id: string;
  from: keyof typeof SOURCES;
  editable?: string[];
}

const made: string[] = [];
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

export function temp_dir(prefix = "dl-grade-"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** A course pack whose exercises are copies of real ones under new ids; its specs import this grader. */
export function temp_course(exercises: CourseExercise[], version = "0.1.0-test"): string {
  const root = temp_dir("dl-course-");
  fs.writeFileSync(path.join(root, "package.json"), JSON.stringify({ name: "dockerlings", version }));
  // The specs import vitest: resolved through the project's packages.
  fs.symlinkSync(path.join(project_root, "node_modules"), path.join(root, "node_modules"));
  exercises.forEach((exercise, i) => {
    const source = SOURCES[exercise.from];
    const dir = path.join(root, "exercises", exercise.id);
    fs.cpSync(source.dir, dir, { recursive: true });
    const spec = fs.readFileSync(path.join(dir, "spec.test.ts"), "utf8");
    fs.writeFileSync(path.join(dir, "spec.test.ts"), spec.replace(/from "(\.\.\/)+grader\/(index|spec)\.js"/, `from ${JSON.stringify(grader_spec)}`));
    let yaml = fs.readFileSync(path.join(dir, "exercise.yaml"), "utf8");
    yaml = yaml.replace(/^id: .*$/m, `id: ${exercise.id}`).replace(/^order: .*$/m, `order: ${i + 1}`);
    if (exercise.editable) yaml = yaml.replace(/^editable: .*$/m, `editable: ${JSON.stringify(exercise.editable)}`);
    fs.writeFileSync(path.join(dir, "exercise.yaml"), yaml);
    fs.cpSync(source.solution, path.join(root, "solutions", exercise.id), { recursive: true });
  });
  return root;
}

/** A submission folder per exercise id: a copy of a solution or a starter, then files written over it. */
export function workspace(
  submissions: Record<string, { from: keyof typeof SOURCES; base: "solution" | "starter"; files?: Record<string, string> }>,
): string {
  const root = temp_dir("dl-ws-");
  for (const [id, submission] of Object.entries(submissions)) {
    const source = SOURCES[submission.from];
    const dir = path.join(root, id);
    fs.cpSync(submission.base === "solution" ? source.solution : path.join(source.dir, "starter"), dir, { recursive: true });
    for (const [name, content] of Object.entries(submission.files ?? {})) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), content);
    }
  }
  return root;
}

export async function leftovers(session: string) {
  const filters = JSON.stringify({ label: [`dockerlings.session=${session}`] });
  const [containers, volumes, networks, images] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listVolumes({ filters }).then((r) => r.Volumes ?? []),
    docker.listNetworks({ filters }),
    docker.listImages({ filters }),
  ]);
  return { containers: containers.length, volumes: volumes.length, networks: networks.length, images: images.length };
}

export const NOTHING_LEFT = { containers: 0, volumes: 0, networks: 0, images: 0 };

/** Build-cache records whose step mentions `marker`, with their size: an aborted step leaves none. */
export async function cache_records(marker: string): Promise<Array<{ description: string; size: number }>> {
  const df = (await docker.df()) as { BuildCache?: Array<{ Description?: string; Size?: number }> };
  return (df.BuildCache ?? [])
    .filter((r) => (r.Description ?? "").includes(marker))
    .map((r) => ({ description: r.Description ?? "", size: r.Size ?? 0 }));
}

/** Processes still running whose command line mentions `marker` (a step BuildKit failed to stop). */
export function processes_with(marker: string): string[] {
  const found: string[] = [];
  for (const pid of fs.readdirSync("/proc").filter((n) => /^\d+$/.test(n))) {
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
      if (cmdline.includes(marker) && !cmdline.includes("vitest")) found.push(`${pid} ${cmdline}`);
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}
