// The build cache: rebuild a copy of the submission after changing some of
// its files and read, step by step, which instructions BuildKit took from its
// cache. So a spec can require "the dependency step is cached after a code
// change", "it is rebuilt after a dependency change", and "a second identical
// build is fully cached". The first build of the original warms the cache.
//
// BuildKit's `cached` flag alone would lie on a second run of the same check:
// the changed copy was built the first time, so its steps are in the cache
// too. A step therefore counts as cached only when BuildKit says so AND the
// layers up to it are the original build's layers (same chain of diff IDs):
// a hit left by an earlier run of the changed copy gives other layers.
import type { ExerciseHandle } from "../spec/use-exercise.js";
import { build_failure_outcome, CheckFailure, outcome, require_config, type CheckOutcome } from "./check.js";
import type { BuildOutcome, BuildStep } from "../engine/build.js";
import { change_path_problem, copy_with_changes, type ChangeSet } from "../submission/change-set.js";
import { inspect_image, remove_image } from "../engine/image.js";
import { with_exclusive_builds } from "../host/build-lock.js";
import { locate_instruction, step_stage, type DockerfileModel } from "../dockerfile/index.js";
import { quote, test_pattern, type Described } from "./words.js";
import { validate_expected } from "./containers.js";

export type { ChangeSet, FileChange } from "../submission/change-set.js";

/**
 * An instruction of the build, named by a piece of its text ("pip install") or
 * a described pattern ({ matches: /\bpip3? install\b/, shown: "l'installation des dépendances (pip install)" }).
 * Matched on the instruction as the Dockerfile writes it (BuildKit's own name
 * for a step puts its first word in capitals after a tab), else on BuildKit's name.
 */
export type StepMatcher = string | Described;

export interface CacheStep {
  /** "[3/5] COPY . ." as BuildKit names it. */
  name: string;
  stage?: string;
  /** Index of the step's stage in the Dockerfile (0 = first FROM). */
  stage_index: number;
  index: number;
  /** Steps in the stage, FROM included, as BuildKit numbers them. */
  total: number;
  instruction: string;
  /** The instruction as the Dockerfile writes it (keyword and text, continuations joined), when its line was found. */
  written?: string;
  /** A cache hit on the original build's result. */
  cached: boolean;
  /** Line of the instruction in the Dockerfile, when it could be found. */
  line?: number;
}

export interface CacheOutcome extends CheckOutcome {
  /** The rebuild's steps in Dockerfile order, FROM left out (its cache flag means nothing). */
  steps: CacheStep[];
  /** Files that really changed in the copy. */
  changed: string[];
}

export interface CacheBuildOptions {
  build_args?: Record<string, string>;
  target?: string;
}

export interface CacheExpectation extends CacheBuildOptions {
  /** Files to change in a copy of the submission: path -> new content, null (delete), or a function of the current content. */
  change: ChangeSet;
  /** Steps that must come from the cache after the change (every step each matcher matches). */
  cached?: StepMatcher | StepMatcher[];
  /** Steps that must be rebuilt after the change. */
  rebuilt?: StepMatcher | StepMatcher[];
}

const list = (m: StepMatcher | StepMatcher[] | undefined): StepMatcher[] => (m === undefined ? [] : Array.isArray(m) ? m : [m]);
const matches = (m: StepMatcher, step: CacheStep): boolean => {
  const text = step.written ?? step.instruction;
  return typeof m === "string" ? text.includes(m) : test_pattern(m.matches, text);
};
const short = (text: string, max = 80): string => (text.length > max ? text.slice(0, max - 1) + "…" : text);
const files_text = (files: string[]): string =>
  files.length <= 1 ? (files[0] ?? "") : `${files.slice(0, -1).join(", ")} et ${files.at(-1)}`;

function describe(step: CacheStep): string {
  return `« ${short(step.written ?? step.instruction)} »` + (step.line ? ` (ligne ${step.line})` : "");
}

/** Orders BuildKit's steps as the Dockerfile reads (stage, then index) and finds each one's line (the model's locator). */
export function steps_in_order(steps: BuildStep[], dockerfile: DockerfileModel): CacheStep[] {
  return steps
    .filter((s) => !/^FROM\s/i.test(s.instruction))
    .map((s) => {
      const stage = s.stage ? (step_stage(dockerfile, s.stage) ?? dockerfile.stages.length) : dockerfile.stages.length - 1;
      const found = locate_instruction(dockerfile, { stage: s.stage ?? dockerfile.final_stage()?.name, instruction: s.instruction });
      const written = found ? `${found.keyword} ${found.text}`.replace(/\s+/g, " ").trim() : undefined;
      return { name: s.name, stage: s.stage, stage_index: stage, index: s.index, total: s.total, instruction: s.instruction, written, cached: s.cached, line: found?.line };
    })
    .sort((a, b) => a.stage_index - b.stage_index || a.index - b.index);
}

function listing(steps: CacheStep[]): string {
  return steps.map((s) => `  ${short(s.name, 90)} : ${s.cached ? "cache" : "refaite"}`).join("\n");
}

