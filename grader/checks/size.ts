// Size and layers: how big the image is (in total and above its base image),
// how many layers it has and which instruction made each, the bytes wasted
// across layers (dive's figures), and the files of the build context that
// have no business in the image (.git, .env, keys, logs...).
// Sizes are in decimal megabytes (1 Mo = 1 000 000 octets), as `docker images` shows them.
import { glob_source } from "./glob.js";
import fs from "node:fs";
import path from "node:path";
import type { ExerciseHandle, BuiltImage } from "../spec/use-exercise.js";
import { is_exercise_handle } from "./check.js";
import { outcome, require_config, type CheckOutcome, BaseImageMissingError } from "./check.js";
import { analyze_waste, summarize_layers, type LayerFacts, type LayerSummary } from "../engine/layers.js";
import type { LayerContents } from "../layers/contents.js";
import type { HiddenPath, WasteFigures } from "../layers/waste.js";
import type { DockerfileModel } from "../dockerfile/index.js";

/** What a size check looks at: the exercise (its image and its Dockerfile's base), or an image already built. */
export type ImageSubject = ExerciseHandle | BuiltImage;

export interface BaseOption {
  /** The base image to measure against; by default the FROM of the Dockerfile's final stage (needed for a BuiltImage). */
  base?: string;
}

const MB = 1_000_000;

/** "122,1 Mo", "300,0 Ko", "12 o": decimal units, as `docker images`. */
export function format_bytes(bytes: number): string {
  const one = (value: number, unit: string): string => `${value.toFixed(1).replace(".", ",")} ${unit}`;
  if (bytes >= 1e9) return one(bytes / 1e9, "Go");
  if (bytes >= MB) return one(bytes / MB, "Mo");
  if (bytes >= 1000) return one(bytes / 1000, "Ko");
  return `${bytes} o`;
}

const percent = (ratio: number): string => `${(ratio * 100).toFixed(1).replace(".", ",")} %`;
const short = (text: string, max = 70): string => (text.length > max ? text.slice(0, max - 1) + "…" : text);

function describe_layer(layer: Pick<LayerFacts, "index" | "instruction">, base_layers: number): string {
  const n = layer.index + 1;
  if (layer.index < base_layers) return layer.instruction ? `« ${short(layer.instruction)} » (couche ${n}, dans l'image de base)` : `l'image de base (couche ${n})`;
  return layer.instruction ? `« ${short(layer.instruction)} » (couche ${n})` : `une instruction inconnue (couche ${n})`;
}

/** The image the final stage starts from (stage names and ARG defaults followed by the model): "python:3.11-slim", "scratch". */
export function final_base_image(model: DockerfileModel): string | undefined {
  let stage = model.final_stage();
  for (let hops = 0; stage?.from_stage !== undefined && hops <= model.stages.length; hops++) stage = model.stages[stage.from_stage];
  if (!stage) return undefined;
  return stage.is_scratch ? "scratch" : stage.base?.familiar;
}

interface Subject {
  image: BuiltImage;
  base?: string;
  exercise?: ExerciseHandle;
}

async function resolve_subject(subject: ImageSubject, base?: string): Promise<Subject> {
  if (is_exercise_handle(subject)) {
    const image = await subject.image();
    return { image, base: base ?? final_base_image(subject.dockerfile()), exercise: subject };
  }
  return { image: subject, base };
}

async function summary_of(subject: Subject, need_base: boolean): Promise<LayerSummary> {
  if (need_base) {
    require_config(Boolean(subject.base), `l'image de base est inconnue ; passez { base: "image:tag" } (ou l'exercice au lieu de l'image).`);
  }
  const summary = await summarize_layers(subject.image.id, subject.base);
  if (need_base && summary.base && !summary.base.present) {
    // Not the student's fault and not the spec's: the machine lacks the image.
    throw new BaseImageMissingError(summary.base.ref);
  }
  return summary;
}

function budget(value: number | undefined, name: string): void {
  if (value === undefined) return;
  require_config(Number.isFinite(value) && value >= 0, `${name} doit être un nombre positif ou nul (reçu ${value}).`);
}

function ratio(value: number | undefined, name: string): void {
  if (value === undefined) return;
  require_config(Number.isFinite(value) && value >= 0 && value <= 1, `${name} doit être compris entre 0 et 1 (reçu ${value}).`);
}

