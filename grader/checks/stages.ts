// The Dockerfile's stages and the image each starts FROM, read from the one
// model (grader/dockerfile/): ARG defaults and build arguments substituted,
// earlier stages followed, references normalised. And whether the built
// image really sits on the layers of the base it names.
import { BaseImageMissingError, lines_fact, outcome, require_config, type CheckOutcome } from "./check.js";
import type { DockerfileSubject, ImageWithConfig } from "./metadata.js";
import { inspect_image } from "../engine/image.js";
import { same_image, type Stage } from "../dockerfile/index.js";
import { is_described, plural, show, test_pattern, type Described } from "./words.js";
import { validate_expected } from "./containers.js";

/** The image a stage starts from, as a student reads it: python:3.11-slim, scratch, or the text of an unresolved FROM. */
function stage_base(stage: Stage): string {
  if (stage.is_scratch) return "scratch";
  return stage.base?.familiar ?? stage.image ?? stage.written;
}

const stage_label = (s: Stage, final: boolean): string =>
  final ? "L'étape finale" : s.name ? `L'étape « ${s.name} »` : `L'étape ${s.index + 1}`;

/**
 * A stage (the final one by default) starts from the expected image as written in the Dockerfile,
 * global ARG defaults substituted and earlier stages followed (FROM build).
 * @example check_base_image(ex, "python:3.11-slim") // or (ex, { matches: /^golang:1\.19/, shown: "golang:1.19" }, { stage: "build" })
 */
export function check_base_image(ex: DockerfileSubject, expected: string | Described, options: { stage?: number | string } = {}): CheckOutcome {
  validate_expected(expected, "l'image attendue");
  require_config(
    options.stage === undefined || typeof options.stage === "string" || (Number.isInteger(options.stage) && options.stage >= 0),
    `étape (stage) ${show(options.stage)} impossible : donnez un numéro à partir de 0 ou un nom d'étape.`,
  );
  const stages = ex.dockerfile().stages;
  const wanted = typeof expected === "string" ? expected : expected.shown;
  if (stages.length === 0) return outcome([`Le Dockerfile n'a pas d'instruction FROM : commencez-le par « FROM ${typeof expected === "string" ? expected : "image:tag"} ».`]);
  let stage: Stage | undefined;
  if (options.stage === undefined) stage = stages.at(-1);
  else if (typeof options.stage === "number") stage = stages[options.stage];
  else stage = stages.find((s) => s.name === (options.stage as string).toLowerCase());
  if (!stage) {
    return outcome([
      typeof options.stage === "number"
        ? `Le Dockerfile a ${plural(stages.length, "étape", "étapes")} : il n'y a pas d'étape n° ${options.stage + 1}.`
        : `Le Dockerfile n'a pas d'étape nommée « ${options.stage} » : écrivez « FROM ${typeof expected === "string" ? expected : "image:tag"} AS ${options.stage} ».`,
    ]);
  }
  const final = options.stage === undefined || stage.index === stages.length - 1;
  const label = stage_label(stage, final);
  // The stage it really starts from, earlier stages followed.
  let root = stage;
  for (let hops = 0; root.from_stage !== undefined && hops <= stages.length; hops++) root = stages[root.from_stage]!;
  if (root.unresolved.length > 0) {
    return outcome([
      `${label} part de « ${root.written} » (ligne ${root.line}), qui dépend de ${root.unresolved.map((n) => `l'ARG ${n}`).join(" et ")} sans valeur par défaut. ` +
        `Donnez-lui une valeur avant le premier FROM (ARG ${root.unresolved[0]}=…) ou écrivez l'image en entier : « FROM ${typeof expected === "string" ? expected : "image:tag"} ».`,
    ]);
  }
  const base = stage_base(root);
  const ok =
    typeof expected === "string"
      ? expected === "scratch"
        ? root.is_scratch
        : !root.is_scratch && (root.base ? same_image(root.base.canonical, expected) : false)
      : is_described(expected) && test_pattern(expected.matches, base);
  if (ok) return outcome([]);
  const via = stage.from_stage !== undefined ? ` (par l'étape « ${stages[stage.from_stage]!.name} », ligne ${stages[stage.from_stage]!.line})` : ` (ligne ${stage.line})`;
  const written = root.written !== base && stage.from_stage === undefined ? `« ${root.written} », soit « ${base} »` : `« ${base} »`;
  const fix = typeof expected === "string" ? `Écrivez « FROM ${expected}${stage.name && stage.from_stage === undefined ? ` AS ${stage.name}` : ""} ».` : "Changez l'image de son FROM.";
  if (final && typeof expected === "string") {
    return outcome([`L'image de base attendue est « ${expected} », le Dockerfile part de ${written}${via}. ${fix}`], undefined, [lines_fact(stage.line)]);
  }
  return outcome(
    [`${label} part de ${written}${via} ; attendu : ${typeof expected === "string" ? `« ${expected} »` : `une image qui correspond à ${wanted}`}. ${fix}`],
    undefined,
    [lines_fact(stage.line)],
  );
}

