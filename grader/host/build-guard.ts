// The RUN-step limits of a build, applied from the host while it runs
// (grader/engine/build.ts starts the guard for each build).
//
// Measured on dockerd 20.10 with BuildKit (the engine of this project's
// machines): the build API's memory, cpuquota, cpusetcpus, shmsize, ulimits
// and cgroupparent are all ignored. Every RUN step runs in a cgroup of its own,
// docker/buildkit/<id>, with no pids nor memory limit: a fork bomb in a RUN
// step fills the host's process table, a RUN step may use all the memory and
// write until the disk is full. What does hold:
// - the time limit: closing the build request cancels the build, and BuildKit
//   kills the step (build_image's timeout_ms);
// - when the grader runs as root next to the engine (CI), it writes a pids and
//   a memory limit into each step's cgroup as BuildKit creates it (watched with
//   inotify, so before the step's first process runs), and stops the build
//   when the step hits the pids limit;
// - the same way, it measures what each of its steps wrote (the step's own
//   overlay upper folder) and stops a build whose step wrote more than the
//   disk limit: the step is cancelled and its layer discarded.
// Not limited: CPU time within the time limit, the disk and memory of RUN
// steps on a remote engine or Docker Desktop (only the time limit holds there).
import fs from "node:fs";
import path from "node:path";
import { limit_messages, type BuildLimits } from "../config/limits.js";

/** How long a new step's disk is measured at every scan, then how often. */
const DISK_EAGER_MS = 5_000;
const DISK_EVERY_MS = 1_000;

/** The least a step gets before it is known whose it is. */
const CLAIM_FLOOR = { pids: 256, memory_bytes: 1024 * 1024 * 1024 };

export interface BuildLimitHit {
  limit: "pids" | "memory" | "disk";
  message: string;
  /** True when the build must be stopped now (a step that hit its memory limit fails by itself). */
  abort: boolean;
}

export interface BuildGuardReport {
  /** Which limits could be applied on this machine. */
  enforced: { pids: boolean; memory: boolean; disk: boolean };
  hits: BuildLimitHit[];
}

export interface BuildGuard {
  stop(): BuildGuardReport;
}

interface StepCgroups {
  pids?: string;
  memory?: string;
  memory_file: "memory.limit_in_bytes" | "memory.max";
  swap_file?: string;
}

/** The folders where BuildKit (inside dockerd, cgroupfs driver) creates one cgroup per RUN step. */
function buildkit_cgroup_roots(): { pids?: string; memory?: string; v2: boolean } {
  const v1_pids = "/sys/fs/cgroup/pids/docker";
  const v1_memory = "/sys/fs/cgroup/memory/docker";
  const v2 = "/sys/fs/cgroup/docker";
  const ensure = (parent: string): string | undefined => {
    if (!fs.existsSync(parent)) return undefined;
    const dir = path.join(parent, "buildkit");
    // BuildKit creates it on its first RUN step; creating it first lets the
    // very first step be watched too.
    if (!fs.existsSync(dir)) {
      try {
        fs.mkdirSync(dir);
      } catch {
        return undefined;
      }
    }
    return dir;
  };
  if (fs.existsSync("/sys/fs/cgroup/pids")) return { pids: ensure(v1_pids), memory: ensure(v1_memory), v2: false };
  const root = ensure(v2);
  return { pids: root, memory: root, v2: true };
}

function engine_is_local(): boolean {
  const host = process.env.DOCKER_HOST;
  return !host || host.startsWith("unix://");
}

const read = (file: string): string | undefined => {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
};

const counter = (text: string | undefined, key: string): number => {
  const match = text ? new RegExp(`^${key} (\\d+)$`, "m").exec(text) : null;
  return match ? Number(match[1]) : 0;
};

const normalise_command = (text: string): string => text.replace(/\\\s*\n/g, " ").replace(/\s+/g, " ").trim();

/** The command a RUN step's processes were started with, as the step's instruction would say it. */
function step_commands(cgroup_dir: string): string[] {
  const procs = (read(path.join(cgroup_dir, "cgroup.procs")) ?? "").split("\n").filter(Boolean).slice(0, 8);
  const commands: string[] = [];
  for (const pid of procs) {
    const argv = (read(`/proc/${pid}/cmdline`) ?? "").split("\0").filter(Boolean);
    // Before exec, a step's first process is still `runc init`.
    if (argv.length === 0 || argv[0]!.includes("runc")) continue;
    commands.push(normalise_command(argv.at(-1)!), normalise_command(argv.join(" ")));
  }
  return commands;
}

