// Rules about the instructions themselves (FROM, WORKDIR, USER, COPY, ADD,
// CMD, ENTRYPOINT, ENV, ARG) and about the stages they form, on the one
// Dockerfile model. ONBUILD triggers are checked as the instruction they
// will become; instructions written before any FROM are checked too.
import type { DockerfileModel, Instruction, Stage } from "../../dockerfile/index.js";
import { simple_command_words } from "../../dockerfile/shell.js";
import type { ReportFinding } from "./catalog.js";
import { instructions_of, stage_lineage } from "./walk.js";

/** ADD decompresses these local archives, so ADD is the right instruction for them. */
const ARCHIVE_EXTENSIONS = [".tar", ".gz", ".tgz", ".bz2", ".tbz", ".tbz2", ".tb2", ".xz", ".txz", ".lz", ".lzma", ".tlz", ".z", ".tz", ".zst", ".tzst"];

/** `/x`, a Windows drive (`C:\\`, `c:/x`, also `c:x` once Docker has removed the backslashes), or a variable. */
function is_absolute_path(path: string): boolean {
  return path.startsWith("/") || /^[A-Za-z]:/.test(path) || path.startsWith("$");
}

function is_root(user: string): boolean {
  return user === "root" || user === "0" || user.startsWith("root:") || user.startsWith("0:");
}

interface ImageReference {
  name: string;
  tag?: string;
  digest?: string;
}

function parse_image_reference(image: string): ImageReference {
  const at = image.indexOf("@");
  const without_digest = at === -1 ? image : image.slice(0, at);
  const colon = without_digest.lastIndexOf(":");
  const reference: ImageReference = { name: without_digest };
  if (at !== -1) reference.digest = image.slice(at + 1);
  // A colon before the last slash belongs to a registry port (localhost:5000/app).
  if (colon !== -1 && colon > without_digest.lastIndexOf("/")) {
    reference.name = without_digest.slice(0, colon);
    reference.tag = without_digest.slice(colon + 1);
  }
  return reference;
}

function check_from(stage: Stage, report: ReportFinding): void {
  const image = stage.image;
  // A variable without a default: the image depends on --build-arg, nothing to judge.
  if (image === undefined || image === "") return;
  if (stage.is_scratch || stage.from_stage !== undefined) return;
  const reference = parse_image_reference(image);
  if (reference.digest !== undefined) return;
  const resolved = image !== stage.written ? ` (« ${stage.written} » vaut « ${image} » avec les ARG déclarés avant FROM)` : "";
  if (reference.tag === undefined || reference.tag === "") {
    report(
      "DL3006",
      stage.line,
      `L'image « ${image} » n'a pas de tag${resolved} : Docker prendra « latest », qui change au fil des publications. ` +
        `Précisez une version, par exemple \`FROM ${reference.name}:<version>\` (voyez les tags sur Docker Hub).`,
    );
  } else if (reference.tag === "latest") {
    report(
      "DL3007",
      stage.line,
      `L'image « ${image} » utilise le tag latest${resolved}, qui désigne une autre image à chaque publication. ` +
        `Remplacez-le par une version précise : \`FROM ${reference.name}:<version>\`.`,
    );
  }
}

