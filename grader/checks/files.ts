// File checks: what the image holds at given paths, read from a container
// that is created and never started (engine/files.ts), so that images
// without a shell, scratch included, can be checked. Existence or absence,
// type, content, mode, owner, and whether a given user may read, write or
// execute a path under the Unix rules (owner, group, other; root may write
// anything; every directory on the way must let the user in).
import path from "node:path";
import { outcome, require_config, SpecConfigError, type CheckOutcome } from "./check.js";
import type { ImageFilesSubject } from "./metadata.js";
import { quote, type Expected } from "./words.js";
import { validate_expected } from "./containers.js";
import { with_image_files, type FileEntry, type FileStat, type FileType, type ImageFileReader } from "../engine/files.js";
import { analyze_waste } from "../engine/layers.js";
import {
  describe_user,
  format_mode,
  has_access,
  octal,
  permission_class,
  read_accounts,
  resolve_user,
  same_for_everyone,
  type Access,
  type GroupEntry,
  type PasswdEntry,
  type ResolvedUser,
} from "./passwd.js";

/** A user as USER takes it: a name ("app"), a UID (10001), "name:group"; "" is root (an image without USER). */
export type UserRef = string | number;

/** What one path of the image must be. Every field but `path` is optional; a path alone must exist. */
export interface FileExpectation {
  /** Absolute path in the image. */
  path: string;
  /** false: the path must be absent (default true: it must exist). */
  exists?: boolean;
  /** "symlink" looks at the link itself; "file" and "directory" at what a program opening the path gets. */
  type?: "file" | "directory" | "symlink";
  /** Texts the file contains, or described patterns it matches ({ matches: /…/, shown: "…" }). */
  contains?: Expected | Expected[];
  /** Texts the file must not contain, or described patterns it must not match. */
  excludes?: Expected | Expected[];
  /** Exact permission bits (0o755, with 0o4000 setuid...), or "not-world-writable". */
  mode?: number | "not-world-writable";
  /** Owner: a UID or a user name of the image's /etc/passwd. */
  owner?: string | number;
  /** Group: a GID or a group name of the image's /etc/group. */
  group?: string | number;
  readable_by?: UserRef | UserRef[];
  /** For a directory: may create files in it (write and enter). */
  writable_by?: UserRef | UserRef[];
  /** For a directory: may enter it. */
  executable_by?: UserRef | UserRef[];
  not_readable_by?: UserRef | UserRef[];
  not_writable_by?: UserRef | UserRef[];
  not_executable_by?: UserRef | UserRef[];
}

const ACCESS_FIELDS = [
  ["readable_by", "read", true],
  ["writable_by", "write", true],
  ["executable_by", "execute", true],
  ["not_readable_by", "read", false],
  ["not_writable_by", "write", false],
  ["not_executable_by", "execute", false],
] as const;

const as_list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const show = (value: unknown): string => (value instanceof RegExp ? String(value) : JSON.stringify(value));
const KIND: Record<FileType, string> = { file: "un fichier", directory: "un dossier", symlink: "un lien symbolique", other: "un fichier spécial" };
const KIB = 1024;

function find(text: string, pattern: Expected): number {
  if (typeof pattern === "string") return text.indexOf(pattern);
  pattern.matches.lastIndex = 0;
  const match = pattern.matches.exec(text);
  return match ? match.index : -1;
}

function validate_user_ref(ref: unknown, where: string): void {
  if (typeof ref === "number") {
    require_config(Number.isInteger(ref) && ref >= 0, `${where} : UID ${ref} impossible (un entier positif ou nul).`);
    return;
  }
  require_config(typeof ref === "string" && !/\s/.test(ref), `${where} : utilisateur ${show(ref)} illisible (un nom, un UID ou "nom:groupe").`);
}

