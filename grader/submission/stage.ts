// A submission is untrusted input. Before grading, it is staged: the
// exercise's starter from the course pack, overlaid with only the files the
// exercise lets the student edit (exercise.yaml `editable`, plus Dockerfile and
// .dockerignore). Anything else the submission changed or added is reported as
// ignored and never graded. Specs, metadata and lessons come from the course
// pack, never from here. A submission that plants test files, links outside
// its folder, or sends an oversized build context is refused, with a reason,
// for that exercise only. No Docker here.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ContextRefusedError, plan_context } from "./context.js";
import type { Exercise } from "../course/course.js";

export const DEFAULT_SUBMISSION_LIMIT_BYTES = 50 * 1024 * 1024;

/** Always editable, whatever exercise.yaml says: the student's answer itself. */
export const ALWAYS_EDITABLE = ["Dockerfile", ".dockerignore"];

/** Files a submission may not bring: the test runner's own (specs and their configuration). */
const SPEC_FILE = /(^|\/)([^/]+\.(test|spec)\.[cm]?[jt]sx?|[^/]+\.spec\.[^/]+|(vitest|vite)\.(config|workspace)\.[^/]+|vitest\.setup\.[^/]+)$/i;

/** Folders never looked into: version control and the grader's own progress folder. */
const SKIPPED_FOLDERS = new Set([".git", ".dockerlings"]);

/** Ignored files listed by name at most; the rest are counted. */
const IGNORED_LISTED = 100;

export type RefusalReason = "missing" | "spec-file" | "link-outside" | "too-large" | "unsupported-file" | "unreadable";

export class SubmissionRefusedError extends Error {
  constructor(
    message: string,
    readonly reason: RefusalReason,
  ) {
    super(message);
    this.name = "SubmissionRefusedError";
  }
}

export interface SubmissionOptions {
  /** Largest build context accepted (after .dockerignore); 50 MB by default. */
  context_limit_bytes?: number;
  /** Where the staging folder is made; the system's temporary folder by default. */
  staging_root?: string;
}

export interface PreparedSubmission {
  /** The folder to grade. */
  dir: string;
  /** The submission's own folder, as given. */
  submission_dir: string;
  /** Files the submission changed or added that the exercise does not let it edit ("/"-separated, relative). */
  ignored: string[];
  /** Removes the staging folder. */
  dispose(): void;
}

/**
 * A glob of exercise.yaml's `editable` as a regular expression over
 * "/"-separated paths relative to the exercise folder: `*` and `?` stay within
 * one path segment, `**` crosses segments. A pattern also matches everything
 * below a folder it names (`app` allows `app/main.py`).
 */
export function editable_pattern(glob: string): RegExp {
  const clean = glob.replace(/^\.\//, "").replace(/\/+$/, "");
  let source = "";
  for (let i = 0; i < clean.length; i++) {
    const ch = clean[i]!;
    if (ch === "*" && clean[i + 1] === "*") {
      // "**/" matches zero or more folders; a trailing "**" everything below.
      if (clean[i + 2] === "/") {
        source += "(?:[^/]+/)*";
        i += 2;
      } else {
        source += ".*";
        i += 1;
      }
    } else if (ch === "*") source += "[^/]*";
    else if (ch === "?") source += "[^/]";
    else source += ch.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}(?:/.*)?$`);
}

export function is_editable(relative: string, patterns: RegExp[]): boolean {
  return patterns.some((p) => p.test(relative));
}

export function editable_patterns(exercise: Pick<Exercise, "editable">): RegExp[] {
  return [...new Set([...ALWAYS_EDITABLE, ...exercise.editable])].map(editable_pattern);
}

interface Entry {
  /** "/"-separated, relative to the folder walked. */
  relative: string;
  kind: "file" | "dir" | "link" | "other";
  size: number;
  link_target?: string;
}

function walk(root: string): Entry[] {
  const entries: Entry[] = [];
  const visit = (relative: string): void => {
    const abs = relative ? path.join(root, relative) : root;
    let names: string[];
    try {
      names = fs.readdirSync(abs).sort();
    } catch (error) {
      throw new SubmissionRefusedError(
        `Soumission refusée : le dossier « ${relative || "."} » ne peut pas être lu (${(error as Error).message}).`,
        "unreadable",
      );
    }
    for (const name of names) {
      const child = relative ? `${relative}/${name}` : name;
      const stat = fs.lstatSync(path.join(root, child));
      if (stat.isDirectory()) {
        if (SKIPPED_FOLDERS.has(name)) continue;
        entries.push({ relative: child, kind: "dir", size: 0 });
        visit(child);
      } else if (stat.isSymbolicLink()) {
        entries.push({ relative: child, kind: "link", size: 0, link_target: fs.readlinkSync(path.join(root, child)) });
      } else {
        entries.push({ relative: child, kind: stat.isFile() ? "file" : "other", size: stat.size });
      }
    }
  };
  visit("");
  return entries;
}

const inside = (root: string, target: string): boolean => target === root || target.startsWith(root + path.sep);

/** A link must stay inside the folder, lexically and once every link on the way is followed. */
function check_link(root: string, entry: Entry): void {
  const full = path.join(root, entry.relative);
  const lexical = path.resolve(path.dirname(full), entry.link_target!);
  let real: string | undefined;
  try {
    real = fs.realpathSync(full);
  } catch {
    real = undefined; // A dangling link: judged by where it points.
  }
  if (!inside(root, lexical) || (real !== undefined && !inside(root, real))) {
    // Named as the student wrote it: where it resolves on the grading machine (a cache, a staging folder) means nothing to them.
    throw new SubmissionRefusedError(
      `Soumission refusée : le lien symbolique « ${entry.relative} » mène hors du dossier de l'exercice ` +
        `(vers ${entry.link_target}). Un build ne peut pas lire de fichier hors de son contexte : ` +
        "remplacez ce lien par une copie du fichier dont vous avez besoin.",
      "link-outside",
    );
  }
}

