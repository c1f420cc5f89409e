// Support for the build-cache checks: a throw-away copy of a submission with
// some files changed, to rebuild it and see which steps BuildKit takes from
// its cache. The copy lives in the system's temporary folder and is removed by
// its owner right after the build (the student's folder is never touched).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** New content, null to delete the file, or a function of the current content (undefined when absent). */
export type FileChange = string | Uint8Array | null | ((current: string | undefined) => string | Uint8Array | null);

/** Paths relative to the submission folder, "/"-separated. */
export type ChangeSet = Record<string, FileChange>;

export interface SubmissionCopy {
  dir: string;
  /** The paths whose bytes really changed (created, modified or deleted). */
  changed: string[];
  remove(): void;
}

/** Why a path cannot be changed in a copy of `dir`, or undefined when it can. */
export function change_path_problem(relative: string): string | undefined {
  if (relative.trim() === "") return "un chemin vide";
  if (path.isAbsolute(relative) || /^[A-Za-z]:/.test(relative)) return `« ${relative} » est un chemin absolu`;
  const normal = path.posix.normalize(relative.replace(/\\/g, "/"));
  if (normal === "." || normal === "..") return `« ${relative} » désigne le dossier lui-même`;
  if (normal.startsWith("../")) return `« ${relative} » sort du dossier de la soumission`;
  return undefined;
}

/** Copies `dir` to a new temporary folder and applies `changes` there. */
export function copy_with_changes(dir: string, changes: ChangeSet): SubmissionCopy {
  for (const relative of Object.keys(changes)) {
    const problem = change_path_problem(relative);
    if (problem) throw new Error(`copy_with_changes: ${problem}`);
  }
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), "dockerlings-cache-"));
  const remove = (): void => fs.rmSync(copy, { recursive: true, force: true });
  try {
    // Links are copied as they are: the context planner judges them as it judged the original.
    fs.cpSync(dir, copy, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
    const changed: string[] = [];
    for (const [relative, change] of Object.entries(changes)) {
      const target = path.join(copy, path.posix.normalize(relative.replace(/\\/g, "/")));
      const before = fs.existsSync(target) && fs.statSync(target).isFile() ? fs.readFileSync(target) : undefined;
      const next = typeof change === "function" ? change(before?.toString("utf8")) : change;
      if (next === null) {
        if (before !== undefined) {
          fs.rmSync(target, { force: true });
          changed.push(relative);
        }
        continue;
      }
      const bytes = typeof next === "string" ? Buffer.from(next, "utf8") : Buffer.from(next);
      if (before !== undefined && before.equals(bytes)) continue;
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, bytes);
      changed.push(relative);
    }
    return { dir: copy, changed, remove };
  } catch (error) {
    remove();
    throw error;
  }
}
