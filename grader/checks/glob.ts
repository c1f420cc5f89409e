// The one reading of a path pattern the checks take (`.env`, `logs/`,
// `**/*.log`): `*` within a path component, `**` across them, `?` one
// character, everything else literal, as .dockerignore reads them.

/** The regular expression source of a pattern (without anchors). */
export function glob_source(pattern: string): string {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*" && pattern[i + 1] === "*") {
      source += ".*";
      i++;
    } else if (c === "*") source += "[^/]*";
    else if (c === "?") source += "[^/]";
    else source += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return source;
}
