// The instructions Docker knows, and the one a misspelt keyword was most
// likely meant to be (for the build-failure locator and DL1000's message).

export const KNOWN_INSTRUCTIONS = [
  "FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT",
  "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL",
] as const;

const KNOWN = new Set<string>(KNOWN_INSTRUCTIONS);

export function is_known_instruction(keyword: string): boolean {
  return KNOWN.has(keyword.toUpperCase());
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = current;
    }
  }
  return row[b.length]!;
}

/** The known instruction closest to a misspelt one, if close enough to be a typo. */
export function suggest_instruction(keyword: string): string | undefined {
  let best: string | undefined;
  let best_distance = Infinity;
  for (const known of KNOWN_INSTRUCTIONS) {
    const d = distance(keyword.toUpperCase(), known);
    if (d < best_distance) {
      best = known;
      best_distance = d;
    }
  }
  return best_distance <= 2 ? best : undefined;
}
