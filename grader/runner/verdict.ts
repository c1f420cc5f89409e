// From vitest's results to an ExerciseResult: one check per test, its points
// from the test's meta, its facts from the error the check threw (as data,
// never read back from the message). Whose fault a failure is decides its
// status: the student's mistake is "fail" (points lost); a problem of the
// machine, the engine, the course or the grader is "error" with an
// error_kind, and costs no points: the exercise is to be graded again.
import type { TestCase, TestModule } from "vitest/node";
import type { Exercise } from "../course/course.js";
import { limit_messages, default_limits } from "../config/limits.js";
import { cap_output, OUTPUT_LIMIT, type CheckFact, type CheckResult, type ErrorKind, type ExerciseResult, type HeldBack } from "../result.js";
import { HELD_BACK } from "./worker-protocol.js";

/** A thrown error as vitest hands it over from the worker (serialised: own properties kept). */
export interface SpecError {
  name?: string;
  message?: string;
  output?: string;
  /** The failure's facts (CheckFailure.facts, a failed build's among them). */
  facts?: unknown;
  /** Node's error code (ECONNREFUSED, ...) or ours (ENGINE_UNAVAILABLE). */
  code?: unknown;
  /** dockerode: the engine's HTTP status. */
  statusCode?: unknown;
  /** GradingError (grader/checks/check.ts): a check says whose fault it is, as data. */
  error_kind?: unknown;
}

const ERROR_KINDS = new Set<ErrorKind>(["engine", "base_image", "grader", "timeout", "spec", "refused"]);
/** Node's codes for a connection that could not be made or was cut: the engine went away. */
const CONNECTION_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ENOENT", "EACCES", "ETIMEDOUT", "EHOSTUNREACH", "ENGINE_UNAVAILABLE"]);
/** JavaScript's own errors: a bug in code, the spec's or the grader's, never the student's. */
const PROGRAM_ERRORS = new Set(["TypeError", "ReferenceError", "RangeError", "SyntaxError", "EvalError", "URIError"]);

/** Whose fault an error thrown by a check is: undefined when it is the student's (a failed check). */
export function error_kind_of(error: SpecError | undefined): ErrorKind | undefined {
  if (!error) return undefined;
  if (typeof error.error_kind === "string" && ERROR_KINDS.has(error.error_kind as ErrorKind)) return error.error_kind as ErrorKind;
  if (error.name === "SpecConfigError") return "spec";
  if (error.name === "EngineUnavailableError") return "engine";
  if (typeof error.code === "string" && CONNECTION_CODES.has(error.code)) return "engine";
  // The engine answered with its own failure (dockerode's statusCode): not a check's verdict.
  if (typeof error.statusCode === "number" && error.statusCode >= 500) return "engine";
  if (error.name === "GradingTimeout") return "timeout";
  if (error.name && PROGRAM_ERRORS.has(error.name)) return "grader";
  return undefined;
}

/** What to do about an error, for whoever reads it (a student at `check`, a teacher at `grade`). */
export function error_advice(kind: ErrorKind): string {
  switch (kind) {
    case "engine":
      return "Le moteur Docker a cessé de répondre pendant la correction : ce n'est pas une erreur de votre Dockerfile. Vérifiez `docker info`, puis relancez la correction (enseignant : corrigez à nouveau cet exercice).";
    case "base_image":
      return "Une image de base du cours manque sur cette machine : ce n'est pas une erreur de votre Dockerfile. Créez-la (`scripts/base-images.sh`, `dockerlings doctor` liste celles qui manquent), puis relancez la correction (enseignant : corrigez à nouveau cet exercice).";
    case "grader":
      return "Erreur interne du correcteur : ce n'est pas une erreur de votre Dockerfile. Relancez la correction ; si elle se répète, signalez-la avec ce message (enseignant : corrigez à nouveau cet exercice).";
    case "timeout":
      return "Une opération du correcteur lui-même a dépassé son temps (machine surchargée ?) : ce n'est pas une erreur de votre Dockerfile. Relancez la correction (enseignant : corrigez à nouveau cet exercice).";
    case "spec":
      return "Le spec de l'exercice est en faute, pas votre Dockerfile : signalez-le à l'auteur du cours (enseignant : corrigez à nouveau une fois le spec réparé).";
    case "refused":
      return "La soumission n'a pas pu être préparée : corrigez ce qui est dit ci-dessus, puis relancez la correction.";
  }
}

