// Fetching a student's submission into the cohort's cache folder. A
// repository is untrusted: git runs with no hooks, no prompt, only the https,
// ssh and file protocols (never ext::), within a time and a size limit, and a
// bare clone so that nothing of the student's is ever checked out by git
// itself (no filters, no hooks); the commit graded is exported with
// `git archive`, its symbolic links kept as links (staging judges them,
// exercise by exercise, as it does a local folder's). With a deadline, the
// last commit before it on the branch is graded and the branch's latest is
// recorded beside it; every fetch lists the branches' commits, for the
// history to know when each was first seen. A folder (or a commit) with no
// file is no submission. No Docker here.
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { extract, type ExtractOptions } from "tar-fs";
import type { Student } from "./roster.js";

export interface FetchOptions {
  cache_dir: string;
  /** Grade the last commit made before this instant. */
  deadline?: Date;
  /** Per git command; 120 s by default. */
  timeout_ms?: number;
  /** Largest repository accepted (its .git, on disk); 200 MB by default. */
  max_bytes?: number;
}

/** What a fetch of a repository saw: when, and every commit of its branches. */
export interface Fetched {
  fetched_at: string;
  commits: string[];
}

export type FetchOutcome =
  | ({
      status: "ready";
      /** The submission, shaped like workspace/ (one sub-folder per exercise). */
      dir: string;
      /** The commit graded (repositories only). */
      commit?: string;
      commit_time?: string;
      /** The branch's newest commit, when a deadline picked an older one. */
      latest?: string;
      latest_time?: string;
    } & Partial<Fetched>)
  | ({ status: "missing"; message: string } & Partial<Fetched>)
  | { status: "unfetchable"; message: string }
  | ({ status: "no-commit-before-deadline"; message: string; latest?: string; latest_time?: string } & Fetched);

/** Names that do not make a folder a submission: placeholders and a desktop's own files. */
const NOT_WORK = new Set([".gitkeep", ".keep", ".DS_Store", "Thumbs.db", "desktop.ini"]);

/** Whether a folder holds no file and no link at all (folders, placeholders and .git aside): nothing was handed in there. */
export function holds_nothing(dir: string): boolean {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return false; // Unreadable: staging says why.
  }
  for (const e of entries) {
    if (e.isDirectory()) {
      if (e.name !== ".git" && !holds_nothing(path.join(dir, e.name))) return false;
    } else if (!NOT_WORK.has(e.name)) return false;
  }
  return true;
}

export const DEFAULT_FETCH_TIMEOUT_MS = 120_000;
export const DEFAULT_REPOSITORY_LIMIT_BYTES = 200 * 1024 * 1024;

/** git, hardened for untrusted repositories. */
const GIT_HARDENING = [
  "-c", "core.hooksPath=/dev/null",
  "-c", "protocol.allow=never",
  "-c", "protocol.https.allow=always",
  "-c", "protocol.ssh.allow=always",
  "-c", "protocol.file.allow=always",
  "-c", "core.fsmonitor=false",
  "-c", "submodule.recurse=false",
  "-c", "transfer.fsckObjects=true",
  "-c", "credential.interactive=never",
];

function git_env(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GIT_TERMINAL_PROMPT: "0",
    GIT_ALLOW_PROTOCOL: "https:ssh:file",
    GIT_PROTOCOL_FROM_USER: "0",
    // ssh must never wait for a password or a host-key question either.
    GIT_SSH_COMMAND: process.env.GIT_SSH_COMMAND ?? "ssh -o BatchMode=yes -o StrictHostKeyChecking=accept-new",
    GIT_CONFIG_NOSYSTEM: "1",
    LC_ALL: "C",
  };
}

class GitError extends Error {
  constructor(
    message: string,
    readonly kind: "failed" | "timeout" | "too-large",
  ) {
    super(message);
    this.name = "GitError";
  }
}

const mb = (bytes: number): string => (bytes >= 1024 * 1024 ? String(Math.round(bytes / 1024 / 1024)) : (bytes / 1024 / 1024).toFixed(2));

function folder_bytes(dir: string): number {
  let total = 0;
  const visit = (d: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) visit(p);
      else {
        try {
          total += fs.lstatSync(p).size;
        } catch {
          /* gone meanwhile */
        }
      }
    }
  };
  visit(dir);
  return total;
}

interface GitRun {
  cwd?: string;
  timeout_ms: number;
  /** Killed when this folder grows past max_bytes. */
  watch?: { dir: string; max_bytes: number };
  stdout?: NodeJS.WritableStream;
}

