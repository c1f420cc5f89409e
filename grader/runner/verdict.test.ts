// Whose fault an error is, read from the error's data (its name, code, kind),
// never from its message; and a failure's lines from its facts.
import { describe, expect, test } from "vitest";
import { error_advice, error_kind_of, failure_facts, failure_lines, once_per_verdict } from "./verdict.js";

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

describe("once_per_verdict: each piece of advice once per verdict", () => {
  const fail = (name: string, message: string) => ({ name, status: "fail" as const, message, points: 0, max_points: 1 });
  const ADVICE = "Lisez le digest après le push : CATALOGUE=$(docker inspect --format '{{index .RepoDigests 0}}' localhost:5000/catalogue:1.4.2).";
  const CAUSE = "Ligne 12 (docker push catalogue:1.4.2) : catalogue:1.4.2 ne nomme pas de registre, docker push l'enverrait sur Docker Hub.";

  test("a cause several checks meet is said under the first, the others name it", () => {
    const tests = once_per_verdict([
      { name: "se construit", status: "pass", points: 1, max_points: 1 },
      fail("le script s'exécute", CAUSE),
      fail("le registre a catalogue", CAUSE),
      fail("rapport:1.0.0 est poussé", `${CAUSE} ${ADVICE}`),
    ]);
    expect(tests[1]!.message).toBe(CAUSE);
    expect(tests[2]!.message).toBe("Même cause que pour « le script s'exécute », plus haut.");
    // Its own advice is new: kept, and the repeated cause named.
    expect(tests[3]!.message).toBe(`${ADVICE}\n(La suite est dite plus haut, pour « le script s'exécute ».)`);
  });

  test("a line that introduced the repeated cause goes with it", () => {
    const intro = "Le correcteur n'exécute pas un script qu'il ne sait pas lire :";
    const tests = once_per_verdict([fail("le script se lit", CAUSE), fail("le rapport est poussé", `${intro}\n${CAUSE}\n${ADVICE}`)]);
    expect(tests[1]!.message).toBe(`${ADVICE}\n(La suite est dite plus haut, pour « le script se lit ».)`);
    expect(once_per_verdict([fail("a", CAUSE), fail("b", `${intro}\n${CAUSE}`)])[1]!.message).toBe("Même cause que pour « a », plus haut.");
  });

  test("short sentences and indented listings are kept; a check is never told to look at itself", () => {
    const listing = "Instructions du build après la modification :\n  [2/6] WORKDIR /app : cache";
    const tests = once_per_verdict([fail("a", `Lisez sa sortie ci-dessous. ${listing}`), fail("b", `Lisez sa sortie ci-dessous. ${listing}`)]);
    expect(tests.map((t) => t.message)).toEqual([`Lisez sa sortie ci-dessous. ${listing}`, `Lisez sa sortie ci-dessous. ${listing}`]);
    // Within one message, the repeat is left out without a reference.
    const soft = once_per_verdict([fail("a", `- ${CAUSE}\n- ${CAUSE}`), fail("b", `GET /a : 404. ${ADVICE}\nGET /b : 404. ${ADVICE}`)]);
    expect(soft[0]!.message).toBe(`- ${CAUSE}`);
    expect(soft[1]!.message).toBe(`GET /a : 404. ${ADVICE}\nGET /b : 404.`);
  });
});
