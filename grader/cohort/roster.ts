// A class's roster: who the students are and where their work is. Four forms
// are read and all map onto the smallest one (YAML `students:` with id, name
// and path or repo): our CSV with the same columns, the roster CSV of
// Classroom 50 (with a repository URL pattern), and a GitHub Classroom grades
// export. The YAML form also states the deadlines and late policies (late.ts)
// of the course, of each section (`sections:`) and of a student (their own
// entry's `deadline` and `late`); the CSV form, a student's `deadline`. Every
// problem is reported with its line, all at once; the students keep the
// file's order, so one file always gives the same students in the same
// order. No Docker, no network here.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { LineCounter, parseDocument, isMap, isSeq } from "yaml";
import { z } from "zod";
import { CsvSyntaxError, read_csv, type CsvRecord } from "./csv.js";
import { parse_deadline } from "./deadline.js";
import { parse_credit, parse_duration, resolve_rule, type DeadlineRule, type LateStep, type StudentRule } from "./late.js";

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
  /** The language of the student's own page (fr or en); the command's when not given. */
  lang?: "fr" | "en";
  /** The student's own deadline or late policy (an extension, an accommodation): beats their section's. */
  rule?: DeadlineRule;
  /** Line of the roster that declares the student. */
  line: number;
}

export type RosterForm = "yaml" | "csv" | "classroom50" | "github-classroom";

export interface Roster {
  file: string;
  form: RosterForm;
  students: Student[];
  /** The course's deadline and late policy (YAML `deadline:` and `late:`). */
  course_rule: DeadlineRule;
  /** Each section's (YAML `sections:`), by the section's name. */
  sections: Map<string, DeadlineRule>;
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
    lang: z.enum(["fr", "en"]).optional(),
    // Read by rule_of (dates and steps are checked there, with their lines).
    deadline: z.unknown().optional(),
    late: z.unknown().optional(),
  })
  .strict();
type Entry = z.infer<typeof Entry>;

const OUR_COLUMNS = ["id", "name", "path", "repo", "branch", "commit", "section", "email", "sis_id", "deadline", "lang"];
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

function digest_of(students: Student[], course_rule: DeadlineRule, sections: Map<string, DeadlineRule>): string {
  const rule = (r: DeadlineRule | undefined) => (r ? { deadline: r.deadline?.toISOString() ?? null, late: r.late ?? null } : null);
  const canonical = students.map((s) => ({
    id: s.id,
    name: s.name,
    source: s.source.kind === "path" ? { kind: "path", path: s.source.written } : s.source,
    section: s.section ?? null,
    ...(s.rule ? { rule: rule(s.rule) } : {}),
  }));
  // Deadlines are part of what a class is graded against: shards of one roster share them.
  const rules = course_rule.deadline || course_rule.late || sections.size > 0 ? { course: rule(course_rule), sections: [...sections].map(([k, v]) => [k, rule(v)]) } : {};
  return crypto.createHash("sha256").update(JSON.stringify(Object.keys(rules).length ? { students: canonical, rules } : canonical)).digest("hex");
}

/** A deadline rule read from its fields (`deadline`, `late`); each problem goes to `problem` with the line of its field. */
function read_rule(value: { deadline?: unknown; late?: unknown }, line_of: (path: (string | number)[]) => number, problem: (line: number, message: string) => void, where: string): DeadlineRule {
  const rule: DeadlineRule = {};
  if (value.deadline !== undefined) {
    const text = value.deadline instanceof Date ? value.deadline.toISOString() : String(value.deadline);
    const deadline = parse_deadline(text);
    if (deadline) rule.deadline = deadline;
    else problem(line_of(["deadline"]), `${where}date limite « ${text} » : attendu une date ISO 8601 qui existe, avec son fuseau (ex. 2026-12-15T23:59+01:00)`);
  }
  if (value.late !== undefined) {
    if (!Array.isArray(value.late)) {
      problem(line_of(["late"]), `${where}late : attendu une liste de paliers { until: 1d, credit: 0.8 } (une liste vide : rien après la date limite)`);
      return rule;
    }
    const steps: LateStep[] = [];
    let previous = 0;
    value.late.forEach((step: unknown, i: number) => {
      const at = line_of(["late", i]);
      if (typeof step !== "object" || step === null || Array.isArray(step)) {
        problem(at, `${where}palier ${i + 1} : attendu { until: 1d, credit: 0.8 }`);
        return;
      }
      const { until, credit, ...rest } = step as Record<string, unknown>;
      const unknown = Object.keys(rest);
      if (unknown.length > 0) problem(at, `${where}palier ${i + 1} : champ(s) inconnu(s) ${unknown.join(", ")} (les champs sont until et credit)`);
      const until_ms = until === undefined ? undefined : parse_duration(String(until));
      if (until_ms === undefined) problem(line_of(["late", i, "until"]), `${where}palier ${i + 1} : until « ${String(until ?? "")} » : attendu une durée après la date limite (ex. 1d, 36h, 1d12h, 2w)`);
      const share = parse_credit(credit);
      if (share === undefined) problem(line_of(["late", i, "credit"]), `${where}palier ${i + 1} : credit « ${String(credit ?? "")} » : attendu une part des points entre 0 et 1 (ex. 0.8) ou un pourcentage (80%)`);
      if (until_ms === undefined || share === undefined) return;
      const before = steps.at(-1);
      if (before && until_ms <= before.until_ms) problem(at, `${where}palier ${i + 1} : until doit venir après celui du palier ${previous} (les paliers se suivent dans le temps)`);
      steps.push({ until_ms, credit: share });
      previous = i + 1;
    });
    rule.late = steps;
  }
  return rule;
}

