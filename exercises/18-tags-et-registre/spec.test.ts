import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, test, expect } from "vitest";
import {
  use_exercise,
  CheckFailure,
  GradingError,
  format_build_failure,
  read_dockerfile,
  read_publish_script,
  expand_publish_word,
  start_registry,
  tag_image,
  push_image,
  repo_digests,
  untag,
  split_reference,
  RegistryImageMissing,
  type Registry,
  type PublishScript,
} from "../../grader/index.js";

const ex = use_exercise(import.meta.url);

const SCRIPT = "publier.sh";
const TAGS = ["1", "1.4", "1.4.2", "latest"];
/** The registry the student's script names; the grader's own registry takes its place. */
const STUDENT_REGISTRY = /\b(?:localhost|127\.0\.0\.1):5000\b/g;

interface Publication {
  registry: Registry;
  /** The build of the rapport: the Dockerfile it used (registry mapped) and its build arguments. */
  rapport?: { dockerfile: string; build_args: Record<string, string> };
  /** Why the script stopped, with its line; undefined when every step ran. */
  failure?: string;
}

const made_refs = new Set<string>();
let registry: Registry | undefined;
let copy: string | undefined;
afterAll(async () => {
  await untag(made_refs);
  await registry?.remove();
  if (copy) fs.rmSync(copy, { recursive: true, force: true });
}, 60_000);

function script(): PublishScript {
  const text = ex.submission_file(SCRIPT);
  if (text === undefined) throw new CheckFailure(`Il n'y a pas de fichier ${SCRIPT} : c'est le script de publication que le correcteur lit.`);
  return read_publish_script(text);
}