function same_content(a: string, b: string): boolean {
  const hash = (file: string) => crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
  return hash(a) === hash(b);
}

const megabytes = (bytes: number): string => `${Math.round((bytes / 1024 / 1024) * 10) / 10} Mo`;

/** Builds the staging folder for one exercise; throws SubmissionRefusedError with the reason a student reads. */
export function prepare_submission(exercise: Exercise, submission_dir: string, options: SubmissionOptions = {}): PreparedSubmission {
  const limit = options.context_limit_bytes ?? DEFAULT_SUBMISSION_LIMIT_BYTES;
  if (!fs.existsSync(submission_dir) || !fs.statSync(submission_dir).isDirectory()) {
    throw new SubmissionRefusedError(
      `Aucun dossier ${submission_dir} pour l'exercice ${exercise.id} dans la soumission : ` +
        `créez-le (copie de exercises/${exercise.id}/starter/) avec votre Dockerfile.`,
      "missing",
    );
  }
  const root = fs.realpathSync(submission_dir);
  const patterns = editable_patterns(exercise);
  const starter_root = fs.realpathSync(exercise.starter_dir);
  const starter_entries = new Map(walk(starter_root).map((e) => [e.relative, e]));
  const entries = walk(root);

  let editable_bytes = 0;
  for (const entry of entries) {
    if (entry.kind === "link") check_link(root, entry);
    if (entry.kind !== "dir" && SPEC_FILE.test(entry.relative) && !starter_entries.has(entry.relative)) {
      throw new SubmissionRefusedError(
        `Soumission refusée : elle contient « ${entry.relative} », un fichier de test ou de configuration des tests. ` +
          "Les vérifications viennent toujours du cours, jamais de la soumission : supprimez ce fichier.",
        "spec-file",
      );
    }
    if (!is_editable(entry.relative, patterns)) continue;
    if (entry.kind === "other") {
      throw new SubmissionRefusedError(
        `Soumission refusée : « ${entry.relative} » n'est ni un fichier ni un dossier (un tube, un socket ou un périphérique) : supprimez-le.`,
        "unsupported-file",
      );
    }
    editable_bytes += entry.size;
    if (editable_bytes > limit) {
      throw new SubmissionRefusedError(
        `Soumission refusée : les fichiers de l'exercice dépassent la limite de ${megabytes(limit)} du contexte de build. ` +
          "Retirez les gros fichiers inutiles, ou excluez-les avec un .dockerignore.",
        "too-large",
      );
    }
  }

  // Files the student may not edit: the course's version is used; a change is reported.
  const ignored: string[] = [];
  for (const entry of entries) {
    if (entry.kind === "dir" || is_editable(entry.relative, patterns)) continue;
    const starter = starter_entries.get(entry.relative);
    const changed =
      !starter ||
      starter.kind !== entry.kind ||
      (entry.kind === "link" && starter.link_target !== entry.link_target) ||
      (entry.kind === "file" &&
        (starter.size !== entry.size || !same_content(path.join(root, entry.relative), path.join(starter_root, entry.relative))));
    if (changed) ignored.push(entry.relative);
  }

  const staging_parent = fs.mkdtempSync(path.join(options.staging_root ?? os.tmpdir(), "dockerlings-stage-"));
  const dir = path.join(staging_parent, exercise.id);
  const dispose = (): void => fs.rmSync(staging_parent, { recursive: true, force: true });
  try {
    fs.mkdirSync(dir);
    // The course's starter, minus what the student owns (a deleted Dockerfile stays deleted).
    for (const [relative, entry] of starter_entries) {
      if (is_editable(relative, patterns)) continue;
      copy_entry(path.join(starter_root, relative), path.join(dir, relative), entry);
    }
    for (const entry of entries) {
      if (!is_editable(entry.relative, patterns)) continue;
      copy_entry(path.join(root, entry.relative), path.join(dir, entry.relative), entry);
    }
    // What the engine would receive, .dockerignore applied, links checked again.
    plan_context(dir, limit);
  } catch (error) {
    dispose();
    if (error instanceof ContextRefusedError) {
      const why =
        error.reason === "too-large"
          ? `le contexte de build dépasse la limite de ${megabytes(limit)}. Retirez les gros fichiers inutiles, ou excluez-les avec un .dockerignore.`
          : error.message;
      throw new SubmissionRefusedError(`Soumission refusée : ${why}`, error.reason === "link-outside" ? "link-outside" : error.reason === "too-large" ? "too-large" : "unreadable");
    }
    throw error;
  }

  const listed = ignored.length > IGNORED_LISTED ? [...ignored.slice(0, IGNORED_LISTED), `… et ${ignored.length - IGNORED_LISTED} autres fichiers`] : ignored;
  return { dir, submission_dir, ignored: listed, dispose };
}

function copy_entry(source: string, target: string, entry: Entry): void {
  if (entry.kind === "dir") {
    fs.mkdirSync(target, { recursive: true });
    return;
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  if (entry.kind === "link") fs.symlinkSync(entry.link_target!, target);
  else if (entry.kind === "file") fs.copyFileSync(source, target);
}
