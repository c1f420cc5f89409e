// Runs the real CLI as a student or a teacher would, in a child process.
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const project_root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const bin = path.join(project_root, "bin", "dockerlings.js");

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function dockerlings(args: string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}): Promise<CliRun> {
  return run_process(process.execPath, [bin, ...args], {
    cwd: options.cwd ?? project_root,
    // French, whatever the machine's locale: the assertions read French messages.
    env: { ...process.env, NO_COLOR: "1", DOCKERLINGS_LANG: "fr", ...options.env },
  });
}

/** Runs a command to its end, its output collected. */
export function run_process(command: string, argv: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