let publication: Promise<Publication> | undefined;
/** Carries out the script once, step by step, through the engine's API. */
function publish(): Promise<Publication> {
  publication ??= (async () => {
    try {
      registry = await start_registry({ session: ex.session, exercise: ex.id });
    } catch (error) {
      if (error instanceof RegistryImageMissing) throw new GradingError(error.message, "base_image");
      throw error;
    }
    const to_grader = (word: string): string => word.replace(STUDENT_REGISTRY, registry!.address);
    // The Dockerfiles name localhost:5000 too (an ARG's default): a copy names the grader's registry.
    copy = fs.mkdtempSync(path.join(os.tmpdir(), "dl-18-"));
    fs.cpSync(ex.submission_dir, copy, { recursive: true });
    for (const name of fs.readdirSync(copy).filter((n) => /^Dockerfile/.test(n))) {
      const file = path.join(copy, name);
      fs.writeFileSync(file, to_grader(fs.readFileSync(file, "utf8")));
    }
    const variables = new Map<string, string>();
    const result: Publication = { registry };
    const value = (word: string, line: number): string => {
      const missing: string[] = [];
      const expanded = to_grader(expand_publish_word(word, variables, missing));
      if (missing.length) throw new CheckFailure(`Ligne ${line} : la variable ${missing[0]} n'a pas de valeur à ce moment du script.`);
      return expanded;
    };
    try {
      for (const step of script().steps) {
        if (step.kind === "set") variables.set(step.name, value(step.value, step.line));
        else if (step.kind === "build") {
          const build_args = Object.fromEntries(Object.entries(step.build_args).map(([k, v]) => [k, value(v, step.line)]));
          const options = { ...(step.dockerfile ? { dockerfile: step.dockerfile } : {}), ...(step.target ? { target: step.target } : {}), build_args };
          const built = await ex.variant(options).build({ dir: copy });
          if (!built.ok) {
            const absent = /@(sha256:[0-9a-f]{64}): not found/.exec(built.failure.engine_message);
            throw new CheckFailure(
              `Ligne ${step.line} (${step.text}) : l'image ne se construit pas.\n` +
                (absent
                  ? `Le registre n'a aucune image au digest ${absent[1]} : un digest recopié d'une autre publication ne désigne pas l'image ` +
                    "que ce script vient de pousser. Lisez-le dans le script, après le push (CATALOGUE=$(docker inspect --format '{{index .RepoDigests 0}}' …)), " +
                    "et passez-le au build par --build-arg."
                  : format_build_failure(built.failure)),
            );
          }
          for (const tag of step.tags.map((t) => value(t, step.line))) {
            await tag_image(built.image_id, tag);
            made_refs.add(tag);
            if (/\/rapport(:|$)/.test(split_reference(tag).repository + ":")) {
              result.rapport = { dockerfile: fs.readFileSync(path.join(copy, step.dockerfile ?? "Dockerfile"), "utf8"), build_args };
            }
          }
        } else if (step.kind === "tag") {
          const [source, target] = [value(step.source, step.line), value(step.target, step.line)];
          try {
            await tag_image(source, target);
          } catch {
            throw new CheckFailure(`Ligne ${step.line} (${step.text}) : il n'y a pas d'image nommée ${step.source} à ce moment du script : construisez-la (docker build -t) avant de la taguer.`);
          }
          made_refs.add(target);
        } else if (step.kind === "push") {
          const ref = value(step.ref, step.line);
          if (!ref.startsWith(`${registry.address}/`)) {
            throw new CheckFailure(
              `Ligne ${step.line} (${step.text}) : ${step.ref} ne nomme pas de registre, docker push l'enverrait sur Docker Hub. ` +
                `Taguez l'image localhost:5000/${split_reference(step.ref).repository.split("/").pop()}:${split_reference(step.ref).tag} et poussez ce nom-là.`,
            );
          }
          const pushed = await push_image(ref);
          if (!pushed.ok) throw new CheckFailure(`Ligne ${step.line} (${step.text}) : le push a échoué (${pushed.error}). L'image a-t-elle bien ce nom (docker build -t ou docker tag) ?`);
        } else if (step.kind === "digest") {
          const ref = value(step.ref, step.line);
          const digests = await repo_digests(ref).catch(() => undefined);
          const digest = digests?.find((d) => d.startsWith(`${registry!.address}/`));
          if (!digest) {
            throw new CheckFailure(
              `Ligne ${step.line} (${step.text}) : ${step.ref} n'a pas encore de digest de registre. Un digest n'existe qu'après le push : ` +
                "poussez l'image avant de le lire.",
            );
          }
          variables.set(step.name, digest);
        }
      }
    } catch (error) {
      if (!(error instanceof CheckFailure)) throw error;
      // The student's script names localhost:5000, never the grader's port.
      result.failure = error.message.replaceAll(registry.address, "localhost:5000");
    }
    return result;
  })();
  return publication;
}

async function published(): Promise<Publication & { registry: Registry }> {
  const p = await publish();
  if (p.failure) throw new CheckFailure("Le script de publication s'est arrêté avant la fin : voyez la vérification « le script s'exécute ».");
  return p;
}

