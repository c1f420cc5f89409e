// Checks of how the Dockerfile's instructions are written, where a lesson
// teaches a way of writing them and the image alone cannot show it: apt-get
// in one RUN with its cleanup, ADD kept for archives, EXPOSE without a
// mapping. Each failure names the line; what the image really holds is
// checked too where it can be (apt lists left, an archive left whole).
//
// What it relies on: the Dockerfile's text (the one model, its shell read by
// tree-sitter) where the lesson teaches how to write it, and the image's
// files for what that writing must achieve: a `rm` that does nothing (echo rm
// -rf /var/lib/apt/lists) passes the first and not the second.
import path from "node:path";
import { lines_fact, outcome, require_config, type CheckOutcome } from "./check.js";
import type { ExerciseHandle } from "../spec/use-exercise.js";
import { analyze_waste } from "../engine/layers.js";
import type { CheckFact } from "../result.js";
import type { Instruction } from "../dockerfile/index.js";

export interface InstructionExpectation {
  /** apt-get in the final stage, each facet on its own: update and install in one RUN, lists removed in that RUN (and absent from the image), -y, --no-install-recommends. */
  apt?: { same_run?: boolean; clean_lists?: boolean; yes?: boolean; no_recommends?: boolean };
  /** ADD only for local archives and URLs: plain files and folders are copied with COPY. */
  add_only_for_archives?: boolean;
  /** This archive of the context is extracted by ADD into `into`: its files (paths inside the archive) are there, the archive itself is nowhere. */
  archive_extracted?: { archive: string; into: string; files: string[] };
  /** EXPOSE declares container ports (8080, 8080/tcp), never a host:container mapping. */
  expose_without_mapping?: boolean;
}

interface Run {
  line: number;
  end_line: number;
  text: string;
}

const APT_INSTALL = /\bapt(?:-get)?\s+(?:-\S+\s+)*install\b/;
const APT_UPDATE = /\bapt(?:-get)?\s+(?:-\S+\s+)*update\b/;
const REMOVES_LISTS = /\brm\s+(?:-\S+\s+)*\/var\/lib\/apt\/lists\b/;
const ARCHIVE = /\.(tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz)$/i;
const REMOTE = /^[a-z]+:\/\//i;
const APT_LISTS = "/var/lib/apt/lists";

const short = (text: string): string => (text.length > 70 ? text.slice(0, 70) + "…" : text);

function final_stage(ex: ExerciseHandle) {
  const parsed = ex.dockerfile();
  const last = parsed.stages.length - 1;
  return parsed.instructions.filter((i) => i.stage === last);
}

/** The RUN instructions of the final stage, continuation lines joined. */
function runs(ex: ExerciseHandle): Run[] {
  return final_stage(ex)
    .filter((i) => i.keyword === "RUN")
    .map((i) => ({ line: i.line, end_line: i.end_line, text: [i.text, ...i.heredocs.map((h) => h.body)].join(" ").replace(/\s+/g, " ").trim() }));
}

/** Sources of an ADD or COPY instruction: its words (flags already apart in the model), the destination left out. */
export function copy_sources(instruction: Instruction): string[] {
  return instruction.args.slice(0, -1);
}

const NO_INSTALL = "Aucun RUN n'installe de paquet : ajoutez un RUN apt-get update && apt-get install -y --no-install-recommends <paquet>.";

function apt_same_run(all: Run[], facts: CheckFact[]): string[] {
  const installs = all.filter((r) => APT_INSTALL.test(r.text));
  if (installs.length === 0) return [NO_INSTALL];
  return installs
    .filter((r) => !APT_UPDATE.test(r.text.slice(0, r.text.search(APT_INSTALL))))
    .map((r) => {
      const update = all.find((u) => u !== r && APT_UPDATE.test(u.text));
      facts.push(lines_fact(r.line, r.end_line));
      return (
        `Le RUN de la ligne ${r.line} installe des paquets sans faire apt-get update avant, dans le même RUN` +
        (update ? ` (l'update est seul, ligne ${update.line})` : "") +
        ". Chaque RUN est une couche mise en cache à part : une liste de paquets d'un autre RUN peut dater " +
        "de plusieurs semaines, et l'installation échoue ou installe une vieille version. " +
        "Écrivez RUN apt-get update && apt-get install ... dans une seule instruction."
      );
    });
}

