// A publication through a registry (lesson 18): the student's publication
// script (publier.sh) is read into steps (grader/publish/script.ts), never run
// on the host; the grader carries out each step itself through the engine
// (grader/engine/registry.ts) against an empty registry:2 of this grading,
// then asks the registry what it holds: tags, digests, layers.
//
// What it relies on: the registry's own API (which tags a repository has, the
// manifest each names, its layers), and the digest the engine's push stream
// gives as data (its aux field), never a line of output; a build failure is
// the engine's, its text only chooses the explanation.
//
// The script and the Dockerfiles name the student's registry (localhost:5000);
// the grader's registry, on another port, takes its place in every word, and
// the messages name the student's registry again.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ExerciseHandle } from "../spec/use-exercise.js";
import { build_failure_outcome, GradingError, outcome, require_config, type CheckOutcome } from "./check.js";
import type { CheckFact } from "../result.js";
import { start_registry, tag_image, push_image, repo_digests, untag, split_reference, RegistryImageMissing, type Registry } from "../engine/registry.js";
import { read_publish_script, expand, type PublishScript } from "../publish/script.js";
import { read_dockerfile } from "../dockerfile/index.js";

export interface PublicationOptions {
  /** The script of the submission: "publier.sh". */
  script: string;
  /** The registry the student's script names: "localhost:5000" (127.0.0.1 on that port is the same). */
  registry: string;
}

export interface PublishExpectation extends PublicationOptions {
  /** A repository the registry must hold after the script ("catalogue"). Without it, only that the script runs to its end. */
  repository?: string;
  /** Tags of `repository` that must be pushed. */
  tags?: string[];
  /** Those tags name one image: a single digest. */
  one_digest?: boolean;
  /**
   * The image of `repository` is built FROM an image pinned by a digest; a
   * "repository:tag" names the pushed image that digest must be, whose layers
   * the image must start with.
   */
  from_digest?: true | string;
}

interface Publication {
  registry: Registry;
  /** Each build's Dockerfile (registry mapped) and build arguments, by the repositories it tagged ("rapport"). */
  builds: Map<string, { dockerfile: string; build_args: Record<string, string> }>;
  /** Why the script stopped, with its line (and a failed build's output and facts); undefined when every step ran. */
  failure?: { text: string; output?: string; facts?: CheckFact[] };
}

interface Owned {
  run: Promise<Publication>;
  refs: Set<string>;
  registry?: Registry;
  copy?: string;
}

const publications = new WeakMap<ExerciseHandle, Map<string, Owned>>();

/** A failure of the student's script: its message is the check's, the script stops there. */
/** Why the script stopped: its words, and a failed build's output and facts. */
class ScriptStop extends Error {
  constructor(
    message: string,
    readonly output?: string,
    readonly facts?: CheckFact[],
  ) {
    super(message);
  }
}

/** The script, read; undefined when the file is absent. */
function read_script(ex: ExerciseHandle, name: string): PublishScript | undefined {
  const text = ex.submission_file(name);
  return text === undefined ? undefined : read_publish_script(text);
}

function student_registry(options: PublicationOptions): RegExp {
  const port = options.registry.split(":")[1] ?? "5000";
  return new RegExp(`\\b(?:localhost|127\\.0\\.0\\.1):${port}\\b`, "g");
}

/** The repository's last name: "127.0.0.1:5000/catalogue" → "catalogue". */
const repository_name = (ref: string): string => split_reference(ref).repository.split("/").pop() ?? "";

/** Carries out the script once per handle and options, step by step, through the engine's API. */
function publication(ex: ExerciseHandle, options: PublicationOptions): Promise<Publication> {
  let mine = publications.get(ex);
  if (!mine) publications.set(ex, (mine = new Map()));
  const key = `${options.script}\u0000${options.registry}`;
  const existing = mine.get(key);
  if (existing) return existing.run;
  const owned: Owned = { refs: new Set(), run: undefined as unknown as Promise<Publication> };
  owned.run = carry_out(ex, options, owned);
  mine.set(key, owned);
  return owned.run;
}

