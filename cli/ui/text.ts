// Text for a terminal: widths that ignore colour codes, and word wrapping so
// that output stays readable at 80 columns.

const ANSI = /\u001b\[[0-9;?]*[A-Za-z]|\u001b\]8;;[^\u0007\u001b]*(?:\u0007|\u001b\\)/g;

export function strip_ansi(text: string): string {
  return text.replace(ANSI, "");
}

/** Columns a line takes on screen (colour codes take none). */
export function visible_width(text: string): number {
  return [...strip_ansi(text)].length;
}

/** The width to lay text out in: the terminal's, else $COLUMNS, else 80; never under 40. */
export function terminal_width(stream: NodeJS.WriteStream = process.stdout): number {
  const columns = stream.isTTY ? stream.columns : Number(process.env.COLUMNS);
  return Math.max(40, columns && columns > 0 ? columns : 80);
}

/**
 * Wraps each line of `text` at `width` columns, on spaces. A wrapped line's
 * continuation keeps the line's own indentation, plus `hang` more; a word
 * longer than the width (a path, a URL) stays whole on its own line.
 */
export function wrap(text: string, width: number, hang = ""): string {
  return text
    .split("\n")
    .map((line) => wrap_line(line, width, hang))
    .join("\n");
}

function wrap_line(line: string, width: number, hang: string): string {
  if (visible_width(line) <= width) return line;
  const indent = /^[ \t]*(?:(?:[-*•·|>]|\d+\.) )?/.exec(strip_ansi(line))?.[0] ?? "";
  const continuation = " ".repeat(indent.length) + hang;
  const head = line.slice(0, line.length - line.trimStart().length);
  const words = glue_french_marks(line.trimStart().split(/ +/));
  const out: string[] = [];
  let current = head;
  let current_width = visible_width(head);
  let has_word = false;
  for (const word of words) {
    const w = visible_width(word);
    if (has_word && current_width + 1 + w > width) {
      out.push(current);
      current = continuation + word;
      current_width = visible_width(continuation) + w;
      continue;
    }
    current += has_word ? ` ${word}` : word;
    current_width += has_word ? 1 + w : w;
    has_word = true;
  }
  out.push(current);
  return out.join("\n").replaceAll(GLUE, " ");
}

/**
 * French sets a space before « ? », « : », « ! », « ; » and « » », and after « « »:
 * a break there would start a line with the mark. The mark stays on its word's
 * line: it is joined to its word by GLUE while wrapping, a plain space again in
 * the output (tests and students read the same text as before).
 */
const GLUE = "\u{F8FF}";
function glue_french_marks(words: string[]): string[] {
  const out: string[] = [];
  for (const word of words) {
    const last = out.length - 1;
    if (last >= 0 && (/^[?!:;»](?![\p{L}\p{N}/])/u.test(strip_ansi(word)) || strip_ansi(out[last]!).endsWith("«"))) {
      out[last] += `${GLUE}${word}`;
    } else out.push(word);
  }
  return out;
}

/** Cuts a single line to `width` columns with an ellipsis (colour codes dropped if cut). */
export function truncate(text: string, width: number): string {
  if (visible_width(text) <= width) return text;
  return `${[...strip_ansi(text)].slice(0, Math.max(0, width - 1)).join("")}…`;
}

export function pad_end(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - visible_width(text)));
}

/** Prefixes every line of `text`. */
export function indent(text: string, prefix: string): string {
  return text
    .split("\n")
    .map((line) => prefix + line)
    .join("\n");
}
