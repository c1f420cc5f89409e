// Facts `dockerlings doctor` reports: BuildKit usable, disk space, base images.
import fs from "node:fs";
import { randomUUID } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { build_image } from "./build.js";
import { image_exists, remove_image } from "./image.js";

/** Builds a one-line image with BuildKit; returns the error text, or undefined when it works. */
export async function probe_buildkit(): Promise<string | undefined> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dockerlings-probe-"));
  const session = randomUUID();
  const tag = `dockerlings/doctor:${session.slice(0, 8)}`;
  try {
    fs.writeFileSync(path.join(dir, "Dockerfile"), "FROM scratch\nLABEL dockerlings.probe=true\n");
    const outcome = await build_image({ dir, tag, session, timeout_ms: 60_000 });
    return outcome.ok ? undefined : outcome.failure.engine_message || outcome.failure.message;
  } finally {
    await remove_image(tag);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function missing_images(names: readonly string[]): Promise<string[]> {
  const present = await Promise.all(names.map((n) => (n === "scratch" ? true : image_exists(n))));
  return names.filter((_, i) => !present[i]);
}

/** Free bytes on the file system holding `dir` (or the closest existing parent). */
export function free_bytes(dir: string): number | undefined {
  let current = dir;
  while (!fs.existsSync(current) && path.dirname(current) !== current) current = path.dirname(current);
  try {
    const stats = fs.statfsSync(current);
    return stats.bavail * stats.bsize;
  } catch {
    return undefined;
  }
}