function check_copy_from(model: DockerfileModel, instruction: Instruction, report: ReportFinding): void {
  const from = instruction.flags.find((flag) => flag.name === "from");
  if (!from || from.value === undefined || from.value === "") return;
  const source = from.value;
  if (source.includes("$")) return;
  // An image reference (nginx:1.27, ghcr.io/x/y, image@sha256:...) is allowed by Docker.
  if (/[:/@]/.test(source)) return;
  const current = instruction.stage;
  if (/^\d+$/.test(source)) {
    if (Number(source) < current) return;
    report(
      "DL3022",
      instruction.line,
      `\`COPY --from=${source}\` désigne l'étape n° ${source}, qui n'existe pas avant cette instruction ` +
        `(les étapes sont numérotées à partir de 0 et celle-ci porte le n° ${current}). ` +
        "Donnez un nom à l'étape source (`FROM image:tag AS build`) et écrivez `COPY --from=build ...`.",
    );
    return;
  }
  const name = source.toLowerCase();
  if (model.stages.some((stage) => stage.index < current && stage.name === name)) return;
  const self = model.stages[current]?.name === name;
  const later = model.stages.some((stage) => stage.index > current && stage.name === name);
  const detail = self
    ? `« ${source} » est l'étape en cours : une étape ne peut pas copier depuis elle-même.`
    : later
      ? `l'étape « ${source} » est définie plus bas : déplacez-la avant celle-ci.`
      : `aucune étape « FROM ... AS ${source} » n'est définie avant cette ligne.`;
  report(
    "DL3022",
    instruction.line,
    `\`COPY --from=${source}\` : ${detail} Nommez l'étape source avec \`FROM image:tag AS ${source}\` plus haut, ` +
      "ou, pour copier depuis une image, écrivez son nom avec un tag (`--from=nginx:1.27`).",
  );
}

function check_copy_destination(instruction: Instruction, workdir_set: boolean, report: ReportFinding): void {
  const operands = instruction.args;
  const destination = operands[operands.length - 1];
  if (destination === undefined) return;
  if (instruction.keyword === "COPY" && operands.length > 2 && !/[\\/]$/.test(destination)) {
    report(
      "DL3021",
      instruction.line,
      `COPY reçoit ${operands.length - 1} sources : la destination « ${destination} » doit être un dossier et finir par /. ` +
        `Écrivez \`${destination}/\`.`,
    );
  }
  if (instruction.keyword === "COPY" && !workdir_set && !is_absolute_path(destination)) {
    report(
      "DL3045",
      instruction.line,
      `COPY vers « ${destination} », un chemin relatif, alors qu'aucun WORKDIR n'est défini dans cette étape : ` +
        "le dossier d'arrivée dépend de l'image de base. Ajoutez `WORKDIR /app` (par exemple) avant ce COPY, " +
        "ou donnez un chemin absolu.",
    );
  }
}

