// A check function's outcome, asserted in a test: passes quietly, or fails
// with the message a student would read (every failure, as the matchers write it).
import { CheckFailure, failure_text, type CheckOutcome } from "../../grader/checks/check.js";

export async function must(result: CheckOutcome | Promise<CheckOutcome>): Promise<void> {
  const outcome = await result;
  if (!outcome.ok) throw new CheckFailure(failure_text(outcome), outcome.output, outcome.facts);
}