function validate(expectation: FileExpectation): void {
  const p = expectation.path;
  require_config(typeof p === "string" && p.startsWith("/"), `le chemin ${show(p)} n'est pas absolu (il commence par /).`);
  const where = `le chemin ${p}`;
  const keys = Object.keys(expectation).filter((k) => k !== "path" && k !== "exists" && (expectation as unknown as Record<string, unknown>)[k] !== undefined);
  if (expectation.exists === false) {
    require_config(keys.length === 0, `${where} : exists: false ne se combine pas avec ${keys.join(", ")}.`);
  }
  require_config(
    expectation.type === undefined || ["file", "directory", "symlink"].includes(expectation.type),
    `${where} : type ${show(expectation.type)} inconnu ("file", "directory" ou "symlink").`,
  );
  for (const field of ["contains", "excludes"] as const) {
    const patterns = expectation[field];
    if (patterns === undefined) continue;
    const list = as_list(patterns);
    require_config(list.length > 0, `${where} : ${field} est une liste vide.`);
    for (const pattern of list) validate_expected(pattern, `${where} : ${field}`);
  }
  const mode = expectation.mode;
  require_config(
    mode === undefined || mode === "not-world-writable" || (typeof mode === "number" && Number.isInteger(mode) && mode >= 0 && mode <= 0o7777),
    `${where} : mode ${show(mode)} impossible (un nombre de 0 à 0o7777, écrit en octal comme 0o755, ou "not-world-writable").`,
  );
  for (const field of ["owner", "group"] as const) {
    const value = expectation[field];
    if (value === undefined) continue;
    require_config(
      (typeof value === "number" && Number.isInteger(value) && value >= 0) || (typeof value === "string" && value.trim() !== "" && !value.includes(":")),
      `${where} : ${field} ${show(value)} impossible (un nom ou un identifiant numérique).`,
    );
  }
  for (const [field] of ACCESS_FIELDS) {
    const refs = expectation[field];
    if (refs === undefined) continue;
    require_config(as_list(refs).length > 0, `${where} : ${field} est une liste vide.`);
    for (const ref of as_list(refs)) validate_user_ref(ref, `${where}, ${field}`);
  }
}

interface Accounts {
  passwd: PasswdEntry[] | null;
  group: GroupEntry[] | null;
}

/** What one check_files call shares between its paths: the reader and the image's accounts (read once, if needed). */
class FileInspection {
  private accounts_promise?: Promise<Accounts>;
  constructor(readonly reader: ImageFileReader) {}

  accounts(): Promise<Accounts> {
    this.accounts_promise ??= read_accounts(this.reader);
    return this.accounts_promise;
  }

  async owner_text(uid: number): Promise<string> {
    const name = (await this.accounts()).passwd?.find((u) => u.uid === uid)?.name;
    return name ? `${name} (uid ${uid})` : `l'uid ${uid}`;
  }

  async group_text(gid: number): Promise<string> {
    const name = (await this.accounts()).group?.find((g) => g.gid === gid)?.name;
    return name ? `${name} (gid ${gid})` : `le gid ${gid}`;
  }

  /** The path with every symlink resolved (component by component, as the kernel walks it); null if it leads nowhere. */
  async real_path(file: string): Promise<string | null> {
    let current = "";
    for (const part of file.split("/").filter(Boolean)) {
      let next = `${current}/${part}`;
      for (let hops = 0; ; hops++) {
        const found = await this.reader.stat(next);
        if (!found) return null;
        if (found.type !== "symlink") break;
        if (hops >= 40 || !found.resolved_target) return null;
        next = path.posix.normalize(found.resolved_target);
      }
      current = next;
    }
    return current || "/";
  }

  /** Owner and group of a path: read from the archive (the stat header does not carry them). */
  async owned(file: string, found: FileStat): Promise<FileEntry> {
    const entry = await this.reader.read(file, { content: false });
    if (!entry) throw new Error(`${file} existed (${found.type}) but could not be read from the image`);
    return entry;
  }
}

type Verdict =
  | { ok: true }
  | { ok: false; blocked_by: { dir: string; entry: FileEntry | FileStat } }
  | { ok: false; target: FileEntry; missing: Access[] };

/** The accesses a directory or file needs: creating files in a directory needs write and execute. */
const needed_for = (access: Access, directory: boolean): Access[] => (directory && access === "write" ? ["write", "execute"] : [access]);

