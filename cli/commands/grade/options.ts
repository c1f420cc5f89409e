// `dockerlings grade` options, checked before anything runs: a bad value is
// bad usage (exit 2), said in the user's language.
import { find_exercise, type Exercise } from "../../../grader/course/course.js";
import { grading_defaults } from "../../../grader/config/grading.js";
import { CliError } from "../../errors.js";
import { define_messages } from "../../i18n/index.js";

export interface GradeOptions {
  workspace?: string;
  only?: string;
  json?: string;
  junit?: string;
  /** Classroom 50's result.json, written here. */
  classroom50?: string;
  github?: boolean;
  minScore?: string;
  parallel?: string;
  buildTimeout?: string;
  checkTimeout?: string;
  contextLimit?: string;
  /** --no-daemon: grade in this process, not through the grading service. */
  daemon?: boolean;
}

export interface GradeSettings {
  exercises: Exercise[];
  min_score?: number;
  parallel: number;
  build_timeout_ms: number;
  check_timeout_ms: number;
  context_limit_bytes: number;
}

/** The pipeline's one set of defaults (grader/config/grading.ts), in the units of the flags. */
function defaults() {
  const d = grading_defaults();
  return { build_timeout_s: d.build_timeout_ms / 1000, check_timeout_s: d.check_timeout_ms / 1000, context_limit_mb: d.context_limit_bytes / 1024 / 1024, parallel: d.parallel };
}

const m = define_messages({
  not_a_number: {
    fr: (p: { flag: string; value: string; what: string }) => `${p.flag} attend ${p.what}, pas « ${p.value} ».`,
    en: (p: { flag: string; value: string; what: string }) => `${p.flag} expects ${p.what}, not "${p.value}".`,
  },
  positive: { fr: "un nombre positif", en: "a positive number" },
  non_negative: { fr: "un nombre positif ou nul", en: "a number, zero or more" },
  whole: { fr: "un nombre entier d'au moins 1", en: "a whole number, 1 or more" },
  unknown_exercise: {
    fr: (p: { id: string; ids: string }) => `--only : exercice inconnu « ${p.id} ». Les exercices sont : ${p.ids}.`,
    en: (p: { id: string; ids: string }) => `--only: unknown exercise "${p.id}". The exercises are: ${p.ids}.`,
  },
  empty_only: { fr: "--only attend une liste d'exercices, ex. --only 01,02.", en: "--only expects a list of exercises, e.g. --only 01,02." },
});

function number_option(flag: string, value: string | undefined, fallback: number, kind: "positive" | "non_negative" | "whole"): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  const ok = Number.isFinite(n) && (kind === "non_negative" ? n >= 0 : kind === "whole" ? Number.isInteger(n) && n >= 1 : n > 0);
  if (!ok) throw new CliError(m("not_a_number", { flag, value, what: m(kind) }));
  return n;
}

export function grade_settings(options: GradeOptions, course: Exercise[]): GradeSettings {
  let exercises = course;
  if (options.only !== undefined) {
    const ids = options.only.split(/[\s,]+/).filter(Boolean);
    if (ids.length === 0) throw new CliError(m("empty_only"));
    exercises = [];
    for (const id of ids) {
      const exercise = find_exercise(course, id);
      if (!exercise) throw new CliError(m("unknown_exercise", { id, ids: course.map((e) => e.id).join(", ") }));
      if (!exercises.includes(exercise)) exercises.push(exercise);
    }
    exercises.sort((a, b) => a.order - b.order);
  }
  const DEFAULTS = defaults();
  return {
    exercises,
    min_score: options.minScore === undefined ? undefined : number_option("--min-score", options.minScore, 0, "non_negative"),
    parallel: number_option("--parallel", options.parallel, DEFAULTS.parallel, "whole"),
    build_timeout_ms: number_option("--build-timeout", options.buildTimeout, DEFAULTS.build_timeout_s, "positive") * 1000,
    check_timeout_ms: number_option("--check-timeout", options.checkTimeout, DEFAULTS.check_timeout_s, "positive") * 1000,
    context_limit_bytes: number_option("--context-limit", options.contextLimit, DEFAULTS.context_limit_mb, "positive") * 1024 * 1024,
  };
}
