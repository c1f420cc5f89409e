// A class's roster: who the students are and where their work is. Four forms
// are read and all map onto the smallest one (YAML `students:` with id, name
// and path or repo): our CSV with the same columns, the roster CSV of
// Classroom 50 (with a repository URL pattern), and a GitHub Classroom grades
// export. Every problem is reported with its line, all at once; the students
// keep the file's order, so one file always gives the same students in the
// same order. No Docker, no network here.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { LineCounter, parseDocument, isMap, isSeq } from "yaml";
import { z } from "zod";
import { CsvSyntaxError, read_csv, type CsvRecord } from "./csv.js";

export type StudentSource =
  | { kind: "path"; /** As written in the roster. */ written: string; /** Absolute. */ path: string }
  | { kind: "repo"; url: string; branch?: string; commit?: string }
  /** A GitHub Classroom export row with no repository: the student never accepted the assignment. */
  | { kind: "none" };

export interface Student {
  id: string;
  name: string;
  source: StudentSource;
  section?: string;
  email?: string;
  /** The student's id in the school's information system (Canvas matches its SIS User ID). */
  sis_id?: string;
  /** Line of the roster that declares the student. */
  line: number;
}

export type RosterForm = "yaml" | "csv" | "classroom50" | "github-classroom";

export interface Roster {
  file: string;
  form: RosterForm;
  students: Student[];
  /** sha256 of the students as read (ids, names, sources as written): shards of one roster share it. */
  digest: string;
}

export interface RosterIssue {
  line: number;
  message: string;
}

export class RosterError extends Error {
  constructor(
    readonly file: string,
    readonly issues: RosterIssue[],
  ) {
    super(`${file} : roster invalide\n${issues.map((i) => `  ligne ${i.line} : ${i.message}`).join("\n")}`);
    this.name = "RosterError";
  }
}

export interface RosterOptions {
  /** Classroom 50 rosters: the repository of each student, e.g. https://github.com/ORG/tp-docker-{username}. */
  repo_pattern?: string;
}

/** Ids become folder names in the cache and keys in the history: kept to plain characters. */
const ID = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,99}$/;
const SHA = /^[0-9a-f]{7,64}$/i;

const Entry = z
  .object({
    id: z.union([z.string(), z.number()]).transform(String),
    name: z.string().optional(),
    path: z.string().min(1).optional(),
    repo: z.string().min(1).optional(),
    branch: z.string().min(1).optional(),
    commit: z.string().optional(),
    section: z.union([z.string(), z.number()]).transform(String).optional(),
    email: z.string().optional(),
    sis_id: z.union([z.string(), z.number()]).transform(String).optional(),
  })
  .strict();
type Entry = z.infer<typeof Entry>;

const OUR_COLUMNS = ["id", "name", "path", "repo", "branch", "commit", "section", "email", "sis_id"];
const CLASSROOM50_COLUMNS = ["username", "first_name", "last_name", "email", "section", "github_id", "role"];
const GITHUB_CLASSROOM_COLUMNS = [
  "assignment_name",
  "assignment_url",
  "starter_code_url",
  "github_username",
  "roster_identifier",
  "student_repository_name",
  "student_repository_url",
  "submission_timestamp",
  "points_awarded",
  "points_available",
  "group_name",
];

/**
 * Why `url` is not a repository git may fetch, or undefined when it is one.
 * Only https, ssh (also as user@host:path) and file; never ext:: or plain http.
 */