/** Checks one entry (any form, mapped onto ours) and turns it into a student; problems go to `issues`. */
function to_student(entry: Entry, line: number, base_dir: string, issues: RosterIssue[], line_of: (path: (string | number)[]) => number = () => line): Student | undefined {
  const before = issues.length;
  const problem = (message: string): void => {
    issues.push({ line, message });
  };
  const rule = entry.deadline !== undefined || entry.late !== undefined
    ? read_rule(entry, line_of, (at, message) => issues.push({ line: at, message }), `étudiant « ${entry.id} » : `)
    : undefined;
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
    ...(entry.lang ? { lang: entry.lang } : {}),
    ...(rule ? { rule } : {}),
    line,
  };
}

function zod_problems(error: z.ZodError, value: unknown): string[] {
  const given = (value ?? {}) as Record<string, unknown>;
  return error.issues.map((issue) => {
    if (issue.code === "unrecognized_keys") return `champ(s) inconnu(s) : ${issue.keys.join(", ")} (les champs sont ${OUR_COLUMNS.join(", ")})`;
    const field = issue.path.join(".");
    if (issue.path.length === 1 && given[field] === undefined) return `champ manquant : ${field}`;
    if (field === "lang") return `lang « ${String(given.lang)} » : attendu fr ou en (la langue de la page de l'étudiant)`;
    return `${field || "étudiant"} : ${issue.message}`;
  });
}

interface YamlRoster {
  students: Student[];
  course_rule: DeadlineRule;
  sections: Map<string, DeadlineRule>;
}

const ROOT_KEYS = ["students", "deadline", "late", "sections"];

