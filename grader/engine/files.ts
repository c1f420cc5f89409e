// Files of an image, read from a container that is created and never
// started, so that images without a shell (scratch included) can be checked
// and nothing of the submission runs. Two engine calls per path at most:
// - stat (HEAD /archive): type, mode, size, resolved link target; ~10 ms;
// - read (GET /archive, a tar): owner and content; ~400 ms on dockerd 20.10,
//   which serialises them per container, so reads are only made when owner
//   or content is needed, and only the first tar entry is read.
// Results are cached per image ID (an image never changes under its ID), so
// that checks of one spec reading /etc/passwd share one read.
import path from "node:path";
import type Dockerode from "dockerode";
import tar from "tar-stream";
import { docker, grading_labels } from "./client.js";
import { default_limits, host_config } from "../config/limits.js";

export type FileType = "file" | "directory" | "symlink" | "other";

/** A path as `stat` without following the last link: fast, without owner. */
export interface FileStat {
  path: string;
  type: FileType;
  /** Permission bits with setuid (0o4000), setgid (0o2000) and sticky (0o1000). */
  mode: number;
  size: number;
  /** For a symlink: the absolute path it leads to, every link resolved inside the image. */
  resolved_target?: string;
}

/** A path as read from the image's archive: plain data. */
export interface FileEntry {
  path: string;
  type: FileType;
  /** Permission bits with setuid (0o4000), setgid (0o2000) and sticky (0o1000). */
  mode: number;
  uid: number;
  gid: number;
  size: number;
  /** For a symlink: the target as written in the link. */
  link_target?: string;
  /** A regular file's text (UTF-8), up to the content limit. */
  content?: string;
  /** True when the file is longer than what `content` holds. */
  content_truncated?: boolean;
}

export interface ImageFilesOptions {
  /** Image ID or tag. */
  image: string;
  session: string;
  exercise?: string;
  /** Bytes of a regular file's content kept (default 256 KiB). */
  content_limit_bytes?: number;
}

export interface ReadOptions {
  /** Read what a symlink leads to (every link of the path resolved inside the image). */
  follow?: boolean;
  /** Keep a regular file's content (default true); false reads the header only. */
  content?: boolean;
}

export interface ImageFileReader {
  /** Type, mode, size and link target of a path, null when absent; the last link is not followed. */
  stat(file: string): Promise<FileStat | null>;
  /**
   * The path's entry with owner (and, unless `content: false`, a regular file's
   * content), null when absent; `follow` reads what a symlink leads to.
   */
  read(file: string, options?: ReadOptions): Promise<FileEntry | null>;
}

export const DEFAULT_CONTENT_LIMIT = 256 * 1024;
const MAX_LINK_HOPS = 16;

// Go's os.FileMode bits, as the engine reports them in the stat header.
const go_bit = (mode: number, bit: number): boolean => ((mode >>> bit) & 1) === 1;
const GO_DIR = 31;
const GO_SYMLINK = 27;
const GO_OTHER_TYPES = [26, 25, 24, 21, 19]; // device, named pipe, socket, char device, irregular
const GO_SETUID = 23;
const GO_SETGID = 22;
const GO_STICKY = 20;

/** Converts the engine's Go FileMode (type bits high, permissions low) to a type and Unix permission bits. */
export function from_go_mode(go_mode: number): { type: FileType; mode: number } {
  const m = go_mode >>> 0;
  const type: FileType = go_bit(m, GO_DIR)
    ? "directory"
    : go_bit(m, GO_SYMLINK)
      ? "symlink"
      : GO_OTHER_TYPES.some((bit) => go_bit(m, bit))
        ? "other"
        : "file";
  let mode = m & 0o777;
  if (go_bit(m, GO_SETUID)) mode |= 0o4000;
  if (go_bit(m, GO_SETGID)) mode |= 0o2000;
  if (go_bit(m, GO_STICKY)) mode |= 0o1000;
  return { type, mode };
}

function tar_type(type: tar.Header["type"] | undefined): FileType {
  if (type === "file" || type === "contiguous-file") return "file";
  if (type === "directory") return "directory";
  if (type === "symlink") return "symlink";
  return "other";
}

