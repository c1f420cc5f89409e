// Packs a submission folder into a build context the way the Docker CLI does:
// .dockerignore applied with Docker's own pattern semantics (@balena/dockerignore
// implements them, including `!` exceptions and `**`), the Dockerfile and
// .dockerignore always sent. Links that lead outside the folder are refused,
// and so is a context over the size limit: a submission is untrusted input.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import tar from "tar-fs";

// The package is CommonJS with a function export its types do not describe.
const dockerignore = createRequire(import.meta.url)("@balena/dockerignore") as (options: { ignorecase: boolean }) => {
  add(patterns: string[]): { ignores(path: string): boolean };
};

export const DEFAULT_CONTEXT_LIMIT_BYTES = 200 * 1024 * 1024;

export interface BuildContext {
  dir: string;
  /** Paths relative to dir, "/"-separated, in the order they are packed. */
  entries: string[];
  /** Total bytes of regular files sent. */
  bytes: number;
  /** Paths left out by .dockerignore. */
  ignored: string[];
}

export class ContextRefusedError extends Error {
  constructor(
    message: string,
    readonly reason: "link-outside" | "too-large" | "unreadable",
  ) {
    super(message);
    this.name = "ContextRefusedError";
  }
}

export function read_dockerignore(dir: string): string[] {
  const file = path.join(dir, ".dockerignore");
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}

/** Lists what Docker would send for dir, checking links and size. */
export function plan_context(dir: string, limit_bytes = DEFAULT_CONTEXT_LIMIT_BYTES, dockerfile = "Dockerfile"): BuildContext {
  const root = fs.realpathSync(dir);
  const patterns = read_dockerignore(root);
  const ig = dockerignore({ ignorecase: false }).add(patterns);
  const always = new Set([dockerfile, ".dockerignore"]);
  const entries: string[] = [];
  const ignored: string[] = [];
  let bytes = 0;

  const walk = (rel: string): void => {
    const abs = rel === "" ? root : path.join(root, rel);
    let names: string[];
    try {
      names = fs.readdirSync(abs).sort();
    } catch (error) {
      throw new ContextRefusedError(`le dossier ${rel || "."} ne peut pas être lu (${(error as Error).message})`, "unreadable");
    }
    for (const name of names) {
      const child = rel === "" ? name : `${rel}/${name}`;
      const full = path.join(root, child);
      const stat = fs.lstatSync(full);
      const excluded = ig.ignores(child) && !always.has(child);
      if (stat.isSymbolicLink()) {
        const target = path.resolve(path.dirname(full), fs.readlinkSync(full));
        if (!excluded && target !== root && !target.startsWith(root + path.sep)) {
          throw new ContextRefusedError(
            `le lien symbolique « ${child} » mène hors du dossier de l'exercice (vers ${target}) : ` +
              "remplacez-le par une copie du fichier.",
            "link-outside",
          );
        }
      }
      if (stat.isDirectory()) {
        // Docker walks into an excluded folder when a later `!` pattern may
        // re-include something below it; walking always is simpler and the
        // same, since each path is matched on its own.
        const before = entries.length;
        if (!excluded) entries.push(child);
        walk(child);
        if (excluded && entries.length > before) entries.splice(before, 0, child);
        if (excluded && entries.length === before) ignored.push(child);
        continue;
      }
      if (excluded) {
        ignored.push(child);
        continue;
      }
      entries.push(child);
      if (stat.isFile()) bytes += stat.size;
      if (bytes > limit_bytes) {
        throw new ContextRefusedError(
          `le contexte de build dépasse ${Math.round(limit_bytes / 1024 / 1024)} Mo : ` +
            "excluez les gros fichiers inutiles avec un .dockerignore.",
          "too-large",
        );
      }
    }
  };
  walk("");
  return { dir: root, entries, bytes, ignored };
}

/** A tar stream of exactly the planned entries. */
export function pack_context(context: BuildContext): NodeJS.ReadableStream {
  // tar-fs types its stream loosely; it is a Readable.
  const keep = new Set(context.entries.map((e) => path.join(context.dir, e)));
  const top = context.entries.filter((e) => !e.includes("/"));
  const pack = tar.pack(context.dir, {
    entries: top,
    ignore: (name: string) => !keep.has(name),
    dereference: false,
    // Docker normalises ownership; keep uid/gid out of the cache key.
    map: (header) => {
      header.uid = 0;
      header.gid = 0;
      return header;
    },
  });
  return pack as unknown as NodeJS.ReadableStream;
}
