// The lock between builds and cache measures, across processes: the other
// side is played by short-lived processes whose pid signs a lock file.
import fs from "node:fs";
import path from "node:path";
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { lock_dir as made_lock_dir, lock_timing, with_exclusive_builds, with_shared_build } from "./build-lock.js";

const lock_dir = (): string => made_lock_dir()!;

beforeEach(() => {
  // A lock folder of its own: the docker tests running next to this file keep theirs.
  process.env.DOCKER_HOST = `unix:///tmp/dockerlings-lock-test-${randomUUID()}.sock`;
});
afterEach(() => {
  const dir = made_lock_dir();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  delete process.env.DOCKER_HOST;
});

/** A process that lives `seconds`, and a promise of its end. */
function other_process(seconds: number): { pid: number; ended: Promise<void> } {
  const child = spawn("sleep", [String(seconds)], { stdio: "ignore" });
  return { pid: child.pid!, ended: new Promise((resolve) => child.on("exit", () => resolve())) };
}

describe("build lock", () => {
  test("a cache measure waits for a build another process has in flight", async () => {
    const other = other_process(1.5);
    fs.writeFileSync(path.join(lock_dir(), `shared-${other.pid}-x`), "");
    const t0 = Date.now();
    let ended_first = false;
    void other.ended.then(() => (ended_first = true));
    await with_exclusive_builds(async () => {
      expect(ended_first).toBe(true);
    });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
  });

  test("a build waits while another process measures the cache, then goes", async () => {
    const other = other_process(1.5);
    fs.mkdirSync(path.join(lock_dir(), "exclusive"));
    fs.writeFileSync(path.join(lock_dir(), "exclusive", "owner"), String(other.pid));
    let ended_first = false;
    void other.ended.then(() => (ended_first = true));
    let told = 0;
    const value = await with_shared_build(async () => ended_first, undefined, () => told++);
    expect(value).toBe(true);
    expect(told).toBe(1); // said once, not at every poll
    expect(fs.readdirSync(lock_dir())).toEqual([]);
  });

  test("a lock left by a process that died is ignored", async () => {
    const dead = other_process(0);
    await dead.ended;
    fs.mkdirSync(path.join(lock_dir(), "exclusive"));
    fs.writeFileSync(path.join(lock_dir(), "exclusive", "owner"), String(dead.pid));
    fs.writeFileSync(path.join(lock_dir(), `shared-${dead.pid}-y`), "");
    const t0 = Date.now();
    let told = 0;
    expect(await with_shared_build(async () => "built", undefined, () => told++)).toBe("built");
    expect(await with_exclusive_builds(async () => "measured")).toBe("measured");
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(told).toBe(0);
  });

  test("inside a measure, the same process's builds go ahead (no deadlock), and the lock is released after a failure", async () => {
    await expect(
      with_exclusive_builds(async () => {
        expect(await with_shared_build(async () => "rebuild")).toBe("rebuild");
        expect(await with_exclusive_builds(async () => "nested")).toBe("nested");
        throw new Error("the check failed");
      }),
    ).rejects.toThrow("the check failed");
    expect(fs.readdirSync(lock_dir())).toEqual([]);
  });

  test("inside a measure, a build through another copy of this module goes ahead (the sources and the compiled grader in one worker)", async () => {
    const another_copy = "./build-lock.ts?another-copy";
    const copy = (await import(/* @vite-ignore */ another_copy)) as typeof import("./build-lock.js");
    expect(copy.with_shared_build).not.toBe(with_shared_build);
    const t0 = Date.now();
    const value = await with_exclusive_builds(async () => copy.with_shared_build(async () => "rebuilt"));
    expect(value).toBe("rebuilt");
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(fs.readdirSync(lock_dir())).toEqual([]);
  });

  test("a build waiting for the lock stops on its signal", async () => {
    const other = other_process(5);
    fs.mkdirSync(path.join(lock_dir(), "exclusive"));
    fs.writeFileSync(path.join(lock_dir(), "exclusive", "owner"), String(other.pid));
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 300);
    await expect(with_shared_build(async () => "built", abort.signal)).rejects.toMatchObject({ name: "AbortError" });
    process.kill(other.pid);
  });

  test("a lock whose holder stopped, in a process that lives on (a spec worker thread ended mid-check), is stale once its heartbeat stops", async () => {
    const saved = { ...lock_timing };
    Object.assign(lock_timing, { heartbeat_ms: 50, stale_ms: 400 });
    try {
      // Signed by this very process, alive, but nobody touches them any more.
      const lock = path.join(lock_dir(), "exclusive");
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, "owner"), String(process.pid));
      fs.writeFileSync(path.join(lock_dir(), `shared-${process.pid}-orphan`), "");
      const t0 = Date.now();
      expect(await with_shared_build(async () => "built")).toBe("built");
      expect(await with_exclusive_builds(async () => "measured")).toBe("measured");
      expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
      expect(Date.now() - t0).toBeLessThan(5_000);
      expect(fs.readdirSync(lock_dir())).toEqual([]);
    } finally {
      Object.assign(lock_timing, saved);
    }
  });

  test("a lock held longer than the stale time stays held: its holder's heartbeat keeps it fresh", async () => {
    const saved = { ...lock_timing };
    Object.assign(lock_timing, { heartbeat_ms: 50, stale_ms: 300 });
    try {
      let built_during_measure = false;
      let measuring = false;
      const measure = with_exclusive_builds(async () => {
        measuring = true;
        await new Promise((r) => setTimeout(r, 1_000));
        measuring = false;
      });
      await new Promise((r) => setTimeout(r, 100));
      // Another process's build, played by a plain waiter that does not share this module's depth.
      const dir = lock_dir();
      const untouched = Date.now() - fs.statSync(path.join(dir, "exclusive")).mtimeMs;
      await new Promise((r) => setTimeout(r, 600));
      const later = Date.now() - fs.statSync(path.join(dir, "exclusive")).mtimeMs;
      built_during_measure = !fs.existsSync(path.join(dir, "exclusive"));
      await measure;
      expect(measuring).toBe(false);
      expect(untouched).toBeLessThan(300);
      expect(later).toBeLessThan(300);
      expect(built_during_measure).toBe(false);
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      Object.assign(lock_timing, saved);
    }
  });

  test("an exclusive lock far older than any measure is stale, even if its pid lives (pids are reused)", async () => {
    const other = other_process(5);
    const lock = path.join(lock_dir(), "exclusive");
    fs.mkdirSync(lock);
    fs.writeFileSync(path.join(lock, "owner"), String(other.pid));
    const hour_ago = new Date(Date.now() - 3600_000);
    fs.utimesSync(lock, hour_ago, hour_ago);
    const t0 = Date.now();
    expect(await with_shared_build(async () => "built")).toBe("built");
    expect(Date.now() - t0).toBeLessThan(1000);
    process.kill(other.pid);
  });

  test("a lock folder that cannot be made: builds and measures go ahead without it", async () => {
    const dir = lock_dir();
    fs.rmSync(dir, { recursive: true });
    fs.writeFileSync(dir, "not a folder");
    expect(made_lock_dir()).toBeUndefined();
    expect(await with_shared_build(async () => "built")).toBe("built");
    expect(await with_exclusive_builds(async () => with_shared_build(async () => "measured"))).toBe("measured");
    fs.rmSync(dir);
  });
});