async function apt_clean_lists(ex: ExerciseHandle, all: Run[], facts: CheckFact[]): Promise<string[]> {
  const updates = all.filter((u) => APT_UPDATE.test(u.text));
  if (updates.length === 0) {
    return ["Aucun RUN ne lance apt-get update : il n'y a pas encore de listes à supprimer. Commencez par installer le paquet demandé."];
  }
  const failures: string[] = [];
  for (const r of updates) {
    if (REMOVES_LISTS.test(r.text)) continue;
    const later = all.find((u) => u.line > r.line && REMOVES_LISTS.test(u.text));
    facts.push(lines_fact(r.line, r.end_line));
    failures.push(
      later
        ? `Les listes d'apt sont supprimées ligne ${later.line}, dans un autre RUN que l'apt-get update de la ligne ${r.line} : ` +
            "elles restent dans la couche de ce RUN (des dizaines de Mo), un RUN suivant ne fait que les masquer. " +
            "Terminez le RUN de l'apt-get update par && rm -rf /var/lib/apt/lists/*."
        : `Le RUN de la ligne ${r.line} (apt-get update) ne supprime pas les listes téléchargées : ` +
            "terminez-le par && rm -rf /var/lib/apt/lists/* pour qu'elles ne restent pas dans l'image.",
    );
  }
  // And what the image really holds, whatever the Dockerfile says (read from its layers: no shell needed).
  const image = await ex.image();
  const { contents, waste } = await analyze_waste(image.id);
  const left = new Map<string, number>();
  for (const layer of contents.layers) {
    for (const entry of layer.entries) {
      const p = `/${entry.path.replace(/^\/+/, "")}`;
      if (entry.kind !== "file" || !p.startsWith(`${APT_LISTS}/`) || path.posix.basename(p) === "lock") continue;
      if (waste.present(p)) left.set(p, entry.size);
    }
  }
  if (left.size > 0) {
    const mb = Math.round([...left.values()].reduce((a, b) => a + b, 0) / 1024 / 1024);
    failures.push(
      `L'image contient encore ${left.size} fichier(s) de listes apt dans ${APT_LISTS} (${mb} Mo) : ` +
        "supprimez-les avec rm -rf /var/lib/apt/lists/* à la fin du RUN qui fait apt-get update.",
    );
  }
  return failures;
}

function apt_options(all: Run[], want: { yes?: boolean; no_recommends?: boolean }, facts: CheckFact[]): string[] {
  const installs = all.filter((r) => APT_INSTALL.test(r.text));
  if (installs.length === 0) return [NO_INSTALL];
  const failures: string[] = [];
  for (const r of installs) {
    // Only the install command itself: the options of other commands of the RUN do not count.
    const command = r.text.slice(r.text.search(APT_INSTALL)).split(/&&|;|\|\|/)[0]!;
    const before = failures.length;
    if (want.yes && !/(^|\s)(-y|--yes|--assume-yes|-[a-z]*y[a-z]*)(\s|$)/.test(command)) {
      failures.push(
        `Ligne ${r.line}, « ${short(command.trim())} » n'a pas -y : pendant un build, personne ne peut répondre ` +
          "« Voulez-vous continuer ? », l'installation s'arrête et le build échoue. Ajoutez -y.",
      );
    }
    if (want.no_recommends && !/(^|\s)--no-install-recommends(\s|$)/.test(command)) {
      failures.push(
        `Ligne ${r.line}, « ${short(command.trim())} » n'a pas --no-install-recommends : apt-get installe aussi les ` +
          "paquets « recommandés », inutiles dans un conteneur. Ajoutez --no-install-recommends.",
      );
    }
    if (failures.length > before) facts.push(lines_fact(r.line, r.end_line));
  }
  return failures;
}

function add_for_plain_files(ex: ExerciseHandle, facts: CheckFact[]): string[] {
  return final_stage(ex)
    .filter((i) => i.keyword === "ADD")
    .flatMap((i) =>
      copy_sources(i)
        .filter((s) => !ARCHIVE.test(s) && !REMOTE.test(s))
        .map((s) => {
          facts.push(lines_fact(i.line, i.end_line));
          return (
            `Ligne ${i.line} : ADD ${s} copie de simples fichiers. ADD peut aussi décompresser ou télécharger : ` +
            `pour une simple copie, écrivez COPY ${s} ..., qui fait exactement ce qu'on lit.`
          );
        }),
    );
}

