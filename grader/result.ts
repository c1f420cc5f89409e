// The result vocabulary: what grading one exercise gives (the shape of
// Exercism's test-runner results, version 3, plus points), its checks and
// their facts as data. At the bottom of the grader: it imports nothing, and
// everything that makes or reads a result (checks, runner, reports, cohorts,
// the CLI) takes these words from here.
export type Status = "pass" | "fail" | "error";

/** When a student sees a check: always (the default), or only once their deadline has passed (spec: `meta: { visible }`). */
export type CheckVisibility = "always" | "after_deadline";

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
  /** What the failure is about, as data (the message is its text): reports and annotations read these, never the message. */
  facts?: CheckFact[];
  /** How long the check took, measured by the runner. */
  duration_ms?: number;
  /** Set when the student sees this check only after their deadline (absent: always). */
  visible?: "after_deadline";
}

/** Checks not run because the student does not see them yet (`check`, the watch loop): how many, and their weight. */
export interface HeldBack {
  checks: number;
  points: number;
}

/**
 * A fact of a failure, as data. Text in French or English is made from these
 * at the edge (grader/report/, cli/ui/); nothing parses a message back.
 */
export type CheckFact =
  /** The build failed: what kind, where in the Dockerfile, which instruction, and the failing step's last lines as the engine printed them. */
  | { kind: "build_failure"; failure: string; line?: number; end_line?: number; instruction?: string; exit_code?: number; output?: string[] }
  /** A limit of the grader was hit (a container's, a build's, the context's, the output's cap): every check that meets one says so here. */
  | { kind: "limit"; limit: "memory" | "pids" | "time" | "disk" | "context_size" | "output"; value?: number }
  /** A lint finding on the Dockerfile. */
  | { kind: "lint"; code: string; severity: string; line: number; end_line?: number }
  /** A line range of the Dockerfile the failure is about. */
  | { kind: "dockerfile_lines"; line: number; end_line?: number };

/**
 * Why an exercise could not be graded (status "error"): none of these costs the
 * student points. engine: the Docker engine went away or refused; base_image: an
 * image the course needs is missing on this machine; grader: a bug of ours;
 * timeout: one of the grader's own operations timed out; spec: the exercise's spec
 * is wrong. refused is the one that is the student's: the submission could not
 * be staged (a link leading out, a planted test file, too big); it comes with
 * status "fail" and one failed check carrying the exercise's points
 * (runner/verdict.ts, refused_result), never with "error".
 */
export type ErrorKind = "engine" | "base_image" | "grader" | "timeout" | "spec" | "refused";

export interface ExerciseResult {
  version: 3;
  exercise: string;
  status: Status;
  /** Why grading could not happen (status error), or why the submission was refused (error_kind refused). */
  message?: string;
  /** What kind of error, as data (and "refused" on a refused submission's fail). */
  error_kind?: ErrorKind;
  points: number;
  max_points: number;
  tests: CheckResult[];
  duration_ms?: number;
  /**
   * Only in a student's own grading: checks held back until the deadline, not
   * run; `points` and `max_points` are then those of the checks run.
   */
  held_back?: HeldBack;
}

/** An exercise's result as a grading run reports it: the result, and what the submission was. */
export interface GradedExercise extends ExerciseResult {
  title?: string;
  /**
   * Files of the submission that it changed or added but that the exercise
   * does not let the student edit: reported, never graded.
   */
  ignored?: string[];
  /** The submission's folder, relative to the repository root (grader/report/paths.ts), "/"-separated. */
  submission?: string;
}

export const OUTPUT_LIMIT = 500;

/** Caps a text at `limit` characters, keeping the end (where errors are) and saying it was cut. */
export function cap_output(text: string | undefined, limit = OUTPUT_LIMIT): string | undefined {
  if (!text) return undefined;
  if (text.length <= limit) return text;
  const notice = `[… ${text.length - limit} caractères coupés au début]\n`;
  return notice + text.slice(text.length - (limit - notice.length));
}
