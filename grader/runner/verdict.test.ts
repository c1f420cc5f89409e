// Whose fault an error is, read from the error's data (its name, code, kind),
// never from its message; and a failure's lines from its facts.
import { describe, expect, test } from "vitest";
import { error_advice, error_kind_of, failure_facts, failure_lines } from "./verdict.js";

describe("error_kind_of", () => {
  test("a check's failure (CheckFailure, an assertion, a matcher) is the student's", () => {
    for (const name of ["CheckFailure", "BuildFailedError", "AssertionError", "Error"]) expect(error_kind_of({ name, message: "x" })).toBeUndefined();
  });
  test("each error that is not the student's, by its data", () => {
    expect(error_kind_of({ name: "GradingError", error_kind: "base_image" })).toBe("base_image");
    expect(error_kind_of({ name: "SpecConfigError" })).toBe("spec");
    expect(error_kind_of({ name: "EngineUnavailableError" })).toBe("engine");
    expect(error_kind_of({ name: "Error", code: "ECONNREFUSED" })).toBe("engine");
    expect(error_kind_of({ name: "Error", statusCode: 500 })).toBe("engine");
    expect(error_kind_of({ name: "TypeError" })).toBe("grader");
    expect(error_kind_of({ name: "GradingTimeout" })).toBe("timeout");
    // A message that happens to say "ECONNREFUSED" is still a message.
    expect(error_kind_of({ name: "CheckFailure", message: "connect ECONNREFUSED 127.0.0.1:8080" })).toBeUndefined();
  });
  test("every kind says what to do", () => {
    for (const kind of ["engine", "base_image", "grader", "timeout", "spec", "refused"] as const) expect(error_advice(kind).length).toBeGreaterThan(20);
  });
});

describe("facts and lines", () => {
  test("a failed build's facts are the check's own (BuildFailedError), its line read from them", () => {
    const error = { name: "BuildFailedError", facts: [{ kind: "build_failure", failure: "run-failed", line: 2, exit_code: 7, output: ["jqq: not found"] }] };
    const facts = failure_facts(error);
    expect(facts).toEqual([{ kind: "build_failure", failure: "run-failed", line: 2, exit_code: 7, output: ["jqq: not found"] }]);
    expect(failure_lines(facts)).toEqual([2]);
  });
  test("the check's own facts; a time limit as a fact; no line read from a message", () => {
    const error = { name: "CheckFailure", message: "Ligne 9 : ...", facts: [{ kind: "dockerfile_lines", line: 3 }, { kind: "lint", code: "DL3009", severity: "info", line: 4 }] };
    const facts = failure_facts(error, 24_000);
    expect(facts).toEqual([...error.facts, { kind: "limit", limit: "time", value: 24_000 }]);
    expect(failure_lines(facts)).toEqual([3, 4]);
  });
  test("something that is not a fact is left out", () => {
    expect(failure_facts({ name: "CheckFailure", facts: [{ line: 3 }, "x", null] })).toEqual([]);
  });
});
