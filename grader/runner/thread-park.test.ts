// The park against a stand-in of vitest's worker (the same messages, in a
// real thread): a thread whose run ended cleanly serves the next run without
// a second start; one stopped mid-run, stopped by force or given back to a
// closed or full park ends.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import type { PoolOptions, PoolWorker } from "vitest/node";
import { ThreadPark } from "./thread-park.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dl-park-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// vitest's worker protocol, as runtime/workers/init.ts speaks it: "start" → "started",
// "run" → "testfileFinished", "stop" → "stopped" and no more listening.
const entry = path.join(dir, "worker.mjs");
fs.writeFileSync(
  entry,
  `import { parentPort, threadId } from "node:worker_threads";
let starts = 0;
let runs = 0;
const reply = (message) => parentPort.postMessage({ __vitest_worker_response__: true, ...message });
parentPort.on("message", (m) => {
  if (!m?.__vitest_worker_request__) return;
  if (m.type === "start") { starts++; reply({ type: "started" }); }
  if (m.type === "run") { runs++; setTimeout(() => reply({ type: "testfileFinished", starts, runs, thread: threadId }), m.delay ?? 5); }
  if (m.type === "stop") { reply({ type: "stopped", from_worker: true }); parentPort.removeAllListeners("message"); }
});
`,
);

const sink = new (await import("node:stream")).PassThrough();
sink.resume();
const options = {
  distPath: dir,
  env: {},
  execArgv: [],
  project: { vitest: { logger: { outputStream: sink, errorStream: sink } } },
} as unknown as PoolOptions;

const park = (size = 1) => new ThreadPark({ size, entrypoint: () => entry });

type Finished = { starts: number; runs: number; thread: number };
const request = (type: string, extra: object = {}) => ({ __vitest_worker_request__: true, type, ...extra }) as never;

function next(worker: PoolWorker, type: string): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const on = (message: { type?: string }) => {
      if (message?.type !== type) return;
      worker.off("message", on);
      resolve(message as Record<string, unknown>);
    };
    worker.on("message", on);
  });
}

/** vitest's "start" of a run's thread, answered. */
async function start(worker: PoolWorker): Promise<void> {
  await worker.start();
  const started = next(worker, "started");
  worker.send(request("start"));
  await started;
}

/** vitest's "stop" of a run's thread: the answer (the park's, or the worker's own). */
async function ask_stop(worker: PoolWorker): Promise<Record<string, unknown>> {
  const stopped = next(worker, "stopped");
  worker.send(request("stop"));
  return stopped;
}

/** What vitest's PoolRunner does for one run: start, run a file, then stop (asked, or by force). */
async function one_run(p: ThreadPark, how: { stop?: "clean" | "mid-run" | "force" } = {}): Promise<Finished | undefined> {
  const worker = p.pool("lean").createPoolWorker(options);
  await start(worker);
  const finished = next(worker, "testfileFinished");
  if (how.stop === "mid-run") {
    worker.send(request("run", { delay: 2_000 }));
    // Forwarded: the worker itself answers once its file has ended.
    expect(await ask_stop(worker)).toMatchObject({ from_worker: true });
    await worker.stop();
    return undefined;
  }
  worker.send(request("run"));
  const result = (await finished) as unknown as Finished;
  if (how.stop !== "force") {
    // Answered by the park: the worker is not torn down.
    expect(await ask_stop(worker)).not.toHaveProperty("from_worker");
  }
  await worker.stop();
  return result;
}

describe("ThreadPark", () => {
  test("a thread whose run ended cleanly serves the next run, started once", async () => {
    const p = park();
    const first = await one_run(p);
    const second = await one_run(p);
    const third = await one_run(p);
    expect(second!.thread).toBe(first!.thread);
    expect(third!.thread).toBe(first!.thread);
    // The worker saw one "start" and three runs: the park answered the later starts and stops.
    expect(third).toMatchObject({ starts: 1, runs: 3 });
    expect({ started: p.started, reused: p.reused }).toEqual({ started: 1, reused: 2 });
    await p.close();
  });

  test("a thread stopped while its file still runs ends: the next run gets a new one", async () => {
    const p = park();
    const first = await one_run(p);
    await one_run(p, { stop: "mid-run" });
    const after = await one_run(p);
    expect(after!.thread).not.toBe(first!.thread);
    expect(after).toMatchObject({ starts: 1, runs: 1 });
    expect(p.started).toBe(2);
    await p.close();
  });

  test("a thread stopped by force (a cancelled run: no stop message) ends", async () => {
    const p = park();
    const first = await one_run(p, { stop: "force" });
    const after = await one_run(p);
    expect(after!.thread).not.toBe(first!.thread);
    expect(p.started).toBe(2);
    await p.close();
  });

  test("a full park keeps no more threads than its size", async () => {
    const p = park(1);
    const a = p.pool("lean").createPoolWorker(options);
    const b = p.pool("lean").createPoolWorker(options);
    await Promise.all([start(a), start(b)]);
    for (const w of [a, b]) await ask_stop(w);
    await a.stop();
    await b.stop();
    await one_run(p);
    await one_run(p);
    expect({ started: p.started, reused: p.reused }).toEqual({ started: 2, reused: 2 });
    await p.close();
  });

  test("closing ends the parked threads, and a run's stop after it reaches the worker", async () => {
    const p = park();
    await one_run(p);
    const parked = p.take(options).thread;
    const exited = new Promise<number>((resolve) => parked.once("exit", resolve));
    await p.give(parked);
    await p.close();
    await exited;
    // Closed: a new run's thread is started, and its "stop" is the worker's own answer, then it ends.
    const worker = p.pool("lean").createPoolWorker(options);
    await start(worker);
    expect(await ask_stop(worker)).toMatchObject({ from_worker: true });
    await worker.stop();
    expect({ started: p.started, reused: p.reused }).toEqual({ started: 2, reused: 1 });
  });
});