/** Runs git with the hardening; resolves with its standard output (unless piped). */
function git(args: string[], run: GitRun): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", [...GIT_HARDENING, ...args], {
      cwd: run.cwd,
      env: git_env(),
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group, so that a kill reaches git's helpers (remote-https, ssh) too.
      detached: true,
    });
    let out = "";
    let err = "";
    let ended: GitError | undefined;
    const kill = (why: GitError): void => {
      ended ??= why;
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        /* already gone */
      }
    };
    const timer = setTimeout(() => kill(new GitError(`git ${args[0]} : plus de ${Math.round(run.timeout_ms / 1000)} s`, "timeout")), run.timeout_ms);
    const poll = run.watch
      ? setInterval(() => {
          if (folder_bytes(run.watch!.dir) > run.watch!.max_bytes) {
            kill(new GitError(`le dépôt dépasse la limite de ${mb(run.watch!.max_bytes)} Mo`, "too-large"));
          }
        }, 250)
      : undefined;
    if (run.stdout) child.stdout.pipe(run.stdout);
    else child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (err = (err + chunk.toString()).slice(-4000)));
    child.on("error", (error) => reject(new GitError(`git ne peut pas être lancé : ${error.message}`, "failed")));
    child.on("close", (code) => {
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      if (ended) return reject(ended);
      if (code !== 0) {
        const last = err.trim().split("\n").filter((l) => !/^(hint|warning):/.test(l)).slice(-2).join(" ").trim();
        return reject(new GitError(last || `git ${args[0]} a échoué (code ${code})`, "failed"));
      }
      resolve(out);
    });
  });
}

/** A folder name for the student in the cache, unique even where ids differ only by case. */
export function cache_name(student_id: string): string {
  const hash = crypto.createHash("sha256").update(student_id).digest("hex").slice(0, 8);
  return `${student_id.replace(/[^A-Za-z0-9._-]/g, "_")}-${hash}`;
}

function too_large(dir: string, max_bytes: number): void {
  if (folder_bytes(dir) > max_bytes) throw new GitError(`le dépôt dépasse la limite de ${mb(max_bytes)} Mo`, "too-large");
}

async function mirror(student: Student & { source: { kind: "repo" } }, options: FetchOptions): Promise<string> {
  const timeout_ms = options.timeout_ms ?? DEFAULT_FETCH_TIMEOUT_MS;
  const max_bytes = options.max_bytes ?? DEFAULT_REPOSITORY_LIMIT_BYTES;
  const repos = path.join(options.cache_dir, "repos");
  const target = path.join(repos, `${cache_name(student.id)}.git`);
  fs.mkdirSync(repos, { recursive: true });
  if (fs.existsSync(path.join(target, "HEAD"))) {
    let same_url = false;
    try {
      same_url = (await git(["config", "--get", "remote.origin.url"], { cwd: target, timeout_ms: 10_000 })).trim() === student.source.url;
    } catch {
      same_url = false;
    }
    if (same_url) {
      try {
        await git(["fetch", "--prune", "--no-tags", "origin", "+refs/heads/*:refs/heads/*"], { cwd: target, timeout_ms, watch: { dir: target, max_bytes } });
        too_large(target, max_bytes);
        // The default branch may have changed upstream.
        await git(["remote", "set-head", "origin", "--auto"], { cwd: target, timeout_ms }).catch(() => undefined);
        return target;
      } catch (error) {
        if ((error as GitError).kind !== "failed") {
          fs.rmSync(target, { recursive: true, force: true });
          throw error;
        }
        // A broken cache is started again; a repository that cannot be reached fails again below.
      }
    }
    fs.rmSync(target, { recursive: true, force: true });
  }
  const partial = `${target}.partial-${process.pid}`;
  fs.rmSync(partial, { recursive: true, force: true });
  try {
    await git(["clone", "--bare", "--no-tags", "--", student.source.url, partial], { timeout_ms, watch: { dir: partial, max_bytes } });
    // A clone faster than the watch's first look is measured once done.
    too_large(partial, max_bytes);
    fs.renameSync(partial, target);
  } finally {
    fs.rmSync(partial, { recursive: true, force: true });
  }
  return target;
}

/** The commit and its committer date (ISO 8601), or undefined when `rev` names none. */
async function commit_of(repo: string, rev: string, extra: string[] = []): Promise<{ sha: string; time: string } | undefined> {
  try {
    const out = (await git(["log", "-1", "--format=%H %cI", ...extra, rev, "--"], { cwd: repo, timeout_ms: 30_000 })).trim();
    if (!out) return undefined;
    const [sha, time] = out.split(" ");
    return { sha: sha!, time: time! };
  } catch {
    return undefined;
  }
}