/** Advice that fits what the layers show, most specific first. */
function size_advice(layers: LayerFacts[], base: string | undefined): string {
  const tips: string[] = [];
  const apt = layers.find((l) => /apt-get (-\S+ )*install/.test(l.instruction));
  if (apt && !/--no-install-recommends/.test(apt.instruction)) {
    tips.push("n'installez que le nécessaire (apt-get install --no-install-recommends …)");
  }
  if (apt && !/rm -rf \/var\/lib\/apt\/lists/.test(apt.instruction)) {
    tips.push("nettoyez dans le même RUN que l'installation (… && rm -rf /var/lib/apt/lists/*)");
  }
  if (layers.some((l) => /^(COPY|ADD) (\S+ )*\.\/? /.test(l.instruction + " "))) {
    tips.push("excluez du contexte ce qui ne sert pas à l'exécution avec un fichier .dockerignore, ou copiez seulement les fichiers utiles");
  }
  tips.push("gardez seulement le résultat d'une compilation avec un build multi-étapes (COPY --from=…)");
  // Only to a base that has a smaller variant: never to one that is already -slim, scratch or alpine.
  if (tips.length < 3 && base && !/(-slim|alpine)\b|^scratch$|distroless/.test(base)) tips.push(`partez d'une image de base plus petite que ${base} (variante -slim)`);
  return `Pour l'alléger : ${tips.join(" ; ")}.`;
}

function biggest(layers: LayerFacts[], base_layers: number, count = 3): string {
  const top = layers
    .filter((l) => !l.in_base && l.size > 0)
    .sort((a, b) => b.size - a.size)
    .slice(0, count);
  if (top.length === 0) return "";
  return ` Les couches ajoutées les plus lourdes : ${top.map((l) => `${describe_layer(l, base_layers)} : ${format_bytes(l.size)}`).join(" ; ")}.`;
}

export interface SizeBudget extends BaseOption {
  /** The whole image, base included. */
  max_mb?: number;
  /** What the Dockerfile adds above its base image. */
  max_mb_above_base?: number;
}

/** The image weighs at most max_mb, and/or adds at most max_mb_above_base above its base image. */
export async function check_size_under(subject: ImageSubject, limits: SizeBudget): Promise<CheckOutcome> {
  require_config(limits.max_mb !== undefined || limits.max_mb_above_base !== undefined, `donnez max_mb ou max_mb_above_base.`);
  budget(limits.max_mb, "max_mb");
  budget(limits.max_mb_above_base, "max_mb_above_base");
  const s = await summary_of(await resolve_subject(subject, limits.base), limits.max_mb_above_base !== undefined);
  const failures: string[] = [];
  const base_name = s.base?.ref ?? "l'image de base";
  const details = biggest(s.layers, s.base_layers) + " " + size_advice(s.layers.filter((l) => !l.in_base), s.base?.ref);
  // The heaviest layers and the advice close the last failure only, not each one.
  if (limits.max_mb !== undefined && s.size > limits.max_mb * MB) {
    failures.push(
      `L'image pèse ${format_bytes(s.size)}, le maximum attendu est ${format_bytes(limits.max_mb * MB)}` +
        (s.base ? ` (dont ${format_bytes(s.above_base_size)} ajoutés au-dessus de ${base_name}, qui pèse ${format_bytes(s.size - s.above_base_size)}).` : "."),
    );
  }
  if (limits.max_mb_above_base !== undefined && s.above_base_size > limits.max_mb_above_base * MB) {
    failures.push(
      `Le Dockerfile ajoute ${format_bytes(s.above_base_size)} au-dessus de ${base_name}, le maximum attendu est ` +
        `${format_bytes(limits.max_mb_above_base * MB)}.`,
    );
  }
  if (failures.length > 0) failures[failures.length - 1] += details;
  return outcome(failures);
}

export interface LayerCountOptions extends BaseOption {
  /** Count only the layers the Dockerfile adds above its base image. */
  above_base?: boolean;
}