async function carry_out(ex: ExerciseHandle, options: PublicationOptions, owned: Owned): Promise<Publication> {
  let registry: Registry;
  try {
    registry = owned.registry = await start_registry({ session: ex.session, exercise: ex.id });
  } catch (error) {
    if (error instanceof RegistryImageMissing) throw new GradingError(error.message, "base_image");
    throw error;
  }
  const pattern = student_registry(options);
  const to_grader = (word: string): string => word.replace(pattern, registry.address);
  // The Dockerfiles name the student's registry too (an ARG's default): a copy names the grader's.
  const copy = (owned.copy = fs.mkdtempSync(path.join(os.tmpdir(), `dl-${ex.id}-`)));
  fs.cpSync(ex.submission_dir, copy, { recursive: true });
  for (const name of fs.readdirSync(copy).filter((n) => /^Dockerfile/.test(n))) {
    const file = path.join(copy, name);
    fs.writeFileSync(file, to_grader(fs.readFileSync(file, "utf8")));
  }
  const variables = new Map<string, string>();
  const result: Publication = { registry, builds: new Map() };
  const value = (word: string, line: number): string => {
    const missing: string[] = [];
    const expanded = to_grader(expand(word, variables, missing));
    if (missing.length) throw new ScriptStop(`Ligne ${line} : la variable ${missing[0]} n'a pas de valeur à ce moment du script.`);
    return expanded;
  };
  try {
    for (const step of read_script(ex, options.script)?.steps ?? []) {
      if (step.kind === "set") variables.set(step.name, value(step.value, step.line));
      else if (step.kind === "build") {
        const build_args = Object.fromEntries(Object.entries(step.build_args).map(([k, v]) => [k, value(v, step.line)]));
        const variant = { ...(step.dockerfile ? { dockerfile: step.dockerfile } : {}), ...(step.target ? { target: step.target } : {}), build_args };
        const built = await ex.variant(variant).build({ dir: copy });
        if (!built.ok) {
          const absent = /@(sha256:[0-9a-f]{64}): not found/.exec(built.failure.engine_message);
          const lead = `Ligne ${step.line} (${step.text}) : l'image ne se construit pas.`;
          if (absent) {
            throw new ScriptStop(
              `${lead}\nLe registre n'a aucune image au digest ${absent[1]} : un digest recopié d'une autre publication ne désigne pas l'image ` +
                "que ce script vient de pousser. Lisez-le dans le script, après le push (NOM=$(docker inspect --format '{{index .RepoDigests 0}}' …)), " +
                "et passez-le au build par --build-arg.",
            );
          }
          const failed = build_failure_outcome(lead, built.failure);
          throw new ScriptStop(failed.failures[0]!, failed.output, failed.facts);
        }
        for (const tag of step.tags.map((t) => value(t, step.line))) {
          await tag_image(built.image_id, tag);
          owned.refs.add(tag);
          result.builds.set(repository_name(tag), { dockerfile: fs.readFileSync(path.join(copy, step.dockerfile ?? "Dockerfile"), "utf8"), build_args });
        }
      } else if (step.kind === "tag") {
        const [source, target] = [value(step.source, step.line), value(step.target, step.line)];
        try {
          await tag_image(source, target);
        } catch {
          throw new ScriptStop(
            `Ligne ${step.line} (${step.text}) : il n'y a pas d'image nommée ${step.source} à ce moment du script : construisez-la (docker build -t) avant de la taguer.`,
          );
        }
        owned.refs.add(target);
      } else if (step.kind === "push") {
        const ref = value(step.ref, step.line);
        if (!ref.startsWith(`${registry.address}/`)) {
          const { tag } = split_reference(step.ref);
          throw new ScriptStop(
            `Ligne ${step.line} (${step.text}) : ${step.ref} ne nomme pas de registre, docker push l'enverrait sur Docker Hub. ` +
              `Taguez l'image ${options.registry}/${repository_name(step.ref)}:${step.all_tags ? "TAG" : tag} et poussez ce nom-là.`,
          );
        }
        // --all-tags: every tag of the repository on the engine, which here are the ones this script made.
        const refs = step.all_tags ? [...owned.refs].filter((r) => split_reference(r).repository === ref).sort() : [ref];
        if (refs.length === 0) {
          throw new ScriptStop(`Ligne ${step.line} (${step.text}) : aucune image n'a de tag dans le dépôt ${step.ref} à ce moment du script : construisez-la et taguez-la (docker build -t, docker tag) avant de la pousser.`);
        }
        for (const one of refs) {
          const pushed = await push_image(one);
          if (!pushed.ok) throw new ScriptStop(`Ligne ${step.line} (${step.text}) : le push de ${one} a échoué (${pushed.error}). L'image a-t-elle bien ce nom (docker build -t ou docker tag) ?`);
        }
      } else if (step.kind === "digest") {
        const ref = value(step.ref, step.line);
        const digests = await repo_digests(ref).catch(() => undefined);
        const digest = digests?.find((d) => d.startsWith(`${registry.address}/`));
        if (!digest) {
          throw new ScriptStop(
            `Ligne ${step.line} (${step.text}) : ${step.ref} n'a pas encore de digest de registre. Un digest n'existe qu'après le push : poussez l'image avant de le lire.`,
          );
        }
        variables.set(step.name, digest);
      }
    }
  } catch (error) {
    if (!(error instanceof ScriptStop)) throw error;
    // The student's script names its own registry, never the grader's port.
    result.failure = { text: error.message.replaceAll(registry.address, options.registry), output: error.output, facts: error.facts };
  }
  return result;
}

/** Removes what the handle's publications made: the tags, the registries, the copies. Call in the spec's afterAll. */
export async function remove_publications(ex: ExerciseHandle): Promise<void> {
  const mine = publications.get(ex);
  publications.delete(ex);
  for (const owned of mine?.values() ?? []) {
    await owned.run.catch(() => undefined);
    await untag(owned.refs);
    await owned.registry?.remove();
    if (owned.copy) fs.rmSync(owned.copy, { recursive: true, force: true });
  }
}

