// Image metadata checks: what `docker inspect` shows of an image (ports,
// user, env, working directory, CMD/ENTRYPOINT, volumes, labels,
// healthcheck, stop signal). The stages and their FROM are stages.ts's.
// Each check_* returns a CheckOutcome listing every failure it found.
// What a check takes is what it looks at: an image for its config, the
// exercise for its Dockerfile, or the exercise for the files of its image.
import type { BuiltImage, ExerciseHandle } from "../spec/use-exercise.js";
import { BaseImageMissingError, lines_fact, outcome, require_config, type CheckOutcome } from "./check.js";
import { inspect_image } from "../engine/image.js";
import { with_image_files } from "../engine/files.js";
import { describe_user, read_accounts, resolve_user, type GroupEntry, type PasswdEntry, type ResolvedUser } from "./passwd.js";
import { same_image, type Stage } from "../dockerfile/index.js";
import { plural, quote, show, test_pattern, type Described, type Expected } from "./words.js";
import { validate_expected } from "./containers.js";

/** An image whose config a check reads (a BuiltImage from `ex.image()`). */
export type ImageWithConfig = Pick<BuiltImage, "facts">;
/** What a check that reads files of the image needs: the exercise (its image, session and id). */
export type ImageFilesSubject = Pick<ExerciseHandle, "image" | "session" | "id">;
/** What a check of the Dockerfile needs: the exercise. */
export type DockerfileSubject = Pick<ExerciseHandle, "dockerfile">;

/** In an env or label expectation: the key must not be set. */
export const ABSENT: unique symbol = Symbol("absent");
/** In an env or label expectation: the key must be set, to any non-empty value. */
export const PRESENT: unique symbol = Symbol("present");
/** An exact value, a described pattern the value matches ({ matches: /…/, shown: "…" }), ABSENT or PRESENT. */
export type ValueExpectation = string | Described | typeof ABSENT | typeof PRESENT;

const matches_value = (expected: Expected, value: string): boolean =>
  typeof expected === "string" ? value === expected : test_pattern(expected.matches, value);
const describe_expected = (expected: Expected): string => quote(expected);

// ---------------------------------------------------------------- ports

export type PortSpec = number | string;
const PROTOCOLS = ["tcp", "udp", "sctp"];

/** "8080" and 8080 -> "8080/tcp"; "53/udp" -> "53/udp"; SpecConfigError for an impossible port or protocol. */
export function normalize_port(spec: PortSpec): string {
  const text = String(spec).trim().toLowerCase();
  const match = /^(\d+)(?:\/([a-z]+))?$/.exec(text);
  require_config(match !== null, `port ${show(spec)} illisible : écrivez 8080, "8080" ou "8080/tcp".`);
  const port = Number(match![1]);
  const protocol = match![2] ?? "tcp";
  require_config(port >= 1 && port <= 65535, `port ${port} impossible : un port est un entier de 1 à 65535.`);
  require_config(PROTOCOLS.includes(protocol), `protocole « ${protocol} » inconnu pour le port ${port} : tcp, udp ou sctp.`);
  return `${port}/${protocol}`;
}

const expose_line = (port: string): string => (port.endsWith("/tcp") ? `EXPOSE ${port.slice(0, -4)}` : `EXPOSE ${port}`);

export interface ExposedPortsOptions {
  /** Also fail when the image exposes a port that is not listed. */
  only?: boolean;
}

/**
 * The image exposes these ports (EXPOSE), with their protocol: 8080 and "8080" mean "8080/tcp".
 * @example check_exposed_ports(image, [8080, "53/udp"], { only: true })
 */
export function check_exposed_ports(image: ImageWithConfig, ports: PortSpec | PortSpec[], options: ExposedPortsOptions = {}): CheckOutcome {
  const expected = [...new Set((Array.isArray(ports) ? ports : [ports]).map(normalize_port))];
  require_config(expected.length > 0 || options.only === true, "donnez au moins un port (ou { only: true } pour exiger qu'aucun ne soit exposé).");
  const exposed = image.facts.config.exposed_ports;
  const failures: string[] = [];
  if (exposed.length === 0 && expected.length > 0) {
    return outcome([
      `L'image n'expose aucun port : \`docker run -P\` ne publiera rien. Ajoutez « ${expected.map(expose_line).join(" » et « ")} »` +
        (expected.every((p) => p.endsWith("/tcp")) ? " (TCP est le protocole par défaut)." : "."),
    ]);
  }
  for (const port of expected) {
    if (exposed.includes(port)) continue;
    const number = port.split("/")[0]!;
    const other = exposed.filter((p) => p.split("/")[0] === number);
    failures.push(
      other.length
        ? `L'image expose ${other.join(", ")} au lieu de ${port} : ${port.endsWith("/tcp") ? "TCP est le protocole par défaut, écrivez" : "écrivez"} « ${expose_line(port)} »` +
            (port.endsWith("/tcp") ? ` ou « EXPOSE ${port} ».` : ".")
        : `L'image expose ${exposed.join(", ")} au lieu de ${port}. Déclarez le port où le serveur doit écouter : « ${expose_line(port)} ».`,
    );
  }
  if (options.only) {
    // A port whose number is expected with another protocol was already explained above.
    const explained = new Set(expected.filter((p) => !exposed.includes(p)).map((p) => p.split("/")[0]));
    const extra = exposed.filter((p) => !expected.includes(p) && !explained.has(p.split("/")[0]));
    if (extra.length > 0) {
      failures.push(
        `L'image expose ${expected.some((p) => exposed.includes(p)) ? "aussi " : ""}${extra.join(", ")}, où rien n'est attendu : ` +
          "n'exposez que les ports où le serveur écoute (retirez-le de la ligne EXPOSE).",
      );
    }
  }
  return outcome(failures);
}

