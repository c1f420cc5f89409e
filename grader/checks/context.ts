// Build-context checks: what the build sends to the engine, read from the
// context the grader packed for the build (the files .dockerignore let
// through), not from the image. A file left out of the image by a selective
// COPY is still sent with every build; a file the app needs can be lost to a
// .dockerignore line written too wide.
import { glob_source } from "./glob.js";
import fs from "node:fs";
import path from "node:path";
import { outcome, require_config, type CheckOutcome } from "./check.js";
import { format_bytes } from "./size.js";
import type { ExerciseHandle } from "../spec/use-exercise.js";

/** A path to keep out of the context, as a .dockerignore line names it. */
export interface ContextExclusion {
  /** A .dockerignore-like pattern: "node_modules", "logs/", "*.log" (a pattern without "/" inside matches a name at any depth). */
  pattern: string;
  /** What it is, in the student's words: « les secrets de production ». */
  why: string;
}

export interface ContextExpectation {
  /** Files the build needs (the app's package.json, its sources): each must be sent. */
  sends?: string[];
  /** What must stay out of the context, each reported with its files and bytes. */
  leaves_out?: ContextExclusion[];
  /** At most this many bytes of files sent. */
  max_bytes?: number;
}

interface Compiled {
  regex: RegExp;
  by_path: boolean;
  dir_only: boolean;
}

function compile(pattern: string): Compiled {
  let p = pattern.trim().replace(/^\/+/, "");
  require_config(p !== "", "un motif de leaves_out est vide.");
  const dir_only = p.endsWith("/");
  if (dir_only) p = p.replace(/\/+$/, "");
  const source = glob_source(p);
  return { regex: new RegExp(`^${source}$`), by_path: p.includes("/"), dir_only };
}

/** The entries (files sent) that the pattern names, itself or through a folder that holds them. */
function matching(entries: string[], pattern: Compiled): string[] {
  return entries.filter((entry) => {
    const parts = entry.split("/");
    for (let depth = 1; depth <= parts.length; depth++) {
      const is_dir = depth < parts.length;
      if (pattern.dir_only && !is_dir) continue;
      const candidate = pattern.by_path ? parts.slice(0, depth).join("/") : parts[depth - 1]!;
      if (pattern.regex.test(candidate)) return true;
    }
    return false;
  });
}

const plural = (n: number, word: string): string => `${n} ${word}${n > 1 ? "s" : ""}`;

/**
 * The build context: files the build needs are sent, what should stay out is
 * not (named as the .dockerignore line that leaves it out), and its size is
 * within a budget.
 * @example await check_context(ex, { sends: ["package.json"], leaves_out: [{ pattern: ".env", why: "les secrets" }], max_bytes: 20_000 })
 */
export async function check_context(ex: ExerciseHandle, expected: ContextExpectation): Promise<CheckOutcome> {
  require_config(
    (expected.sends?.length ?? 0) > 0 || (expected.leaves_out?.length ?? 0) > 0 || expected.max_bytes !== undefined,
    "donnez sends, leaves_out ou max_bytes.",
  );
  require_config(expected.max_bytes === undefined || expected.max_bytes > 0, "max_bytes doit être positif.");
  const built = await ex.build();
  // Without a context the build failed before sending anything: the build check says why.
  if (!built.context) return outcome(["Le contexte de build n'a pas pu être préparé : voyez le premier test, « l'image se construit »."]);
  const context = built.context;
  const sent = new Set(context.entries);
  const failures: string[] = [];

  const lost = (expected.sends ?? []).filter((file) => !sent.has(file) && !context.entries.some((e) => e.startsWith(`${file}/`)));
  if (lost.length > 0) {
    const ignored = lost.filter((file) => context.ignored.some((i) => i === file || file.startsWith(`${i}/`)));
    failures.push(
      ignored.length > 0
        ? `Le .dockerignore exclut ${ignored.join(" et ")}, dont l'application a besoin : retirez la ligne qui ${ignored.length > 1 ? "les" : "le"} vise ` +
            "(ou ajoutez une exception « !" + ignored[0] + " » après elle)."
        : `Le contexte de build ne contient pas ${lost.join(" ni ")}, dont l'application a besoin : le fichier manque dans le dossier de l'exercice.`,
    );
  }

  const stat_of = (entry: string) => fs.lstatSync(path.join(context.dir, entry), { throwIfNoEntry: false });
  const is_dir = (entry: string): boolean => stat_of(entry)?.isDirectory() ?? false;
  const size_of = (entry: string): number => {
    const stat = stat_of(entry);
    return stat?.isFile() ? stat.size : 0;
  };
  // A file two patterns name (logs/a.log: "logs" and "*.log") is reported once, under the first.
  const reported = new Set<string>();
  for (const exclusion of expected.leaves_out ?? []) {
    const files = matching(context.entries, compile(exclusion.pattern)).filter((entry) => !is_dir(entry) && !reported.has(entry));
    for (const file of files) reported.add(file);
    if (files.length === 0) continue;
    const bytes = files.reduce((sum, entry) => sum + size_of(entry), 0);
    const line = exclusion.pattern.replace(/\/+$/, "");
    failures.push(
      `Le contexte envoyé au moteur contient ${line} (${exclusion.why} : ${plural(files.length, "fichier")}, ${format_bytes(bytes)}). ` +
        `Ajoutez « ${line} » au .dockerignore : le correcteur, comme l'ancien builder, envoie au moteur tout le dossier moins ce que ` +
          "le .dockerignore exclut (BuildKit n'envoie que ce que les instructions copient, mais COPY . . copie tout).",
    );
  }

  if (expected.max_bytes !== undefined && context.bytes > expected.max_bytes) {
    failures.push(
      `Le contexte de build pèse ${format_bytes(context.bytes)}, au-delà de ${format_bytes(expected.max_bytes)} : le correcteur, comme ` +
        "l'ancien builder, envoie au moteur tout le dossier moins ce que le .dockerignore exclut (BuildKit n'envoie que ce que les " +
        "instructions copient, mais COPY . . copie tout). Excluez-en le superflu avec .dockerignore.",
    );
  }
  return outcome(failures, failures.length > 0 ? `Contexte envoyé : ${plural(context.entries.length, "entrée")}, ${format_bytes(context.bytes)}` : undefined);
}
