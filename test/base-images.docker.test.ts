// The base images on this machine offer what the official ones offer, in
// everything test/official-images.yaml lists from their Dockerfiles and
// documentation: an answer naming /usr/local/bin/python3 or the node user
// works here as on Docker Hub, and one relying on curl in python:3.11-slim
// fails here as there. Images this machine does not have are skipped (setup.sh
// makes the ones the exercises use; gcc:12 only on demand).
import fs from "node:fs";
import path from "node:path";
import Docker from "dockerode";
import { describe, expect, test } from "vitest";
import { parse as parse_yaml } from "yaml";
import { z } from "zod";
import { project_root } from "./helpers/cli.js";

const Entry = z
  .object({
    sources: z.array(z.string().min(10)).min(1),
    executables: z.array(z.string().startsWith("/")).default([]),
    absent: z.array(z.string().startsWith("/")).default([]),
    files: z.array(z.string().startsWith("/")).default([]),
    directories: z.array(z.string().startsWith("/")).default([]),
    users: z.record(z.string(), z.string().regex(/^\d+:\d+:\/[^:]*:\/\S+$/)).default({}),
    env: z.record(z.string(), z.string()).default({}),
    path: z.array(z.string().startsWith("/")).optional(),
    cmd: z.array(z.string()).optional(),
    entrypoint: z.array(z.string()).optional(),
    workdir: z.string().optional(),
    exposed: z.array(z.string()).optional(),
    stopsignal: z.string().optional(),
    commands: z.array(z.object({ run: z.string(), prints: z.string() }).strict()).default([]),
  })
  .strict();

const listed = z.record(z.string(), Entry).parse(parse_yaml(fs.readFileSync(path.join(project_root, "test", "official-images.yaml"), "utf8")));
const docker = new Docker();