// ---------------------------------------------------------------- user

/** A user by name ("app"), UID (10001), "name:group", or by fields; `non_root`: any user but root. */
export type UserExpectation = string | number | { name?: string; uid?: number; group?: string; gid?: number; non_root?: boolean };

interface Accounts {
  passwd: PasswdEntry[] | null;
  group: GroupEntry[] | null;
}

const NO_ACCOUNTS: Accounts = { passwd: null, group: null };
const is_numeric_user = (spec: string): boolean => /^\d*(:\d*)?$/.test(spec);

async function image_accounts(ex: ImageFilesSubject, image: BuiltImage): Promise<Accounts> {
  return with_image_files({ image: image.id, session: ex.session, exercise: ex.id }, read_accounts);
}

function user_expectation(expected: UserExpectation): { name?: string; uid?: number; group?: string; gid?: number; non_root?: boolean } {
  if (typeof expected === "number") {
    require_config(Number.isInteger(expected) && expected >= 0, `UID ${expected} impossible : un UID est un entier positif ou nul.`);
    return { uid: expected };
  }
  if (typeof expected === "string") {
    require_config(expected.trim() !== "", "utilisateur attendu vide : donnez un nom (\"app\"), un UID (10001) ou \"nom:groupe\".");
    const [user, group] = expected.split(":", 2) as [string, string | undefined];
    const fields: { name?: string; uid?: number; group?: string; gid?: number } = /^\d+$/.test(user) ? { uid: Number(user) } : { name: user };
    if (group !== undefined && group !== "") Object.assign(fields, /^\d+$/.test(group) ? { gid: Number(group) } : { group });
    return fields;
  }
  const fields = expected;
  require_config(
    fields.name !== undefined || fields.uid !== undefined || fields.group !== undefined || fields.gid !== undefined || fields.non_root === true,
    "utilisateur attendu sans champ : donnez name, uid, group, gid ou non_root.",
  );
  for (const [key, value] of [["uid", fields.uid], ["gid", fields.gid]] as const) {
    require_config(value === undefined || (Number.isInteger(value) && value >= 0), `${key} ${value} impossible : un entier positif ou nul.`);
  }
  require_config(fields.name !== "" && fields.group !== "", "utilisateur attendu : name et group ne peuvent pas être vides.");
  return fields;
}

function describe_image_user(spec: string, user?: ResolvedUser): string {
  if (spec === "") return "root (uid 0, aucune instruction USER)";
  if (!user) return `« ${spec} »`;
  return `${describe_user(user)}, groupe ${user.group_name ? `${user.group_name} (gid ${user.gid})` : `gid ${user.gid}`} (USER ${spec})`;
}

/** The failure for a USER the image cannot resolve: the container would not even start. */
function unresolved_user(spec: string, reason: string): string {
  const [name, group] = spec.split(":", 2) as [string, string | undefined];
  const fix = reason.includes("groupe")
    ? `Créez le groupe avant l'instruction USER (RUN groupadd ${group ?? name})`
    : `Créez l'utilisateur avant l'instruction USER (RUN useradd --uid 10001 ${name}, ou adduser sur Alpine)`;
  return `USER ${spec} : ${reason}, le conteneur ne pourrait pas démarrer. ${fix}, ou utilisez un UID numérique (USER 10001).`;
}

/**
 * The image runs as the expected user, resolved through the image's own /etc/passwd and /etc/group
 * (so USER app, USER 10001 and USER app:app are all understood). An image
 * without USER runs as root: `non_root` refuses it, and a USER that resolves to UID 0.
 * @example await check_user(ex, "app") // or 10001, "app:app", { uid: 10001, gid: 10001 }, { non_root: true }
 */