/** Does one of `commands` (seen in a step's cgroup) belong to one of our running RUN instructions? */
function is_ours(commands: string[], running: string[]): boolean {
  for (const instruction of running) {
    let wanted = normalise_command(instruction.replace(/^RUN\s+/i, ""));
    if (wanted.startsWith("[")) {
      try {
        wanted = normalise_command((JSON.parse(wanted) as string[]).join(" "));
      } catch {
        // Not JSON after all: compared as written.
      }
    }
    // BuildKit names a step with its text as written; --mount and similar flags are not in argv.
    wanted = wanted.replace(/^(--\S+\s+)+/, "");
    if (commands.some((c) => c === wanted || (wanted.length >= 20 && (c.startsWith(wanted.slice(0, 60)) || wanted.startsWith(c.slice(0, 60)))))) {
      return true;
    }
  }
  return false;
}

/** The overlay folder a step writes into, read from one of its processes' mounts. */
function step_upper_dir(cgroup_dir: string): string | undefined {
  const procs = (read(path.join(cgroup_dir, "cgroup.procs")) ?? "").split("\n").filter(Boolean).slice(0, 4);
  for (const pid of procs) {
    const root = (read(`/proc/${pid}/mountinfo`) ?? "").split("\n").find((l) => / \/ \/ /.test(l) && / - overlay /.test(l));
    const upper = root ? /(?:^|,)upperdir=([^,\s]+)/.exec(root.slice(root.indexOf(" - overlay ")))?.[1] : undefined;
    if (upper) return upper;
  }
  return undefined;
}

/** Bytes used under a folder; stops counting past `enough` (a step over the limit needs no exact figure). */
export function disk_usage(dir: string, enough: number, max_entries = 50_000): number {
  let total = 0;
  let entries = 0;
  const stack = [dir];
  while (stack.length > 0 && total <= enough && entries < max_entries) {
    const current = stack.pop()!;
    let names: fs.Dirent[];
    try {
      names = fs.readdirSync(current, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of names) {
      entries++;
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) stack.push(full);
      else {
        try {
          total += fs.lstatSync(full).blocks * 512;
        } catch {
          // Removed while we looked: nothing to count.
        }
      }
    }
  }
  return total;
}

/**
 * Applies the RUN-step limits while a build runs (see the top of this
 * section for what can be limited where). `running` returns the
 * instructions ("RUN ...") of the build's steps in progress: a step's cgroup
 * is ours when its command is one of them, so that a grader building in
 * parallel never stops another build for this one's fault.
 */
