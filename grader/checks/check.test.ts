// The one outcome shape of the checks and the errors around it: what a failed
// build says (once, by the first check), merging outcomes, the text a student
// reads, a spec's mistake kept apart from the student's.
import { describe, expect, test } from "vitest";
import {
  BaseImageMissingError,
  BuildFailedError,
  build_failure_outcome,
  CheckFailure,
  failure_text,
  GradingError,
  is_exercise_handle,
  lines_fact,
  merge,
  outcome,
  require_config,
  SpecConfigError,
} from "./check.js";
import type { BuildFailure } from "../dockerfile/build-failure.js";

const failure: BuildFailure = {
  kind: "run-failed",
  message: "La commande de la ligne 3 a échoué (code 127).",
  line: 3,
  instruction: "RUN apt-get install -y curl",
  exit_code: 127,
  output_tail: ["sh: 1: apt-get: not found"],
  limit: { limit: "time", value: 300 },
  engine_message: "process did not complete successfully",
};

describe("outcome, merge, lines_fact", () => {
  test("an outcome is ok when it lists no failure; facts only when there are some", () => {
    expect(outcome([])).toEqual({ ok: true, failures: [], output: undefined });
    expect(outcome(["x"], "out", [])).toEqual({ ok: false, failures: ["x"], output: "out" });
    expect(outcome(["x"], undefined, [lines_fact(2)]).facts).toEqual([{ kind: "dockerfile_lines", line: 2 }]);
  });

  test("lines_fact names a range only when it spans lines", () => {
    expect(lines_fact(4, 4)).toEqual({ kind: "dockerfile_lines", line: 4 });
    expect(lines_fact(4, 6)).toEqual({ kind: "dockerfile_lines", line: 4, end_line: 6 });
  });

  test("merge keeps every failure, joins the outputs, keeps the facts", () => {
    const merged = merge(outcome(["a"], "first"), outcome([]), outcome(["b"], "second", [lines_fact(1)]));
    expect(merged).toEqual({ ok: false, failures: ["a", "b"], output: "first\nsecond", facts: [{ kind: "dockerfile_lines", line: 1 }] });
    expect(merge(outcome([]), outcome([]))).toEqual({ ok: true, failures: [], output: undefined });
  });
});

describe("a failed build", () => {
  test("build_failure_outcome: the lead, the build's words, the step's last lines, the limit as a fact", () => {
    const o = build_failure_outcome("L'image ne se construit pas.", failure);
    expect(o.ok).toBe(false);
    expect(o.failures).toEqual(["L'image ne se construit pas.\nLa commande de la ligne 3 a échoué (code 127)."]);
    expect(o.output).toBe("sh: 1: apt-get: not found");
    expect(o.facts).toEqual([
      { kind: "build_failure", failure: "run-failed", line: 3, instruction: "RUN apt-get install -y curl", exit_code: 127, output: ["sh: 1: apt-get: not found"] },
      { kind: "limit", limit: "time", value: 300 },
    ]);
    const bare = build_failure_outcome("x", { kind: "empty-dockerfile", message: "vide", engine_message: "" });
    expect(bare.output).toBeUndefined();
    expect(bare.facts).toEqual([{ kind: "build_failure", failure: "empty-dockerfile" }]);
  });

  test("BuildFailedError: the first check tells the failure and its output, the others point to it", () => {
    const failed = { ok: false as const, failure, steps: [], duration_ms: 10 };
    const first = new BuildFailedError(failed, true);
    const later = new BuildFailedError(failed, false);
    expect(first).toBeInstanceOf(CheckFailure);
    expect(first.message).toContain("La commande de la ligne 3 a échoué");
    expect(first.output).toBe("sh: 1: apt-get: not found");
    expect(later.message).toBe("L'image ne se construit pas : corrigez d'abord l'erreur de build (voir le premier test).");
    expect(later.output).toBeUndefined();
    // The same facts as data, without the output told by the first.
    expect(later.facts?.find((f) => f.kind === "build_failure")).not.toHaveProperty("output");
    expect(later.facts?.find((f) => f.kind === "limit")).toEqual({ kind: "limit", limit: "time", value: 300 });
  });
});

describe("what a student reads", () => {
  test("one failure as it is, several as lines; the advice after", () => {
    expect(failure_text({ failures: ["a"] })).toBe("a");
    expect(failure_text({ failures: ["a"] }, "Relisez la leçon.")).toBe("a Relisez la leçon.");
    expect(failure_text({ failures: ["a", "b"] }, "Relisez la leçon.")).toBe("- a\n- b\nRelisez la leçon.");
  });
});

describe("errors that are not the student's", () => {
  test("a spec's mistake names the matcher and says it is not the Dockerfile", () => {
    expect(() => require_config(true, "jamais")).not.toThrow();
    expect(() => require_config(false, "le port 0 n'existe pas")).toThrow(SpecConfigError);
    const error = new SpecConfigError("le port 0 n'existe pas", "toServeHttp");
    expect(error.message).toBe("Erreur dans le spec de l'exercice (pas dans votre Dockerfile) : toServeHttp : le port 0 n'existe pas");
  });

  test("a missing base image is a grading error of kind base_image, with what to run", () => {
    const error = new BaseImageMissingError("nginx:1.22");
    expect(error).toBeInstanceOf(GradingError);
    expect(error.error_kind).toBe("base_image");
    expect(error.message).toMatch(/nginx:1\.22 est absente.*dockerlings doctor/);
  });

  test("is_exercise_handle recognises the handle by what the checks use of it", () => {
    expect(is_exercise_handle({ image: () => undefined, dockerfile: () => undefined, session: "s" })).toBe(true);
    expect(is_exercise_handle({ image: () => undefined, dockerfile: () => undefined })).toBe(false);
    expect(is_exercise_handle("ex")).toBe(false);
    expect(is_exercise_handle(null)).toBe(false);
  });
});
