// Builds that measure the cache run alone on the engine.
//
// BuildKit shares a vertex between builds that run at the same time, and while
// a `FROM` is shared with a build still in progress, the other builds miss
// their cache on every step above it (moby/buildkit#4674, fixed upstream long
// after the 20.10 engine we run: moby/buildkit#6954). A check that asks "was
// this step taken from the cache?" would then fail a correct submission only
// because another exercise was being graded next to it (`grade --parallel`,
// several gradings on one machine).
//
// So every build takes this lock shared, and a check that measures the cache
// takes it exclusive around its rebuilds: it waits for the builds in flight,
// and new builds wait for it. The lock is files in a folder per engine, so the
// vitest workers of one grading and separate gradings on the machine agree.
// An owner that died (SIGKILL, crash) is recognised by its pid and ignored.
// An owner whose process lives on but who no longer runs (a spec worker thread
// terminated mid-check: its pid is the whole process's, still alive, and its
// `finally` never ran) is recognised by its heartbeat: a holder touches its
// lock every few seconds, and a lock not touched for STALE_MS is ignored. Before
// heartbeats, such a lock held every build of the engine for twenty minutes.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const POLL_MS = 100;
/** A build that has waited this long for the lock says so (on_wait). */
const WAIT_NOTICE_MS = 1000;
/** A writer stops waiting for builds in flight after this long and goes on (a measure beats a deadlock). */
const WRITER_PATIENCE_MS = 10 * 60_000;
/**
 * How often a holder touches its lock, and how long a lock may go untouched
 * before it is stale whatever its pid says (the holder stopped, or the pid was
 * reused). Generous against a busy event loop: a stale lock costs one measure
 * made next to a build, a held one costs every build on the engine.
 */
export const lock_timing = { heartbeat_ms: 2_000, stale_ms: 60_000 };

/**
 * How deep this thread is in cache measures, shared by every copy of this
 * module the thread has loaded: a spec worker may hold both the sources and
 * the compiled grader (a check from one, the handle that builds from the
 * other), and a measure must let its own builds through whichever copy they
 * take. Kept per module, a measure waited on itself until its lock went stale.
 */
const held = ((globalThis as Record<symbol, unknown>)[Symbol.for("dockerlings.build-lock.depth")] ??= { exclusive_depth: 0 }) as {
  exclusive_depth: number;
};

/**
 * This engine's lock folder, one per user (a folder another user made could
 * not be written). Undefined when it cannot be made: builds then go ahead
 * without the lock rather than fail.
 */
export function lock_dir(): string | undefined {
  const engine = process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock";
  const key = crypto.createHash("sha256").update(engine).digest("hex").slice(0, 12);
  const dir = path.join(os.tmpdir(), `dockerlings-build-locks-${process.getuid?.() ?? "user"}`, key);
  try {
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  } catch {
    return undefined;
  }
}

const remove = (p: string): void => {
  try {
    fs.rmSync(p, { recursive: true, force: true });
  } catch {
    /* someone else's, or already gone */
  }
};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The pid holding the exclusive lock, or undefined when nobody (live) holds it. Removes a dead owner's lock. */
function exclusive_owner(dir: string): number | undefined {
  const lock = path.join(dir, "exclusive");
  let age: number;
  try {
    age = Date.now() - fs.statSync(lock).mtimeMs;
  } catch {
    return undefined; // not there
  }
  let pid = Number.NaN;
  try {
    pid = Number(fs.readFileSync(path.join(lock, "owner"), "utf8"));
  } catch {
    if (age < 5000) return -1; // just made, not yet signed
  }
  if (alive(pid) && age < lock_timing.stale_ms) return pid;
  remove(lock);
  return undefined;
}

/** The age of a lock file's last heartbeat; Infinity when it is gone. */
function untouched_for(file: string): number {
  try {
    return Date.now() - fs.statSync(file).mtimeMs;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/** Touches `file` every heartbeat while its holder runs; the returned function stops it. */
function heartbeat(file: string): () => void {
  const timer = setInterval(() => {
    try {
      const now = new Date();
      fs.utimesSync(file, now, now);
    } catch {
      /* removed by a waiter who judged it stale: nothing to keep alive */
    }
  }, lock_timing.heartbeat_ms);
  timer.unref();
  return () => clearInterval(timer);
}

function live_readers(dir: string): string[] {
  return fs.readdirSync(dir).filter((name) => {
    const match = /^shared-(\d+)-/.exec(name);
    if (!match) return false;
    if (alive(Number(match[1])) && untouched_for(path.join(dir, name)) < lock_timing.stale_ms) return true;
    remove(path.join(dir, name));
    return false;
  });
}

/**
 * Runs `fn` as one build among others; waits while a cache measure holds the
 * engine, calling `on_wait` once if that takes more than a second.
 */
export async function with_shared_build<T>(fn: () => Promise<T>, signal?: AbortSignal, on_wait?: () => void): Promise<T> {
  if (held.exclusive_depth > 0) return fn(); // this thread holds the engine alone: its own builds go ahead
  const dir = lock_dir();
  if (!dir) return fn();
  const mine = path.join(dir, `shared-${process.pid}-${crypto.randomUUID()}`);
  const since = Date.now();
  let told = false;
  for (;;) {
    signal?.throwIfAborted();
    if (exclusive_owner(dir) === undefined) {
      try {
        fs.writeFileSync(mine, "");
      } catch {
        return fn(); // the folder cannot be written: no lock rather than no build
      }
      if (exclusive_owner(dir) === undefined) break;
      remove(mine);
    }
    if (!told && Date.now() - since >= WAIT_NOTICE_MS) {
      told = true;
      on_wait?.();
    }
    await sleep(POLL_MS);
  }
  const stop = heartbeat(mine);
  try {
    return await fn();
  } finally {
    stop();
    remove(mine);
  }
}

/** Takes the exclusive lock of `dir`; its path, or undefined when the folder cannot be written. */
async function take_exclusive(dir: string): Promise<string | undefined> {
  const lock = path.join(dir, "exclusive");
  for (;;) {
    try {
      fs.mkdirSync(lock);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") return undefined;
      exclusive_owner(dir); // clears a dead owner's lock
      await sleep(POLL_MS);
      continue;
    }
    try {
      fs.writeFileSync(path.join(lock, "owner"), String(process.pid));
      return lock;
    } catch {
      remove(lock);
      return undefined;
    }
  }
}

/** Runs `fn` with no other build of ours on the engine (see the top of the file). Re-entrant within a process. */
export async function with_exclusive_builds<T>(fn: () => Promise<T>): Promise<T> {
  // Nested: the outer call holds the lock. Cannot lock: measure anyway.
  const dir = held.exclusive_depth === 0 ? lock_dir() : undefined;
  const lock = dir ? await take_exclusive(dir) : undefined;
  const stop = lock ? heartbeat(lock) : undefined;
  held.exclusive_depth++;
  try {
    const deadline = Date.now() + WRITER_PATIENCE_MS;
    while (dir && lock && live_readers(dir).length > 0 && Date.now() < deadline) await sleep(POLL_MS);
    return await fn();
  } finally {
    held.exclusive_depth--;
    stop?.();
    if (lock) remove(lock);
  }
}
