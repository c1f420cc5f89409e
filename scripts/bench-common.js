// What every benchmark prints the same way: the machine it ran on (the
// engine's version, Node's, the CPUs and the load average, since the machine
// may be shared) and each figure next to its goal.
import { spawnSync } from "node:child_process";
import os from "node:os";

/** Debian's own docker client speaks BuildKit without the buildx plugin; else the one on PATH. */
export const docker_cli = ["/usr/bin/docker", "docker"].find((bin) => spawnSync(bin, ["version"], { stdio: "ignore" }).status === 0);

/** The engine's version as it says it ("26.1.5+dfsg1"), or "unknown". */
export function engine_version() {
  const r = spawnSync(docker_cli ?? "docker", ["version", "--format", "{{.Server.Version}}"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : "unknown";
}

/** One line saying where the figures come from. */
export function machine_line() {
  const load = os.loadavg().map((l) => l.toFixed(1)).join(" ");
  return `Docker engine ${engine_version()}, Node ${process.version}, ${os.cpus().length} CPUs, load average ${load}`;
}

/** "1.42x (goal: 2x at most) ok" — a ratio next to its goal, and whether it holds. */
export function against_goal(value, goal, unit = "x") {
  const shown = unit === "x" ? `${value.toFixed(2)}x` : `${Math.round(value)} ${unit}`;
  return `${shown}   (goal: ${goal}${unit === "x" ? "x" : ` ${unit}`} at most) ${value <= goal ? "ok" : "MISSED"}`;
}

/** "1.71x (goal: 1.6x at least) ok". */
export function against_floor(value, goal) {
  return `${value.toFixed(2)}x   (goal: ${goal}x at least) ${value >= goal ? "ok" : "MISSED"}`;
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
export const seconds = (ms) => `${(ms / 1000).toFixed(2).padStart(6)} s`;