/** The engine's answer for a path that is not there: 404, or 500 "not a directory" for a path through a file. */
function is_absent(error: unknown): boolean {
  const e = error as { statusCode?: number; message?: string };
  return e?.statusCode === 404 || (e?.statusCode === 500 && /not a directory/i.test(e.message ?? ""));
}

/** Normalises an absolute path ("/app/" -> "/app"); throws on a relative one (a caller's mistake). */
export function normalize_image_path(file: string): string {
  if (!file.startsWith("/")) throw new Error(`not an absolute path: ${JSON.stringify(file)}`);
  const normalized = path.posix.normalize(file);
  return normalized.length > 1 ? normalized.replace(/\/+$/, "") : normalized;
}

/** Reads the first entry of a tar stream (the requested path itself), then drops the rest. */
function first_tar_entry(stream: NodeJS.ReadableStream, file: string, limit: number, with_content: boolean): Promise<FileEntry | null> {
  return new Promise((resolve, reject) => {
    const extract = tar.extract();
    let settled = false;
    const finish = (entry: FileEntry | null, error?: unknown) => {
      if (settled) return;
      settled = true;
      // Stop the engine's tar as soon as we have the header (and the start of the content).
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      extract.destroy();
      if (error) reject(error);
      else resolve(entry);
    };
    extract.on("entry", (header, body) => {
      const entry: FileEntry = {
        path: file,
        type: tar_type(header.type),
        mode: (header.mode ?? 0) & 0o7777,
        uid: header.uid ?? 0,
        gid: header.gid ?? 0,
        size: header.size ?? 0,
      };
      if (entry.type === "symlink") entry.link_target = header.linkname ?? "";
      if (entry.type !== "file" || !with_content) return finish(entry);
      const chunks: Buffer[] = [];
      let length = 0;
      const done = () => {
        if (settled) return;
        const content = Buffer.concat(chunks);
        entry.content = content.subarray(0, limit).toString("utf8");
        entry.content_truncated = entry.size > limit;
        finish(entry);
      };
      body.on("data", (chunk: unknown) => {
        const bytes = chunk as Buffer;
        chunks.push(bytes);
        length += bytes.length;
        if (length >= limit) done();
      });
      body.on("end", done);
      body.on("error", (error: unknown) => finish(null, error));
    });
    extract.on("finish", () => finish(null));
    extract.on("error", (error: unknown) => finish(null, error));
    stream.on("error", (error: unknown) => finish(null, error));
    stream.pipe(extract);
  });
}

/** A cached entry with its content cut to a smaller limit. */
function trim_content(entry: FileEntry | null, limit: number): FileEntry | null {
  if (!entry?.content) return entry;
  const bytes = Buffer.from(entry.content, "utf8");
  if (bytes.length <= limit) return entry;
  return { ...entry, content: bytes.subarray(0, limit).toString("utf8"), content_truncated: true };
}

interface CachedImage {
  stats: Map<string, Promise<FileStat | null>>;
  reads: Map<string, { limit: number; with_content: boolean; entry: Promise<FileEntry | null> }>;
}
const cache = new Map<string, CachedImage>();
const CACHED_IMAGES = 16;

function cached_image(image_id: string): CachedImage {
  let entry = cache.get(image_id);
  if (entry) {
    cache.delete(image_id); // re-insert: most recently used last
  } else {
    entry = { stats: new Map(), reads: new Map() };
  }
  cache.set(image_id, entry);
  while (cache.size > CACHED_IMAGES) cache.delete(cache.keys().next().value!);
  return entry;
}

/**
 * Opens the image's files for `use`: the container is created on the first
 * uncached request, never started, and removed afterwards, even on error.
 *
 * @example
 * const passwd = await with_image_files({ image, session }, (files) => files.read("/etc/passwd"));
 */