export async function check_user(ex: ImageFilesSubject, expected: UserExpectation): Promise<CheckOutcome> {
  const want = user_expectation(expected);
  const image = await ex.image();
  const spec = image.facts.config.user;
  if (want.non_root && spec === "") return outcome([ROOT_WITHOUT_USER]);
  const needs_files = !is_numeric_user(spec) || want.name !== undefined || want.group !== undefined;
  const accounts = needs_files ? await image_accounts(ex, image) : NO_ACCOUNTS;
  const resolved = resolve_user(spec, accounts.passwd, accounts.group);
  const failures: string[] = [];
  if (!resolved.ok) return outcome([unresolved_user(spec, resolved.reason)]);
  const user = resolved.user;
  if (want.non_root && user.uid === 0) {
    failures.push(
      `L'image tourne en root : USER ${spec} désigne l'UID 0. ` +
        "Créez un utilisateur sans privilèges (RUN useradd --uid 10001 app) et écrivez « USER app » à la fin du Dockerfile.",
    );
  }
  let want_uid = want.uid;
  if (want.name !== undefined) {
    const entry = accounts.passwd?.find((u) => u.name === want.name);
    if (!entry) {
      failures.push(
        `L'utilisateur attendu « ${want.name} » n'existe pas dans ${accounts.passwd ? "/etc/passwd de l'image" : "l'image (pas de /etc/passwd)"} : ` +
          `créez-le (RUN useradd --uid 10001 ${want.name}, ou adduser sur Alpine), puis écrivez « USER ${want.name} ».`,
      );
    } else if (want_uid === undefined) {
      want_uid = entry.uid;
    } else if (entry.uid !== want_uid) {
      failures.push(`L'utilisateur ${want.name} a l'UID ${entry.uid}, attendu ${want_uid} : créez-le avec useradd --uid ${want_uid} ${want.name}.`);
    }
  }
  if (want_uid !== undefined && user.uid !== want_uid) {
    const target = want.name ? `${want.name} (uid ${want_uid})` : `l'UID ${want_uid}`;
    failures.push(
      `L'image tourne en tant que ${describe_image_user(spec, user)} ; attendu : ${target}. ` +
        `Écrivez « USER ${want.name ?? want_uid} » ${spec === "" ? "à la fin du Dockerfile" : "à la place"}.`,
    );
  }
  let want_gid = want.gid;
  if (want.group !== undefined) {
    const entry = accounts.group?.find((g) => g.name === want.group);
    if (!entry) {
      failures.push(
        `Le groupe attendu « ${want.group} » n'existe pas dans ${accounts.group ? "/etc/group de l'image" : "l'image (pas de /etc/group)"} : créez-le (RUN groupadd ${want.group}).`,
      );
    } else if (want_gid === undefined) {
      want_gid = entry.gid;
    }
  }
  if (want_gid !== undefined && user.gid !== want_gid) {
    failures.push(
      `Le groupe principal de l'utilisateur de l'image est ${user.group_name ? `${user.group_name} (gid ${user.gid})` : `le gid ${user.gid}`}, attendu ${want.group ? `${want.group} (gid ${want_gid})` : `le gid ${want_gid}`}. ` +
        `Écrivez « USER ${want.name ?? user.name ?? user.uid}:${want.group ?? want_gid} », ou créez l'utilisateur avec ce groupe principal.`,
    );
  }
  return outcome(failures);
}

const ROOT_WITHOUT_USER =
  "L'image tourne en root : elle ne déclare pas d'utilisateur (aucune instruction USER). " +
  "Créez un utilisateur (RUN useradd --uid 10001 app) et ajoutez « USER app » à la fin du Dockerfile, après les installations.";

// ---------------------------------------------------------------- env

function validate_key(name: string, what: string): void {
  require_config(typeof name === "string" && name.trim() !== "", `${what} : un nom est vide.`);
  require_config(!/[=\s]/.test(name), `${what} : le nom ${show(name)} contient un « = » ou un espace.`);
}

/**
 * The image's environment (ENV): exact values, RegExp patterns, ABSENT or PRESENT.
 * @example check_env(image, { PORT: "8080", PYTHONUNBUFFERED: /^1$/, DEBUG: ABSENT })
 */
