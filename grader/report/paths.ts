// Where the reports point: paths relative to the repository the submission is
// in, because that is what the consumers resolve them against (GitHub's
// annotations and mikepenz/action-junit-report against GITHUB_WORKSPACE,
// GitLab against CI_PROJECT_DIR), not to the folder grading happened to run in.
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";

const real = (p: string): string => {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
};

/**
 * The root of the repository holding `dir`: the CI's checkout when the job
 * says where it is (GITHUB_WORKSPACE, CI_PROJECT_DIR), else git's top level
 * of `dir`, else none.
 */
export function repository_root(dir: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const declared of [env.GITHUB_WORKSPACE, env.CI_PROJECT_DIR]) if (declared) return real(declared);
  const git = spawnSync("git", ["rev-parse", "--show-toplevel"], { cwd: real(dir), encoding: "utf8", timeout: 10_000 });
  const top = git.status === 0 ? git.stdout.trim() : "";
  return top ? real(top) : undefined;
}

/** `dir` as the reports write it: "/"-separated, relative to the repository root (or to `cwd` outside any), "." for the root itself. */
export function report_path(dir: string, root: string | undefined, cwd: string = process.cwd()): string {
  const relative = path.relative(root ?? real(cwd), real(dir));
  return relative.split(path.sep).join("/") || ".";
}

/** The folder reports name submissions from: the repository root of `dir` when there is one, else `cwd`. */
export function report_base(dir: string, env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string {
  return repository_root(dir, env) ?? real(cwd);
}

/** True for a relative path that stays inside the folder it is relative to: only those can be annotated. */
export function inside_repository(p: string): boolean {
  return !path.posix.isAbsolute(p) && p !== ".." && !p.startsWith("../");
}

/** The repository path of a submission's Dockerfile, or undefined when the submission lies outside the repository. */
export function dockerfile_path(submission: string | undefined): string | undefined {
  if (submission === undefined || submission === ".") return "Dockerfile";
  const file = `${submission.replace(/\/+$/, "")}/Dockerfile`;
  return inside_repository(file) ? file : undefined;
}

/** A file of a submission, by its path inside the submission folder; undefined outside the repository. */
export function submission_file(submission: string | undefined, file: string): string | undefined {
  const joined = submission === undefined || submission === "." ? file : `${submission.replace(/\/+$/, "")}/${file}`;
  return inside_repository(joined) ? joined : undefined;
}
