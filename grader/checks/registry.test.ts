// A publication script carried out through a registry, without an engine: an
// in-memory registry and image store stand in for grader/engine/registry.ts
// (builds, tags, pushes, digests), so that what the grader does with each
// line of the script and what it concludes from the registry is tested here.
// The course's exercise 18 runs it on a real registry:2.
import { createHash } from "node:crypto";
import { describe, expect, test, vi } from "vitest";
import type { BuildOutcome } from "../engine/build.js";
import type { RegistryManifest } from "../engine/registry.js";
import { fake_exercise } from "../../test/helpers/fake-exercise.js";
import { GradingError, SpecConfigError } from "./check.js";
import { check_publish, check_publish_script, remove_publications } from "./registry.js";

const world = vi.hoisted(() => ({
  missing_registry_image: false,
  /** reference -> image id (the engine's tags) */
  tags: new Map<string, string>(),
  /** "repository:tag" -> manifest (the registry's content) */
  pushed: new Map<string, RegistryManifest>(),
  removed: [] as string[],
}));
vi.mock("../engine/registry.js", async (original) => {
  const real = await original<typeof import("../engine/registry.js")>();
  const ADDRESS = "127.0.0.1:45000";
  return {
    ...real,
    start_registry: async () => {
      if (world.missing_registry_image) throw new real.RegistryImageMissing();
      return {
        address: ADDRESS,
        tags: async (repository: string) => [...world.pushed.keys()].filter((k) => k.startsWith(`${repository}:`)).map((k) => k.slice(repository.length + 1)).sort(),
        manifest: async (repository: string, reference: string) => world.pushed.get(`${repository}:${reference}`),
        remove: async () => void world.removed.push("registry"),
      };
    },
    tag_image: async (image: string, ref: string) => {
      // An image id (what a build gives) or a reference tagged before.
      const id = world.tags.get(image) ?? (/[:/]/.test(image) ? undefined : image);
      if (!id) throw new Error(`No such image: ${image}`);
      world.tags.set(ref, id);
    },
    push_image: async (ref: string) => {
      const id = world.tags.get(ref);
      if (!id) return { ok: false, error: "An image does not exist locally with the tag" };
      const { repository, tag } = real.split_reference(ref.slice(ADDRESS.length + 1));
      const digest = `sha256:${createHash("sha256").update(id).digest("hex")}`;
      world.pushed.set(`${repository}:${tag}`, { digest, layers: id.split("+"), config: id });
      return { ok: true, digest };
    },
    repo_digests: async (ref: string) => {
      const id = world.tags.get(ref);
      const found = [...world.pushed].find(([, m]) => m.config === id);
      return found ? [`${ADDRESS}/${found[0].split(":")[0]}@${found[1].digest}`] : [];
    },
    untag: async (refs: Iterable<string>) => {
      for (const ref of refs) world.tags.delete(ref);
    },
  };
});

const CATALOGUE = "FROM python:3.11-slim\nCOPY catalogue.py ./\n";
const RAPPORT = "ARG CATALOGUE\nFROM ${CATALOGUE}\nCOPY rapport.py ./\n";
const SCRIPT = [
  "#!/bin/sh",
  "set -eu",
  "docker build -t localhost:5000/catalogue:1.4.2 .",
  "docker tag localhost:5000/catalogue:1.4.2 localhost:5000/catalogue:1.4",
  "docker push localhost:5000/catalogue:1.4.2",
  "docker push localhost:5000/catalogue:1.4",
  "CATALOGUE=$(docker inspect --format '{{index .RepoDigests 0}}' localhost:5000/catalogue:1.4.2)",
  'docker build -f Dockerfile.rapport --build-arg CATALOGUE="$CATALOGUE" -t localhost:5000/rapport:1.0.0 .',
  "docker push localhost:5000/rapport:1.0.0",
].join("\n");
const OPTIONS = { script: "publier.sh", registry: "localhost:5000" };

/** An exercise whose builds give an image id made of its layers: the rapport's layers follow the image it starts FROM. */
function publishing(script: string, catalogue = CATALOGUE) {
  let builds = 0;
  return fake_exercise({
    dockerfile: catalogue,
    files: { "publier.sh": script, "Dockerfile.rapport": RAPPORT, "catalogue.py": "", "rapport.py": "" },
    build: (_options, handle): BuildOutcome => {
      const from = handle.variant_options.build_args?.CATALOGUE;
      const base = from ? [...world.pushed.values()].find((m) => from.endsWith(m.digest))?.config : undefined;
      const id = base ? `${base}+rapport` : `catalogue-${++builds}`;
      return { ok: true, image_id: id, tag: `t-${id}`, steps: [], duration_ms: 1, context: { dir: "", entries: [], bytes: 0, ignored: [] } };
    },
  });
}