/** "/regex/" is a pattern; anything else is the exact text. */
function matches(expected: string, actual: string | undefined): boolean {
  const pattern = /^\/(.*)\/$/s.exec(expected);
  return actual !== undefined && (pattern ? new RegExp(pattern[1]!).test(actual) : actual === expected);
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** One shell script for every file-level entry; each block prints a marker, then its answer. */
function probe_script(entry: z.infer<typeof Entry>): string {
  const lines: string[] = [];
  entry.executables.forEach((p, i) => lines.push(`echo "@@exe${i}"; [ -x ${quote(p)} ] && [ ! -d ${quote(p)} ] && echo yes || echo no`));
  entry.absent.forEach((p, i) => lines.push(`echo "@@absent${i}"; [ -e ${quote(p)} ] && echo present || echo no`));
  entry.files.forEach((p, i) => lines.push(`echo "@@file${i}"; [ -f ${quote(p)} ] && [ -r ${quote(p)} ] && echo yes || echo no`));
  entry.directories.forEach((p, i) => lines.push(`echo "@@dir${i}"; [ -d ${quote(p)} ] && echo yes || echo no`));
  Object.keys(entry.users).forEach((name, i) => lines.push(`echo "@@user${i}"; getent passwd ${quote(name)} || echo none`));
  entry.commands.forEach((c, i) => lines.push(`echo "@@cmd${i}"; ( ${c.run} ) 2>&1 || echo "(exit $?)"`));
  return lines.join("\n");
}

async function run_probe(image: string, script: string): Promise<Map<string, string>> {
  const container = await docker.createContainer({
    Image: image,
    Entrypoint: ["/bin/sh", "-c"],
    Cmd: [script],
    User: "0",
    Labels: { "dockerlings.managed": "true", "dockerlings.session": "test-base-images" },
    HostConfig: { NetworkMode: "none" },
  });
  try {
    const stream = await container.attach({ stream: true, stdout: true, stderr: true });
    const chunks: Buffer[] = [];
    const out = new (await import("node:stream")).PassThrough();
    out.on("data", (c: Buffer) => chunks.push(c));
    container.modem.demuxStream(stream, out, out);
    await container.start();
    await container.wait();
    await new Promise((r) => setTimeout(r, 50));
    const text = Buffer.concat(chunks).toString("utf8");
    const answers = new Map<string, string>();
    for (const block of text.split(/^@@/m).slice(1)) {
      const [key, ...rest] = block.split("\n");
      answers.set(key!.trim(), rest.join("\n").trim());
    }
    return answers;
  } finally {
    // v: registry:2 declares a VOLUME, which would outlive the container.
    await container.remove({ force: true, v: true });
  }
}

async function present(image: string): Promise<boolean> {
  try {
    await docker.getImage(image).inspect();
    return true;
  } catch {
    return false;
  }
}

describe("the base images offer what the official images offer", () => {
  test("the list covers every image the script makes, each entry with its sources", () => {
    const made = fs.readFileSync(path.join(project_root, "scripts", "base-images.sh"), "utf8");
    const recipes = [...made.matchAll(/^\s+"([a-z0-9.:-]+) recipe_\w+ \d+"$/gm)].map((m) => m[1]);
    expect(recipes.length).toBeGreaterThan(5);
    expect(Object.keys(listed).sort()).toEqual([...recipes].sort());
  });

  describe.each(Object.entries(listed))("%s", (image, entry) => {
    test("everything the list names", async (context) => {
      if (!(await present(image))) {
        context.skip(`${image} is not on this machine (scripts/base-images.sh ${image} makes it)`);
        return;
      }
      const config = (await docker.getImage(image).inspect()).Config;
      const env = new Map((config.Env ?? []).map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)] as const));
      const problems: string[] = [];
      for (const [name, value] of Object.entries(entry.env)) {
        if (!matches(value, env.get(name))) problems.push(`ENV ${name}: ${env.get(name) ?? "(absent)"}, expected ${value}`);
      }
      if (entry.path) {
        const dirs = (env.get("PATH") ?? "").split(":");
        const positions = entry.path.map((d) => dirs.indexOf(d));
        if (positions.some((p) => p < 0) || positions.some((p, i) => i > 0 && p < positions[i - 1]!)) {
          problems.push(`PATH ${env.get("PATH")}: expected ${entry.path.join(", ")} in this order`);
        }
      }
      const same = (what: string, expected: unknown, actual: unknown) => {
        if (expected !== undefined && JSON.stringify(expected) !== JSON.stringify(actual ?? null)) {
          problems.push(`${what}: ${JSON.stringify(actual ?? null)}, expected ${JSON.stringify(expected)}`);
        }
      };
      same("CMD", entry.cmd, config.Cmd);
      same("ENTRYPOINT", entry.entrypoint, config.Entrypoint);
      same("WORKDIR", entry.workdir, config.WorkingDir || undefined);
      same("EXPOSE", entry.exposed, config.ExposedPorts ? Object.keys(config.ExposedPorts).sort() : undefined);
      same("STOPSIGNAL", entry.stopsignal, (config as { StopSignal?: string }).StopSignal);

      const answers = await run_probe(image, probe_script(entry));
      entry.executables.forEach((p, i) => answers.get(`exe${i}`) !== "yes" && problems.push(`${p} is not an executable file`));
      entry.absent.forEach((p, i) => answers.get(`absent${i}`) !== "no" && problems.push(`${p} is there; the official image does not have it`));
      entry.files.forEach((p, i) => answers.get(`file${i}`) !== "yes" && problems.push(`${p} is not a readable file`));
      entry.directories.forEach((p, i) => answers.get(`dir${i}`) !== "yes" && problems.push(`${p} is not a directory`));
      Object.entries(entry.users).forEach(([name, fields], i) => {
        const line = answers.get(`user${i}`) ?? "";
        const [, , uid, gid, , home, shell] = line.split(":");
        if (`${uid}:${gid}:${home}:${shell}` !== fields) problems.push(`user ${name}: ${line || "(none)"}, expected ${fields}`);
      });
      entry.commands.forEach((c, i) => {
        const printed = answers.get(`cmd${i}`);
        if (!matches(c.prints, printed)) problems.push(`« ${c.run} » printed ${JSON.stringify(printed)}, expected ${c.prints}`);
      });
      expect(problems, `${image} differs from the official image (sources: ${entry.sources.join(", ")})`).toEqual([]);
    });
  });
});