/** The image has at most `max` layers (by default all of them; with above_base, those the Dockerfile adds). */
export async function check_layers_at_most(subject: ImageSubject, max: number, options: LayerCountOptions = {}): Promise<CheckOutcome> {
  require_config(Number.isInteger(max) && max >= 0, `le nombre de couches doit être un entier positif ou nul (reçu ${max}).`);
  const s = await summary_of(await resolve_subject(subject, options.base), Boolean(options.above_base));
  const counted = options.above_base ? s.layers.filter((l) => !l.in_base) : s.layers;
  if (counted.length <= max) return outcome([]);
  const listing = counted.map((l) => `  ${l.index + 1}. ${l.instruction ? short(l.instruction, 90) : "(image de base)"} : ${format_bytes(l.size)}`);
  // Runs of consecutive RUN layers are the usual thing to merge.
  const runs: LayerFacts[][] = [];
  for (const l of counted) {
    const last = runs.at(-1);
    if (l.instruction.startsWith("RUN ") && last && last.at(-1)!.index === l.index - 1 && last.at(-1)!.instruction.startsWith("RUN ")) last.push(l);
    else runs.push([l]);
  }
  const mergeable = runs.filter((r) => r.length > 1 && r[0]!.instruction.startsWith("RUN "));
  const merge_tip = mergeable.length
    ? ` Les RUN des couches ${mergeable.map((r) => r.map((l) => l.index + 1).join(", ")).join(" puis ")} se suivent : regroupez-les en un seul RUN, commandes reliées par &&.`
    : " Regroupez les commandes de plusieurs RUN en un seul (reliées par &&) et copiez un dossier entier en un seul COPY.";
  const where = options.above_base ? ` au-dessus de ${s.base?.ref ?? "l'image de base"}` : "";
  return outcome([
    `L'image a ${counted.length} couches${where}, le maximum attendu est ${max}.` +
      merge_tip +
      " RUN, COPY, ADD et WORKDIR créent une couche ; ENV, CMD, EXPOSE, LABEL, USER n'en créent pas.\n" +
      `Couches${where} :\n${listing.join("\n")}`,
  ]);
}

export interface WasteBudget extends BaseOption {
  /** dive's highestWastedBytes, in Mo: every copy of a path present in several layers or deleted later. */
  max_mb?: number;
  /** dive's lowestEfficiency, between 0 and 1. */
  min_efficiency?: number;
  /** dive's highestUserWastedPercent (a ratio between 0 and 1): wasted bytes / bytes the Dockerfile adds above its base. */
  max_user_wasted_ratio?: number;
}

function describe_hidden(h: HiddenPath, layers: LayerContents[], base_layers: number): string {
  const by = (index: number): string => describe_layer(layers[index] ?? { index, instruction: "" }, base_layers);
  const added = h.added_in.map(by).join(" et ");
  const verb = h.how === "deleted" ? "supprimé par" : h.how === "overwritten" ? "remplacé par" : "vidé par";
  return `${h.path} (${format_bytes(h.bytes)}) : ajouté par ${added}, ${verb} ${by(h.removed_in)}`;
}

/** The top wasted paths the student can act on (waste wholly inside the base image left out). */
function wasted_listing(waste: WasteFigures, layers: LayerContents[], base_layers: number, count = 5): string {
  // Bytes the Dockerfile itself added come first; base files it modified (dpkg's status...) are often unavoidable.
  const ours = waste.hidden
    .filter((h) => h.removed_in >= base_layers)
    .sort((a, b) => Number(a.added_in[0]! < base_layers) - Number(b.added_in[0]! < base_layers) || b.bytes - a.bytes);
  if (ours.length > 0) {
    const more = ours.length > count ? ` (et ${ours.length - count} autres)` : "";
    return ` Les plus gros gaspillages : ${ours.slice(0, count).map((h) => describe_hidden(h, layers, base_layers)).join(" ; ")}${more}.`;
  }
  const dive = waste.inefficiencies.filter((i) => i.layers.some((l) => l >= base_layers)).slice(0, count);
  if (dive.length === 0) return "";
  return ` Chemins présents dans plusieurs couches : ${dive
    .map((i) => `${i.path} (${format_bytes(i.cumulative_bytes)}, couches ${i.layers.map((l) => l + 1).join(", ")})`)
    .join(" ; ")}.`;
}

