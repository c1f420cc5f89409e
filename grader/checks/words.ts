// How the checks' messages write what they compare: a text quoted the French
// way, a pattern by the words the spec gives it (never the RegExp itself: a
// student does not read /Ran [1-9]\d* tests?/), a count with its noun, a
// value as JSON.

/** A pattern and the words a student reads for it: { matches: /^OK$/m, shown: "« OK » seul sur une ligne" }. */
export interface Described {
  matches: RegExp;
  /** What the pattern looks for, in the course's words (quotes included when it is a text). */
  shown: string;
}

/** What an output, a body or a file must contain, as a message names it: a text, or a pattern with its words. */
export type Expected = string | Described;

/** A pattern only the grader reads, never shown (when to add an explanation, a line to wait for). */
export type TextPattern = string | RegExp;

export const is_described = (p: unknown): p is Described =>
  typeof p === "object" && p !== null && (p as Described).matches instanceof RegExp && typeof (p as Described).shown === "string";

export const quote = (p: Expected): string => (typeof p === "string" ? `« ${p} »` : p.shown);
export const quote_all = (ps: Expected[]): string => ps.map(quote).join(" et ");
export const show = (value: unknown): string => JSON.stringify(value);
export const plural = (count: number, one: string, many: string): string => `${count} ${count === 1 ? one : many}`;

/** A RegExp tested from the start of the text, even a /g one (which keeps its lastIndex between calls). */
export function test_pattern(pattern: RegExp, text: string): boolean {
  pattern.lastIndex = 0;
  return pattern.test(text);
}

/** The text contains the string, or matches the pattern. */
export const matches = (text: string, p: Expected | TextPattern): boolean =>
  typeof p === "string" ? text.includes(p) : p instanceof RegExp ? test_pattern(p, text) : test_pattern(p.matches, text);
