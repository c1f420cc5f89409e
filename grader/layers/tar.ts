// Tar archives, read by tar-stream: the layer tars inside `docker save`
// (their entries' headers, contents skipped) and an archive of the course
// (its regular files). tar-stream reads what Docker's Go writer produces:
// ustar, PAX records (long paths, sizes), GNU long names.
import fs from "node:fs";
import { Readable } from "node:stream";
import zlib from "node:zlib";
import tar from "tar-stream";

/** What a tar says of one entry. */
export interface TarHeader {
  name: string;
  /** tar-stream's type: "file", "directory", "symlink", "link", "contiguous-file", … */
  type: string;
  size: number;
}

const BLOCK = 512;

/** Whether data starts like a tar: "ustar" in its first header, or a zero block (an empty archive). */
export function is_tar_start(first_block: Buffer): boolean {
  if (first_block.length < BLOCK) return false;
  return first_block.toString("latin1", 257, 262) === "ustar" || first_block.subarray(0, BLOCK).every((byte) => byte === 0);
}

/** The chunks of `source` with its first `size` bytes read ahead (or fewer, when it is shorter). */
async function read_ahead(source: AsyncIterable<Buffer>, size: number): Promise<{ head: Buffer; rest: AsyncIterable<Buffer> }> {
  const iterator = source[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let length = 0;
  let ended = false;
  while (length < size) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    chunks.push(next.value);
    length += next.value.length;
  }
  const head = Buffer.concat(chunks);
  const rest = (async function* () {
    if (ended) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  })();
  return { head, rest };
}

/** Every entry's header of a tar, in order; the contents are read past, never kept. */
async function headers_of(chunks: AsyncIterable<Buffer>): Promise<TarHeader[]> {
  const extract = tar.extract();
  Readable.from(chunks).pipe(extract as unknown as NodeJS.WritableStream);
  const headers: TarHeader[] = [];
  for await (const entry of extract) {
    headers.push({ name: entry.header.name, type: entry.header.type ?? "file", size: entry.header.size ?? 0 });
    entry.resume();
  }
  return headers;
}

/**
 * A stream that may be a tar or not (an OCI export holds layer tars and JSON
 * blobs side by side): the tar's headers, or the data itself when it is not a
 * tar and holds at most `keep_bytes` (undefined above that, read to its end).
 */
export async function read_tar_or_data(source: AsyncIterable<Buffer>, keep_bytes: number): Promise<{ headers: TarHeader[] } | { data: Buffer | undefined }> {
  const { head, rest } = await read_ahead(source, BLOCK);
  if (is_tar_start(head)) {
    return {
      headers: await headers_of(
        (async function* () {
          yield head;
          yield* rest;
        })(),
      ),
    };
  }
  const chunks = [head];
  let length = head.length;
  for await (const chunk of rest) {
    length += chunk.length;
    if (length <= keep_bytes) chunks.push(chunk);
  }
  return { data: length <= keep_bytes ? Buffer.concat(chunks) : undefined };
}

/**
 * The regular files of an archive of the course (a .tar, or gzipped: .tar.gz,
 * .tgz), by their path in it: what a spec compares an image's files with.
 * @example const assets = await read_archive(path.join(starter, "assets.tar.gz"));
 */
export async function read_archive(file: string): Promise<Map<string, string>> {
  const bytes = fs.readFileSync(file);
  const data = bytes[0] === 0x1f && bytes[1] === 0x8b ? zlib.gunzipSync(bytes) : bytes;
  const extract = tar.extract();
  Readable.from([data]).pipe(extract as unknown as NodeJS.WritableStream);
  const files = new Map<string, string>();
  for await (const entry of extract) {
    if (entry.header.type !== "file" && entry.header.type !== "contiguous-file") {
      entry.resume();
      continue;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    files.set(entry.header.name.replace(/^\.\//, ""), Buffer.concat(chunks).toString("utf8"));
  }
  return files;
}
