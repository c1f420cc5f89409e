// The spec workers' threads, kept between vitest runs.
//
// vitest 4 ends a run by stopping every worker it started: the next run (the
// next save in the watch loop, the next `check` through the service, the next
// student of a class) starts new threads, each of which loads the grader,
// dockerode and testcontainers again (measured: a new thread per student of a
// class, about 0.4 s of CPU and 1 s before its spec is ready). This pool
// worker, given to vitest as the Grader's pool (a documented vitest API:
// `pool: { name, createPoolWorker }`), parks a thread whose run ended cleanly
// instead of ending it, and hands it to the next run: the worker never sees
// it, vitest's "stop" and the next "start" are answered here for it. Its
// loaded modules stay (the Grader runs with isolate off, as within one run);
// each spec file is evaluated afresh, as vitest does.
//
// A thread is ended for real when its run did not end cleanly (cancelled, its
// file still running, an error, an exit), when more are parked than the
// Grader runs at once, and when the park is closed (Grader.close).
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { PoolOptions, PoolWorker } from "vitest/node";

type WorkerMessage = { __vitest_worker_request__?: boolean; __vitest_worker_response__?: boolean; type?: string };
type Listener = (arg: unknown) => void;

export interface ThreadParkOptions {
  /** Threads kept at most (the Grader's `parallel`). */
  size: number;
  /** V8 limits of each thread (the Grader keeps the young generation small). */
  resource_limits?: Worker["resourceLimits"];
  /** The thread's script; vitest's own threads entry by default (a test gives another). */
  entrypoint?: (options: PoolOptions) => string;
}

export class ThreadPark {
  private readonly idle: Worker[] = [];
  private readonly live = new Set<Worker>();
  private closed = false;
  /** Threads started since the park was made (a reused one is not counted again). */
  started = 0;
  /** Threads handed to a run from the park. */
  reused = 0;
  constructor(readonly options: ThreadParkOptions) {}

  get is_closed(): boolean {
    return this.closed;
  }

  /** The pool vitest is given: `pool: park.pool(name)`. */
  pool(name: string): { name: string; createPoolWorker: (options: PoolOptions) => PoolWorker } {
    return { name, createPoolWorker: (options) => new ParkedThreadWorker(name, options, this) };
  }

  /** A parked thread, or a new one. */
  take(options: PoolOptions): { thread: Worker; reused: boolean } {
    const parked = this.idle.pop();
    if (parked) {
      parked.ref();
      this.reused++;
      return { thread: parked, reused: true };
    }
    const entrypoint = this.options.entrypoint?.(options) ?? path.resolve(options.distPath, "workers/threads.js");
    const thread = new Worker(entrypoint, {
      env: options.env,
      execArgv: options.execArgv,
      stdout: true,
      stderr: true,
      ...(this.options.resource_limits ? { resourceLimits: this.options.resource_limits } : {}),
    });
    this.started++;
    this.live.add(thread);
    thread.once("exit", () => {
      this.live.delete(thread);
      const at = this.idle.indexOf(thread);
      if (at !== -1) this.idle.splice(at, 1);
    });
    return { thread, reused: false };
  }

  /** Keeps `thread` for the next run; ends it when the park is closed or full. */
  async give(thread: Worker): Promise<void> {
    if (this.closed || this.idle.length >= this.options.size || !this.live.has(thread)) {
      await thread.terminate();
      return;
    }
    // A parked thread does not keep the process alive.
    thread.unref();
    this.idle.push(thread);
  }

  /** Ends the parked threads; those still in a run end with it (vitest stops them for real once closed). */
  async close(): Promise<void> {
    this.closed = true;
    const idle = this.idle.splice(0);
    await Promise.all(idle.map((thread) => thread.terminate()));
  }
}

/** vitest's side of one run's thread: a parked one or a new one. */
class ParkedThreadWorker implements PoolWorker {
  private thread?: Worker;
  private reused = false;
  /** A file is running on the thread (between "run" and "testfileFinished"). */
  private busy = false;
  /** vitest asked for a clean stop ("stop" message) before stop(). */
  private clean_stop = false;
  private failed = false;
  private readonly listeners: Array<[string, Listener]> = [];
  private readonly stdout: NodeJS.WritableStream;
  private readonly stderr: NodeJS.WritableStream;

  constructor(
    readonly name: string,
    private readonly options: PoolOptions,
    private readonly park: ThreadPark,
  ) {
    this.stdout = options.project.vitest.logger.outputStream;
    this.stderr = options.project.vitest.logger.errorStream;
  }

  private get current(): Worker {
    if (!this.thread) throw new Error("the spec worker's thread is not started");
    return this.thread;
  }

  on(event: string, callback: Listener): void {
    this.current.on(event, callback);
    this.listeners.push([event, callback]);
  }

  off(event: string, callback: Listener): void {
    this.thread?.off(event, callback);
    const at = this.listeners.findIndex(([e, c]) => e === event && c === callback);
    if (at !== -1) this.listeners.splice(at, 1);
  }

  send(message: WorkerMessage): void {
    const thread = this.current;
    if (message.type === "start" && this.reused) {
      // Started already, by an earlier run: its answer is given here.
      return this.answer({ type: "started" });
    }
    if (message.type === "stop" && !this.park.is_closed && !this.busy && !this.failed) {
      // Kept: the worker is not torn down (its next run finds it as it left it).
      this.clean_stop = true;
      return this.answer({ type: "stopped" });
    }
    if (message.type === "run" || message.type === "collect") this.busy = true;
    thread.postMessage(message);
  }

  deserialize(data: unknown): unknown {
    return data;
  }

  async start(): Promise<void> {
    if (this.thread) return;
    const { thread, reused } = this.park.take(this.options);
    this.thread = thread;
    this.reused = reused;
    const watch = (message: unknown): void => {
      if ((message as WorkerMessage)?.__vitest_worker_response__ && (message as WorkerMessage).type === "testfileFinished") this.busy = false;
    };
    const fail = (): void => {
      this.failed = true;
    };
    this.on("message", watch);
    this.on("error", fail);
    this.on("exit", fail);
    for (const [from, to] of [[thread.stdout, this.stdout], [thread.stderr, this.stderr]] as const) {
      (to as NodeJS.EventEmitter).setMaxListeners((to as NodeJS.EventEmitter).getMaxListeners() + 1);
      from.pipe(to, { end: false });
    }
  }

  async stop(): Promise<void> {
    const thread = this.thread;
    if (!thread) return;
    this.thread = undefined;
    for (const [event, callback] of this.listeners.splice(0)) thread.off(event, callback);
    for (const [from, to] of [[thread.stdout, this.stdout], [thread.stderr, this.stderr]] as const) {
      from.unpipe(to);
      (to as NodeJS.EventEmitter).setMaxListeners(Math.max(0, (to as NodeJS.EventEmitter).getMaxListeners() - 1));
    }
    // A forced stop (a cancelled run) sends no "stop" first: that thread ends.
    if (this.clean_stop && !this.busy && !this.failed) await this.park.give(thread);
    else await thread.terminate();
  }

  /** A response from the worker, as if it had sent it (after vitest listens for it). */
  private answer(response: { type: string }): void {
    const thread = this.current;
    setImmediate(() => thread.emit("message", { ...response, __vitest_worker_response__: true }));
  }
}
