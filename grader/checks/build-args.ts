// Build-argument checks: a build argument (ARG) reaches what the image keeps
// of it, its labels and its environment, with its default value or the value
// given with --build-arg (the handle's variant). When it does not, the
// Dockerfile says why, read by the one model (grader/dockerfile): an ARG
// declared before FROM only (visible to FROM alone), an ARG without default,
// an ARG of another name, a value written by hand, an ARG never copied into
// ENV (a build argument does not exist when the program runs).
import { outcome, require_config, type CheckOutcome } from "./check.js";
import type { DockerfileModel } from "../dockerfile/index.js";
import type { ExerciseHandle } from "../spec/use-exercise.js";

export interface BuildArgExpectation {
  /** The build argument's name: "VERSION". */
  arg: string;
  /** The value the image must carry; by default the one given to the handle's variant (--build-arg), else any non-empty value. */
  value?: string;
  /** Labels that take the argument's value: LABEL key="${ARG}". */
  labels?: string[];
  /** Environment variables of the image that take it: ENV NAME=${ARG}. */
  env?: string[];
}

const shown = (value: string): string => (value.trim() ? `« ${value} »` : "(vide)");

/** What the final stage declares of the argument, to say why its value does not arrive. */
function arg_diagnosis(model: DockerfileModel, arg: string, default_value: string | undefined): string {
  const final = model.final_stage();
  const declares = (stage: number) =>
    model.instructions.find((i) => i.stage === stage && i.keyword === "ARG" && i.properties.some((p) => p.name === arg));
  const in_stage = final ? declares(final.index) : undefined;
  const before_from = declares(-1);
  if (!in_stage && before_from) {
    return ` Un ARG déclaré avant FROM n'est visible qu'à la ligne FROM : redéclarez « ARG ${arg} » après FROM (ligne ${before_from.line}).`;
  }
  if (!in_stage) {
    const names = model.instructions.filter((i) => i.keyword === "ARG").flatMap((i) => i.properties.map((p) => p.name));
    return names.length > 0
      ? ` Le Dockerfile déclare ARG ${[...new Set(names)].join(", ")}, mais pas ${arg} : l'argument doit s'appeler exactement ${arg}.`
      : ` Le Dockerfile ne déclare aucun ARG : ajoutez « ARG ${arg}${default_value ? `=${default_value}` : ""} ».`;
  }
  const property = in_stage.properties.find((p) => p.name === arg);
  if (property?.value === undefined && default_value) return ` « ARG ${arg} » n'a pas de valeur par défaut : écrivez « ARG ${arg}=${default_value} ».`;
  return "";
}

/** Does the final stage set this variable with ENV? Tells "no ENV" from "ENV fed by an empty ARG". */
function sets_env(model: DockerfileModel, name: string): boolean {
  const final = model.final_stage();
  return model.instructions.some((i) => i.stage === final?.index && i.keyword === "ENV" && i.properties.some((p) => p.name === name));
}

/**
 * The build argument arrives in the image: each label and environment
 * variable named carries its value (the one given to the variant, or `value`).
 * Build the variant to check a value given on the command line:
 * @example await check_build_arg(ex.variant({ build_args: { VERSION: "2.5.0" } }), { arg: "VERSION", labels: ["org.opencontainers.image.version"], env: ["APP_VERSION"] })
 */
export async function check_build_arg(ex: ExerciseHandle, expected: BuildArgExpectation): Promise<CheckOutcome> {
  require_config(/^[A-Za-z_][A-Za-z0-9_]*$/.test(expected.arg ?? ""), `nom d'argument « ${expected.arg} » impossible.`);
  require_config((expected.labels?.length ?? 0) + (expected.env?.length ?? 0) > 0, "donnez labels ou env.");
  const given = ex.variant_options.build_args?.[expected.arg];
  const want = expected.value ?? given;
  const how = given !== undefined ? `Construite avec --build-arg ${expected.arg}=${given}` : "Sans --build-arg";
  const image = await ex.image();
  const model = ex.dockerfile();
  const diagnosis = () => arg_diagnosis(model, expected.arg, given === undefined ? expected.value : undefined);
  const from_arg = `\${${expected.arg}}`;
  const failures: string[] = [];

  const labels = image.facts.config.labels;
  for (const key of expected.labels ?? []) {
    const value = labels[key];
    if (value === undefined) {
      failures.push(`${how}, le label ${key} est absent${want ? ` (attendu : « ${want} »)` : ""}. Ajoutez LABEL ${key}="${from_arg}".${diagnosis()}`);
    } else if (!value.trim()) {
      failures.push(`${how}, le label ${key} est vide : il lit un argument ${expected.arg} sans valeur.${diagnosis()}`);
    } else if (want !== undefined && value !== want) {
      failures.push(
        `${how}, le label ${key} vaut ${shown(value)} au lieu de « ${want} ». ` +
          `Le label doit prendre la valeur de l'argument (LABEL ${key}="${from_arg}"), pas une valeur écrite en dur.${diagnosis()}`,
      );
    }
  }

  const env = image.facts.config.env;
  for (const name of expected.env ?? []) {
    const value = env[name];
    if (value === undefined) {
      failures.push(
        `${how}, la variable d'environnement ${name} n'est pas définie dans l'image. Un ARG n'existe que pendant le build : ` +
          `le programme, lancé plus tard, ne le voit pas. Recopiez-le dans une variable d'environnement : « ENV ${name}=${from_arg} ».`,
      );
    } else if (!value.trim()) {
      failures.push(
        `${how}, ${name} est ${sets_env(model, name) ? "déclarée, mais vide" : "vide"} : elle lit un argument ${expected.arg} sans valeur.${diagnosis()}`,
      );
    } else if (want !== undefined && value !== want) {
      failures.push(
        `${how}, la variable ${name} vaut ${shown(value)} au lieu de « ${want} ». ` +
          `Elle doit prendre la valeur de l'argument (ENV ${name}=${from_arg}), pas une valeur écrite en dur.${diagnosis()}`,
      );
    }
  }
  return outcome(failures);
}
