// Which grader the spec workers load, and where their transforms are cached.
//
// Run from the sources (the project's own tests), a worker loads the
// TypeScript grader, transformed by vite and cached on disk. Run from the
// compiled CLI (dist/: a clone after `npm run build`, an installed package),
// a spec's import of the grader (`../../grader/spec.js` in this pack,
// `dockerlings/grader/spec.js` in another) is sent to the compiled copy, which
// is the transform a first grading would otherwise compute, shipped: inside
// node_modules (an installed package) vitest leaves it to Node, so a first
// grading transforms nothing but the spec file. The warm-start setup file
// comes from the same tree, so that it and the spec share one grader module.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The folder holding runner/, spec.ts, … of the grader this module belongs to (grader/ or dist/grader/). */
const own_grader_dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const compiled = path.basename(path.dirname(own_grader_dir)) === "dist" && fs.existsSync(path.join(own_grader_dir, "spec.js"));
/** The TypeScript sources of the grader (grader/ at the package's root). */
const source_grader_dir = compiled ? path.join(own_grader_dir, "..", "..", "grader") : own_grader_dir;

/**
 * Where a Grader keeps its transforms for `course_root`: vitest's module cache
 * and vite's cache, one pair per grader tree. A spec transformed for the
 * compiled grader imports dist/grader/spec.js; a Grader run from the sources
 * that read that transform from a shared cache loaded both trees in one
 * worker (two copies of every module that keeps state, the build lock's too).
 */
export function transform_caches(course_root: string): { modules: string; vite: string } {
  const cache = transform_cache_dir(course_root);
  const tree = compiled ? "compiled" : "sources";
  return { modules: path.join(cache, `dockerlings-modules-${tree}`), vite: path.join(cache, `dockerlings-vite-${tree}`) };
}

/** The setup file every spec run loads first (see warm-start.ts), from the same tree as the grader the specs get. */
export function warm_start_path(): string {
  const file = compiled ? path.join(own_grader_dir, "runner", "warm-start.js") : path.join(own_grader_dir, "runner", "warm-start.ts");
  if (!fs.existsSync(file)) throw new Error(`${file} not found`);
  return file;
}

const real = (dir: string): string => {
  try {
    return fs.realpathSync(dir);
  } catch {
    return dir;
  }
};

/**
 * The compiled file for a spec's import of the grader, or undefined for any
 * other import. `source`: the import as written; `importer`: the file importing.
 */
export function compiled_grader_file(source: string, importer: string | undefined): string | undefined {
  if (!compiled || !importer || !source.endsWith(".js")) return undefined;
  let relative: string | undefined;
  if (source.startsWith("dockerlings/grader/")) relative = source.slice("dockerlings/grader/".length);
  else if (source.startsWith(".")) {
    const target = path.resolve(path.dirname(importer), source);
    // A course pack may reach the grader through a link (the tests' throwaway packs do).
    const inside = path.relative(real(source_grader_dir), path.join(real(path.dirname(target)), path.basename(target)));
    if (!inside.startsWith("..") && !path.isAbsolute(inside)) relative = inside;
  }
  if (relative === undefined) return undefined;
  const file = path.join(own_grader_dir, relative);
  return fs.existsSync(file) ? file : undefined;
}

/**
 * The compiled grader, for vitest to leave to Node's own loader wherever it
 * is (a clone's dist/ too, not only an installed package's node_modules):
 * measured, a worker that loads the spec entry through vite's module runner
 * holds about 120 MB more than one that loads it natively, and starts later.
 * Nothing from the sources.
 */
export function compiled_grader_external(): RegExp[] {
  if (!compiled) return [];
  return [new RegExp(`${own_grader_dir.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/`)];
}

/** A vite plugin that sends the specs' imports of the grader to the compiled copy (a no-op from the sources). */
export function compiled_grader_plugin(): { name: string; enforce: "pre"; resolveId(source: string, importer?: string): string | null } {
  return {
    name: "dockerlings-compiled-grader",
    enforce: "pre",
    resolveId: (source, importer) => compiled_grader_file(source, importer) ?? null,
  };
}

/**
 * Where vite and vitest keep their caches for a course pack: its
 * node_modules/.cache when it can be written there (a clone, an npx or user
 * install), else the user's cache folder (a global install made by root and
 * run by a student).
 */
export function transform_cache_dir(course_root: string): string {
  const beside = path.join(course_root, "node_modules", ".cache");
  const candidates = [
    beside,
    path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "dockerlings", crypto.createHash("sha1").update(path.resolve(course_root)).digest("hex").slice(0, 12)),
    path.join(os.tmpdir(), `dockerlings-cache-${process.getuid?.() ?? "user"}`),
  ];
  for (const dir of candidates) {
    try {
      fs.mkdirSync(dir, { recursive: true });
      fs.accessSync(dir, fs.constants.W_OK);
      return dir;
    } catch {
      // Not writable here: the next place.
    }
  }
  return candidates[candidates.length - 1]!;
}