function read_yaml(text: string, base_dir: string, issues: RosterIssue[]): YamlRoster {
  const empty = (): YamlRoster => ({ students: [], course_rule: {}, sections: new Map() });
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: true });
  const line_of = (offset: number | undefined): number => (offset === undefined ? 1 : counter.linePos(offset).line);
  for (const e of doc.errors) issues.push({ line: e.linePos?.[0]?.line ?? 1, message: `YAML invalide : ${e.message.split("\n")[0]}` });
  if (doc.errors.length > 0) return empty();
  const root = doc.contents;
  if (!isMap(root)) {
    issues.push({ line: 1, message: "attendu une clé « students: » avec la liste des étudiants" });
    return empty();
  }
  for (const pair of root.items) {
    const key = String((pair.key as { value?: unknown })?.value ?? pair.key);
    if (!ROOT_KEYS.includes(key)) {
      issues.push({ line: line_of((pair.key as { range?: number[] })?.range?.[0]), message: `clé inconnue « ${key} » (les clés sont ${ROOT_KEYS.join(", ")})` });
    }
  }
  // The line of a node at `path` (under `base`), or of the nearest node above it that exists.
  const line_at = (base: (string | number)[]) => (rel: (string | number)[]): number => {
    for (let n = rel.length; n >= 0; n--) {
      const node = doc.getIn([...base, ...rel.slice(0, n)], true) as { range?: number[] } | undefined;
      if (node?.range) return line_of(node.range[0]);
      const parent = n > 0 ? (doc.getIn([...base, ...rel.slice(0, n - 1)], true) as unknown) : undefined;
      // A map's key carries the line when its value is empty.
      if (isMap(parent)) {
        const pair = parent.items.find((p) => String((p.key as { value?: unknown })?.value) === String(rel[n - 1]));
        const key = pair?.key as { range?: number[] } | undefined;
        if (key?.range) return line_of(key.range[0]);
      }
    }
    return 1;
  };
  const course_rule = read_rule(
    { deadline: root.get("deadline"), late: (root.get("late", true) as { toJSON?: () => unknown } | undefined)?.toJSON?.() ?? root.get("late") },
    line_at([]),
    (line, message) => issues.push({ line, message }),
    "",
  );
  const sections = new Map<string, DeadlineRule>();
  const sections_node = root.get("sections", true);
  if (sections_node !== undefined && sections_node !== null) {
    if (!isMap(sections_node)) issues.push({ line: line_at([])(["sections"]), message: "sections : attendu, par section, { deadline: …, late: […] }" });
    else {
      for (const pair of sections_node.items) {
        const name = String((pair.key as { value?: unknown })?.value ?? pair.key);
        const value = (pair.value as { toJSON?: () => unknown } | null)?.toJSON?.() ?? pair.value;
        const at = line_at(["sections", name]);
        if (typeof value !== "object" || value === null || Array.isArray(value)) {
          issues.push({ line: at([]), message: `section « ${name} » : attendu { deadline: …, late: […] }` });
          continue;
        }
        const unknown = Object.keys(value).filter((k) => k !== "deadline" && k !== "late");
        if (unknown.length > 0) issues.push({ line: at([]), message: `section « ${name} » : champ(s) inconnu(s) ${unknown.join(", ")} (les champs sont deadline et late)` });
        sections.set(name, read_rule(value as { deadline?: unknown; late?: unknown }, at, (line, message) => issues.push({ line, message }), `section « ${name} » : `));
      }
    }
  }
  const list = root.get("students", true);
  if (!isSeq(list)) {
    issues.push({ line: 1, message: "« students: » manque ou n'est pas une liste" });
    return { students: [], course_rule, sections };
  }
  const students: Student[] = [];
  list.items.forEach((item, index) => {
    const line = line_of((item as { range?: number[] })?.range?.[0]);
    const value = (item as { toJSON?: () => unknown })?.toJSON?.() ?? item;
    const parsed = Entry.safeParse(value);
    if (!parsed.success) {
      for (const message of zod_problems(parsed.error, value)) issues.push({ line, message });
      return;
    }
    const student = to_student(parsed.data, line, base_dir, issues, line_at(["students", index]));
    if (student) students.push(student);
  });
  // A student's section with deadlines must be one the roster states, when it states any.
  if (sections.size > 0) {
    for (const s of students) {
      if (s.section && !sections.has(s.section)) {
        issues.push({ line: s.line, message: `section « ${s.section} » de « ${s.id} » absente de sections: (${[...sections.keys()].join(", ")}) : ajoutez-la, ou corrigez son nom` });
      }
    }
  }
  return { students, course_rule, sections };
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
      const parsed = Entry.safeParse(raw);
      if (!parsed.success) {
        for (const message of zod_problems(parsed.error, raw)) issues.push({ line: row.line, message });
        continue;
      }
      entry = parsed.data;
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
  let course_rule: DeadlineRule = {};
  let sections = new Map<string, DeadlineRule>();
  if (/\.ya?ml$/i.test(file)) {
    form = "yaml";
    ({ students, course_rule, sections } = read_yaml(text, base_dir, issues));
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
  return { file: path.resolve(file), form, students, course_rule, sections, digest: digest_of(students, course_rule, sections) };
}

/**
 * The deadline and late policy of one student: their own entry's, else their
 * section's, else the course's (`--deadline` of the command, when given,
 * stands for the course's deadline).
 */
export function rule_of(roster: Pick<Roster, "course_rule" | "sections">, student: Student, course_deadline?: Date): StudentRule {
  const course = course_deadline ? { ...roster.course_rule, deadline: course_deadline } : roster.course_rule;
  return resolve_rule({
    ...(student.rule ? { student: student.rule } : {}),
    ...(student.section && roster.sections.has(student.section) ? { section: roster.sections.get(student.section)! } : {}),
    course,
  });
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