export function guard_build(
  limits: BuildLimits,
  running: () => string[],
  on_hit: (hit: BuildLimitHit) => void,
): BuildGuard {
  const hits: BuildLimitHit[] = [];
  const hit = (h: BuildLimitHit): void => {
    if (hits.some((x) => x.limit === h.limit)) return;
    hits.push(h);
    on_hit(h);
  };
  const can_write = engine_is_local() && process.getuid?.() === 0 && process.env.DOCKERLINGS_BUILD_CGROUPS !== "off";
  const roots = can_write ? buildkit_cgroup_roots() : { v2: false };
  const steps = new Map<
    string,
    StepCgroups & { ours?: boolean; claimed?: boolean; limited_memory?: boolean; reported?: boolean; upper?: string; seen_at: number; disk_at?: number }
  >();

  const write = (file: string, value: string): boolean => {
    try {
      fs.writeFileSync(file, value);
      return true;
    } catch {
      return false;
    }
  };
  // A new step is capped the moment it appears, before anyone knows whose it
  // is; never below the usual limits, so that a guard with small limits (a
  // test's) cannot starve another build's step. Our own steps then get ours.
  const claim = { pids: Math.max(limits.pids, CLAIM_FLOOR.pids), memory_bytes: Math.max(limits.memory_bytes, CLAIM_FLOOR.memory_bytes) };
  const limit_memory = (step: StepCgroups, bytes: number): boolean => {
    if (!step.memory || !fs.existsSync(step.memory)) return false;
    // Lowering a limit under what a step already uses makes the kernel reclaim
    // at length, then refuse: such a step is caught by its usage instead.
    const usage = Number((read(path.join(step.memory, roots.v2 ? "memory.current" : "memory.usage_in_bytes")) ?? "0").trim());
    if (usage > bytes) return false;
    // With swap accounting, the same cap on memory+swap keeps the step out of swap (memsw must stay >= memory).
    const swap = step.swap_file ? path.join(step.memory, step.swap_file) : undefined;
    const has_swap = swap !== undefined && fs.existsSync(swap);
    if (has_swap && roots.v2) write(swap, "0");
    const ok = write(path.join(step.memory, step.memory_file), String(bytes));
    if (ok && has_swap && !roots.v2) write(swap, String(bytes));
    return ok;
  };
  const apply_limits = (step: StepCgroups & { limited_memory?: boolean }, values: { pids: number; memory_bytes: number }): void => {
    if (step.pids) write(path.join(step.pids, "pids.max"), String(values.pids));
    step.limited_memory = limit_memory(step, values.memory_bytes) || step.limited_memory;
  };

  const scan = (): void => {
    if (!roots.pids) return;
    let names: string[];
    try {
      names = fs.readdirSync(roots.pids, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    } catch {
      return;
    }
    for (const name of names) {
      let step = steps.get(name);
      if (!step) {
        step = {
          pids: path.join(roots.pids, name),
          memory: roots.memory ? path.join(roots.memory, name) : undefined,
          memory_file: roots.v2 ? "memory.max" : "memory.limit_in_bytes",
          swap_file: roots.v2 ? "memory.swap.max" : "memory.memsw.limit_in_bytes",
          seen_at: Date.now(),
        };
        steps.set(name, step);
        // A step already running when first seen was started before this guard: its limits are its owner's.
        const current = Number((read(path.join(step.pids!, "pids.current")) ?? "0").trim());
        const unlimited = (read(path.join(step.pids!, "pids.max")) ?? "").trim() === "max";
        if (unlimited && current <= 1) {
          step.claimed = true;
          apply_limits(step, claim);
        }
      } else if (!step.limited_memory && (step.ours || step.claimed)) {
        // runc makes the memory cgroup a moment after the pids one.
        step.limited_memory = limit_memory(step, step.ours ? limits.memory_bytes : claim.memory_bytes);
      }
      if (!step.ours) {
        // Asked again at each scan: the trace may name the step a moment after it starts.
        const commands = step_commands(step.pids!);
        if (commands.length > 0 && is_ours(commands, running())) {
          step.ours = true;
          // Our step: make sure it carries our limits, whoever wrote first.
          step.limited_memory = false;
          apply_limits(step, limits);
        }
      }
      if (!step.ours || step.reported) continue;
      if (counter(read(path.join(step.pids!, "pids.events")), "max") > 0) {
        step.reported = true;
        hit({ limit: "pids", message: limit_messages.build_pids(limits.pids), abort: true });
      }
      const memory_events = step.memory
        ? read(path.join(step.memory, roots.v2 ? "memory.events" : "memory.oom_control"))
        : undefined;
      const usage = step.memory ? Number((read(path.join(step.memory, roots.v2 ? "memory.current" : "memory.usage_in_bytes")) ?? "0").trim()) : 0;
      const killed = counter(memory_events, "oom_kill") > 0;
      // Killed by the kernel, the step fails by itself; over the limit without one, it is stopped here.
      if (killed || (!step.limited_memory && usage > limits.memory_bytes)) {
        step.reported = true;
        hit({ limit: "memory", message: limit_messages.build_memory(limits.memory_bytes), abort: !killed });
      }
      // What the step wrote (a walk of its upper folder): at every scan in the step's first seconds, where a
      // `dd` of gigabytes is over within one (measured: a 2 GB write ended between two checks a second
      // apart, and its layer was kept), then once a second (a long install's thousands of files).
      step.upper ??= step_upper_dir(step.pids!);
      const now = Date.now();
      const due = now - (step.disk_at ?? 0) >= (now - step.seen_at < DISK_EAGER_MS ? 0 : DISK_EVERY_MS);
      if (step.upper && due && ((step.disk_at = now), disk_usage(step.upper, limits.disk_bytes) > limits.disk_bytes)) {
        step.reported = true;
        hit({ limit: "disk", message: limit_messages.build_disk(limits.disk_bytes), abort: true });
      }
    }
    for (const name of steps.keys()) if (!names.includes(name)) steps.delete(name);
  };

  let watcher: fs.FSWatcher | undefined;
  if (roots.pids) {
    try {
      watcher = fs.watch(roots.pids, () => scan());
      watcher.on("error", () => undefined);
    } catch {
      watcher = undefined;
    }
    scan();
  }
  const timer = setInterval(scan, 200);
  timer.unref();

  return {
    stop(): BuildGuardReport {
      clearInterval(timer);
      watcher?.close();
      scan();
      return {
        enforced: { pids: Boolean(roots.pids), memory: Boolean(roots.memory), disk: Boolean(roots.pids) },
        hits,
      };
    },
  };
}