const WASTE_ADVICE =
  " Un fichier supprimé ou modifié par un RUN suivant reste stocké dans la couche qui l'a créé : " +
  "créez, utilisez et supprimez les fichiers temporaires dans le même RUN (… && rm -rf …), " +
  "ou faites ce travail dans une étape de build séparée et copiez seulement le résultat (build multi-étapes).";

/** The image wastes at most max_mb (dive's wasted bytes), and/or has at least min_efficiency (dive's score). */
export async function check_wasted_under(subject: ImageSubject, limits: WasteBudget): Promise<CheckOutcome> {
  require_config(
    limits.max_mb !== undefined || limits.min_efficiency !== undefined || limits.max_user_wasted_ratio !== undefined,
    `donnez max_mb, min_efficiency ou max_user_wasted_ratio.`,
  );
  budget(limits.max_mb, "max_mb");
  ratio(limits.min_efficiency, "min_efficiency");
  ratio(limits.max_user_wasted_ratio, "max_user_wasted_ratio");
  const s = await resolve_subject(subject, limits.base);
  const summary = await summary_of(s, limits.max_user_wasted_ratio !== undefined);
  const { contents, waste } = await analyze_waste(s.image.id);
  const listing = wasted_listing(waste, contents.layers, summary.base_layers);
  const hidden = `${format_bytes(waste.hidden_bytes)} y sont stockés sans être visibles dans l'image finale`;
  const failures: string[] = [];
  if (limits.max_mb !== undefined && waste.wasted_bytes > limits.max_mb * MB) {
    failures.push(
      `L'image gaspille ${format_bytes(waste.wasted_bytes)} au sens de dive (toutes les copies des fichiers présents dans plusieurs couches ` +
        `ou supprimés plus tard), le maximum attendu est ${format_bytes(limits.max_mb * MB)} ; ${hidden}.`,
    );
  }
  if (limits.min_efficiency !== undefined && waste.efficiency < limits.min_efficiency) {
    failures.push(
      `L'efficacité de l'image (calcul de dive) est de ${percent(waste.efficiency)}, le minimum attendu est ${percent(limits.min_efficiency)} : ` +
        `${format_bytes(waste.wasted_bytes)} gaspillés, dont ${hidden.replace(" y sont", "")}.`,
    );
  }
  if (limits.max_user_wasted_ratio !== undefined) {
    const added = contents.layers.slice(summary.base_layers).reduce((sum, l) => sum + l.bytes, 0);
    const user_ratio = added === 0 ? 0 : waste.wasted_bytes / added;
    if (user_ratio > limits.max_user_wasted_ratio) {
      failures.push(
        `Le gaspillage représente ${percent(user_ratio)} de ce que le Dockerfile ajoute (${format_bytes(waste.wasted_bytes)} pour ${format_bytes(added)}), ` +
          `le maximum attendu est ${percent(limits.max_user_wasted_ratio)}.`,
      );
    }
  }
  if (failures.length > 0) failures[failures.length - 1] += listing + WASTE_ADVICE;
  return outcome(failures);
}

// ---------------------------------------------------------------------------
// Leftovers of the build context.

export interface LeftoverRule {
  /** Matched against the file name; with a "/" inside, against the absolute path. A trailing "/" matches folders only. `*`, `?`, `**`. */
  pattern: string;
  /** What such a file is, in French, for the message. */
  why: string;
  /** Node.js applications legitimately ship node_modules: the rule is skipped when the image has a node binary. */
  unless_node?: boolean;
}

export const DEFAULT_LEFTOVER_RULES: readonly LeftoverRule[] = [
  { pattern: ".git", why: "l'historique git du projet" },
  { pattern: ".svn/", why: "les métadonnées svn du projet" },
  { pattern: ".hg/", why: "les métadonnées mercurial du projet" },
  { pattern: "node_modules", why: "des dépendances installées sur votre machine", unless_node: true },
  { pattern: ".env", why: "des variables d'environnement, souvent des secrets" },
  { pattern: ".env.*", why: "des variables d'environnement, souvent des secrets" },
  { pattern: "id_rsa", why: "une clé privée SSH" },
  { pattern: "id_dsa", why: "une clé privée SSH" },
  { pattern: "id_ecdsa", why: "une clé privée SSH" },
  { pattern: "id_ed25519", why: "une clé privée SSH" },
  { pattern: "*.pem", why: "une clé ou un certificat" },
  { pattern: "*.key", why: "une clé privée" },
  { pattern: "*.log", why: "un journal" },
  { pattern: "test/", why: "des tests, inutiles à l'exécution" },
  { pattern: "tests/", why: "des tests, inutiles à l'exécution" },
  { pattern: "__tests__/", why: "des tests, inutiles à l'exécution" },
];