/** Builds the original (the cache's reference) and returns its image id. */
async function warm_cache(ex: ExerciseHandle, options: CacheBuildOptions): Promise<string> {
  if (options.build_args === undefined && options.target === undefined) {
    return (await ex.image()).id; // the default build: a failure is explained once, by the first check that meets it
  }
  const first = await ex.build(options);
  if (!first.ok) {
    const failed = build_failure_outcome("L'image ne se construit pas.", first.failure);
    throw new CheckFailure(failed.failures[0]!, failed.output, failed.facts);
  }
  return first.image_id;
}

/** Layers of one stage built alone (`target`), or undefined when it cannot be built so. The image is removed by its tag. */
async function stage_layers(ex: ExerciseHandle, dir: string, options: CacheBuildOptions, target: string): Promise<string[] | undefined> {
  const built = await ex.build({ ...options, dir, target });
  if (!built.ok) return undefined;
  try {
    return (await inspect_image(built.image_id)).layers;
  } finally {
    await remove_image(built.tag);
  }
}

/**
 * The steps of a rebuild, in Dockerfile order, where a step counts as cached
 * only when its chain of layers is the original's (see the top of the file).
 * The final stage is compared on the two images; an earlier named stage with
 * cache hits is built alone (`target`) on both sides, which the cache makes quick.
 */
async function settle_steps(
  ex: ExerciseHandle,
  options: CacheBuildOptions,
  original: { dir: string; image_id: string },
  rebuilt: { dir: string; image_id: string; steps: BuildStep[] },
): Promise<CacheStep[]> {
  const dockerfile = ex.dockerfile();
  const steps = steps_in_order(rebuilt.steps, dockerfile);
  const final_stage = options.target
    ? (dockerfile.stages.find((s) => s.name?.toLowerCase() === options.target!.toLowerCase())?.index ?? dockerfile.stages.length - 1)
    : dockerfile.stages.length - 1;
  const stages = [...new Set(steps.map((s) => s.stage_index))];
  for (const stage of stages) {
    const in_stage = steps.filter((s) => s.stage_index === stage);
    if (!in_stage.some((s) => s.cached) || in_stage.length !== in_stage[0]!.total - 1) continue;
    let before: string[] | undefined;
    let after: string[] | undefined;
    if (stage === final_stage) {
      [before, after] = await Promise.all([original.image_id, rebuilt.image_id].map(async (id) => (await inspect_image(id)).layers));
    } else {
      const name = dockerfile.stages[stage]?.name;
      if (!name) continue;
      before = await stage_layers(ex, original.dir, options, name);
      after = await stage_layers(ex, rebuilt.dir, options, name);
    }
    if (!before || !after || before.length !== after.length || before.length < in_stage.length) continue;
    const offset = before.length - in_stage.length;
    let same_chain = before.slice(0, offset).every((layer, i) => layer === after![i]);
    in_stage.forEach((step, j) => {
      same_chain = same_chain && before![offset + j] === after![offset + j];
      if (!same_chain) step.cached = false;
    });
  }
  return steps;
}

function build_options(options: CacheBuildOptions): CacheBuildOptions {
  const picked: CacheBuildOptions = {};
  if (options.build_args !== undefined) picked.build_args = options.build_args;
  if (options.target !== undefined) picked.target = options.target;
  return picked;
}

/**
 * Rebuilds a copy of the submission with `change` applied and checks that the
 * `cached` steps came from the cache and the `rebuilt` ones did not.
 */