export function repository_url_problem(url: string): string | undefined {
  if (/^[A-Za-z0-9+.-]+::/.test(url)) return `« ${url} » : les transports git « ::» (ext::, fd::) ne sont pas acceptés`;
  const scp = /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:(?!\/\/)(.+)$/.exec(url);
  if (scp) return scp[1]!.replace(/\/+$/, "") ? undefined : `« ${url} » ne nomme pas de dépôt`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `« ${url} » n'est pas une URL de dépôt (https://…, ssh://…, git@hôte:chemin ou file:///…)`;
  }
  const scheme = parsed.protocol.replace(/:$/, "");
  if (!["https", "ssh", "file"].includes(scheme)) return `« ${url} » : protocole ${scheme} refusé (seuls https, ssh et file sont acceptés)`;
  if (parsed.search || parsed.hash) return `« ${url} » a une requête ou un fragment : ce n'est pas l'adresse d'un dépôt`;
  const segments = parsed.pathname.split("/").filter(Boolean);
  if (scheme === "file") return segments.length > 0 ? undefined : `« ${url} » ne nomme pas de dossier`;
  if (segments.length === 0) return `« ${url} » ne nomme pas de dépôt (il manque le chemin du dépôt)`;
  // github.com and gitlab.com pages below a repository (tree/, blob/) or an organisation alone are not repositories.
  const host = parsed.hostname.toLowerCase();
  if (host === "github.com" && segments.length !== 2) {
    return `« ${url} » n'est pas l'adresse d'un dépôt GitHub (attendu https://github.com/PROPRIÉTAIRE/DÉPÔT)`;
  }
  if ((host === "gitlab.com" || host === "github.com") && segments.some((s) => s === "-" || s === "tree" || s === "blob")) {
    return `« ${url} » est une page web dans un dépôt, pas le dépôt lui-même`;
  }
  return undefined;
}

function digest_of(students: Student[]): string {
  const canonical = students.map((s) => ({
    id: s.id,
    name: s.name,
    source: s.source.kind === "path" ? { kind: "path", path: s.source.written } : s.source,
    section: s.section ?? null,
  }));
  return crypto.createHash("sha256").update(JSON.stringify(canonical)).digest("hex");
}

/** Checks one entry (any form, mapped onto ours) and turns it into a student; problems go to `issues`. */
function to_student(entry: Entry, line: number, base_dir: string, issues: RosterIssue[]): Student | undefined {
  const before = issues.length;
  const problem = (message: string): void => {
    issues.push({ line, message });
  };
  const id = entry.id.trim();
  if (!ID.test(id)) problem(`identifiant « ${id} » invalide : lettres, chiffres et . _ @ + - seulement (100 au plus)`);
  if (entry.path && entry.repo) problem(`l'étudiant « ${id} » a à la fois path et repo : un seul des deux`);
  if (!entry.path && !entry.repo) problem(`champ manquant pour « ${id} » : path (un dossier) ou repo (un dépôt git)`);
  if (entry.path && (entry.branch || entry.commit)) problem(`branch et commit ne vont qu'avec repo (étudiant « ${id} »)`);
  if (entry.branch && entry.commit) problem(`branch ou commit, pas les deux (étudiant « ${id} »)`);
  if (entry.commit !== undefined && !SHA.test(entry.commit)) problem(`commit « ${entry.commit} » : attendu un identifiant hexadécimal de commit`);
  if (entry.branch !== undefined && (/^-|\.\.|[\s~^:?*[\\]/.test(entry.branch) || entry.branch.startsWith("/"))) {
    problem(`branche « ${entry.branch} » invalide`);
  }
  if (entry.repo) {
    const why = repository_url_problem(entry.repo);
    if (why) problem(why);
  }
  if (issues.length > before) return undefined;
  const source: StudentSource = entry.path
    ? { kind: "path", written: entry.path, path: path.resolve(base_dir, entry.path) }
    : entry.repo
      ? { kind: "repo", url: entry.repo, ...(entry.branch ? { branch: entry.branch } : {}), ...(entry.commit ? { commit: entry.commit.toLowerCase() } : {}) }
      : { kind: "none" };
  return {
    id,
    name: entry.name?.trim() || id,
    source,
    ...(entry.section ? { section: entry.section } : {}),
    ...(entry.email ? { email: entry.email } : {}),
    ...(entry.sis_id?.trim() ? { sis_id: entry.sis_id.trim() } : {}),
    line,
  };
}

function zod_problems(error: z.ZodError, value: unknown): string[] {
  const given = (value ?? {}) as Record<string, unknown>;
  return error.issues.map((issue) => {
    if (issue.code === "unrecognized_keys") return `champ(s) inconnu(s) : ${issue.keys.join(", ")} (les champs sont ${OUR_COLUMNS.join(", ")})`;
    const field = issue.path.join(".");
    if (issue.path.length === 1 && given[field] === undefined) return `champ manquant : ${field}`;
    return `${field || "étudiant"} : ${issue.message}`;
  });
}

function read_yaml(text: string, base_dir: string, issues: RosterIssue[]): Student[] {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: true });
  const line_of = (offset: number | undefined): number => (offset === undefined ? 1 : counter.linePos(offset).line);
  for (const e of doc.errors) issues.push({ line: e.linePos?.[0]?.line ?? 1, message: `YAML invalide : ${e.message.split("\n")[0]}` });
  if (doc.errors.length > 0) return [];
  const root = doc.contents;
  if (!isMap(root)) {
    issues.push({ line: 1, message: "attendu une clé « students: » avec la liste des étudiants" });
    return [];
  }
  for (const pair of root.items) {
    const key = String((pair.key as { value?: unknown })?.value ?? pair.key);
    if (key !== "students") issues.push({ line: line_of((pair.key as { range?: number[] })?.range?.[0]), message: `clé inconnue « ${key} » (seule « students » est lue)` });
  }
  const list = root.get("students", true);
  if (!isSeq(list)) {
    issues.push({ line: 1, message: "« students: » manque ou n'est pas une liste" });
    return [];
  }
  const students: Student[] = [];
  for (const item of list.items) {
    const line = line_of((item as { range?: number[] })?.range?.[0]);
    const value = (item as { toJSON?: () => unknown })?.toJSON?.() ?? item;
    const parsed = Entry.safeParse(value);
    if (!parsed.success) {
      for (const message of zod_problems(parsed.error, value)) issues.push({ line, message });
      continue;
    }
    const student = to_student(parsed.data, line, base_dir, issues);
    if (student) students.push(student);
  }
  return students;
}