/** The directories a path is reached through, from / down to its parent. */
function ancestors(real: string): string[] {
  const dirs: string[] = [];
  if (real === "/") return dirs;
  for (let dir = path.posix.dirname(real); ; dir = path.posix.dirname(dir)) {
    dirs.unshift(dir);
    if (dir === "/") return dirs;
  }
}

/** May `user` get `access` to the real path `real` (whose stat is `target`)? Every directory on the way must let them in. */
async function may_access(inspection: FileInspection, real: string, target: FileStat, user: ResolvedUser, access: Access): Promise<Verdict> {
  for (const dir of user.uid === 0 ? [] : ancestors(real)) {
    const found = await inspection.reader.stat(dir);
    if (!found) continue;
    // Owner and group only matter when the three classes disagree: read them only then.
    if (same_for_everyone(found.mode, "execute")) {
      if ((found.mode & 0o001) === 0) return { ok: false, blocked_by: { dir, entry: found } };
      continue;
    }
    const entry = await inspection.owned(dir, found);
    if (!has_access({ ...entry, directory: true }, user, "execute")) return { ok: false, blocked_by: { dir, entry } };
  }
  const directory = target.type === "directory";
  const needed = needed_for(access, directory);
  const decidable = user.uid === 0 || needed.every((a) => same_for_everyone(target.mode, a));
  const owned = decidable ? undefined : await inspection.owned(real, target);
  // uid/gid -1 match nobody: when every class agrees, the "other" bits decide.
  const permissions = { mode: target.mode, uid: owned?.uid ?? -1, gid: owned?.gid ?? -1, directory };
  const missing = needed.filter((a) => !has_access(permissions, user, a));
  if (missing.length === 0) return { ok: true };
  return { ok: false, target: owned ?? (await inspection.owned(real, target)), missing };
}

const VERBS: Record<Access, { file: string; directory: string }> = {
  read: { file: "lire", directory: "lister le contenu de" },
  write: { file: "modifier", directory: "créer des fichiers dans" },
  execute: { file: "exécuter", directory: "entrer dans" },
};
const RIGHTS: Record<Access, string> = { read: "de lecture (r)", write: "d'écriture (w)", execute: "d'exécution (x)" };

async function describe_entry(inspection: FileInspection, entry: FileEntry | FileStat): Promise<string> {
  const mode = `droits ${octal(entry.mode)} (${format_mode(entry.mode)})`;
  if (!("uid" in entry)) return mode;
  return `propriétaire ${await inspection.owner_text(entry.uid)}, groupe ${await inspection.group_text(entry.gid)}, ${mode}`;
}

function chmod_arg(mode: number): string {
  return mode > 0o777 ? octal(mode) : (mode & 0o777).toString(8).padStart(3, "0");
}

