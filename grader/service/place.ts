// Where a user's grading service lives and which one a command may talk to.
// One service per user, course and engine settings: its socket sits in a
// folder only the user can open ($XDG_RUNTIME_DIR/dockerlings, else
// <tmp>/dockerlings-<uid>, mode 0700, owned by the user; or
// DOCKERLINGS_RUNTIME_DIR), named after the course folder and the settings
// that change a grading (DOCKER_*, DOCKERLINGS_*, TESTCONTAINERS_*). Its
// version stamp says which code and course it grades with: a command whose
// stamp differs replaces it. Light: node builtins only, the CLI loads it
// before anything heavy.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Raised to the protocol's version when client and service stop understanding each other. */
export const PROTOCOL = 1;

export interface ServicePlace {
  /** The user's folder of services (0700). */
  dir: string;
  /** This course's service: its socket, its log. */
  socket: string;
  log: string;
}

/** Settings of the environment that make two gradings differ: each set gets its own service. */
const KEYED = /^(DOCKER_|DOCKERLINGS_|TESTCONTAINERS_)/;
/** ...except those a command sets for itself (its language, its session) or that choose the service. */
const UNKEYED = new Set(["DOCKERLINGS_LANG", "DOCKERLINGS_SESSION", "DOCKERLINGS_DAEMON", "DOCKERLINGS_DAEMON_IDLE_S", "DOCKERLINGS_RUNTIME_DIR"]);

/** The folder this grader is installed in (where package.json and dist/ are). */
export function install_root(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (path.dirname(dir) !== dir) {
    if (fs.existsSync(path.join(dir, "package.json")) && fs.existsSync(path.join(dir, "bin", "dockerlings.js"))) return dir;
    dir = path.dirname(dir);
  }
  throw new Error("the dockerlings package (package.json and bin/dockerlings.js) was not found above the grader");
}

/**
 * The user's folder of services, made if missing. Refused (a reason, in
 * words) when it is not safe: not a folder, a link, someone else's, or open to
 * others and not ours to close.
 */
export function runtime_dir(env: NodeJS.ProcessEnv = process.env): { dir: string } | { refused: string } {
  const uid = process.getuid?.() ?? 0;
  const dir = env.DOCKERLINGS_RUNTIME_DIR
    ? path.resolve(env.DOCKERLINGS_RUNTIME_DIR)
    : env.XDG_RUNTIME_DIR
      ? path.join(env.XDG_RUNTIME_DIR, "dockerlings")
      : path.join(os.tmpdir(), `dockerlings-${uid}`);
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = fs.lstatSync(dir);
    if (!stat.isDirectory()) return { refused: `${dir} is not a folder` };
    if (process.getuid && stat.uid !== uid) return { refused: `${dir} belongs to another user (uid ${stat.uid})` };
    if ((stat.mode & 0o077) !== 0) fs.chmodSync(dir, 0o700);
    return { dir };
  } catch (error) {
    return { refused: `${dir}: ${(error as Error).message}` };
  }
}

/** The service of `course_root` with this environment's settings. */
export function service_place(dir: string, course_root: string, env: NodeJS.ProcessEnv = process.env): ServicePlace {
  const settings = Object.keys(env)
    .filter((name) => KEYED.test(name) && !UNKEYED.has(name))
    .sort()
    .map((name) => `${name}=${env[name]}`);
  const key = crypto.createHash("sha256").update(JSON.stringify([path.resolve(course_root), settings])).digest("hex").slice(0, 16);
  return { dir, socket: path.join(dir, `${key}.sock`), log: path.join(dir, `${key}.log`) };
}

/**
 * What a service grades with: the grader's code (compiled, and the TypeScript
 * sources its spec workers load), the course's manifest and specs, Node's
 * version. Sizes and modification times, not contents: a few milliseconds.
 */
export function version_stamp(course_root: string, root: string = install_root()): string {
  const hash = crypto.createHash("sha256").update(`${PROTOCOL} ${process.version} ${process.execPath}\n`);
  const note = (file: string): void => {
    try {
      const stat = fs.statSync(file);
      hash.update(`${file} ${stat.size} ${stat.mtimeMs}\n`);
    } catch {
      hash.update(`${file} -\n`);
    }
  };
  const walk = (dir: string, keep: (name: string) => boolean): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file, keep);
      else if (keep(entry.name)) note(file);
    }
  };
  note(path.join(root, "package.json"));
  walk(path.join(root, "dist"), (name) => name.endsWith(".js") || name.endsWith(".proto"));
  walk(path.join(root, "grader"), (name) => /\.(ts|mjs)$/.test(name) && !name.endsWith(".test.ts"));
  note(path.join(course_root, "course.yaml"));
  let exercises: string[] = [];
  try {
    exercises = fs.readdirSync(path.join(course_root, "exercises")).sort();
  } catch {
    // No exercises yet: nothing more to note.
  }
  for (const id of exercises) note(path.join(course_root, "exercises", id, "spec.test.ts"));
  return hash.digest("hex").slice(0, 16);
}