function detect_form(header: string[]): Exclude<RosterForm, "yaml"> {
  if (header.includes("github_username") || header.includes("student_repository_url")) return "github-classroom";
  if (header.includes("username") && (header.includes("github_id") || header.includes("role") || header.includes("first_name"))) return "classroom50";
  return "csv";
}

function read_table(records: CsvRecord[], base_dir: string, options: RosterOptions, issues: RosterIssue[]): { form: RosterForm; students: Student[] } {
  const [head, ...rows] = records;
  if (!head) {
    issues.push({ line: 1, message: "fichier vide : attendu une ligne d'en-tête (id,name,path,repo,…)" });
    return { form: "csv", students: [] };
  }
  const header = head.fields.map((f) => f.trim().toLowerCase());
  const form = detect_form(header);
  const known = form === "csv" ? OUR_COLUMNS : form === "classroom50" ? CLASSROOM50_COLUMNS : GITHUB_CLASSROOM_COLUMNS;
  const unknown = header.filter((h) => !known.includes(h));
  if (unknown.length > 0) {
    issues.push({ line: head.line, message: `colonne(s) inconnue(s) : ${unknown.map((u) => `« ${u} »`).join(", ")} (les colonnes sont ${known.join(", ")})` });
  }
  const duplicated = header.filter((h, i) => header.indexOf(h) !== i);
  if (duplicated.length > 0) issues.push({ line: head.line, message: `colonne(s) en double : ${[...new Set(duplicated)].join(", ")}` });
  const required = form === "csv" ? ["id"] : form === "classroom50" ? ["username"] : ["github_username"];
  const missing = required.filter((r) => !header.includes(r));
  if (missing.length > 0) issues.push({ line: head.line, message: `colonne manquante : ${missing.join(", ")}` });
  if (form === "classroom50" && !options.repo_pattern) {
    issues.push({ line: head.line, message: "roster Classroom 50 : donnez l'adresse des dépôts avec --repo-pattern 'https://github.com/ORG/tp-docker-{username}'" });
  }
  if (issues.length > 0) return { form, students: [] };

  const students: Student[] = [];
  for (const row of rows) {
    if (row.fields.length !== header.length) {
      issues.push({ line: row.line, message: `${row.fields.length} champ(s) pour ${header.length} colonne(s)` });
      continue;
    }
    const cell = (name: string): string | undefined => {
      const i = header.indexOf(name);
      const value = i < 0 ? undefined : row.fields[i]!.trim();
      return value === "" ? undefined : value;
    };
    let entry: Entry | undefined;
    if (form === "csv") {
      const raw = Object.fromEntries(OUR_COLUMNS.map((c) => [c, cell(c)]).filter(([, v]) => v !== undefined));
      if (raw.id === undefined) {
        issues.push({ line: row.line, message: "champ manquant : id" });
        continue;
      }
      entry = Entry.parse(raw);
    } else if (form === "classroom50") {
      const role = (cell("role") ?? "student").toLowerCase();
      if (role !== "student") continue; // Teachers and assistants are in the roster too; only students are graded.
      const username = cell("username");
      if (!username) {
        issues.push({ line: row.line, message: "champ manquant : username" });
        continue;
      }
      const values: Record<string, string> = {
        username,
        github_id: cell("github_id") ?? "",
        section: cell("section") ?? "",
        email: cell("email") ?? "",
      };
      const repo = options.repo_pattern!.replace(/\{(username|github_id|section|email)\}/g, (_, k: string) => encodeURIComponent(values[k]!));
      const name = [cell("first_name"), cell("last_name")].filter(Boolean).join(" ");
      entry = { id: username, repo, ...(name ? { name } : {}), ...(cell("section") ? { section: cell("section") } : {}), ...(cell("email") ? { email: cell("email") } : {}) };
    } else {
      const username = cell("github_username");
      if (!username) {
        issues.push({ line: row.line, message: "champ manquant : github_username" });
        continue;
      }
      const url = cell("student_repository_url");
      const name = cell("roster_identifier");
      const student_entry: Entry = { id: username, ...(name ? { name } : {}), ...(url ? { repo: url.replace(/\/+$/, "") } : {}) };
      if (!url) {
        const student = { id: username, name: name ?? username, source: { kind: "none" } as const, line: row.line };
        if (!ID.test(username)) issues.push({ line: row.line, message: `identifiant « ${username} » invalide` });
        else students.push(student);
        continue;
      }
      entry = student_entry;
    }
    const student = to_student(entry, row.line, base_dir, issues);
    if (student) students.push(student);
  }
  return { form, students };
}