async function archive_extracted(ex: ExerciseHandle, want: { archive: string; into: string; files: string[] }): Promise<string[]> {
  const failures: string[] = [];
  const name = path.posix.basename(want.archive);
  const adds = final_stage(ex).some((i) => i.keyword === "ADD" && copy_sources(i).some((s) => path.posix.basename(s) === name));
  const into = path.posix.normalize(want.into).replace(/\/$/, "");
  const files = want.files.map((f) => path.posix.join(into, f));
  if (!adds) {
    failures.push(`Aucune instruction ADD ne prend ${name} : ADD ${want.archive} ${into}/ la décompresse en une instruction, sans tar ni rm.`);
  }
  const image = await ex.image();
  const { contents, waste } = await analyze_waste(image.id);
  const present = new Set<string>();
  for (const layer of contents.layers) {
    for (const entry of layer.entries) {
      const p = `/${entry.path.replace(/^\/+/, "").replace(/\/$/, "")}`;
      if (entry.kind !== "whiteout" && entry.kind !== "opaque" && waste.present(p)) present.add(p);
    }
  }
  const absent = files.filter((f) => !present.has(f));
  if (absent.length > 0) {
    // Where the files went instead (an archive that already holds its folder lands in assets/assets/).
    const elsewhere = absent
      .map((f) => [f, [...present].find((p) => p !== f && p.endsWith(`/${path.posix.basename(f)}`) && p.includes(path.posix.dirname(f)))] as const)
      .filter(([, found]) => found !== undefined);
    failures.push(
      `Les fichiers de l'archive manquent dans l'image : ${absent.join(", ")}.` +
        (elsewhere.length > 0
          ? ` Ils sont ailleurs : ${elsewhere.map(([f, found]) => `${found} au lieu de ${f}`).join(", ")} : ` +
            "l'archive contient déjà son dossier, donnez à ADD le dossier parent comme destination."
          : ""),
    );
  }
  const archives = [...present].filter((p) => path.posix.basename(p) === name).sort();
  for (const archive of archives) {
    failures.push(
      `L'archive elle-même est dans l'image : ${archive}` +
        (archive.startsWith(`${into}/`) ? " (n'importe qui peut la télécharger)" : "") +
        `. Seul son contenu doit y être : ADD la décompresse sans garder le fichier.`,
    );
  }
  return failures;
}

function expose_mappings(ex: ExerciseHandle, facts: CheckFact[]): string[] {
  const failures: string[] = [];
  for (const i of ex.dockerfile().instructions.filter((i) => i.keyword === "EXPOSE")) {
    for (const word of i.args) {
      const mapping = /^(\d+):(\d+)(\/\w+)?$/.exec(word);
      if (!mapping) continue;
      facts.push(lines_fact(i.line, i.end_line));
      failures.push(
        `Ligne ${i.line} : « EXPOSE ${word} » mélange deux choses. EXPOSE déclare seulement le port où le conteneur écoute ; ` +
          `il ne publie rien sur la machine hôte (Docker ne garde que ${mapping[2]}${mapping[3] ?? "/tcp"}). ` +
          `La correspondance hôte:conteneur se donne au lancement, avec docker run -p ${mapping[1]}:${mapping[2]}. Écrivez « EXPOSE ${mapping[2]} ».`,
      );
    }
  }
  return failures;
}

/**
 * How the Dockerfile's instructions are written, facet by facet; each
 * failure names its line, and what the image holds is checked where it can be.
 * @example await expect(ex).toHaveInstructions({ apt: { same_run: true } })
 */
export async function check_instructions(ex: ExerciseHandle, expected: InstructionExpectation): Promise<CheckOutcome> {
  require_config(
    Object.values(expected).some((v) => v !== undefined && v !== false),
    "donnez au moins un aspect à vérifier (apt, add_only_for_archives, archive_extracted, expose_without_mapping).",
  );
  const failures: string[] = [];
  const facts: CheckFact[] = [];
  if (expected.apt) {
    const all = runs(ex);
    if (expected.apt.same_run) failures.push(...apt_same_run(all, facts));
    if (expected.apt.clean_lists) failures.push(...(await apt_clean_lists(ex, all, facts)));
    if (expected.apt.yes || expected.apt.no_recommends) failures.push(...apt_options(all, expected.apt, facts));
  }
  if (expected.add_only_for_archives) failures.push(...add_for_plain_files(ex, facts));
  if (expected.archive_extracted) failures.push(...(await archive_extracted(ex, expected.archive_extracted)));
  if (expected.expose_without_mapping) failures.push(...expose_mappings(ex, facts));
  return outcome([...new Set(failures)], undefined, facts);
}