/** Exports the commit's tree into the cache (once: a finished export is kept), via a temporary folder renamed. */
async function export_tree(repo: string, sha: string, student_id: string, options: FetchOptions): Promise<string> {
  const target = path.join(options.cache_dir, "trees", cache_name(student_id), sha);
  if (fs.existsSync(target)) return target;
  const partial = `${target}.partial-${process.pid}`;
  fs.rmSync(partial, { recursive: true, force: true });
  fs.mkdirSync(partial, { recursive: true });
  try {
    const unpack = extract(partial, {
      // Only files, folders and symbolic links (tar-fs skips what `ignore` says yes to): no devices, no hard links.
      ignore: (_name, header) => header !== undefined && !["file", "directory", "symlink"].includes(header.type ?? "file"),
      // Links are written as links, wherever they point, exactly as a local folder holds them: staging judges
      // each exercise's (one leading out refuses that exercise only), and one outside every exercise is never read.
      // Nothing is written through a link: git's trees cannot hold a path below one, and tar-fs refuses such a path.
      validateSymlinks: false,
      dmode: 0o755,
      fmode: 0o644,
      // tar-fs 3 reads it; its @types (2.x) do not list it yet.
    } as ExtractOptions & { validateSymlinks: boolean });
    const done = new Promise<void>((resolve, reject) => {
      unpack.on("finish", resolve);
      unpack.on("error", reject);
    });
    await git(["archive", "--format=tar", sha], { cwd: repo, timeout_ms: options.timeout_ms ?? DEFAULT_FETCH_TIMEOUT_MS, stdout: unpack });
    await done;
    fs.renameSync(partial, target);
  } finally {
    fs.rmSync(partial, { recursive: true, force: true });
  }
  return target;
}

/** Every commit of the mirror's branches (what this fetch saw). */
async function branch_commits(repo: string): Promise<string[]> {
  try {
    return (await git(["rev-list", "--branches"], { cwd: repo, timeout_ms: 60_000 })).split("\n").filter(Boolean);
  } catch {
    return [];
  }
}

/** Brings one student's submission into the cache; never throws for the student's own problems. */
export async function fetch_submission(student: Student, options: FetchOptions): Promise<FetchOutcome> {
  const source = student.source;
  if (source.kind === "none") return { status: "missing", message: "aucun dépôt : le devoir n'a pas été accepté" };
  if (source.kind === "path") {
    if (!fs.existsSync(source.path) || !fs.statSync(source.path).isDirectory()) {
      return { status: "missing", message: `le dossier ${source.written} n'existe pas` };
    }
    if (holds_nothing(source.path)) return { status: "missing", message: `le dossier ${source.written} est vide` };
    return { status: "ready", dir: source.path };
  }
  let repo: string;
  try {
    repo = await mirror(student as Student & { source: typeof source }, options);
  } catch (error) {
    return { status: "unfetchable", message: `${source.url} : ${(error as Error).message}` };
  }
  const seen: Fetched = { fetched_at: new Date().toISOString(), commits: await branch_commits(repo) };
  const branch = source.branch ?? "HEAD";
  const latest = await commit_of(repo, source.branch ? `refs/heads/${source.branch}` : "HEAD");
  if (!latest) {
    if (!source.branch) return { status: "missing", message: `${source.url} : le dépôt n'a aucun commit`, ...seen };
    return { status: "unfetchable", message: `${source.url} : pas de branche ${source.branch}` };
  }
  let graded = latest;
  if (source.commit) {
    const named = await commit_of(repo, `${source.commit}^{commit}`, ["--no-walk"]);
    if (!named) return { status: "unfetchable", message: `${source.url} : le commit ${source.commit} n'y est pas` };
    graded = named;
  } else if (options.deadline) {
    // Committer dates, as `git log --before` reads them: the history as pushed.
    const before = await commit_of(repo, source.branch ? `refs/heads/${branch}` : "HEAD", ["--first-parent", `--before=${options.deadline.toISOString()}`]);
    if (!before) {
      return {
        status: "no-commit-before-deadline",
        message: `aucun commit avant la date limite (${options.deadline.toISOString()}) ; le dernier est ${latest.sha.slice(0, 10)} du ${latest.time}`,
        latest: latest.sha,
        latest_time: latest.time,
        ...seen,
      };
    }
    graded = before;
  }
  let dir: string;
  try {
    dir = await export_tree(repo, graded.sha, student.id, options);
  } catch (error) {
    return { status: "unfetchable", message: `${source.url} : le commit ${graded.sha.slice(0, 10)} ne peut pas être extrait (${(error as Error).message})` };
  }
  if (holds_nothing(dir)) return { status: "missing", message: `${source.url} : le commit ${graded.sha.slice(0, 10)} ne contient aucun fichier`, ...seen };
  return {
    status: "ready",
    dir,
    commit: graded.sha,
    commit_time: graded.time,
    latest: latest.sha,
    latest_time: latest.time,
    ...seen,
  };
}
