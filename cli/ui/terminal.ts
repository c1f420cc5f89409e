// What the student's terminal is asked to do, decided once for the CLI:
// accessible output (ACCESSIBLE=1 or --accessible: lines only ever
// appended, words for every symbol, for screen readers), and file paths as
// hyperlinks (OSC 8) where the terminal shows them.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createSupportsHyperlinks } from "supports-hyperlinks";

/** ACCESSIBLE=1 (or --accessible, which sets it): nothing repainted, no spinner, words instead of symbols. */
export function accessible(): boolean {
  const value = process.env.ACCESSIBLE;
  return value !== undefined && value !== "" && value !== "0" && value.toLowerCase() !== "false";
}

/**
 * Whether paths are printed as OSC 8 hyperlinks: on a terminal that shows
 * them (supports-hyperlinks reads the environment; FORCE_HYPERLINK=1 or 0
 * decides), never in accessible mode, and not in VS Code's terminal, which
 * makes paths clickable itself (rustlings does the same).
 */
export function hyperlinks(stream: NodeJS.WriteStream = process.stdout): boolean {
  return !accessible() && (process.env.FORCE_HYPERLINK !== undefined || process.env.TERM_PROGRAM !== "vscode") && createSupportsHyperlinks(stream);
}

/** `shown` as a hyperlink to the file `file` where the terminal supports it, else `shown` as it is. */
export function file_link(file: string, shown: string, stream: NodeJS.WriteStream = process.stdout): string {
  if (!hyperlinks(stream)) return shown;
  return `\u001b]8;;${pathToFileURL(path.resolve(file)).href}\u001b\\${shown}\u001b]8;;\u001b\\`;
}

/**
 * Files of a folder as a sentence names them, each a hyperlink where the
 * terminal shows them: "Dockerfile, Dockerfile.outils ou .dockerignore"
 * (`last_word` before the last), or separated by commas only.
 */
export function file_list(dir: string, files: string[], last_word?: string, stream: NodeJS.WriteStream = process.stdout): string {
  const names = files.map((f) => file_link(path.join(dir, f), f, stream));
  if (!last_word || names.length < 2) return names.join(", ");
  return `${names.slice(0, -1).join(", ")} ${last_word} ${names[names.length - 1]}`;
}