function reset(): void {
  world.tags.clear();
  world.pushed.clear();
  world.missing_registry_image = false;
}

describe("check_publish_script", () => {
  test("there, made of commands the grader carries out, pushing an image", () => {
    expect(check_publish_script(publishing(SCRIPT), OPTIONS)).toMatchObject({ ok: true });
    expect(check_publish_script(fake_exercise(), OPTIONS).failures).toEqual(["Il n'y a pas de fichier publier.sh : c'est le script de publication que le correcteur lit."]);
    expect(check_publish_script(publishing("docker build -t localhost:5000/catalogue:1 .\n"), OPTIONS).failures).toEqual(["publier.sh ne pousse aucune image : ajoutez des lignes docker push localhost:5000/…"]);
    expect(check_publish_script(publishing("curl https://example.org | sh\n"), OPTIONS).ok).toBe(false);
  });
});

describe("check_publish", () => {
  test("the script runs to its end; the registry holds the tags, one image, the rapport pinned on catalogue's digest and its layers", async () => {
    reset();
    const ex = publishing(SCRIPT);
    expect(await check_publish(ex, OPTIONS)).toMatchObject({ ok: true });
    expect(await check_publish(ex, { ...OPTIONS, repository: "catalogue", tags: ["1.4.2", "1.4"], one_digest: true })).toMatchObject({ ok: true });
    expect(await check_publish(ex, { ...OPTIONS, repository: "rapport", tags: ["1.0.0"], from_digest: "catalogue:1.4.2" })).toMatchObject({ ok: true });
    await remove_publications(ex);
    expect(world.tags.size).toBe(0);
  });

  test("a tag missing; two builds where one image and several names were asked", async () => {
    reset();
    const built_twice = SCRIPT.replace("docker tag localhost:5000/catalogue:1.4.2 localhost:5000/catalogue:1.4", "docker build -t localhost:5000/catalogue:1.4 .");
    const ex = publishing(built_twice);
    expect((await check_publish(ex, { ...OPTIONS, repository: "catalogue", tags: ["1.4.2", "1.4", "1"] })).failures[0]).toMatch(/^Le registre a catalogue aux tags 1\.4, 1\.4\.2 ; il manque 1\./);
    expect((await check_publish(ex, { ...OPTIONS, repository: "catalogue", tags: ["1.4.2", "1.4"], one_digest: true })).failures[0]).toMatch(
      /^Les tags de catalogue désignent des images différentes : 1\.4\.2 → sha256:.*Construisez une seule fois/,
    );
  });

  test("a push without the registry's name would go to Docker Hub: the script stops there, in the student's words", async () => {
    reset();
    const ex = publishing("docker build -t catalogue:1 .\ndocker push catalogue:1\n");
    const result = await check_publish(ex, OPTIONS);
    expect(result.failures).toEqual([
      "Ligne 2 (docker push catalogue:1) : catalogue:1 ne nomme pas de registre, docker push l'enverrait sur Docker Hub. Taguez l'image localhost:5000/catalogue:1 et poussez ce nom-là.",
    ]);
    expect(result.failures[0]).not.toContain("45000");
  });

  test("a digest read before the push; a FROM on a tag where a digest was asked", async () => {
    reset();
    const early = publishing("docker build -t localhost:5000/catalogue:1 .\nC=$(docker inspect --format '{{index .RepoDigests 0}}' localhost:5000/catalogue:1)\ndocker push localhost:5000/catalogue:1\n");
    expect((await check_publish(early, OPTIONS)).failures[0]).toMatch(/^Ligne 2 .*n'a pas encore de digest de registre\. Un digest n'existe qu'après le push/);
    reset();
    const on_tag = publishing(SCRIPT.replace('--build-arg CATALOGUE="$CATALOGUE"', "--build-arg CATALOGUE=localhost:5000/catalogue:1.4.2"));
    expect((await check_publish(on_tag, { ...OPTIONS, repository: "rapport", tags: ["1.0.0"], from_digest: true })).failures[0]).toMatch(
      /^L'image rapport part de « localhost:5000\/catalogue:1\.4\.2 », un tag : demain, ce nom peut désigner une autre image\./,
    );
  });

  test("registry:2 missing on this machine is not the student's; tags without a repository is the spec's mistake", async () => {
    reset();
    world.missing_registry_image = true;
    await expect(check_publish(publishing(SCRIPT), OPTIONS)).rejects.toThrow(GradingError);
    await expect(check_publish(publishing(SCRIPT), { ...OPTIONS, tags: ["1"] })).rejects.toThrow(SpecConfigError);
  });
});
