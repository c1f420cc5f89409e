// The one shape every check shares. A check function looks at an image, a
// container or a Dockerfile and returns a CheckOutcome listing every failure
// it found (not only the first); the matcher layer (matchers.ts) turns a
// failed outcome into the CheckFailure a student reads (failure_text). A mistake in the spec itself (an impossible
// port, an empty name) is a SpecConfigError: reported as an error of the
// course, never as the student's failure.
import type { CheckFact, ErrorKind } from "../result.js";
import type { BuildOutcome } from "../engine/build.js";
import type { BuildFailure } from "../dockerfile/build-failure.js";
import type { ExerciseHandle } from "../spec/use-exercise.js";

/**
 * Thrown by a check when the submission is wrong: its message is for the
 * student; `facts` say the same as data (lines of the Dockerfile, a limit hit)
 * for the reports, which never parse the message.
 */
export class CheckFailure extends Error {
  constructor(
    message: string,
    readonly output?: string,
    readonly facts?: CheckFact[],
  ) {
    super(message);
    this.name = "CheckFailure";
  }
}

export class BuildFailedError extends CheckFailure {
  constructor(readonly outcome: Extract<BuildOutcome, { ok: false }>, first: boolean) {
    const failed = build_failure_outcome("L'image ne se construit pas.", outcome.failure);
    // The build's failure is told once, by the first check that meets it: the others say so, its output is the first one's.
    const facts = first ? failed.facts : failed.facts?.map((f) => {
      if (f.kind !== "build_failure") return f;
      const { output: _told_by_the_first, ...fact } = f;
      return fact;
    });
    super(
      first ? failed.failures[0]! : "L'image ne se construit pas : corrigez d'abord l'erreur de build (voir le premier test).",
      first ? failed.output : undefined,
      facts,
    );
    this.name = "BuildFailedError";
  }
}

/**
 * A failed build as a check's failure: `lead` then the build's own words; the
 * failing step's last lines as the output (data on the build_failure fact too,
 * where the terminal finds them to show the whole step instead); the limit the
 * build met, if any, as its fact.
 */
export function build_failure_outcome(lead: string, failure: BuildFailure): CheckOutcome {
  const tail = failure.output_tail?.length ? failure.output_tail : undefined;
  const facts: CheckFact[] = [
    {
      kind: "build_failure",
      failure: failure.kind,
      ...(failure.line !== undefined ? { line: failure.line } : {}),
      ...(failure.instruction !== undefined ? { instruction: failure.instruction } : {}),
      ...(failure.exit_code !== undefined ? { exit_code: failure.exit_code } : {}),
      ...(tail ? { output: tail } : {}),
    },
    ...(failure.limit ? [{ kind: "limit" as const, ...failure.limit }] : []),
  ];
  return outcome([`${lead}\n${failure.message}`], tail?.join("\n"), facts);
}

/**
 * Whether a value is the exercise handle a matcher takes as its subject,
 * recognised by what a check uses of it (so the checks need its type only).
 */
export function is_exercise_handle(value: unknown): value is ExerciseHandle {
  const v = value as Partial<ExerciseHandle> | null;
  return typeof v === "object" && v !== null && typeof v.image === "function" && typeof v.dockerfile === "function" && typeof v.session === "string";
}

export interface CheckOutcome {
  ok: boolean;
  /** One sentence each, in French: what was expected, what was found, what to change. */
  failures: string[];
  /** Extra text shown under the message (logs, output), capped by the runner. */
  output?: string;
  /** What the failures are about, as data (Dockerfile lines, a limit hit): read by the reports. */
  facts?: CheckFact[];
}

export class SpecConfigError extends Error {
  constructor(
    /** What is wrong in the spec, in the spec author's words. */
    readonly detail: string,
    /** The matcher the spec wrote (toServeHttp…), named first in the message: the matcher layer sets it. */
    readonly matcher?: string,
  ) {
    super(`Erreur dans le spec de l'exercice (pas dans votre Dockerfile) : ${matcher ? `${matcher} : ` : ""}${detail}`);
    this.name = "SpecConfigError";
  }
}

/**
 * A check could not look at the submission for a reason that is not the
 * student's (a base image missing on this machine, the engine gone): the
 * runner reports the check as an error, with no points lost, and says what
 * to do. `error_kind` is the data; the message is for the person who can fix it.
 */
export class GradingError extends Error {
  constructor(
    message: string,
    readonly error_kind: ErrorKind,
  ) {
    super(message);
    this.name = "GradingError";
  }
}

/** An image the course needs is not on this machine. */
export class BaseImageMissingError extends GradingError {
  constructor(readonly image: string) {
    super(`L'image ${image} est absente de cette machine : lancez \`dockerlings doctor\` (ou \`bash scripts/setup.sh\`), puis corrigez à nouveau.`, "base_image");
    this.name = "BaseImageMissingError";
  }
}

export function outcome(failures: string[], output?: string, facts?: CheckFact[]): CheckOutcome {
  return { ok: failures.length === 0, failures, output, ...(facts && facts.length > 0 ? { facts } : {}) };
}

/** Facts naming lines of the Dockerfile, for failures about the file itself. */
export function lines_fact(line: number, end_line?: number): CheckFact {
  return { kind: "dockerfile_lines", line, ...(end_line !== undefined && end_line !== line ? { end_line } : {}) };
}

export function merge(...outcomes: CheckOutcome[]): CheckOutcome {
  return outcome(
    outcomes.flatMap((o) => o.failures),
    outcomes
      .map((o) => o.output)
      .filter(Boolean)
      .join("\n") || undefined,
    outcomes.flatMap((o) => o.facts ?? []),
  );
}

/**
 * A failed outcome as the student reads it: its one failure, or each as a
 * "- " line; then the exercise's advice (expect's message), after a space or
 * on a line of its own.
 */
export function failure_text(result: Pick<CheckOutcome, "failures">, advice?: string): string {
  const body = result.failures.length === 1 ? result.failures[0]! : result.failures.map((f) => `- ${f}`).join("\n");
  if (!advice) return body;
  return result.failures.length === 1 ? `${body} ${advice}` : `${body}\n${advice}`;
}

/** Validates a spec's configuration value; throws SpecConfigError when it is impossible. */
export function require_config(condition: boolean, message: string): void {
  if (!condition) throw new SpecConfigError(message);
}
