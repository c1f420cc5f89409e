// Ctrl-C (SIGINT) or SIGTERM while grading: hand the session's cleanup to a
// detached process, which outlives this one and any vitest worker still
// creating containers, and say so. The library never ends the process: the
// program's entry does (the CLI exits 130 or 143, see cli/cli.ts); a program
// with no handler of its own dies of the signal, as it would without us.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { define_messages } from "../messages/index.js";

const m = define_messages({
  // Only this run's sessions are named: on a shared engine, a bare `dockerlings clean` would remove other gradings too.
  sweeping: {
    fr: (p: { commands: string }) => `Interrompu : les conteneurs et images de cette correction sont supprimés en arrière-plan. S'il en reste : ${p.commands}`,
    en: (p: { commands: string }) => `Interrupted: this grading's containers and images are being removed in the background. If any are left: ${p.commands}`,
  },
});

const active = new Set<string>();
let installed = false;

function sweeper_path(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (path.dirname(dir) !== dir) {
    const candidate = path.join(dir, "grader", "engine", "sweeper.mjs");
    if (fs.existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error("grader/engine/sweeper.mjs not found");
}

function on_signal(signal: NodeJS.Signals): void {
  if (active.size > 0) {
    const sessions = [...active];
    try {
      spawn(process.execPath, [sweeper_path(), ...sessions], { detached: true, stdio: "ignore" }).unref();
    } catch {
      // Nothing more can be done here; `dockerlings clean --session` removes leftovers.
    }
    active.clear();
    process.stderr.write(`\n${m("sweeping", { commands: sessions.map((s) => `\`dockerlings clean --session ${s}\``).join(", ") })}\n`);
  }
  // Another listener (the program's entry) decides how the process ends. With
  // none, listening has taken away the signal's default: give it back.
  if (process.listenerCount(signal) > 1) return;
  process.removeListener("SIGINT", on_signal);
  process.removeListener("SIGTERM", on_signal);
  installed = false;
  process.kill(process.pid, signal);
}

/** Sweeps `session` if the process is interrupted; returns the function that stops watching it. */
export function sweep_on_interrupt(session: string): () => void {
  active.add(session);
  if (!installed) {
    installed = true;
    // First, so that the sweep is handed off before whoever ends the process.
    process.prependListener("SIGINT", on_signal);
    process.prependListener("SIGTERM", on_signal);
  }
  return () => {
    active.delete(session);
  };
}