/** Templates of .env files are meant to be shared. */
export const DEFAULT_LEFTOVER_ALLOW: readonly string[] = [".env.example", ".env.sample", ".env.template", ".env.dist"];

export interface LeftoverOptions extends BaseOption {
  /** More patterns to refuse (always applied, node_modules included). */
  deny?: Array<string | LeftoverRule>;
  /** Patterns to accept even though a rule refuses them (a match on a folder accepts what it holds). */
  allow?: string[];
  /** Start from an empty deny-list instead of DEFAULT_LEFTOVER_RULES. */
  replace_defaults?: boolean;
}

interface CompiledPattern {
  regex: RegExp;
  dir_only: boolean;
  by_path: boolean;
}

function compile_pattern(pattern: string): CompiledPattern {
  let p = pattern.trim();
  require_config(p !== "" && p !== "/", `un motif vide ne désigne aucun fichier.`);
  const dir_only = p.endsWith("/");
  if (dir_only) p = p.slice(0, -1);
  const by_path = p.includes("/");
  if (by_path && !p.startsWith("/")) p = "/" + p;
  const source = glob_source(p);
  return { regex: new RegExp(`^${source}$`), dir_only, by_path };
}

function pattern_matches(pattern: CompiledPattern, p: string, is_dir: boolean): boolean {
  if (pattern.dir_only && !is_dir) return false;
  return pattern.regex.test(pattern.by_path ? p : path.posix.basename(p));
}

interface Leftover {
  path: string;
  layer: number;
  rule: LeftoverRule;
  is_dir: boolean;
  files: number;
  bytes: number;
}

/** COPY/ADD layers above the base, and whether each copies from another stage or image (COPY --from). */
function copy_layers(contents: LayerContents[], base_layers: number, exercise?: ExerciseHandle): Array<{ layer: LayerContents; from_stage: boolean }> {
  const copies = contents.slice(base_layers).filter((l) => /^(COPY|ADD) /.test(l.instruction));
  let from_flags: boolean[] | undefined;
  if (exercise) {
    // The history does not keep --from; the Dockerfile's final stage does, in the same order.
    const flags = (exercise.dockerfile().final_stage()?.instructions ?? [])
      .filter((i) => i.keyword === "COPY" || i.keyword === "ADD")
      .map((i) => i.flags.some((f) => f.name === "from"));
    if (flags.length === copies.length) from_flags = flags;
  }
  return copies.map((layer, i) => ({ layer, from_stage: from_flags?.[i] ?? false }));
}

/** Another build uses the same folder: a target (--target), a stage the final image does not start from, or a second Dockerfile. */
function builds_share_the_context(exercise: ExerciseHandle): boolean {
  if (exercise.variant_options.target !== undefined || exercise.variant_options.dockerfile !== undefined) return true;
  const model = exercise.dockerfile();
  const final = model.final_stage();
  const ancestry = new Set<number>();
  for (let stage = final; stage && !ancestry.has(stage.index); stage = stage.from_stage !== undefined ? model.stages[stage.from_stage] : undefined) ancestry.add(stage.index);
  const copied_from = new Set(model.stages.flatMap((st) => st.copies_from).map((ref) => (typeof ref === "number" ? ref : model.stage(ref)?.index)));
  if (model.stages.some((st) => !ancestry.has(st.index) && !copied_from.has(st.index))) return true;
  return fs.readdirSync(exercise.submission_dir).some((name) => /^Dockerfile./.test(name) || /\.Dockerfile$/i.test(name));
}

/**
 * No file from the build context that should stay out of an image: the layers
 * made by COPY and ADD above the base are searched with a deny-list (.git,
 * node_modules unless the app runs on Node, .env, private keys, logs, test
 * folders), adjustable with deny / allow. A file deleted by a later RUN is
 * still reported: it stays in the layer that copied it.
 */