export async function check_cache_after_change(ex: ExerciseHandle, expectation: CacheExpectation): Promise<CacheOutcome> {
  const paths = Object.keys(expectation.change ?? {});
  require_config(paths.length > 0, `l'ensemble de changements est vide ; indiquez au moins un fichier à modifier.`);
  for (const p of paths) {
    const problem = change_path_problem(p);
    require_config(!problem, `${problem} ; donnez un chemin relatif au dossier de l'exercice.`);
  }
  const cached = list(expectation.cached);
  const rebuilt = list(expectation.rebuilt);
  require_config(cached.length + rebuilt.length > 0, "rien à vérifier ; indiquez les instructions attendues dans cached ou rebuilt.");
  for (const m of [...cached, ...rebuilt]) {
    require_config(typeof m !== "string" || m.trim() !== "", "un texte vide désigne toutes les instructions.");
    validate_expected(m, "cached, rebuilt");
  }

  const options = build_options(expectation);
  const original_image = await warm_cache(ex, options);
  const copy = copy_with_changes(ex.submission_dir, expectation.change);
  let rebuild: { after: BuildOutcome; steps: CacheStep[] };
  try {
    require_config(copy.changed.length > 0, `les changements demandés (${paths.join(", ")}) ne modifient aucun fichier.`);
    rebuild = await with_exclusive_builds(async () => {
      const after = await ex.build({ ...options, dir: copy.dir });
      if (!after.ok) return { after, steps: [] };
      try {
        const original = { dir: ex.submission_dir, image_id: original_image };
        return { after, steps: await settle_steps(ex, options, original, { dir: copy.dir, image_id: after.image_id, steps: after.steps }) };
      } finally {
        // By its tag: an image identical to the original keeps the original's tag.
        await remove_image(after.tag);
      }
    });
  } finally {
    copy.remove();
  }
  const { after, steps } = rebuild;
  const changed = files_text(copy.changed);
  if (!after.ok) {
    return {
      ...build_failure_outcome(`Après la modification de ${changed}, l'image ne se construit plus.`, after.failure),
      steps: [],
      changed: copy.changed,
    };
  }

  const problems: string[] = [];
  const advice: string[] = [];
  const first_rebuilt = steps.find((s) => !s.cached);
  const none = (m: StepMatcher): string =>
    (typeof m === "string" ? `Aucune instruction du build ne contient ${quote(m)}` : `Le build ne contient pas ${m.shown}`) +
    " : le Dockerfile doit avoir cette instruction.";
  for (const m of cached) {
    const found = steps.filter((s) => matches(m, s));
    if (found.length === 0) problems.push(none(m));
    for (const s of found.filter((f) => !f.cached)) {
      problems.push(`Après la modification de ${changed}, l'instruction ${describe(s)} devait être reprise du cache, elle a été refaite.`);
      if (!first_rebuilt || first_rebuilt === s) {
        advice.push(`${describe(s)} est elle-même la première instruction refaite : un fichier qu'elle utilise a changé (${changed}).`);
      } else if (/^(COPY|ADD)\s/i.test(first_rebuilt.written ?? first_rebuilt.instruction)) {
        advice.push(
          `${describe(first_rebuilt)} est la première instruction refaite : elle copie un fichier modifié (${changed}), ce qui invalide le cache ` +
            `pour elle et pour toutes les instructions qui la suivent. Placez ${describe(s)} avant cette copie : copiez d'abord seulement ` +
            "les fichiers dont elle a besoin (le fichier des dépendances, comme requirements.txt ou package.json), lancez-la, " +
            "puis copiez le reste du code (COPY . .) après.",
        );
      } else {
        advice.push(`${describe(first_rebuilt)} est la première instruction refaite ; toutes celles qui la suivent le sont aussi.`);
      }
    }
  }
  for (const m of rebuilt) {
    const found = steps.filter((s) => matches(m, s));
    if (found.length === 0) problems.push(none(m));
    for (const s of found.filter((f) => f.cached)) {
      problems.push(
        `Après la modification de ${changed}, l'instruction ${describe(s)} devait être refaite, elle a été reprise du cache : ` +
          `elle ne dépend donc pas de ${changed}.`,
      );
      advice.push(
        `Pour que ${describe(s)} soit refaite quand ${changed} change, copiez ${changed} dans l'image avant elle ` +
          `(COPY ${copy.changed[0]} .) et utilisez-le dans la commande ; vérifiez aussi que .dockerignore ne l'exclut pas.`,
      );
    }
  }
  if (problems.length === 0) return { ...outcome([]), steps, changed: copy.changed };
  const message =
    problems.join("\n") +
    `\nInstructions du build après la modification :\n${listing(steps)}` +
    (advice.length ? `\n${[...new Set(advice)].join("\n")}` : "");
  return { ...outcome([message]), steps, changed: copy.changed };
}

/** A second build of the unchanged submission takes every step from the cache. */
export async function check_fully_cached(ex: ExerciseHandle, options: CacheBuildOptions = {}): Promise<CacheOutcome> {
  const picked = build_options(options);
  const original_image = await warm_cache(ex, picked);
  const rebuilt = await with_exclusive_builds(async () => {
    const again = await ex.build({ ...picked, dir: ex.submission_dir });
    if (!again.ok) return again;
    try {
      const original = { dir: ex.submission_dir, image_id: original_image };
      return { ok: true as const, steps: await settle_steps(ex, picked, original, { dir: ex.submission_dir, image_id: again.image_id, steps: again.steps }) };
    } finally {
      await remove_image(again.tag);
    }
  });
  if (!rebuilt.ok) {
    return {
      ...build_failure_outcome(
        "Reconstruite sans aucun changement, l'image ne se construit plus alors que la première construction avait réussi : " +
          "le Dockerfile dépend-il de l'extérieur (réseau, date) ?",
        rebuilt.failure,
      ),
      steps: [],
      changed: [],
    };
  }
  const steps = rebuilt.steps;
  const redone = steps.filter((s) => !s.cached);
  if (redone.length === 0) return { ...outcome([]), steps, changed: [] };
  return {
    ...outcome([
      `Un second build identique devait reprendre toutes les instructions du cache ; ${redone.length === 1 ? "cette instruction a été refaite" : "ces instructions ont été refaites"} : ` +
        `${redone.map(describe).join(", ")}.\nInstructions du second build :\n${listing(steps)}\n` +
        "Une instruction qui dépend de l'extérieur ne vient jamais du cache : ADD d'une URL, argument de build qui change à chaque fois. " +
        "Copiez plutôt des fichiers du dossier de l'exercice avec COPY.",
    ]),
    steps,
    changed: [],
  };
}

