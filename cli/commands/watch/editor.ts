// Opening the exercise's files in the student's editor from the watch loop.
// As rustlings 6: in VS Code's terminal (TERM_PROGRAM=vscode) with `code` (or
// `codium`) on the PATH, or with --edit-cmd, the files open by themselves as
// each exercise opens, in an editor that runs beside the loop (the command
// must not block). Key e opens them on demand, and with $VISUAL or $EDITOR (a
// terminal editor: vim, nano) the loop hands the terminal over until it quits.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { split_shell_words } from "../../../grader/index.js";

export interface Editor {
  /** The command's words; the files are added at the end. */
  command: string[];
  /** Runs beside the loop (a window of its own) or takes the terminal until it quits. */
  kind: "beside" | "terminal";
  /** Where it came from, for the messages: vscode, --edit-cmd, VISUAL, EDITOR. */
  from: string;
}

/** The program's path if it is on the PATH (and executable). */
function on_path(program: string, search = process.env.PATH ?? ""): string | undefined {
  if (program.includes("/")) return fs.existsSync(program) ? program : undefined;
  for (const dir of search.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, program);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

/** The editor to use, from the loop's options and the environment; undefined: none known. */
export function find_editor(options: { edit_cmd?: string; editor?: boolean }, env: NodeJS.ProcessEnv = process.env): Editor | undefined {
  if (options.editor === false) return undefined;
  if (env.TERM_PROGRAM === "vscode") {
    for (const program of ["code", "codium"]) if (on_path(program, env.PATH)) return { command: [program], kind: "beside", from: "vscode" };
  }
  if (options.edit_cmd) {
    const words = split_shell_words(options.edit_cmd);
    if (Array.isArray(words) && words.length > 0) return { command: words, kind: "beside", from: "--edit-cmd" };
  }
  for (const name of ["VISUAL", "EDITOR"] as const) {
    const words = env[name] ? split_shell_words(env[name]!) : [];
    if (Array.isArray(words) && words.length > 0) return { command: words, kind: "terminal", from: name };
  }
  return undefined;
}

/** The files to open: the exercise's editable files that exist, else the first of them. */
export function files_to_open(dir: string, editable: string[]): string[] {
  const existing = editable.filter((f) => !/[*?[]/.test(f) && fs.existsSync(path.join(dir, f)));
  return (existing.length > 0 ? existing : editable.slice(0, 1)).map((f) => path.join(dir, f));
}

/** Starts an editor that runs beside the loop; resolves with an error message if it could not start. */
export function open_beside(editor: Editor, files: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      child = spawn(editor.command[0]!, [...editor.command.slice(1), ...files], { stdio: "ignore", detached: true });
    } catch (error) {
      resolve((error as Error).message);
      return;
    }
    child.once("error", (error) => resolve(error.message));
    child.once("spawn", () => {
      child.unref();
      resolve(undefined);
    });
  });
}

/** Runs a terminal editor on the loop's terminal; resolves with its exit code, or an error message. */
export function open_in_terminal(editor: Editor, files: string[]): Promise<{ code: number } | { error: string }> {
  return new Promise((resolve) => {
    const child = spawn(editor.command[0]!, [...editor.command.slice(1), ...files], { stdio: "inherit" });
    child.once("error", (error) => resolve({ error: error.message }));
    child.once("exit", (code) => resolve({ code: code ?? 1 }));
  });
}