export function check_env(image: ImageWithConfig, expected: Record<string, ValueExpectation>, ex?: DockerfileSubject): CheckOutcome {
  // Names the Dockerfile declares with ARG: an ARG is gone once the build ends, the container never sees it.
  const args = new Set(
    (ex?.dockerfile().instructions ?? []).filter((i) => i.keyword === "ARG").flatMap((i) => i.properties.map((p) => p.name)),
  );
  const entries = Object.entries(expected);
  require_config(entries.length > 0, "donnez au moins une variable à vérifier.");
  const env = image.facts.config.env;
  const failures: string[] = [];
  for (const [name, want] of entries) {
    validate_key(name, "check_env");
    if (want !== ABSENT && want !== PRESENT) validate_expected(want, `check_env (${name})`);
    const has = Object.hasOwn(env, name);
    const value = env[name] ?? "";
    if (want === ABSENT) {
      if (has) {
        failures.push(
          `La variable ${name} ne devrait pas être définie dans l'image (elle vaut « ${value} ») : retirez-la des instructions ENV ` +
            "(une valeur propre à un environnement se passe au lancement, avec docker run -e).",
        );
      }
    } else if (want === PRESENT) {
      if (!has || value === "") failures.push(`La variable ${name} n'est pas définie dans l'image : ajoutez « ENV ${name}=<valeur> » au Dockerfile.`);
    } else if (!has) {
      const example = typeof want === "string" ? (/\s/.test(want) ? `"${want}"` : want) : "<valeur>";
      failures.push(
        `L'image ne déclare pas ${name}` +
          (args.has(name) ? " : ARG ne vaut que pendant la construction, le conteneur ne le voit pas" : "") +
          ` ; attendu : ${describe_expected(want)}. Ajoutez ENV ${name}=${example}.`,
      );
    } else if (!matches_value(want, value)) {
      const quoted = typeof want === "string" && /^["'].*["']$/.test(value) && value.slice(1, -1) === want;
      failures.push(
        `La variable ${name} vaut « ${value} » ; attendu : ${describe_expected(want)}.` +
          (quoted ? " Les guillemets font partie de la valeur : des guillemets en trop ?" : "") +
          ` Corrigez l'instruction ENV${typeof want === "string" ? ` : ENV ${name}=${/\s/.test(want) ? `"${want}"` : want}` : ""}.`,
      );
    }
  }
  return outcome(failures);
}

// ---------------------------------------------------------------- working directory

const strip_slash = (p: string): string => (p.length > 1 ? p.replace(/\/+$/, "") : p);

/**
 * The final stage sets its working directory with WORKDIR, as an absolute path
 * (and `expected` when given): a `cd` in a RUN lasts only for that RUN.
 * @example check_working_directory(ex, image, "/app")
 */
export function check_working_directory(ex: DockerfileSubject, image: ImageWithConfig, expected?: string): CheckOutcome {
  if (expected !== undefined) require_config(expected.startsWith("/"), `${show(expected)} n'est pas un chemin absolu (il commence par /).`);
  const parsed = ex.dockerfile();
  const last = parsed.stages.length - 1;
  const workdirs = parsed.instructions.filter((i) => i.stage === last && i.keyword === "WORKDIR");
  const found = image.facts.config.working_dir;
  const suggestion = expected ?? "/app";
  const failures: string[] = [];
  const facts = [];
  if (workdirs.length === 0 || !found || found === "/") {
    const cd = parsed.instructions.find((i) => i.stage === last && i.keyword === "RUN" && /(^|[;&|]\s*)cd\s/.test(i.text));
    if (cd) facts.push(lines_fact(cd.line, cd.end_line));
    failures.push(
      `L'image n'a pas de répertoire de travail : le programme tourne dans « ${found || "/"} », la racine du système. ` +
        (cd ? `Le cd de la ligne ${cd.line} ne vaut que pour ce RUN. ` : "") +
        `Ajoutez WORKDIR ${suggestion} avant le COPY.`,
    );
  }
  for (const w of workdirs) {
    const target = w.args[0] ?? "";
    // A variable may hold an absolute path: only a literal relative path is a mistake.
    if (target.startsWith("/") || target.startsWith("$")) continue;
    facts.push(lines_fact(w.line, w.end_line));
    failures.push(
      `Ligne ${w.line} : WORKDIR ${target} est un chemin relatif, qui dépend du WORKDIR précédent (ou de l'image de base). ` +
        `Écrivez un chemin absolu : WORKDIR /${target.replace(/^\.?\//, "")}.`,
    );
  }
  if (failures.length === 0 && expected !== undefined && strip_slash(found) !== strip_slash(expected)) {
    failures.push(`Le répertoire de travail de l'image est ${found} ; attendu : ${expected}. Écrivez « WORKDIR ${expected} ».`);
  }
  return outcome(failures, undefined, facts);
}

// ---------------------------------------------------------------- CMD / ENTRYPOINT

/** True when the command runs through a shell (shell form: ["/bin/sh", "-c", "..."], or a SHELL like bash -o pipefail -c). */
export function is_shell_form(value: readonly string[] | null): boolean {
  if (!value || value.length < 2) return false;
  return /(^|\/)(ba|da|a|z)?sh$/.test(value[0]!) && value.slice(1).includes("-c");
}

export interface CommandExpectation {
  /** The exact argument list as the image stores it, e.g. ["python3", "app.py"]. */
  equals?: string[];
  /** A text the command (arguments joined by spaces) contains, or a described pattern it matches. */
  matches?: Expected;
  /** "exec": a JSON array run directly; "shell": run by /bin/sh -c. */
  form?: "exec" | "shell";
}

type Instruction = "CMD" | "ENTRYPOINT";

function command_expectation(expected: string[] | CommandExpectation, instruction: Instruction): CommandExpectation {
  const want: CommandExpectation = Array.isArray(expected) ? { equals: expected } : expected;
  require_config(
    want.equals !== undefined || want.matches !== undefined || want.form !== undefined,
    `${instruction} attendu sans critère : donnez equals, matches ou form.`,
  );
  if (want.equals) {
    require_config(want.equals.length > 0 && want.equals.every((a) => typeof a === "string"), `${instruction} attendu : equals doit être une liste non vide de textes.`);
  }
  require_config(want.matches !== "", `${instruction} attendu : matches est vide.`);
  require_config(want.form === undefined || want.form === "exec" || want.form === "shell", `${instruction} attendu : form vaut "exec" ou "shell" (reçu ${show(want.form)}).`);
  return want;
}

function check_command(image: ImageWithConfig, instruction: Instruction, expected: string[] | CommandExpectation | typeof ABSENT): CheckOutcome {
  const value = instruction === "CMD" ? image.facts.config.cmd : image.facts.config.entrypoint;
  const present = value !== null && value.length > 0;
  if (expected === ABSENT) {
    return outcome(
      present
        ? [`L'image a un ${instruction} (${show(value)}) alors que l'exercice n'en attend pas : retirez l'instruction ${instruction}.`]
        : [],
    );
  }
  const want = command_expectation(expected, instruction);
  const example = want.equals ? `${instruction} ${show(want.equals).replace(/","/g, '", "')}` : `${instruction} ["programme", "argument"]`;
  if (!present) {
    return outcome([`L'image n'a pas de ${instruction}. Ajoutez par exemple « ${example} » à la fin du Dockerfile.`]);
  }
  const failures: string[] = [];
  const shell = is_shell_form(value);
  const text = value.join(" ");
  if (want.equals && (value.length !== want.equals.length || value.some((a, i) => a !== want.equals![i]))) {
    failures.push(
      `${instruction} vaut ${show(value)}${shell ? " (forme shell)" : ""} ; attendu ${show(want.equals)}. Écrivez « ${example} ».`,
    );
  }
  if (want.matches !== undefined) {
    const ok = typeof want.matches === "string" ? text.includes(want.matches) : test_pattern(want.matches.matches, text);
    if (!ok) {
      failures.push(
        `${instruction} vaut ${show(value)} ; attendu : une commande qui ${typeof want.matches === "string" ? `contient « ${want.matches} »` : `correspond à ${want.matches.shown}`}.`,
      );
    }
  }
  if (want.form === "exec" && shell) {
    failures.push(
      `${instruction} est en forme shell (${show(value)}) : le programme tourne sous /bin/sh et ne reçoit pas les signaux. ` +
        `Écrivez-le en forme exec, un tableau JSON : ${instruction} ["programme", "argument"].`,
    );
  }
  if (want.form === "shell" && !shell) {
    failures.push(
      `${instruction} est en forme exec (${show(value)}) ; l'exercice attend la forme shell, une ligne de commande : ${instruction} programme argument.`,
    );
  }
  return outcome(failures);
}

/**
 * The image's CMD: an exact argument list, a pattern, and/or its form.
 * @example check_cmd(image, ["python3", "app.py"]) // or { matches: /app\.py/, form: "exec" }
 */
export function check_cmd(image: ImageWithConfig, expected: string[] | CommandExpectation): CheckOutcome {
  return check_command(image, "CMD", expected);
}

/**
 * The image's ENTRYPOINT: an exact argument list, a pattern, its form, or ABSENT.
 * @example check_entrypoint(image, ["/app/server"]) // or ABSENT
 */
export function check_entrypoint(image: ImageWithConfig, expected: string[] | CommandExpectation | typeof ABSENT): CheckOutcome {
  return check_command(image, "ENTRYPOINT", expected);
}

/**
 * The Dockerfile's final stage declares `instruction` (not inherited from the
 * base image) and the image has it in exec form: a JSON array, no /bin/sh -c.
 * @example check_exec_form(ex, image, "CMD")
 */
export function check_exec_form(ex: DockerfileSubject, image: ImageWithConfig, instruction: Instruction = "CMD"): CheckOutcome {
  const parsed = ex.dockerfile();
  const last_stage = parsed.stages.length - 1;
  const value = instruction === "CMD" ? image.facts.config.cmd : image.facts.config.entrypoint;
  if (!parsed.instructions.some((i) => i.stage === last_stage && i.keyword === instruction)) {
    return outcome([
      `Le Dockerfile n'a pas d'instruction ${instruction} : ` +
        (value && value.length > 0 ? `l'image garde celle de son image de base (${show(value)}). ` : `son image de base n'en a pas non plus. `) +
        `Ajoutez ${instruction} ["programme", "argument"] à la fin du Dockerfile.`,
    ]);
  }
  if (!value || value.length === 0) {
    return outcome([`L'image n'a pas de ${instruction}. Ajoutez par exemple ${instruction} ["python3", "app.py"].`]);
  }
  if (is_shell_form(value)) {
    // The instruction that decides (the stage's last of its kind): the line a report points the student to.
    const written = parsed.instructions.filter((i) => i.stage === last_stage && i.keyword === instruction).at(-1)!;
    return outcome(
      [
        `${instruction} est en forme shell (${show(value)}) : le programme tourne sous /bin/sh et ne reçoit pas les signaux. ` +
          `Écrivez-le en forme exec, un tableau JSON : ${instruction} ["programme", "argument"].`,
      ],
      undefined,
      [lines_fact(written.line, written.end_line)],
    );
  }
  return outcome([]);
}

// ---------------------------------------------------------------- volumes

export interface VolumesOptions {
  /** Refuse volumes other than those expected. */
  only?: boolean;
  /** What writes in the volume (« le compteur »): the message says where it writes and what is lost without the volume. */
  written_by?: string;
}

/**
 * The image declares these volumes (VOLUME), absolute paths.
 * @example check_volumes(image, ["/data"], { only: true })
 */
export function check_volumes(image: ImageWithConfig, volumes: string | string[], options: VolumesOptions = {}): CheckOutcome {
  const expected = [...new Set((Array.isArray(volumes) ? volumes : [volumes]).map((v) => {
    require_config(typeof v === "string" && v.startsWith("/"), `${show(v)} n'est pas un chemin absolu (il commence par /).`);
    return strip_slash(v);
  }))];
  require_config(expected.length > 0 || options.only === true, "donnez au moins un chemin (ou { only: true } pour exiger qu'aucun volume ne soit déclaré).");
  const declared = image.facts.config.volumes.map(strip_slash);
  const listed = declared.length ? declared.join(", ") : "aucun";
  const failures: string[] = [];
  for (const v of expected) {
    if (declared.includes(v)) continue;
    const writer = options.written_by;
    failures.push(
      writer === undefined
        ? `Le volume ${v} n'est pas déclaré (volumes déclarés : ${listed}). Ajoutez « VOLUME ${v} » au Dockerfile.`
        : declared.length === 0
          ? `L'image ne déclare aucun volume : sans « -v », ce que ${writer} écrit dans ${v} reste dans le conteneur et disparaît avec lui. Déclarez le dossier des données avec « VOLUME ${v} ».`
          : `L'image déclare ${listed} comme volume, mais ${writer} écrit dans ${v} : déclarez « VOLUME ${v} ».`,
    );
  }
  if (options.only) {
    for (const v of declared.filter((d) => !expected.includes(d))) {
      failures.push(
        `Le volume ${v} est déclaré alors que l'exercice ${expected.length ? `n'attend que ${expected.join(", ")}` : "n'en attend aucun"} : retirez-le de VOLUME.`,
      );
    }
  }
  return outcome(failures);
}

// ---------------------------------------------------------------- labels

function label_failures(labels: Record<string, string>, expected: Record<string, ValueExpectation>, example_value: (key: string) => string): string[] {
  const failures: string[] = [];
  for (const [key, want] of Object.entries(expected)) {
    const has = Object.hasOwn(labels, key);
    const value = labels[key] ?? "";
    if (want === ABSENT) {
      if (has) failures.push(`Le label « ${key} » ne devrait pas être là (il vaut « ${value} ») : retirez-le de LABEL.`);
    } else if (want === PRESENT) {
      if (!has) failures.push(`Le label « ${key} » est absent. Ajoutez LABEL ${key}="${example_value(key)}" au Dockerfile.`);
      else if (value.trim() === "") failures.push(`Le label « ${key} » est vide : donnez-lui une valeur, LABEL ${key}="${example_value(key)}".`);
    } else if (!has) {
      failures.push(
        `Le label « ${key} » est absent ; attendu : ${describe_expected(want)}. ` +
          `Ajoutez LABEL ${key}="${typeof want === "string" ? want : example_value(key)}" au Dockerfile.`,
      );
    } else if (!matches_value(want, value)) {
      failures.push(`Le label « ${key} » vaut « ${value} » ; attendu : ${describe_expected(want)}.`);
    }
  }
  return failures;
}

function label_expectation(expected: string[] | Record<string, ValueExpectation>, what: string): Record<string, ValueExpectation> {
  const record = Array.isArray(expected) ? Object.fromEntries(expected.map((k) => [k, PRESENT] as const)) : expected;
  require_config(Object.keys(record).length > 0, `${what} : donnez au moins un label.`);
  for (const [key, want] of Object.entries(record)) {
    require_config(key.trim() !== "", `${what} : un nom de label est vide.`);
    if (want !== ABSENT && want !== PRESENT) validate_expected(want, `${what} (${key})`);
  }
  return record;
}

/**
 * The image's labels (LABEL): keys present (a list), or values exact, by a described pattern, ABSENT or PRESENT.
 * @example check_labels(image, { maintainer: { matches: /@/, shown: "une adresse e-mail" }, "com.example.team": "web" })
 */
export function check_labels(image: ImageWithConfig, expected: string[] | Record<string, ValueExpectation>): CheckOutcome {
  return outcome(label_failures(image.facts.config.labels, label_expectation(expected, "check_labels"), () => "..."));
}

/** The keys of the OCI image-spec annotations (org.opencontainers.image.*). */
export const OCI_KEYS = [
  "created", "authors", "url", "documentation", "source", "version", "revision", "vendor",
  "licenses", "ref.name", "title", "description", "base.digest", "base.name",
] as const;
export type OciKey = (typeof OCI_KEYS)[number];
const OCI_PREFIX = "org.opencontainers.image.";
const OCI_EXAMPLES: Partial<Record<OciKey, string>> = {
  created: "2024-01-31T12:00:00Z", authors: "Prénom Nom <email@example.com>", url: "https://example.com",
  source: "https://github.com/…", version: "1.0.0", licenses: "MIT", title: "mon-application",
  description: "Une phrase qui décrit l'image",
};

function oci_key(key: string): string {
  const short = key.startsWith(OCI_PREFIX) ? key.slice(OCI_PREFIX.length) : key;
  require_config(
    (OCI_KEYS as readonly string[]).includes(short),
    `label OCI « ${key} » inconnu : les clés OCI sont ${OCI_KEYS.join(", ")} (préfixe ${OCI_PREFIX} facultatif).`,
  );
  return OCI_PREFIX + short;
}

/**
 * The OCI annotation labels (org.opencontainers.image.<key>): present (a list of keys) or with given values; short keys accepted.
 * @example check_oci_labels(image, ["title", "version", "description"]) // or { version: { matches: /^\d+\.\d+\.\d+$/, shown: "une version x.y.z" } }
 */
export function check_oci_labels(image: ImageWithConfig, expected: Array<OciKey | string> | Partial<Record<OciKey | string, ValueExpectation>>): CheckOutcome {
  const record = label_expectation(expected as string[] | Record<string, ValueExpectation>, "check_oci_labels");
  const full: Record<string, ValueExpectation> = Object.fromEntries(Object.entries(record).map(([k, v]) => [oci_key(k), v]));
  const example = (key: string) => OCI_EXAMPLES[key.slice(OCI_PREFIX.length) as OciKey] ?? "...";
  const failures = label_failures(image.facts.config.labels, full, example);
  const advice = `Une seule instruction LABEL peut porter plusieurs clés :\nLABEL ${Object.keys(full).map((k) => `${k}="${example(k)}"`).join(" \\\n      ")}`;
  return outcome(failures, failures.length > 1 ? advice : undefined);
}

// ---------------------------------------------------------------- healthcheck

/** Seconds (30) or a Docker duration ("30s", "1m30s", "500ms"). */
export type Duration = number | string;
const UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** A duration in seconds; SpecConfigError when it is not one. */
export function parse_duration(value: Duration, what = "durée"): number {
  if (typeof value === "number") {
    require_config(Number.isFinite(value) && value >= 0, `${what} ${value} impossible : un nombre de secondes positif.`);
    return value;
  }
  const parts = [...value.trim().matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  const joined = parts.map((p) => p[0]).join("");
  require_config(parts.length > 0 && joined === value.trim(), `${what} ${show(value)} illisible : écrivez 30 (secondes) ou "30s", "1m30s", "500ms".`);
  return parts.reduce((sum, p) => sum + Number(p[1]) * UNITS[p[2]!]!, 0);
}

const format_seconds = (s: number): string => (s >= 60 && s % 60 === 0 ? `${s / 60} min` : `${String(Math.round(s * 1000) / 1000).replace(".", ",")} s`);
const docker_duration = (s: number): string => (s >= 1 && Number.isInteger(s) ? `${s}s` : `${Math.round(s * 1000)}ms`);

export interface HealthcheckExpectation {
  /** The test command: a text it contains, a described pattern it matches, or the exact exec-form arguments (without "CMD"). */
  test?: string | Described | string[];
  interval?: Duration;
  /** The longest interval accepted: Docker runs the first test only after one interval (30 s when none is written). */
  max_interval?: Duration;
  timeout?: Duration;
  retries?: number;
}

/**
 * The image has a HEALTHCHECK (HEALTHCHECK NONE counts as none), with the given test and timings when given
 * (Docker's defaults count: interval 30 s, timeout 30 s, retries 3).
 * @example check_healthcheck(image, { test: "/health", interval: "10s", retries: 3 })
 */
export function check_healthcheck(image: ImageWithConfig, expected: HealthcheckExpectation = {}): CheckOutcome {
  const want = {
    test: expected.test,
    interval: expected.interval === undefined ? undefined : parse_duration(expected.interval, "interval"),
    timeout: expected.timeout === undefined ? undefined : parse_duration(expected.timeout, "timeout"),
    retries: expected.retries,
  };
  require_config(want.retries === undefined || (Number.isInteger(want.retries) && want.retries >= 1), `retries ${want.retries} impossible : un entier à partir de 1.`);
  require_config(!Array.isArray(want.test) || want.test.length > 0, "test : la liste d'arguments est vide.");
  require_config(want.test !== "", "test : le texte à chercher est vide.");
  const hc = image.facts.config.healthcheck;
  if (!hc || hc.test.length === 0 || hc.test[0] === "NONE") {
    // The example's interval is one the rest of this check accepts.
    const max_s = expected.max_interval === undefined ? undefined : parse_duration(expected.max_interval, "max_interval");
    const interval = docker_duration(want.interval ?? (max_s === undefined ? 30 : Math.min(5, max_s)));
    const example = `HEALTHCHECK --interval=${interval} CMD ["programme", "qui", "teste", "l'application"]`;
    return outcome([
      hc?.test[0] === "NONE"
        ? `HEALTHCHECK NONE désactive le test de santé hérité de l'image de base : remplacez-le par une vraie commande, par exemple ${example}.`
        : `L'image n'a pas de HEALTHCHECK : Docker ne peut pas savoir si l'application répond. Ajoutez par exemple ${example} (code de sortie 0 = en bonne santé).`,
    ]);
  }
  const failures: string[] = [];
  const [kind, ...args] = hc.test;
  const command = args.join(" ");
  if (want.test !== undefined) {
    if (Array.isArray(want.test)) {
      const exact = want.test;
      const same = kind === "CMD" && args.length === exact.length && args.every((a, i) => a === exact[i]);
      if (!same) {
        failures.push(
          `La commande du HEALTHCHECK est ${kind === "CMD" ? show(args) : `« ${command} » (forme shell)`} ; attendu ${show(want.test)}. ` +
            `Écrivez HEALTHCHECK CMD ${show(want.test).replace(/","/g, '", "')}.`,
        );
      }
    } else {
      const ok = typeof want.test === "string" ? command.includes(want.test) : test_pattern(want.test.matches, command);
      if (!ok) {
        failures.push(
          `La commande du HEALTHCHECK est « ${command} » ; attendu : une commande qui ${typeof want.test === "string" ? `contient « ${want.test} »` : `correspond à ${want.test.shown}`}.`,
        );
      }
    }
  }
  const timing = (name: "interval" | "timeout", found_ns: number | undefined, expected_s: number | undefined) => {
    if (expected_s === undefined) return;
    const found_s = found_ns ? found_ns / 1e9 : 30;
    if (Math.abs(found_s - expected_s) > 1e-6) {
      failures.push(
        `${name === "interval" ? "L'intervalle" : "Le délai (timeout)"} du HEALTHCHECK est de ${format_seconds(found_s)}${found_ns ? "" : " (valeur par défaut)"}, ` +
          `attendu ${format_seconds(expected_s)} : écrivez HEALTHCHECK --${name}=${docker_duration(expected_s)} ….`,
      );
    }
  };
  timing("interval", hc.interval_ns, want.interval);
  if (expected.max_interval !== undefined) {
    const max_s = parse_duration(expected.max_interval, "max_interval");
    const found_s = hc.interval_ns ? hc.interval_ns / 1e9 : 30;
    if (found_s > max_s) {
      const fix = docker_duration(Math.min(5, max_s));
      failures.push(
        (hc.interval_ns
          ? `L'intervalle du HEALTHCHECK est de ${format_seconds(found_s)}, au-delà de ${format_seconds(max_s)} : Docker attend un intervalle avant le premier test`
          : "Le HEALTHCHECK n'a pas de --interval : Docker attend 30 s avant le premier test") +
          `, le conteneur reste « starting » pendant ce temps. Ajoutez --interval=${fix} (et --start-period=${fix}) : HEALTHCHECK --interval=${fix} CMD [...].`,
      );
    }
  }
  timing("timeout", hc.timeout_ns, want.timeout);
  if (want.retries !== undefined) {
    const found = hc.retries || 3;
    if (found !== want.retries) {
      failures.push(
        `Le HEALTHCHECK tolère ${found} échec${found > 1 ? "s" : ""} avant « unhealthy »${hc.retries ? "" : " (valeur par défaut)"}, ` +
          `attendu ${want.retries} : écrivez HEALTHCHECK --retries=${want.retries} ….`,
      );
    }
  }
  return outcome(failures);
}

// ---------------------------------------------------------------- stop signal

const SIGNALS = [
  "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM",
  "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
];

/** "TERM", "sigterm", "15" -> "SIGTERM"; undefined for something that is not a Linux signal. */
export function normalize_signal(signal: string | number): string | undefined {
  const text = String(signal).trim().toUpperCase();
  if (/^\d+$/.test(text)) {
    const name = SIGNALS[Number(text) - 1];
    return name ? `SIG${name}` : undefined;
  }
  const name = text.replace(/^SIG/, "");
  if (SIGNALS.includes(name)) return `SIG${name}`;
  return /^RTMIN(\+\d+)?$|^RTMAX(-\d+)?$/.test(name) ? `SIG${name}` : undefined;
}

/**
 * The signal `docker stop` sends (STOPSIGNAL; SIGTERM when unset).
 * @example check_stop_signal(image, "SIGQUIT")
 */
export function check_stop_signal(image: ImageWithConfig, expected: string | number): CheckOutcome {
  const want = normalize_signal(expected);
  require_config(want !== undefined, `signal ${show(expected)} inconnu : écrivez par exemple "SIGTERM", "SIGQUIT" ou "SIGINT".`);
  const raw = image.facts.config.stop_signal;
  const found = raw ? normalize_signal(raw) ?? raw : "SIGTERM";
  if (found === want) return outcome([]);
  return outcome([
    `Le signal d'arrêt de l'image est ${found}${raw ? "" : " (valeur par défaut)"} ; attendu : ${want}. ` +
      (want === "SIGTERM" ? "Retirez l'instruction STOPSIGNAL (ou écrivez « STOPSIGNAL SIGTERM »)." : `Ajoutez « STOPSIGNAL ${want} » au Dockerfile.`),
  ]);
}
