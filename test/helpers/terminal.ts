// A real pseudo-terminal for end-to-end tests of the interactive CLI: the
// program runs in a tmux session (its own tmux server), keys are typed with
// send-keys, and the screen is read with capture-pane.
import { execFileSync, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll } from "vitest";
import { project_root } from "./cli.js";

const bin = path.join(project_root, "bin", "dockerlings.js");
const EXIT_MARK = "__dockerlings_exit__";

export interface TerminalOptions {
  cwd: string;
  env?: Record<string, string>;
  width?: number;
  height?: number;
}

export class Terminal {
  private constructor(
    private readonly socket: string,
    private readonly name: string,
  ) {}

  /** Starts `dockerlings args...` in a new terminal; the session stays open after it exits, to read its exit code. */
  static open(args: string[], options: TerminalOptions): Terminal {
    const socket = `dl-test-${process.pid}-${randomUUID().slice(0, 6)}`;
    const name = "t";
    const env = { NO_COLOR: "1", DOCKERLINGS_LANG: "fr", ...options.env };
    const assignments = Object.entries(env).map(([k, v]) => `${k}=${shell_quote(v)}`);
    const command =
      `env ${assignments.join(" ")} ${shell_quote(process.execPath)} ${shell_quote(bin)} ${args.map(shell_quote).join(" ")}; ` +
      `echo "${EXIT_MARK} $?"; sleep 3600`;
    execFileSync("tmux", [
      "-L", socket, "-f", "/dev/null", "new-session", "-d", "-s", name,
      "-x", String(options.width ?? 100), "-y", String(options.height ?? 50),
      "-c", options.cwd, command,
    ]);
    // Keep what scrolls off, so a long output can still be read.
    spawnSync("tmux", ["-L", socket, "set-option", "-t", name, "history-limit", "5000"]);
    return new Terminal(socket, name);
  }

  /** The screen and its history, wrapped lines joined; `colours` keeps the escape sequences. */
  screen(colours = false): string {
    const args = ["-L", this.socket, "capture-pane", "-p", "-J", "-S", "-", "-t", this.name];
    if (colours) args.push("-e");
    return execFileSync("tmux", args, { encoding: "utf8" });
  }

  /** Types keys: plain text, or tmux key names with `named` (C-c, Enter). */
  keys(text: string, named = false): void {
    execFileSync("tmux", ["-L", this.socket, "send-keys", "-t", this.name, ...(named ? [text] : ["-l", text])]);
  }

  /** Waits until the screen satisfies `test` (a pattern, or a function of the screen); returns the screen. */
  async wait_for(test: RegExp | ((screen: string) => boolean), timeout_ms = 60_000): Promise<string> {
    const check = typeof test === "function" ? test : (s: string) => test.test(s);
    const deadline = Date.now() + timeout_ms;
    let screen = "";
    while (Date.now() < deadline) {
      screen = this.screen();
      if (check(screen)) return screen;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`timed out after ${timeout_ms} ms waiting for ${String(test)}; the screen:\n${screen}`);
  }

  /** Waits for the program to end and returns its exit code. */
  async exit_code(timeout_ms = 30_000): Promise<number> {
    const screen = await this.wait_for(new RegExp(`${EXIT_MARK} \\d+`), timeout_ms);
    return Number(new RegExp(`${EXIT_MARK} (\\d+)`).exec(screen)![1]);
  }

  /** Copies everything the program writes from now on, escape sequences and all, to `file`. */
  record_output(file: string): void {
    execFileSync("tmux", ["-L", this.socket, "pipe-pane", "-t", this.name, "-o", `cat >> ${shell_quote(file)}`]);
  }

  close(): void {
    spawnSync("tmux", ["-L", this.socket, "kill-server"]);
  }
}

function shell_quote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder for a student, removed after the file's tests. */
export function student_dir(prefix = "dl-student-"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/**
 * A fresh folder for a student with their workspace in it, made as a student
 * makes one (`dockerlings init workspace`, for the course `course` or this
 * repository's): commands run in the returned folder find ./workspace.
 */
export function student_workspace(course?: string, prefix = "dl-student-"): string {
  const dir = student_dir(prefix);
  const env = { ...process.env, NO_COLOR: "1", DOCKERLINGS_LANG: "fr", ...(course ? { DOCKERLINGS_COURSE: course } : {}) };
  const run = spawnSync(process.execPath, [bin, "init", "workspace"], { cwd: dir, env, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`dockerlings init failed (${run.status}): ${run.stderr}`);
  return dir;
}
