// The one reading of a path pattern the checks take (`.env`, `logs/`,
// `**/*.log`), as .dockerignore reads it (moby/patternmatcher): `*` within a
// path component, `?` one character of one, `**` any number of components,
// none included (`**/*.log` names `app.log` too), `\` makes the next character
// literal, everything else literal. Unlike .dockerignore, no `[a-z]` classes:
// the course's patterns name files, and a bracket is read as itself.

/** The regular expression source of a pattern (without anchors). */
export function glob_source(pattern: string): string {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*" && pattern[i + 1] === "*") {
      i++;
      // `**/` is `**`: the slash goes with it.
      if (pattern[i + 1] === "/") i++;
      source += i + 1 >= pattern.length ? ".*" : "(?:.*/)?";
    } else if (c === "*") source += "[^/]*";
    else if (c === "?") source += "[^/]";
    else if (c === "\\" && i + 1 < pattern.length) source += escape(pattern[++i]!);
    else source += escape(c);
  }
  return source;
}

const escape = (c: string): string => c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