describe("18 — Tags et registre", () => {
  test("publier.sh ne contient que des commandes que le correcteur exécute", { meta: { points: 1 } }, () => {
    const { steps, errors } = script();
    if (errors.length) throw new CheckFailure(errors.join("\n"));
    if (!steps.some((s) => s.kind === "push")) throw new CheckFailure(`${SCRIPT} ne pousse aucune image : ajoutez des lignes docker push localhost:5000/…`);
  });

  test("le script s'exécute : builds, tags et pushes, dans l'ordre", { meta: { points: 2 } }, async () => {
    if (script().errors.length) throw new CheckFailure(`Le correcteur n'exécute pas un script qu'il ne sait pas lire : voyez la vérification précédente.`);
    const p = await publish();
    if (p.failure) throw new CheckFailure(p.failure);
  });

  test("le registre a catalogue aux tags 1.4.2, 1.4, 1 et latest", { meta: { points: 2 } }, async () => {
    const { registry } = await published();
    const tags = await registry.tags("catalogue");
    const missing = TAGS.filter((t) => !tags.includes(t));
    if (missing.length) {
      throw new CheckFailure(
        `Le registre a catalogue ${tags.length ? `aux tags ${tags.join(", ")}` : "sans aucun tag"} ; il manque ${missing.join(", ")}. ` +
          "Chaque tag se donne avec docker tag (ou un -t de plus au docker build) et se pousse avec son propre docker push.",
      );
    }
  });

  test("les quatre tags désignent la même image (un seul digest)", { meta: { points: 1 } }, async () => {
    const { registry } = await published();
    const digests = new Map<string, string>();
    for (const tag of TAGS) {
      const manifest = await registry.manifest("catalogue", tag);
      if (manifest) digests.set(tag, manifest.digest);
    }
    if (new Set(digests.values()).size > 1) {
      throw new CheckFailure(
        `Les tags de catalogue désignent des images différentes : ${[...digests].map(([t, d]) => `${t} → ${d.slice(0, 19)}…`).join(", ")}. ` +
          "Construisez une seule fois, puis donnez les autres noms à cette image avec docker tag.",
      );
    }
    if (digests.size < TAGS.length) throw new CheckFailure("Tous les tags ne sont pas dans le registre : voyez la vérification précédente.");
  });

  test("rapport:1.0.0 est poussé, et construit sur le catalogue épinglé par un digest", { meta: { points: 2 } }, async () => {
    const { registry, rapport } = await published();
    if (!(await registry.tags("rapport")).includes("1.0.0")) {
      throw new CheckFailure("Le registre n'a pas rapport:1.0.0 : construisez-le avec -t localhost:5000/rapport:1.0.0 et poussez-le.");
    }
    if (!rapport) throw new CheckFailure("Aucun docker build du script ne nomme l'image rapport.");
    const base = read_dockerfile(rapport.dockerfile, { build_args: rapport.build_args }).final_stage()?.image ?? "";
    if (!/@sha256:[0-9a-f]{64}$/.test(base)) {
      throw new CheckFailure(
        `Le rapport part de « ${base.replace(registry.address, "localhost:5000") || "(rien)"} », un tag : demain, ce nom peut désigner une autre image. ` +
          "Épinglez-le par son digest : lisez-le après le push (CATALOGUE=$(docker inspect --format '{{index .RepoDigests 0}}' localhost:5000/catalogue:1.4.2)) " +
          "et passez-le au build (--build-arg CATALOGUE=\"$CATALOGUE\").",
      );
    }
  });

  test("le digest épinglé est celui de catalogue:1.4.2, et le rapport en reprend les couches", { meta: { points: 2 } }, async () => {
    const { registry, rapport } = await published();
    const catalogue = await registry.manifest("catalogue", "1.4.2");
    const pushed = await registry.manifest("rapport", "1.0.0");
    if (!catalogue || !pushed || !rapport) throw new CheckFailure("catalogue:1.4.2 ou rapport:1.0.0 manque au registre : voyez les vérifications précédentes.");
    const base = read_dockerfile(rapport.dockerfile, { build_args: rapport.build_args }).final_stage()?.image ?? "";
    const digest = /@(sha256:[0-9a-f]{64})$/.exec(base)?.[1];
    if (digest !== catalogue.digest) {
      throw new CheckFailure(
        `Le rapport ${digest ? `est épinglé sur ${digest}` : "n'est épinglé sur aucun digest"}, mais catalogue:1.4.2 a le digest ${catalogue.digest} dans le registre. ` +
          "Lisez le digest de l'image que vous venez de pousser, dans le même script, plutôt que de le recopier d'une autre publication.",
      );
    }
    const shared = catalogue.layers.every((layer, i) => pushed.layers[i] === layer);
    if (!shared) throw new CheckFailure("Les couches du rapport ne commencent pas par celles du catalogue : son FROM doit être ${CATALOGUE}.");
  });
});