function clean_message(message: string): string {
  // Vitest prefixes assertion messages with the custom text: keep it readable.
  return message.replace(/^AssertionError: /, "").replace(/\u001b\[[0-9;]*m/g, "").trim();
}

const is_fact = (value: unknown): value is CheckFact =>
  typeof value === "object" && value !== null && typeof (value as { kind?: unknown }).kind === "string";

/** The facts a failure carries: the check's own (a failed build's, a limit it met), and the time limit when the check was stopped by it. */
export function failure_facts(error: SpecError | undefined, timed_out_ms?: number): CheckFact[] {
  const facts: CheckFact[] = Array.isArray(error?.facts) ? error.facts.filter(is_fact) : [];
  if (timed_out_ms !== undefined) facts.push({ kind: "limit", limit: "time", value: timed_out_ms });
  return facts;
}

/** The Dockerfile lines a failure is about, from its facts. */
export function failure_lines(facts: CheckFact[]): number[] | undefined {
  const lines = new Set<number>();
  for (const fact of facts) {
    if ((fact.kind === "build_failure" || fact.kind === "lint" || fact.kind === "dockerfile_lines") && fact.line !== undefined) lines.add(fact.line);
  }
  return lines.size > 0 ? [...lines].sort((a, b) => a - b) : undefined;
}

/** A check stopped by its time limit: vitest's result says it failed after running its whole timeout. */
function timed_out(test: TestCase): number | undefined {
  const timeout = test.options.timeout;
  const duration = test.diagnostic()?.duration;
  if (!timeout || duration === undefined) return undefined;
  return duration >= timeout - 5 ? timeout : undefined;
}

/** A container limit named from its fact, in the student's words. */
function container_limit_text(fact: CheckFact): string | undefined {
  if (fact.kind !== "limit") return undefined;
  const limits = default_limits();
  if (fact.limit === "memory") return limit_messages.container_memory(fact.value ?? limits.memory_bytes);
  if (fact.limit === "pids") return limit_messages.container_pids(fact.value ?? limits.pids);
  if (fact.limit === "time") return limit_messages.container_timeout(fact.value ?? limits.timeout_ms);
  return undefined;
}

function failure_message(error: SpecError | undefined, timeout_ms: number | undefined, facts: CheckFact[]): string {
  if (timeout_ms !== undefined) {
    return (
      `La vérification a dépassé sa limite de temps : ${Math.round(timeout_ms / 1000)} s, construction de l'image comprise. ` +
      "Le conteneur attend-il une saisie, ou une commande tourne-t-elle sans fin ?"
    );
  }
  const message = clean_message(error?.message ?? "échec");
  // A build's limit is said by the build's own message; a container's is added here, from its fact.
  const limit = facts.some((f) => f.kind === "build_failure") ? undefined : facts.map(container_limit_text).find(Boolean);
  return limit ? `${message}\nLimite atteinte : ${limit}.` : message;
}

/**
 * One check's errors as one: `expect.soft` lets a check record several
 * failures, each with its message, output and facts; an error that is not the
 * student's (error_kind, a program error) decides for the whole check.
 */
function merged_errors(errors: SpecError[]): SpecError | undefined {
  if (errors.length <= 1) return errors[0];
  const decisive = errors.find((e) => error_kind_of(e) !== undefined);
  if (decisive) return decisive;
  const messages = errors.map((e) => clean_message(e.message ?? ""));
  return {
    ...errors[0],
    message: messages.map((m) => (m.startsWith("- ") ? m : `- ${m}`)).join("\n"),
    output: errors.map((e) => e.output).filter(Boolean).join("\n\n") || undefined,
    facts: errors.flatMap((e) => (Array.isArray(e.facts) ? e.facts : [])),
  };
}

/** A check the student does not see yet, skipped by a grading of their own (warm-start.ts). */
function held_back(test: TestCase): boolean {
  const result = test.result();
  return result.state === "skipped" && result.note === HELD_BACK;
}

export function check_result(test: TestCase): CheckResult & { error_kind?: ErrorKind } {
  const weight = test.meta().points ?? 1;
  const result = test.result();
  const duration_ms = test.diagnostic()?.duration;
  // Said on the result, so that a report for the student hides it until their deadline.
  const timing = { ...(duration_ms !== undefined ? { duration_ms: Math.round(duration_ms) } : {}), ...(test.meta().visible === "after_deadline" ? { visible: "after_deadline" as const } : {}) };
  if (result.state === "passed") return { name: test.name, status: "pass", points: weight, max_points: weight, ...timing };
  if (result.state === "failed") {
    const error = merged_errors(result.errors as unknown as SpecError[]);
    const timeout_ms = timed_out(test);
    const kind = timeout_ms === undefined ? error_kind_of(error) : undefined;
    const output = cap_output(error?.output);
    // The output cut to its cap is a limit met too: the reports say so from this fact.
    const cut = (error?.output?.length ?? 0) > OUTPUT_LIMIT;
    const facts = [...failure_facts(error, timeout_ms), ...(cut ? [{ kind: "limit" as const, limit: "output" as const, value: OUTPUT_LIMIT }] : [])];
    const lines = failure_lines(facts);
    const message = failure_message(error, timeout_ms, facts);
    return {
      name: test.name,
      status: kind ? "error" : "fail",
      message: kind ? `${message}\n${error_advice(kind)}` : message,
      output,
      points: 0,
      max_points: weight,
      ...(lines ? { lines } : {}),
      ...(facts.length > 0 ? { facts } : {}),
      ...(kind ? { error_kind: kind } : {}),
      ...timing,
    };
  }
  return { name: test.name, status: "fail", message: "vérification non exécutée", points: 0, max_points: weight, ...timing };
}

/** An exercise that could not be graded: no points counted, what to do said. */
export function error_result(exercise: Exercise, kind: ErrorKind, why: string, tests: CheckResult[] = []): ExerciseResult {
  return {
    version: 3,
    exercise: exercise.id,
    status: "error",
    error_kind: kind,
    // A refusal already says what to change in the submission.
    message: kind === "refused" ? why : `${why}\n${error_advice(kind)}`,
    points: 0,
    max_points: exercise.points,
    tests,
  };
}

/** The one check a refused submission gets: its points are at stake, and lost until the student fixes what the message names. */
export const REFUSAL_CHECK = "la soumission peut être corrigée";

/**
 * A submission that could not be staged (a link leading out of its folder, a
 * planted test file, too big): the student's to fix, so a fail with what to
 * change, never a grader error. One failing check carries the exercise's
 * points, so that every format counts them as lost and says why.
 */
export function refused_result(exercise: Pick<Exercise, "id" | "points">, why: string): ExerciseResult {
  return {
    version: 3,
    exercise: exercise.id,
    status: "fail",
    error_kind: "refused",
    message: why,
    points: 0,
    max_points: exercise.points,
    tests: [{ name: REFUSAL_CHECK, status: "fail", message: why, points: 0, max_points: exercise.points }],
  };
}

export function exercise_result(exercise: Exercise, module: TestModule | undefined): ExerciseResult {
  if (!module) return error_result(exercise, "grader", "le spec n'a pas été exécuté.");
  const all = [...module.children.allTests()];
  const held = all.filter(held_back);
  const checks = all.filter((test) => !held_back(test)).map(check_result);
  // Held back: the result is out of the checks run, and says what it leaves out.
  const held_points = held.reduce((sum, t) => sum + (t.meta().points ?? 1), 0);
  const worth: { max_points: number; held_back?: HeldBack } =
    held.length > 0 ? { max_points: exercise.points - held_points, held_back: { checks: held.length, points: held_points } } : { max_points: exercise.points };
  const module_errors = module.errors() as SpecError[];
  if (all.length === 0 || (module_errors.length > 0 && checks.every((t) => t.status !== "pass"))) {
    const error = module_errors[0];
    const why = error?.message ?? "le spec ne contient aucune vérification";
    return error_result(exercise, error_kind_of(error) ?? "spec", `le spec n'a pas pu s'exécuter : ${clean_message(why)}`, strip(checks));
  }
  const tests = once_per_verdict(strip(checks));
  const points = tests.reduce((sum, t) => sum + t.points, 0);
  // The first check that is not the student's fault makes the exercise's error: it is graded again, whatever the rest.
  const not_theirs = checks.find((t) => t.error_kind);
  const base = { version: 3 as const, exercise: exercise.id, ...worth, tests, duration_ms: Math.round(module.diagnostic().duration) };
  if (not_theirs) return { ...base, status: "error", error_kind: not_theirs.error_kind, message: not_theirs.message, points };
  return { ...base, status: tests.every((t) => t.status === "pass") ? "pass" : "fail", points };
}

/** A sentence long enough to be advice or a cause, not a label (« Lisez sa sortie ci-dessous. »). */
const SHARED_SENTENCE_CHARS = 40;
const sentences_long_enough = (line: string): boolean => !/^\s/.test(line) && line.trim().length >= SHARED_SENTENCE_CHARS;

/**
 * Each piece of advice, each cause, printed once per verdict: a sentence a
 * failed check's message repeats from an earlier check's (the same advice
 * given to several checks, one failed publication seen by five) is left out,
 * and the check names the earlier one instead; one a message repeats itself
 * (two requests of one check meeting the same cause) is left out silently. A listing (its header ending
 * with « : », its indented lines) and short sentences are kept as they are.
 */
export function once_per_verdict(tests: CheckResult[]): CheckResult[] {
  const said = new Map<string, string>();
  return tests.map((test) => {
    if (test.status === "pass" || !test.message) return test;
    const first_seen: string[] = [];
    const here = new Set<string>();
    let dropped_here = false;
    let kept_any = false;
    const original = test.message.split("\n");
    const lines = original.map((line, i) => {
      // A listing's lines and its header (« Couches au-dessus de … : » before indented lines) belong to this check.
      if (/^\s/.test(line) || (/:\s*$/.test(line) && /^\s/.test(original[i + 1] ?? ""))) return line;
      const bullet = /^- /.test(line) ? "- " : "";
      const sentences = line.slice(bullet.length).split(/(?<=[.!?])\s+(?=[A-ZÀ-Ý«(`"0-9])/);
      const kept = sentences.filter((sentence) => {
        const key = sentence.trim();
        if (key.length < SHARED_SENTENCE_CHARS) return true;
        // Said a moment ago in this same message (two requests, two soft checks meeting one cause): once is enough.
        if (here.has(key)) {
          dropped_here = true;
          return false;
        }
        here.add(key);
        const earlier = said.get(key);
        if (earlier !== undefined && earlier !== test.name) {
          if (!first_seen.includes(earlier)) first_seen.push(earlier);
          return false;
        }
        said.set(key, test.name);
        return true;
      });
      if (kept.some((k) => k.trim().length >= SHARED_SENTENCE_CHARS)) kept_any = true;
      return kept.length ? bullet + kept.join(" ") : "";
    });
    if (first_seen.length === 0) return dropped_here ? { ...test, message: lines.filter((l) => l !== "").join("\n") } : test;
    // A line that introduced what was left out (« … : » then the repeated cause) goes with it.
    lines.forEach((line, i) => {
      if (/:\s*$/.test(line) && !/^\s/.test(line) && (original[i + 1] ?? "") !== "" && (lines[i + 1] ?? "") === "") lines[i] = "";
    });
    kept_any = lines.some((line) => sentences_long_enough(line));
    const names = first_seen.map((n) => `« ${n} »`).join(" et ");
    const message = kept_any
      ? `${lines.filter((l) => l !== "").join("\n")}\n(La suite est dite plus haut, pour ${names}.)`
      : `Même cause que pour ${names}, plus haut.`;
    return { ...test, message };
  });
}

/** The checks without the runner's own field (error_kind belongs to the exercise). */
function strip(checks: Array<CheckResult & { error_kind?: ErrorKind }>): CheckResult[] {
  return checks.map(({ error_kind: _kind, ...check }) => check);
}
