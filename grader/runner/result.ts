// The result of grading one exercise: the shape of Exercism's test-runner
// results (version 3) plus points. One object feeds every output format.
export type Status = "pass" | "fail" | "error";

export interface CheckResult {
  name: string;
  status: Status;
  message?: string;
  /** At most OUTPUT_LIMIT characters, with a notice when cut. */
  output?: string;
  points: number;
  max_points: number;
  /** Lines of the submission's Dockerfile this failure is about (build or lint), when known. */
  lines?: number[];
}

export interface ExerciseResult {
  version: 3;
  exercise: string;
  status: Status;
  /** Only when status is error: why grading could not happen. */
  message?: string;
  points: number;
  max_points: number;
  tests: CheckResult[];
  duration_ms?: number;
}

export const OUTPUT_LIMIT = 500;

/** Caps a text at `limit` characters, keeping the end (where errors are) and saying it was cut. */
export function cap_output(text: string | undefined, limit = OUTPUT_LIMIT): string | undefined {
  if (!text) return undefined;
  if (text.length <= limit) return text;
  const notice = `[… ${text.length - limit} caractères coupés au début]\n`;
  return notice + text.slice(text.length - (limit - notice.length));
}