export async function check_no_context_leftovers(subject: ImageSubject, options: LeftoverOptions = {}): Promise<CheckOutcome> {
  const extra = (options.deny ?? []).map((d) => (typeof d === "string" ? { pattern: d, why: "un fichier refusé par l'exercice" } : d));
  const rules = [...(options.replace_defaults ? [] : DEFAULT_LEFTOVER_RULES), ...extra];
  require_config(rules.length > 0, `la liste des motifs refusés est vide.`);
  const deny = rules.map((rule) => ({ rule, compiled: compile_pattern(rule.pattern), forced: extra.includes(rule) }));
  const allow = [...DEFAULT_LEFTOVER_ALLOW, ...(options.allow ?? [])].map((p) => compile_pattern(p));

  const s = await resolve_subject(subject, options.base);
  const summary = await summary_of(s, false);
  const { contents, waste } = await analyze_waste(s.image.id);
  const node_app =
    waste.present("/usr/local/bin/node") || waste.present("/usr/bin/node") || /(^|\/)node(:|$)/.test(s.base ?? "");

  const found = new Map<string, Leftover>();
  for (const { layer, from_stage } of copy_layers(contents.layers, summary.base_layers, s.exercise)) {
    for (const entry of layer.entries) {
      if (entry.kind === "whiteout" || entry.kind === "opaque") continue;
      const names = entry.path.split("/").filter(Boolean);
      // The topmost matching folder is reported once, with what it holds.
      for (let depth = 1; depth <= names.length; depth++) {
        const p = "/" + names.slice(0, depth).join("/");
        const is_dir = depth < names.length || entry.kind === "dir";
        if (allow.some((a) => pattern_matches(a, p, is_dir))) break;
        const hit = deny.find(
          (d) => pattern_matches(d.compiled, p, is_dir) && !(d.rule.unless_node && !d.forced && (node_app || from_stage)),
        );
        if (!hit) continue;
        const key = `${layer.index}\0${p}`;
        let leftover = found.get(key);
        if (!leftover) {
          leftover = { path: p, layer: layer.index, rule: hit.rule, is_dir, files: 0, bytes: 0 };
          found.set(key, leftover);
        }
        if (entry.kind !== "dir") leftover.files++;
        leftover.bytes += entry.size;
        break;
      }
    }
  }

  // .dockerignore takes a path out of the context of every build of the folder:
  // right when no build needs it, wrong when another stage, target or Dockerfile does.
  const shared_context = s.exercise ? builds_share_the_context(s.exercise) : false;
  const failures = [...found.values()].map((l) => {
    const layer = contents.layers[l.layer]!;
    const what = l.is_dir ? `dossier, ${l.files} fichier${l.files > 1 ? "s" : ""}, ${format_bytes(l.bytes)}` : format_bytes(l.bytes);
    const ignore_line = l.rule.pattern.replace(/\/$/, "");
    // The instruction is the subject, and « a copié » agrees with nothing: any path, any `why`.
    let text =
      `${describe_layer(layer, summary.base_layers)} a copié ${l.path} (${what}) dans l'image : ${l.rule.why}. ` +
      (shared_context
        ? "Ne le copiez pas dans cette image : copiez seulement ce dont elle a besoin (COPY app/ …, plutôt que COPY . .). " +
          "Un .dockerignore le retirerait aussi des autres étapes ou Dockerfiles du dossier, qui s'en servent peut-être."
        : `Ajoutez « ${ignore_line} » au fichier .dockerignore, ou copiez seulement les fichiers utiles.`);
    if (!waste.present(l.path)) {
      const removal = waste.hidden.find((h) => (h.path === l.path || l.path.startsWith(h.path + "/")) && h.added_in.includes(l.layer));
      const by = removal ? ` par ${describe_layer(contents.layers[removal.removed_in]!, summary.base_layers)}` : "";
      text += ` Le supprimer ensuite${by} ne suffit pas : il reste dans la couche ${l.layer + 1}, que n'importe qui peut extraire de l'image.`;
    }
    return text;
  });
  const LIMIT = 20;
  if (failures.length > LIMIT) failures.splice(LIMIT, failures.length - LIMIT, `… et ${failures.length - LIMIT} autres chemins du même genre.`);
  return outcome(failures);
}

