// A Dockerfile as some editors save it, each way apart (for the model's own
// test) or all together (for a grading): what BuildKit reads the same.
import { read_dockerfile } from "../../grader/dockerfile/index.js";

/** A UTF-8 byte-order mark at the start (Notepad, some Windows editors). */
export const with_bom = (text: string): string => `\uFEFF${text}`;
/** CRLF line ends (Windows). */
export const with_crlf = (text: string): string => text.replace(/\r?\n/g, "\r\n");
/** No newline after the last line. */
export const without_final_newline = (text: string): string => text.replace(/(\r?\n)+$/, "");

/** Instruction lines: where each instruction starts, as the model reads them (comments and continuations are not). */
function instruction_lines(text: string): Set<number> {
  return new Set(read_dockerfile(text).instructions.map((i) => i.line - 1));
}

/** A tab after each instruction's keyword, and tabs to indent the continuation lines. */
export function with_tabs(text: string): string {
  const starts = instruction_lines(text);
  return text
    .split("\n")
    .map((line, i) => (starts.has(i) ? line.replace(/^(\s*[A-Za-z]+) /, "$1\t") : line.replace(/^ {2,}/, "\t")))
    .join("\n");
}

/** Every instruction's keyword in lowercase, and `as` for a stage's name. */
export function in_lowercase(text: string): string {
  const starts = instruction_lines(text);
  return text
    .split("\n")
    .map((line, i) => {
      if (!starts.has(i)) return line;
      const lowered = line.replace(/^(\s*)([A-Za-z]+)/, (_m, space: string, keyword: string) => space + keyword.toLowerCase());
      return /^\s*from\s/i.test(lowered) ? lowered.replace(/\sAS(\s+\S+\s*)$/, " as$1") : lowered;
    })
    .join("\n");
}

export const EDITOR_WAYS = { with_bom, with_crlf, without_final_newline, with_tabs, in_lowercase } as const;

/** All five at once (the tabs and lowercase first: they read the model of a plain text). */
export const editor_variant = (text: string): string => with_bom(with_crlf(without_final_newline(in_lowercase(with_tabs(text)))));
