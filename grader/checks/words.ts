// How the checks' messages write what they compare: a text or a pattern
// quoted the French way, a count with its noun, a value as JSON.
/** A text an output must contain, or a RegExp it must match. */
export type TextPattern = string | RegExp;

export const quote = (p: TextPattern): string => (typeof p === "string" ? `« ${p} »` : String(p));
export const quote_all = (ps: TextPattern[]): string => ps.map(quote).join(" et ");
export const show = (value: unknown): string => JSON.stringify(value);
export const plural = (count: number, one: string, many: string): string => `${count} ${count === 1 ? one : many}`;

/** A RegExp tested from the start of the text, even a /g one (which keeps its lastIndex between calls). */
export function test_pattern(pattern: RegExp, text: string): boolean {
  pattern.lastIndex = 0;
  return pattern.test(text);
}

/** The text contains the string, or matches the RegExp. */
export const matches = (text: string, p: TextPattern): boolean => (typeof p === "string" ? text.includes(p) : test_pattern(p, text));