export async function with_image_files<T>(options: ImageFilesOptions, use: (reader: ImageFileReader) => Promise<T>): Promise<T> {
  const d = docker();
  const limit = options.content_limit_bytes ?? DEFAULT_CONTENT_LIMIT;
  // The cache is keyed by ID: a tag can move, an ID names one content.
  const image_id = /^sha256:[0-9a-f]{64}$/.test(options.image) ? options.image : (await d.getImage(options.image).inspect()).Id;
  const memo = cached_image(image_id);
  let created: Promise<Dockerode.Container> | undefined;
  // Engine calls of this use: the container is removed only once they have all settled.
  const pending = new Set<Promise<unknown>>();
  const track = <R>(work: Promise<R>): Promise<R> => {
    pending.add(work);
    work.then(
      () => pending.delete(work),
      () => pending.delete(work),
    );
    return work;
  };
  const container = () =>
    (created ??= d.createContainer({
      Image: image_id,
      // Never started: a command is only needed for images without CMD (scratch).
      Cmd: ["/nonexistent"],
      Labels: grading_labels(options.session, options.exercise),
      NetworkDisabled: true,
      HostConfig: { ...host_config(default_limits()), NetworkMode: "none" },
    }));

  const stat = (file: string): Promise<FileStat | null> => {
    const key = normalize_image_path(file);
    let result = memo.stats.get(key);
    if (!result) {
      result = track((async () => {
        try {
          const response = (await (await container()).infoArchive({ path: key })) as { headers: Record<string, string> };
          const raw = JSON.parse(Buffer.from(response.headers["x-docker-container-path-stat"] ?? "", "base64").toString("utf8")) as {
            size: number;
            mode: number;
            linkTarget: string;
          };
          const { type, mode } = from_go_mode(raw.mode);
          const found: FileStat = { path: key, type, mode, size: raw.size };
          if (type === "symlink") found.resolved_target = raw.linkTarget;
          return found;
        } catch (error) {
          if (is_absent(error)) return null;
          if ((error as { statusCode?: number }).statusCode !== 500) throw error;
          // A HEAD answer has no body to say why: ask again with GET, whose error says "not a directory".
          const retry = await (await container()).getArchive({ path: key }).then(
            (stream) => ((stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.(), error),
            (again: unknown) => again,
          );
          if (is_absent(retry)) return null;
          throw retry;
        }
      })());
      memo.stats.set(key, result);
      result.catch(() => memo.stats.delete(key));
    }
    return result;
  };

  const read_exact = (key: string, with_content: boolean): Promise<FileEntry | null> => {
    const known = memo.reads.get(key);
    if (known && !with_content) return known.entry;
    if (known?.with_content && known.limit === limit) return known.entry;
    if (known?.with_content && known.limit > limit) return known.entry.then((entry) => trim_content(entry, limit));
    const entry = track((async () => {
      try {
        const stream = await (await container()).getArchive({ path: key });
        return await first_tar_entry(stream, key, limit, with_content);
      } catch (error) {
        if (is_absent(error)) return null;
        throw error;
      }
    })());
    memo.reads.set(key, { limit, with_content, entry });
    entry.catch(() => memo.reads.delete(key));
    return entry;
  };

  const read = async (file: string, read_options: ReadOptions = {}): Promise<FileEntry | null> => {
    let key = normalize_image_path(file);
    if (read_options.follow) {
      for (let hops = 0; hops < MAX_LINK_HOPS; hops++) {
        const found = await stat(key);
        if (!found || found.type !== "symlink") break;
        if (!found.resolved_target) return null;
        key = normalize_image_path(found.resolved_target);
      }
    }
    return read_exact(key, read_options.content ?? true);
  };

  try {
    return await use({ stat, read });
  } finally {
    while (pending.size > 0) await Promise.allSettled([...pending]);
    if (created) {
      await created.then(
        (c) => c.remove({ force: true, v: true }).catch(() => undefined),
        () => undefined,
      );
    }
  }
}

/**
 * Reads several paths of an image with one container: plain entries, null for an absent path.
 *
 * @example
 * const entries = await read_image_files({ image: "myimage", session, paths: ["/etc/passwd", "/app"] });
 * entries["/app"]?.type; // "directory"
 */
export async function read_image_files(
  options: ImageFilesOptions & { paths: string[]; follow_symlinks?: boolean },
): Promise<Record<string, FileEntry | null>> {
  return with_image_files(options, async (reader) => {
    const entries: Record<string, FileEntry | null> = {};
    // One at a time: the engine serialises archive reads of one container anyway.
    for (const file of options.paths) entries[file] = await reader.read(file, { follow: options.follow_symlinks });
    return entries;
  });
}

/** Forgets cached reads (for tests that measure engine calls). */
export function clear_image_files_cache(): void {
  cache.clear();
}
