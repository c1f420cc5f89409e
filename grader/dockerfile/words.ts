// How Docker reads the words of an instruction: split on blanks outside
// quotes, quotes removed, and the escape character (`\`, or the one a
// `# escape=` directive sets) honoured the way BuildKit's shell lexer does.
// Inside double quotes an escape character only escapes `"`, `$` and itself,
// so `"c:\system32\x.sh"` keeps its backslashes; inside single quotes nothing
// is escaped. Variables are kept as written here; `expand_variables` replaces
// them when their values are known.

export interface Word {
  /** The word as written, quotes included. */
  raw: string;
  /** The word as Docker reads it: quotes removed, escapes applied, variables kept. */
  value: string;
  /** Offsets of `raw` in the text that was split. */
  start: number;
  end: number;
}

const BLANK = /[ \t\r\n\f\v]/;

/** Splits a text into words the way Docker's `parseWords` does, then reads each one. */
export function split_words(text: string, escape = "\\"): Word[] {
  const words: Word[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && BLANK.test(text[i]!)) i++;
    if (i >= text.length) break;
    const start = i;
    let quote: string | undefined;
    while (i < text.length) {
      const c = text[i]!;
      if (quote) {
        // In double quotes, the escape character protects the next character from closing them.
        if (c === escape && quote === '"' && i + 1 < text.length) i += 2;
        else {
          if (c === quote) quote = undefined;
          i++;
        }
      } else if (BLANK.test(c)) {
        break;
      } else if (c === escape && i + 1 < text.length) {
        i += 2;
      } else {
        if (c === '"' || c === "'") quote = c;
        i++;
      }
    }
    const raw = text.slice(start, i);
    words.push({ raw, value: unquote_word(raw, escape), start, end: i });
  }
  return words;
}

/**
 * Removes quotes and applies escapes in one word, as BuildKit's lexer does,
 * keeping `$NAME` and `${...}` as written.
 */
export function unquote_word(raw: string, escape = "\\"): string {
  let out = "";
  let i = 0;
  while (i < raw.length) {
    const c = raw[i]!;
    if (c === "'") {
      const end = raw.indexOf("'", i + 1);
      const stop = end === -1 ? raw.length : end;
      out += raw.slice(i + 1, stop);
      i = stop + 1;
    } else if (c === '"') {
      i++;
      while (i < raw.length && raw[i] !== '"') {
        const d = raw[i]!;
        if (d === escape && i + 1 < raw.length && (raw[i + 1] === '"' || raw[i + 1] === "$" || raw[i + 1] === escape)) {
          out += raw[i + 1];
          i += 2;
        } else {
          out += d;
          i++;
        }
      }
      i++;
    } else if (c === escape) {
      if (i + 1 < raw.length) out += raw[i + 1];
      i += 2;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

const VARIABLE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+?])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))|\$\{[^}]*\}/g;

export interface Expansion {
  value: string;
  /** Variables that had no value and no default, so the result is not what Docker will use. */
  unresolved: string[];
}

/**
 * Substitutes `$NAME`, `${NAME}`, `${NAME:-word}`, `${NAME-word}`,
 * `${NAME:+word}`, `${NAME+word}` as Docker does. A variable that is not
 * known (or declared without a value) is listed in `unresolved`; with `:-`
 * or `-` its default is used and it is not listed.
 */
export function expand_variables(text: string, variables: ReadonlyMap<string, string | undefined>): Expansion {
  const unresolved: string[] = [];
  const value = text.replace(VARIABLE, (match, braced: string | undefined, modifier: string | undefined, word: string | undefined, plain: string | undefined) => {
    const name = braced ?? plain;
    if (name === undefined) {
      // `${...}` with a form we do not read: its value is unknown.
      unresolved.push(match);
      return "";
    }
    const declared = variables.has(name);
    const value = variables.get(name);
    const is_set = declared && value !== undefined;
    const non_empty = is_set && value !== "";
    switch (modifier) {
      case ":-":
        return non_empty ? value : (word ?? "");
      case "-":
        return is_set ? value : (word ?? "");
      case ":+":
        if (!declared) unresolved.push(name);
        return non_empty ? (word ?? "") : "";
      case "+":
        if (!declared) unresolved.push(name);
        return is_set ? (word ?? "") : "";
      default:
        if (!is_set) unresolved.push(name);
        return value ?? "";
    }
  });
  return { value, unresolved };
}
