import { afterAll, describe, test, expect } from "vitest";
import { use_exercise, ExerciseHandle, CheckFailure, report, outcome, type BuildOutcome } from "../../grader/index.js";

const ex = use_exercise(import.meta.url);

const TITLE = "org.opencontainers.image.title";
const VERSION = "org.opencontainers.image.version";
const DEFAULT_VERSION = "1.0.0";
const OTHER_VERSION = "2.5.0";

/**
 * The same submission built with `--build-arg VERSION=2.5.0`: its own image,
 * runs and cleanup, like the default build. (ExerciseHandle's image() and
 * run() use the default build; this handle's default build carries the argument.)
 */
class BuildWithArgs extends ExerciseHandle {
  private with_args?: Promise<BuildOutcome>;
  constructor(
    base: ExerciseHandle,
    private readonly build_args: Record<string, string>,
  ) {
    super(base.id, base.submission_dir, base.session);
  }
  override build(options: Parameters<ExerciseHandle["build"]>[0] = {}): Promise<BuildOutcome> {
    if (Object.keys(options).length > 0) return super.build(options);
    this.with_args ??= super.build({ build_args: this.build_args });
    return this.with_args;
  }
}
const other = new BuildWithArgs(ex, { VERSION: OTHER_VERSION });
afterAll(() => other.dispose(), 60_000);

/** What the Dockerfile says about ARG VERSION, to explain a wrong value. */
function arg_diagnosis(): string {
  const parsed = ex.dockerfile();
  const final_stage = parsed.stages.length - 1;
  const args = parsed.instructions.filter((i) => i.keyword === "ARG");
  const in_stage = args.find((i) => i.stage === final_stage && /^VERSION(=|\s*$)/.test(i.args.trim()));
  const before_from = args.find((i) => i.stage === -1 && /^VERSION(=|\s*$)/.test(i.args.trim()));
  if (!in_stage && before_from) {
    return ` Un ARG déclaré avant FROM n'est visible qu'à la ligne FROM : redéclarez « ARG VERSION » après FROM (ligne ${before_from.line}).`;
  }
  if (!in_stage) {
    const names = args.map((i) => i.args.trim().split("=")[0]).filter(Boolean);
    return names.length > 0
      ? ` Le Dockerfile déclare ARG ${names.join(", ")}, mais pas VERSION : l'argument doit s'appeler exactement VERSION.`
      : " Le Dockerfile ne déclare aucun ARG : ajoutez « ARG VERSION=1.0.0 ».";
  }
  if (!in_stage.args.includes("=")) return ` « ARG VERSION » n'a pas de valeur par défaut : écrivez « ARG VERSION=${DEFAULT_VERSION} ».`;
  return "";
}

async function program_output(handle: ExerciseHandle): Promise<string> {
  const run = await handle.run();
  return (run.stdout + run.stderr).trim();
}

const shown = (value: string): string => (value.trim() ? `« ${value} »` : "(vide)");

/** Does the final stage set APP_VERSION with ENV? Tells "no ENV" from "ENV fed by an empty ARG". */
function has_env_app_version(): boolean {
  const parsed = ex.dockerfile();
  const final_stage = parsed.stages.length - 1;
  return parsed.instructions.some((i) => i.stage === final_stage && i.keyword === "ENV" && /\bAPP_VERSION\b/.test(i.args));
}

/** Why the program does not print `expected`, and what to change. */
function program_problem(output: string, expected: string, how: string): string | undefined {
  if (output.includes(`version ${expected}`)) return undefined;
  const said = `${how}, le programme affiche « ${output.slice(0, 160)} » au lieu de « catalogue version ${expected} ».`;
  if (!output.includes("inconnue")) {
    return `${said} La variable APP_VERSION doit venir de l'argument (ENV APP_VERSION=\${VERSION}), pas d'une valeur écrite en dur.`;
  }
  if (has_env_app_version()) return `${said} APP_VERSION est déclarée, mais vide : elle lit un argument VERSION sans valeur.${arg_diagnosis()}`;
  return (
    `${said} Un ARG n'existe que pendant le build : le programme, lancé plus tard, ne le voit pas. ` +
    "Recopiez-le dans une variable d'environnement : « ENV APP_VERSION=${VERSION} »."
  );
}

/** Why the version label is not `expected`, and what to change. */
function label_problem(value: string | undefined, expected: string, how: string): string | undefined {
  if (value === expected) return undefined;
  if (value === undefined) return `${how}, le label ${VERSION} est absent (attendu : « ${expected} »). Ajoutez LABEL ${VERSION}="\${VERSION}".${arg_diagnosis()}`;
  const said = `${how}, le label ${VERSION} vaut ${shown(value)} au lieu de « ${expected} ».`;
  if (!value.trim()) return `${said} Il lit un argument VERSION sans valeur.${arg_diagnosis()}`;
  return `${said} Le label doit prendre la valeur de l'argument (LABEL ...version="\${VERSION}"), pas une version écrite en dur.${arg_diagnosis()}`;
}

describe("10 — ARG, LABEL et tags", () => {
  test("l'image se construit", { meta: { points: 1 } }, async () => {
    const image = await ex.image();
    expect(image.id).toMatch(/^sha256:/);
  });

  test("les labels OCI title et version sont présents", { meta: { points: 2 } }, async () => {
    const labels = (await ex.image()).facts.config.labels;
    const failures: string[] = [];
    if (!labels[TITLE]?.trim()) {
      failures.push(`Le label ${TITLE} ${TITLE in labels ? "est vide" : "est absent"} : ajoutez LABEL ${TITLE}="catalogue".`);
    }
    if (!labels[VERSION]?.trim()) {
      failures.push(
        VERSION in labels
          ? `Le label ${VERSION} est vide : il lit un argument VERSION sans valeur.${arg_diagnosis()}`
          : `Le label ${VERSION} est absent : ajoutez LABEL ${VERSION}="\${VERSION}".`,
      );
    }
    report(outcome(failures));
  });

  test("sans --build-arg, la version est 1.0.0, dans le label et pour le programme", { meta: { points: 3 } }, async () => {
    const labels = (await ex.image()).facts.config.labels;
    const output = await program_output(ex);
    const how = "Sans --build-arg";
    const failures = [label_problem(labels[VERSION], DEFAULT_VERSION, how), program_problem(output, DEFAULT_VERSION, how)];
    report(outcome(failures.filter((f): f is string => Boolean(f)), output));
  });

  test("avec --build-arg VERSION=2.5.0, le label et le programme changent de version", { meta: { points: 4 } }, async () => {
    const labels = (await other.image()).facts.config.labels;
    const output = await program_output(other);
    const how = `Construite avec --build-arg VERSION=${OTHER_VERSION}`;
    const failures = [label_problem(labels[VERSION], OTHER_VERSION, how), program_problem(output, OTHER_VERSION, how)];
    report(outcome(failures.filter((f): f is string => Boolean(f)), output));
  });
});