/** The script is there, every line is a command the grader carries out, and it pushes something. */
export function check_publish_script(ex: ExerciseHandle, options: PublicationOptions): CheckOutcome {
  const script = read_script(ex, options.script);
  if (!script) return outcome([`Il n'y a pas de fichier ${options.script} : c'est le script de publication que le correcteur lit.`]);
  if (script.errors.length) return outcome(script.errors);
  if (!script.steps.some((s) => s.kind === "push")) return outcome([`${options.script} ne pousse aucune image : ajoutez des lignes docker push ${options.registry}/…`]);
  return outcome([]);
}

const short_digest = (digest: string): string => `${digest.slice(0, 19)}…`;

/**
 * The script, carried out through the grader's registry, runs to its end;
 * with `repository`, the registry then holds its `tags` (one image with
 * `one_digest`), built on an image pinned by a digest with `from_digest`.
 */
export async function check_publish(ex: ExerciseHandle, expected: PublishExpectation): Promise<CheckOutcome> {
  require_config(expected.repository !== undefined || (!expected.tags && !expected.one_digest && !expected.from_digest), "tags, one_digest et from_digest portent sur un repository.");
  const script = read_script(ex, expected.script);
  if (!script) return check_publish_script(ex, expected);
  if (script.errors.length) return outcome([`Le correcteur n'exécute pas un script qu'il ne sait pas lire :\n${script.errors.join("\n")}`]);
  const p = await publication(ex, expected);
  const { registry } = p;
  if (expected.repository === undefined) return outcome(p.failure ? [p.failure.text] : [], p.failure?.output, p.failure?.facts);
  if (p.failure) {
    return outcome([`Le script de publication s'est arrêté avant la fin, le registre n'a donc pas tout reçu. ${p.failure.text.split("\n")[0]}`], undefined, p.failure.facts);
  }
  const repository = expected.repository;
  const student = (text: string): string => text.replaceAll(registry.address, expected.registry);
  const tags = expected.tags ?? [];
  const present = await registry.tags(repository);
  const missing = tags.filter((t) => !present.includes(t));
  if (missing.length) {
    if (tags.length === 1) {
      return outcome([`Le registre n'a pas ${repository}:${tags[0]} : construisez-le avec -t ${expected.registry}/${repository}:${tags[0]} et poussez-le.`]);
    }
    return outcome([
      `Le registre a ${repository} ${present.length ? `aux tags ${present.join(", ")}` : "sans aucun tag"} ; il manque ${missing.join(", ")}. ` +
        "Chaque tag se donne avec docker tag (ou un -t de plus au docker build) et se pousse avec docker push (un push par tag, ou docker push --all-tags pour tout le dépôt).",
    ]);
  }
  const failures: string[] = [];
  if (expected.one_digest) {
    const digests = new Map<string, string>();
    for (const tag of tags) {
      const manifest = await registry.manifest(repository, tag);
      if (manifest) digests.set(tag, manifest.digest);
    }
    if (new Set(digests.values()).size > 1) {
      failures.push(
        `Les tags de ${repository} désignent des images différentes : ${[...digests].map(([t, d]) => `${t} → ${short_digest(d)}`).join(", ")}. ` +
          "Construisez une seule fois, puis donnez les autres noms à cette image avec docker tag.",
      );
    }
  }
  if (expected.from_digest) {
    const build = p.builds.get(repository);
    if (!build) return outcome([...failures, `Aucun docker build du script ne nomme l'image ${repository}.`]);
    const base = read_dockerfile(build.dockerfile, { build_args: build.build_args }).final_stage()?.image ?? "";
    const digest = /@(sha256:[0-9a-f]{64})$/.exec(base)?.[1];
    const how = "lisez-le dans le script, après le push (docker inspect --format '{{index .RepoDigests 0}}'), et passez-le au build par --build-arg.";
    if (expected.from_digest === true) {
      if (!digest) {
        failures.push(
          `L'image ${repository} part de « ${student(base) || "(rien)"} », un tag : demain, ce nom peut désigner une autre image. ` + `Épinglez-la par son digest : ${how}`,
        );
      }
    } else {
      const { repository: on_repository, tag: on_tag } = split_reference(expected.from_digest);
      const on = await registry.manifest(on_repository, on_tag);
      const pushed = tags[0] !== undefined ? await registry.manifest(repository, tags[0]) : undefined;
      if (!on) failures.push(`Le registre n'a pas ${expected.from_digest} : construisez-le avec -t ${expected.registry}/${expected.from_digest} et poussez-le.`);
      else if (digest !== on.digest) {
        failures.push(
          `L'image ${repository} ${digest ? `est épinglée sur ${digest}` : "n'est épinglée sur aucun digest"}, mais ${expected.from_digest} a le digest ${on.digest} dans le registre. ` +
            "Lisez le digest de l'image que vous venez de pousser, dans le même script, plutôt que de le recopier d'une autre publication.",
        );
      } else if (pushed && !on.layers.every((layer, i) => pushed.layers[i] === layer)) {
        failures.push(`Les couches de ${repository} ne commencent pas par celles de ${on_repository} : son FROM doit être l'argument qui porte le digest.`);
      }
    }
  }
  return outcome(failures);
}
