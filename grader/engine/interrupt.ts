// Ctrl-C (SIGINT) or SIGTERM while grading: hand the session's cleanup to a
// detached process, which outlives this one and any vitest worker still
// creating containers, then exit with the conventional code.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

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
    try {
      spawn(process.execPath, [sweeper_path(), ...active], { detached: true, stdio: "ignore" }).unref();
    } catch {
      // Nothing more can be done here; `dockerlings clean` removes leftovers.
    }
    process.stderr.write("\nInterrompu : nettoyage des conteneurs et images en cours (`dockerlings clean` en cas de doute).\n");
  }
  process.exit(signal === "SIGINT" ? 130 : 143);
}

/** Sweeps `session` if the process is interrupted; returns the function that stops watching it. */
export function sweep_on_interrupt(session: string): () => void {
  active.add(session);
  if (!installed) {
    installed = true;
    process.prependListener("SIGINT", on_signal);
    process.prependListener("SIGTERM", on_signal);
  }
  return () => {
    active.delete(session);
  };
}