/** Reads a roster from its text; `file` names it in errors and its folder anchors relative paths. */
export function parse_roster(text: string, file: string, options: RosterOptions = {}): Roster {
  const base_dir = path.dirname(path.resolve(file));
  const issues: RosterIssue[] = [];
  let form: RosterForm;
  let students: Student[];
  if (/\.ya?ml$/i.test(file)) {
    form = "yaml";
    students = read_yaml(text, base_dir, issues);
  } else {
    let records: CsvRecord[];
    try {
      records = read_csv(text);
    } catch (error) {
      if (!(error instanceof CsvSyntaxError)) throw error;
      throw new RosterError(file, [{ line: error.line, message: `CSV invalide : ${error.message}` }]);
    }
    ({ form, students } = read_table(records, base_dir, options, issues));
  }
  const seen = new Map<string, number>();
  for (const s of students) {
    // Ids are compared without case: they name folders, and GitHub usernames ignore case.
    const key = s.id.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) issues.push({ line: s.line, message: `identifiant « ${s.id} » en double (déjà ligne ${first})` });
    else seen.set(key, s.line);
  }
  if (issues.length === 0 && students.length === 0) issues.push({ line: 1, message: "aucun étudiant dans le roster" });
  if (issues.length > 0) throw new RosterError(file, issues.sort((a, b) => a.line - b.line));
  return { file: path.resolve(file), form, students, digest: digest_of(students) };
}

export function load_roster(file: string, options: RosterOptions = {}): Roster {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new RosterError(file, [{ line: 0, message: `le fichier ne peut pas être lu (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` }]);
  }
  return parse_roster(text, file, options);
}
