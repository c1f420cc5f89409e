// Lines of a YAML file, for problems that name where they are: the line of a
// field (or of the key zod rejected), of a list item, or of a syntax error.
import { isMap, LineCounter, parseDocument, type Document } from "yaml";

export interface YamlFile {
  document: Document;
  /** The value, or undefined when the file does not parse. */
  value: unknown;
  /** The first syntax error, with its line. */
  error?: { line: number; message: string };
  /** The line of the node at `path` (1-based), or of its closest existing parent. */
  line(path: (string | number)[]): number | undefined;
  /** The line of `key` inside the mapping at `path`. */
  key_line(path: (string | number)[], key: string): number | undefined;
}

export function read_yaml(text: string): YamlFile {
  const counter = new LineCounter();
  const document = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  const at = (offset: number | undefined) => (offset === undefined ? undefined : counter.linePos(offset).line);
  const first_error = document.errors[0];
  const line = (path: (string | number)[]): number | undefined => {
    for (let n = path.length; n > 0; n--) {
      const node = document.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === "object" && node.range) return at(node.range[0]);
    }
    return undefined;
  };
  return {
    document,
    value: first_error ? undefined : document.toJS(),
    ...(first_error ? { error: { line: at(first_error.pos[0]) ?? 1, message: first_error.message.split("\n")[0]! } } : {}),
    line,
    key_line(path, key) {
      const map = path.length === 0 ? document.contents : document.getIn(path, true);
      if (isMap(map)) {
        const pair = map.items.find((item) => (item.key as { value?: unknown } | null)?.value === key);
        const range = (pair?.key as { range?: [number, number, number] } | null)?.range;
        if (range) return at(range[0]);
      }
      return line(path);
    },
  };
}
