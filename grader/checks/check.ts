// The one shape every check shares. A check function looks at an image, a
// container or a Dockerfile and returns a CheckOutcome listing every failure
// it found (not only the first); `report` turns a failed outcome into the
// CheckFailure a student reads. A mistake in the spec itself (an impossible
// port, an empty name) is a SpecConfigError: reported as an error of the
// course, never as the student's failure.
import { CheckFailure } from "../spec/use-exercise.js";

export interface CheckOutcome {
  ok: boolean;
  /** One sentence each, in French: what was expected, what was found, what to change. */
  failures: string[];
  /** Extra text shown under the message (logs, output), capped by the runner. */
  output?: string;
}

export class SpecConfigError extends Error {
  constructor(message: string) {
    super(`Erreur dans le spec de l'exercice (pas dans votre Dockerfile) : ${message}`);
    this.name = "SpecConfigError";
  }
}

export function outcome(failures: string[], output?: string): CheckOutcome {
  return { ok: failures.length === 0, failures, output };
}

export function merge(...outcomes: CheckOutcome[]): CheckOutcome {
  return outcome(
    outcomes.flatMap((o) => o.failures),
    outcomes
      .map((o) => o.output)
      .filter(Boolean)
      .join("\n") || undefined,
  );
}

/** Throws a CheckFailure listing every failure of the outcome; returns quietly when it passed. */
export function report(result: CheckOutcome): void {
  if (result.ok) return;
  const message = result.failures.length === 1 ? result.failures[0]! : result.failures.map((f) => `- ${f}`).join("\n");
  throw new CheckFailure(message, result.output);
}

/** Validates a spec's configuration value; throws SpecConfigError when it is impossible. */
export function require_config(condition: boolean, message: string): void {
  if (!condition) throw new SpecConfigError(message);
}