/**
 * The built image really sits on the layers of `expected` (present on this
 * machine): what FROM says and what was built agree.
 */
export async function check_base_image_layers(image: ImageWithConfig & { facts: { layers: string[] } }, expected: string): Promise<CheckOutcome> {
  const base = await inspect_image(expected).catch(() => undefined);
  // Not the student's fault: the machine lacks the image (an infrastructure error).
  if (!base) throw new BaseImageMissingError(expected);
  const prefix = image.facts.layers.slice(0, base.layers.length);
  if (prefix.length !== base.layers.length || prefix.some((layer, i) => layer !== base.layers[i])) {
    return outcome([`L'image construite ne repose pas sur les couches de ${expected}.`]);
  }
  return outcome([]);
}

/**
 * The final stage's base image is pinned: a precise tag (not latest, not
 * absent) or a digest. A tag can still move; a digest cannot.
 */
export function check_base_pinned(ex: DockerfileSubject): CheckOutcome {
  const model = ex.dockerfile();
  let final = model.final_stage();
  if (!final) return outcome(["Le Dockerfile n'a pas d'instruction FROM."]);
  for (let hops = 0; final.from_stage !== undefined && hops <= model.stages.length; hops++) final = model.stages[final.from_stage]!;
  if (final.is_scratch || final.base?.digest) return outcome([]);
  const tag = final.base?.tag;
  if (tag && tag !== "latest") return outcome([]);
  const image = stage_base(final);
  return outcome(
    [
      `L'étape finale part de « ${image} » (ligne ${final.line}) : ${tag ? "le tag latest" : "sans tag, Docker prend latest, qui"} ` +
        "désigne une image différente au fil des publications, et la même construction peut donner autre chose demain. " +
        "Écrivez un tag précis (FROM python:3.11-slim) ; seul un digest (FROM image@sha256:…) fige l'image pour de bon.",
    ],
    undefined,
    [lines_fact(final.line)],
  );
}

/**
 * The Dockerfile has this many stages (FROM instructions): exactly a number, or within { min, max }.
 * @example check_stage_count(ex, { min: 2 })
 */
export function check_stage_count(ex: DockerfileSubject, expected: number | { min?: number; max?: number }): CheckOutcome {
  const range = typeof expected === "number" ? { min: expected, max: expected } : expected;
  for (const [key, value] of Object.entries(range)) {
    require_config(value === undefined || (Number.isInteger(value) && value >= 1), `${key} ${value} impossible (un entier à partir de 1).`);
  }
  require_config(range.min !== undefined || range.max !== undefined, "donnez un nombre, ou { min } et/ou { max }.");
  require_config(range.min === undefined || range.max === undefined || range.min <= range.max, `min ${range.min} dépasse max ${range.max}.`);
  const count = ex.dockerfile().stages.length;
  const has = `Le Dockerfile a ${plural(count, "étape", "étapes")} (${plural(count, "instruction FROM", "instructions FROM")})`;
  if (range.min !== undefined && count < range.min) {
    const wanted = range.min === range.max ? `exactement ${range.min}` : `au moins ${range.min}`;
    return outcome([
      `${has}, attendu ${wanted}. ` +
        (count <= 1
          ? "Construisez dans une première étape (FROM image-de-build AS build) et copiez seulement le résultat dans l'étape finale (COPY --from=build …)."
          : "Ajoutez l'étape qui manque."),
    ]);
  }
  if (range.max !== undefined && count > range.max) {
    const wanted = range.min === range.max ? `exactement ${range.max}` : `au plus ${range.max}`;
    return outcome([`${has}, attendu ${wanted} : retirez les étapes qui ne servent pas à l'image finale.`]);
  }
  return outcome([]);
}

