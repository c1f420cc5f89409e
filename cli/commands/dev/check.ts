// `dockerlings dev check [ids...]`: checks a course pack (this repository's,
// or --course DIR) the way its author needs: one line per problem, `file:line:
// what is wrong`. Exit 0 when the pack is sound, 1 on problems, 2 when part of
// it could not be checked (no engine: what needs none is still checked).
import path from "node:path";
import { check_pack, format_problem, base_image_recipes, default_course_root } from "../../../grader/index.js";
import { open_pack_engine } from "./engine.js";
import { EXIT_CANNOT_GRADE, EXIT_CHECK_FAILED, EXIT_OK, CliError } from "../../errors.js";
import { define_messages } from "../../i18n/index.js";
import { c } from "../../ui/color.js";

export interface DevCheckOptions {
  /** Only what needs no engine. */
  static?: boolean;
  parallel?: string;
}

const m = define_messages({
  checking: {
    fr: (p: { root: string }) => `Vérification du pack ${p.root}…`,
    en: (p: { root: string }) => `Checking the pack ${p.root}…`,
  },
  sound: {
    fr: (p: { count: number; graded: number }) => `Pack sain : ${p.count} exercice(s), ${p.graded} correction(s).`,
    en: (p: { count: number; graded: number }) => `The pack is sound: ${p.count} exercise(s), ${p.graded} grading(s).`,
  },
  problems: {
    fr: (p: { count: number; again: string }) => `${p.count} problème(s). Corrigez-les puis relancez \`${p.again}\`.`,
    en: (p: { count: number; again: string }) => `${p.count} problem(s). Fix them, then run \`${p.again}\` again.`,
  },
  unchecked: {
    fr: (p: { what: string; again: string }) => `Non vérifié : ${p.what}. Démarrez un moteur Docker puis relancez \`${p.again}\`.`,
    en: (p: { what: string; again: string }) => `Not checked: ${p.what}. Start a Docker engine, then run \`${p.again}\` again.`,
  },
  static_only: {
    fr: "--static : seulement ce qui se vérifie sans moteur (ni images, ni starters, ni solutions, ni mauvaises réponses corrigés).",
    en: "--static: only what needs no engine (no images, starters, solutions or wrong answers graded).",
  },
  solutions: {
    fr: (p: { count: number }) => `Correction des solutions (${p.count})…`,
    en: (p: { count: number }) => `Grading the solutions (${p.count})…`,
  },
  starters: {
    fr: (p: { count: number }) => `Correction des starters (${p.count})…`,
    en: (p: { count: number }) => `Grading the starters (${p.count})…`,
  },
  wrong_answers: {
    fr: (p: { count: number; round: number; rounds: number }) => `Correction des mauvaises réponses, tour ${p.round}/${p.rounds} (${p.count})…`,
    en: (p: { count: number; round: number; rounds: number }) => `Grading the wrong answers, round ${p.round}/${p.rounds} (${p.count})…`,
  },
  bad_parallel: {
    fr: (p: { value: string }) => `--parallel attend un nombre entier positif, pas « ${p.value} ».`,
    en: (p: { value: string }) => `--parallel takes a positive whole number, not "${p.value}".`,
  },
});

export async function dev_check_command(ids: string[], options: DevCheckOptions): Promise<number> {
  const course_root = default_course_root();
  const parallel = options.parallel === undefined ? 2 : Number(options.parallel);
  if (!Number.isInteger(parallel) || parallel < 1) throw new CliError(m("bad_parallel", { value: String(options.parallel) }));
  process.stderr.write(c.gray(`${m("checking", { root: course_root })}\n`));
  const shown = path.relative(process.cwd(), course_root) || ".";
  const again = `dockerlings dev check${process.env.DOCKERLINGS_COURSE ? ` --course ${shown}` : ""}${ids.length ? ` ${ids.join(" ")}` : ""}`;

  const opened = options.static ? { reason: undefined } : await open_pack_engine({ course_root, parallel });
  const engine = "engine" in opened ? opened.engine : undefined;
  let report;
  try {
    report = await check_pack(course_root, {
      ids,
      ...(engine ? { engine } : {}),
      ...(opened.reason ? { no_engine_reason: opened.reason } : {}),
      recipes: base_image_recipes(),
      on_step: (step) => {
        const text =
          step.step === "wrong-answers"
            ? m("wrong_answers", { count: step.count, round: step.round, rounds: step.rounds })
            : m(step.step, { count: step.count });
        process.stderr.write(c.gray(`${text}\n`));
      },
    });
  } finally {
    await engine?.close?.();
  }

  for (const problem of report.problems) process.stdout.write(`${format_problem(problem)}\n`);
  if (report.problems.length > 0) {
    process.stderr.write(`${c.red(m("problems", { count: report.problems.length, again }))}\n`);
  }
  if (options.static) process.stderr.write(`${c.yellow(m("static_only"))}\n`);
  else for (const what of report.unchecked) process.stderr.write(`${c.yellow(m("unchecked", { what, again }))}\n`);

  if (report.problems.length > 0) return EXIT_CHECK_FAILED;
  if (report.unchecked.length > 0 && !options.static) return EXIT_CANNOT_GRADE;
  process.stderr.write(`${c.green(m("sound", { count: report.exercises, graded: report.graded }))}\n`);
  return EXIT_OK;
}