function check_add(instruction: Instruction, report: ReportFinding): void {
  const operands = instruction.args;
  const sources = operands.slice(0, -1);
  const files = sources.filter((source) => {
    const lower = source.toLowerCase();
    if (/^(https?|ftp):\/\//.test(lower) || lower.startsWith("git@")) return false;
    if (source.includes("$")) return false;
    return !ARCHIVE_EXTENSIONS.some((extension) => lower.endsWith(extension));
  });
  if (sources.length > 0 && files.length > 0) {
    report(
      "DL3020",
      instruction.line,
      `ADD pour ${files.map((file) => `« ${file} »`).join(", ")} : ce ne sont ni une URL ni une archive à décompresser. ` +
        "Utilisez COPY, qui copie simplement : remplacez `ADD` par `COPY` sur cette ligne.",
    );
  }
}

function check_json_notation(instruction: Instruction, report: ReportFinding): void {
  if (instruction.exec_form || !instruction.shell_form) return;
  const text = instruction.shell_form;
  const keyword = instruction.keyword;
  let message: string;
  if (text.startsWith("[") && text.includes("'")) {
    message =
      `${keyword} est écrit avec des apostrophes (') : ce n'est pas du JSON, Docker le lance donc via un shell. ` +
      `Utilisez des guillemets doubles : \`${keyword} ${text.replace(/'/g, '"')}\`.`;
  } else if (text.startsWith("[")) {
    message =
      `${keyword} ressemble à du JSON invalide, que Docker lance donc via un shell. Vérifiez les guillemets doubles ` +
      `et les virgules entre les éléments : \`${keyword} ["programme", "argument"]\`.`;
  } else {
    const words = simple_command_words(text);
    message =
      `${keyword} est en forme shell : le programme tournera sous /bin/sh -c et ne recevra pas les signaux d'arrêt. ` +
      (words
        ? `Écrivez-le en JSON : \`${keyword} [${words.map((word) => JSON.stringify(word)).join(", ")}]\`.`
        : `Écrivez-le en JSON (\`${keyword} ["programme", "argument"]\`) ; si vous avez besoin du shell (&&, |, variables), ` +
          `mettez ces commandes dans un script et lancez-le en JSON : \`${keyword} ["./start.sh"]\`.`);
  }
  report("DL3025", instruction.line, message);
}

const SECRET_WORDS = new Set(["PASSWORD", "PASSWD", "PASS", "SECRET", "SECRETS", "TOKEN", "APIKEY", "CREDENTIALS"]);
// Names that look like secrets but hold something public or a path to the secret.
const NOT_SECRET_SUFFIXES = new Set(["FILE", "PATH", "DIR", "FILENAME", "URL", "LENGTH"]);
const PUBLIC_KEYS = /(^|_)(PUBLIC|PUB|GPG)_KEY$/;

export function is_secret_name(name: string): boolean {
  const upper = name.toUpperCase();
  const words = upper.split(/[_\-.]+/).filter((word) => word !== "");
  if (words.length === 0) return false;
  if (NOT_SECRET_SUFFIXES.has(words[words.length - 1]!)) return false;
  if (PUBLIC_KEYS.test(upper)) return false;
  if (words.some((word) => SECRET_WORDS.has(word))) return true;
  return upper === "KEY" || upper.endsWith("_KEY") || upper.endsWith("-KEY");
}

/** A value written in the Dockerfile, as opposed to empty or taken from another variable (`$TOKEN`). */
function is_literal(value: string | undefined): boolean {
  if (value === undefined) return false;
  const trimmed = value.trim();
  if (trimmed === "") return false;
  return !/^\$(\{[A-Za-z_][A-Za-z0-9_]*(:?[-+?][^}]*)?\}|[A-Za-z_][A-Za-z0-9_]*)$/.test(trimmed);
}

function check_secrets(instruction: Instruction, report: ReportFinding): void {
  const names = instruction.properties
    .filter((property) => is_secret_name(property.name) && is_literal(property.value))
    .map((property) => property.name);
  if (names.length === 0) return;
  const listed = names.map((name) => `« ${name} »`).join(", ");
  const example = names[0]!;
  report(
    "DLS001",
    instruction.line,
    `${instruction.keyword} écrit la valeur de ${listed} dans l'image, où \`docker history\` la montre à tous. ` +
      `Retirez cette valeur du Dockerfile et passez-la au lancement (\`docker run -e ${example}=...\`), ` +
      `ou, si la construction en a besoin, utilisez un secret de build (\`RUN --mount=type=secret,id=${example.toLowerCase()} ...\`).`,
  );
}

/**
 * DL3002 looks at the image that runs: the last USER of the final stage, or
 * of the stage it is built FROM when it has none. A builder stage left as
 * root is not reported (hadolint reports every stage), since nothing runs it.
 */
function check_final_user(model: DockerfileModel, final: Stage, report: ReportFinding): void {
  for (const stage of stage_lineage(model, final)) {
    const users = stage.instructions.filter((instruction) => instruction.keyword === "USER" && instruction.args.length > 0);
    const last = users[users.length - 1];
    if (!last) continue;
    if (is_root(last.args[0]!)) {
      report(
        "DL3002",
        last.line,
        `Le conteneur tournera en root : c'est le dernier USER de l'image finale. Créez un utilisateur sans privilèges ` +
          "(par exemple `RUN useradd --create-home app`, ou `adduser -D app` sur Alpine) et terminez par `USER app`.",
      );
    }
    return;
  }
}