async function check_one(inspection: FileInspection, e: FileExpectation): Promise<string[]> {
  const file = e.path.length > 1 ? path.posix.normalize(e.path).replace(/\/+$/, "") : e.path;
  const { reader } = inspection;
  const failures: string[] = [];
  const link = await reader.stat(file);

  if (e.exists === false) {
    if (link) {
      failures.push(
        `${file} ne devrait pas être dans l'image (c'est ${KIND[link.type]}${link.type === "file" ? ` de ${link.size} octets` : ""}). ` +
          "Excluez-le du contexte de build avec .dockerignore, ne le copiez pas, ou supprimez-le dans le RUN qui le crée.",
      );
    }
    return failures;
  }
  if (!link) {
    const parent = path.posix.dirname(file);
    const parent_found = parent === "/" ? true : Boolean(await reader.stat(parent));
    failures.push(
      `${file} n'existe pas dans l'image.` +
        (parent_found ? " Vérifiez la destination de COPY/ADD et le WORKDIR." : ` Le dossier ${parent} n'existe pas non plus : vérifiez la destination de COPY/ADD et le WORKDIR.`),
    );
    return failures;
  }
  if (e.type === "symlink" && link.type !== "symlink") failures.push(`${file} est ${KIND[link.type]}, attendu un lien symbolique : créez-le avec RUN ln -s <cible> ${file}.`);

  const needs_target =
    (e.type !== undefined && e.type !== "symlink") ||
    e.mode !== undefined || e.owner !== undefined || e.group !== undefined ||
    e.contains !== undefined || e.excludes !== undefined ||
    ACCESS_FIELDS.some(([field]) => e[field] !== undefined);
  if (!needs_target) return failures;

  const real = await inspection.real_path(file);
  const target = real ? await reader.stat(real) : null;
  if (!real || !target) {
    failures.push(`${file} est un lien symbolique cassé${link.resolved_target ? ` : sa cible ${link.resolved_target} n'existe pas` : ""}. Corrigez la cible du lien ou copiez le fichier à sa place.`);
    return failures;
  }
  const via = real !== file ? ` (lien vers ${real})` : "";

  if (e.type !== undefined && e.type !== "symlink" && target.type !== e.type) {
    failures.push(`${file}${via} est ${KIND[target.type]}, attendu ${KIND[e.type]}.`);
  }

  if (e.mode !== undefined) {
    if (e.mode === "not-world-writable") {
      if (target.mode & 0o002) {
        failures.push(
          `${file}${via} est modifiable par tous les utilisateurs (droits ${chmod_arg(target.mode & 0o7777)}). ` +
            `Retirez ce droit (RUN chmod o-w ${file}) et donnez plutôt ${target.type === "directory" ? "le dossier" : "le fichier"} à l'utilisateur qui doit y écrire (chown).`,
        );
      }
    } else if ((target.mode & 0o7777) !== e.mode) {
      failures.push(
        `${file}${via} a les droits ${octal(target.mode)} (${format_mode(target.mode)}) ; attendu ${octal(e.mode)} (${format_mode(e.mode)}). ` +
          `Écrivez RUN chmod ${chmod_arg(e.mode)} ${file}, ou copiez-le avec COPY --chmod=${chmod_arg(e.mode)}.`,
      );
    }
  }

  if (e.owner !== undefined || e.group !== undefined) {
    const entry = await inspection.owned(real, target);
    const accounts = await inspection.accounts();
    if (e.owner !== undefined) {
      const wanted = typeof e.owner === "number" ? { uid: e.owner, name: accounts.passwd?.find((u) => u.uid === e.owner)?.name } : accounts.passwd?.find((u) => u.name === e.owner);
      if (!wanted) {
        failures.push(`${file} : l'utilisateur attendu comme propriétaire, « ${e.owner} », n'existe pas dans ${accounts.passwd ? "/etc/passwd de l'image" : "l'image (pas de /etc/passwd)"} : créez-le (RUN useradd ${e.owner}).`);
      } else if (entry.uid !== wanted.uid) {
        const name = wanted.name ?? String(wanted.uid);
        failures.push(
          `${file}${via} appartient à ${await inspection.owner_text(entry.uid)} ; attendu : ${describe_user(wanted)}. ` +
            `Copiez-le avec COPY --chown=${name} …, ou écrivez RUN chown ${name} ${file}.`,
        );
      }
    }
    if (e.group !== undefined) {
      const wanted = typeof e.group === "number" ? { gid: e.group, name: accounts.group?.find((g) => g.gid === e.group)?.name } : accounts.group?.find((g) => g.name === e.group);
      if (!wanted) {
        failures.push(`${file} : le groupe attendu, « ${e.group} », n'existe pas dans ${accounts.group ? "/etc/group de l'image" : "l'image (pas de /etc/group)"} : créez-le (RUN groupadd ${e.group}).`);
      } else if (entry.gid !== wanted.gid) {
        const name = wanted.name ?? String(wanted.gid);
        failures.push(
          `${file}${via} a pour groupe ${await inspection.group_text(entry.gid)} ; attendu : ${wanted.name ? `${wanted.name} (gid ${wanted.gid})` : `le gid ${wanted.gid}`}. ` +
            `Copiez-le avec COPY --chown=<utilisateur>:${name} …, ou écrivez RUN chgrp ${name} ${file}.`,
        );
      }
    }
  }

  const contains = as_list(e.contains);
  const excludes = as_list(e.excludes);
  if (contains.length + excludes.length > 0) {
    if (target.type !== "file") {
      failures.push(`${file}${via} est ${KIND[target.type]}, pas un fichier : son contenu ne peut pas être vérifié.`);
    } else {
      const entry = await reader.read(real);
      const text = entry?.content ?? "";
      const partial = entry?.content_truncated ? ` (seuls les ${Math.round(text.length / KIB)} premiers Kio ont été lus)` : "";
      const missing = contains.filter((p) => find(text, p) < 0);
      if (missing.length > 0) {
        const textual = !text.includes("\u0000");
        const start = text.trim().slice(0, 120);
        failures.push(
          `${file}${via} ne contient pas ${missing.map(quote).join(" ni ")}${partial}.` +
            (textual ? ` Il contient : ${start ? `« ${start}${text.trim().length > 120 ? "…" : ""} »` : "(rien, le fichier est vide)"}.` : "") +
            " Vérifiez que c'est le bon fichier qui est copié.",
        );
      }
      for (const pattern of excludes) {
        const index = find(text, pattern);
        if (index < 0) continue;
        const line = text.slice(0, index).split("\n").length;
        failures.push(`${file}${via} contient ${quote(pattern)} (ligne ${line}) alors qu'il ne devrait pas : retirez-le du fichier avant de le copier dans l'image.`);
      }
    }
  }

  for (const [field, access, expected] of ACCESS_FIELDS) {
    for (const ref of as_list(e[field])) {
      const accounts = await inspection.accounts();
      const resolved = resolve_user(String(ref), accounts.passwd, accounts.group);
      if (!resolved.ok) {
        failures.push(`${file} : ${resolved.reason} ; créez cet utilisateur dans l'image (RUN useradd ${String(ref).split(":")[0]}) ou désignez-le par son UID.`);
        continue;
      }
      const user = resolved.user;
      if (!expected && user.uid === 0 && access !== "execute") {
        throw new SpecConfigError(`${file} : ${field} ${show(ref)} désigne root, qui peut tout lire et modifier ; cette attente ne peut jamais être remplie.`);
      }
      const verdict = await may_access(inspection, real, target, user, access);
      const verb = VERBS[access][target.type === "directory" ? "directory" : "file"];
      const who = describe_user(user);
      if (expected && !verdict.ok) {
        if ("blocked_by" in verdict) {
          failures.push(
            `${who} ne peut pas ${verb} ${file}${via} : il ne peut pas entrer dans le dossier ${verdict.blocked_by.dir} (${await describe_entry(inspection, verdict.blocked_by.entry)}). ` +
              `Donnez-lui ce droit (RUN chmod o+x ${verdict.blocked_by.dir}, ou chown).`,
          );
        } else {
          const entry = verdict.target;
          const klass = permission_class(entry, user);
          const who_class = user.uid === 0 ? "personne" : klass === "owner" ? "son propriétaire" : klass === "group" ? "son groupe" : "les autres utilisateurs";
          const directory = target.type === "directory";
          const name = user.name ?? String(user.uid);
          const fix =
            access === "write"
              ? `Donnez ${directory ? "le dossier" : "le fichier"} à cet utilisateur (COPY --chown=${name} …, ou RUN chown ${name} ${file}).`
              : access === "execute"
                ? directory
                  ? `Donnez-lui ce droit : RUN chmod a+x ${file}.`
                  : `Rendez-le exécutable : RUN chmod +x ${file}, ou COPY --chmod=755.`
                : `Donnez-lui ce droit : RUN chmod a+r ${file} (ou chown).`;
          const rights = verdict.missing.map((a) => RIGHTS[a]).join(" ni ");
          failures.push(
            `${who} ne peut pas ${verb} ${file}${via} : ${await describe_entry(inspection, entry)} ; ` +
              (user.uid === 0 ? `personne n'a le droit ${rights}. ` : `${who_class} n'${klass === "other" ? "ont" : "a"} pas le droit ${rights}. `) +
              fix,
          );
        }
      }
      if (!expected && verdict.ok) {
        const entry = await inspection.owned(real, target);
        const fix =
          access === "write"
            ? "Ce qui est le code ou la configuration de l'application doit appartenir à root et n'être modifiable que par lui : copiez-le sans --chown, ou retirez le droit d'écriture (RUN chmod go-w …)."
            : access === "read"
              ? `Retirez ce droit (RUN chmod o-r ${file}), ou ne mettez pas ce fichier dans l'image.`
              : `Retirez ce droit (RUN chmod a-x ${file}).`;
        failures.push(`${who} peut ${verb} ${file}${via} (${await describe_entry(inspection, entry)}) alors qu'il ne devrait pas. ${fix}`);
      }
    }
  }
  return failures;
}

/**
 * Paths of the image, read from a created, never-started container (scratch images too): existence or absence,
 * type, content, mode, owner and group, and access by a given user; every failure of every path is listed.
 * @example await check_files(ex, [{ path: "/app/server.py", owner: "root", not_writable_by: "app" }, { path: "/app/.env", exists: false }])
 */
export async function check_files(ex: ImageFilesSubject, expected: FileExpectation | FileExpectation[]): Promise<CheckOutcome> {
  const list = as_list(expected);
  require_config(list.length > 0, "donnez au moins un chemin à vérifier.");
  for (const e of list) validate(e);
  const image = await ex.image();
  const failures = await with_image_files({ image: image.id, session: ex.session, exercise: ex.id }, async (reader) => {
    const inspection = new FileInspection(reader);
    const all: string[] = [];
    // In order, one path after another: the engine serialises archive reads of a container anyway.
    for (const e of list) all.push(...(await check_one(inspection, e)));
    return all;
  });
  return outcome([...new Set(failures)]);
}

// ---------------------------------------------------------------- a whole tree

/** One entry of a tree the image must hold exactly. */
export interface TreeEntry {
  type: "file" | "directory" | "symlink";
  /** Permission bits (0o755). */
  mode?: number;
  /** A regular file's exact content. */
  content?: string;
  /** A symlink's target, as written. */
  target?: string;
  /** Owner's name (default root). */
  owner?: string;
}

const TREE_KIND: Record<TreeEntry["type"], string> = { file: "un fichier", directory: "un dossier", symlink: "un lien symbolique" };
const ENTRY_KIND: Partial<Record<FileType, TreeEntry["type"]>> = { file: "file", directory: "directory", symlink: "symlink" };

const quote_text = (text: string): string => {
  const one_line = text.trim().replace(/\n/g, "⏎");
  return `« ${one_line.length > 80 ? one_line.slice(0, 80) + "…" : one_line} »`;
};

/**
 * The image holds exactly this tree under `roots`: every entry with its type,
 * mode, owner, content or link target, and nothing more (read from the
 * image's layers and files: no shell needed in the image).
 * @example await check_tree(ex, ["/opt/app"], { "/opt/app": { type: "directory", mode: 0o755 }, ... })
 */
export async function check_tree(ex: ImageFilesSubject, roots: string[], expected: Record<string, TreeEntry>): Promise<CheckOutcome> {
  require_config(roots.length > 0 && roots.every((r) => r.startsWith("/")), "donnez des racines absolues.");
  require_config(Object.keys(expected).length > 0, "l'arborescence attendue est vide.");
  const image = await ex.image();
  const { contents, waste } = await analyze_waste(image.id);
  const present = new Set<string>();
  for (const layer of contents.layers) {
    for (const entry of layer.entries) {
      if (entry.kind === "whiteout" || entry.kind === "opaque") continue;
      const p = `/${entry.path.replace(/^\/+/, "").replace(/\/$/, "")}`;
      if (roots.some((r) => p === r || p.startsWith(`${r}/`)) && waste.present(p)) present.add(p);
    }
  }
  const failures = await with_image_files({ image: image.id, session: ex.session, exercise: ex.id }, async (reader) => {
    const inspection = new FileInspection(reader);
    const found: string[] = [];
    for (const [p, want] of Object.entries(expected)) {
      const entry = await reader.read(p, { content: want.content !== undefined });
      if (!entry) {
        found.push(`${p} manque : ${TREE_KIND[want.type]} attendu.`);
        continue;
      }
      const got = ENTRY_KIND[entry.type];
      if (got !== want.type) {
        found.push(`${p} doit être ${TREE_KIND[want.type]}, c'est ${got ? TREE_KIND[got] : "un fichier spécial"}.`);
        continue;
      }
      if (want.type === "symlink" && want.target !== undefined && entry.link_target !== want.target) {
        found.push(`${p} doit pointer vers ${want.target}, il pointe vers ${entry.link_target}.`);
      }
      if (want.type !== "symlink" && want.mode !== undefined && (entry.mode & 0o7777) !== want.mode) {
        const lost_x = want.type === "file" && (want.mode & 0o111) !== 0 && (entry.mode & 0o111) === 0;
        const bits = (mode: number) => (mode > 0o777 ? octal(mode) : mode.toString(8).padStart(3, "0"));
        found.push(`${p} a les droits ${bits(entry.mode & 0o7777)} au lieu de ${bits(want.mode)}` + (lost_x ? " : le chmod a-t-il été oublié ?" : "."));
      }
      if (want.type !== "symlink") {
        const owner = (await inspection.accounts()).passwd?.find((u) => u.uid === entry.uid)?.name ?? String(entry.uid);
        if (owner !== (want.owner ?? "root")) found.push(`${p} appartient à ${owner} au lieu de ${want.owner ?? "root"}.`);
      }
      if (want.content !== undefined && entry.content !== want.content) {
        found.push(`${p} n'a pas le même contenu : attendu ${quote_text(want.content)}, trouvé ${quote_text(entry.content ?? "")}.`);
      }
    }
    for (const p of [...present].sort()) {
      if (!(p in expected)) found.push(`${p} est en trop.`);
    }
    return found;
  });
  return outcome(failures);
}

// ---------------------------------------------------------------- what a user cannot change

/**
 * None of these paths can be changed by `user` (default: the image's USER,
 * root when there is none), under the Unix rules: the code and the system
 * stay as the image's maker left them, even if the program is compromised.
 * @example await check_read_only(ex, ["/app", "/app/server.py", "/etc"])
 */
export async function check_read_only(ex: ImageFilesSubject, paths: string[], options: { user?: UserRef } = {}): Promise<CheckOutcome> {
  require_config(paths.length > 0 && paths.every((p) => p.startsWith("/")), "donnez des chemins absolus.");
  const image = await ex.image();
  const spec = options.user !== undefined ? String(options.user) : image.facts.config.user;
  return with_image_files({ image: image.id, session: ex.session, exercise: ex.id }, async (reader) => {
    const inspection = new FileInspection(reader);
    const accounts = await inspection.accounts();
    const resolved = resolve_user(spec, accounts.passwd, accounts.group);
    if (!resolved.ok) return outcome([`USER ${spec} : ${resolved.reason}, le conteneur ne pourrait pas démarrer.`]);
    const user = resolved.user;
    const writable: string[] = [];
    for (const file of paths) {
      const real = await inspection.real_path(file);
      const target = real ? await reader.stat(real) : null;
      if (!real || !target) continue;
      if ((await may_access(inspection, real, target, user, "write")).ok) writable.push(file);
    }
    if (writable.length === 0) return outcome([]);
    if (user.uid === 0) {
      return outcome([
        `Le programme tourne en root : il peut écrire partout, y compris dans ${writable.join(", ")}. ` +
          "Faites-le tourner sous un utilisateur non root avec USER.",
      ]);
    }
    return outcome([`L'utilisateur ${user.name ?? user.uid} peut écrire dans ${writable.join(", ")}.`]);
  });
}