/** DL3057, a suggestion here: only the final image runs, so only it is asked for a HEALTHCHECK. */
function check_healthcheck(model: DockerfileModel, final: Stage, report: ReportFinding): void {
  const lineage = stage_lineage(model, final);
  const has_healthcheck = lineage.some((stage) =>
    stage.instructions.some((instruction) => instruction.keyword === "HEALTHCHECK" || instruction.trigger?.keyword === "HEALTHCHECK"),
  );
  if (has_healthcheck) return;
  report(
    "DL3057",
    final.line,
    "L'image finale n'a pas de HEALTHCHECK : Docker ne saura pas si l'application répond. Ajoutez par exemple " +
      "`HEALTHCHECK CMD wget -q --spider http://localhost:8080/ || exit 1` (adaptez la commande et le port), " +
      "ou `HEALTHCHECK NONE` si ce n'est pas un service.",
  );
}

function check_single_per_stage(instructions: Instruction[], keyword: "CMD" | "ENTRYPOINT", report: ReportFinding): void {
  const found = instructions.filter((instruction) => instruction.keyword === keyword);
  for (const repeated of found.slice(1)) {
    report(
      keyword === "CMD" ? "DL4003" : "DL4004",
      repeated.line,
      `Cette étape a déjà un ${keyword} (ligne ${found[0]!.line}) : seul le dernier compte, les autres sont ignorés. ` +
        `Gardez un seul ${keyword} et supprimez les autres.`,
    );
  }
}

function check_workdir(instruction: Instruction, report: ReportFinding): void {
  const path = instruction.args[0];
  if (path === undefined || is_absolute_path(path)) return;
  report(
    "DL3000",
    instruction.line,
    `WORKDIR « ${path} » est relatif : il dépend du répertoire courant. ` +
      `Écrivez un chemin absolu, par exemple \`WORKDIR /${path.replace(/^\.?\/*/, "")}\`.`,
  );
}

export function check_instructions(model: DockerfileModel, report: ReportFinding): void {
  for (const stage of model.stages) check_from(stage, report);
  // CMD and ENTRYPOINT repeated in a stage (or before any FROM).
  const by_stage = new Map<number, Instruction[]>();
  for (const instruction of model.instructions) {
    const list = by_stage.get(instruction.stage) ?? [];
    list.push(instruction);
    by_stage.set(instruction.stage, list);
  }
  for (const instructions of by_stage.values()) {
    check_single_per_stage(instructions, "CMD", report);
    check_single_per_stage(instructions, "ENTRYPOINT", report);
  }

  // WORKDIR set so far in each stage (inherited by `FROM <stage>`), and by ONBUILD WORKDIR for the triggers after it.
  const workdir_set = new Map<number, boolean>();
  const onbuild_workdir_set = new Map<number, boolean>();
  let current = -2;
  for (const { instruction, onbuild } of instructions_of(model)) {
    if (instruction.stage !== current) {
      current = instruction.stage;
      const parent = model.stages[current]?.from_stage;
      workdir_set.set(current, parent !== undefined && (workdir_set.get(parent) ?? false));
      onbuild_workdir_set.set(current, false);
    }
    switch (instruction.keyword) {
      case "WORKDIR":
        if (onbuild) onbuild_workdir_set.set(current, true);
        else workdir_set.set(current, true);
        check_workdir(instruction, report);
        break;
      case "COPY":
        // An ONBUILD COPY --from names a stage of the later Dockerfile, which cannot be known here.
        if (!onbuild) check_copy_from(model, instruction, report);
        check_copy_destination(instruction, (workdir_set.get(current) ?? false) || (onbuild && (onbuild_workdir_set.get(current) ?? false)), report);
        break;
      case "ADD":
        check_add(instruction, report);
        break;
      case "CMD":
      case "ENTRYPOINT":
        check_json_notation(instruction, report);
        break;
      case "ENV":
      case "ARG":
        check_secrets(instruction, report);
        break;
    }
  }
  const final = model.final_stage();
  if (final) {
    check_final_user(model, final, report);
    check_healthcheck(model, final, report);
  }
}
