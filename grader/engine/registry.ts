// A real registry for a spec (the CNCF distribution registry, image registry:2,
// made by scripts/base-images.sh), and the engine operations a publication
// needs: tag, push, the digests an image got from its pushes. The registry is
// a container of the grading like the others: labelled, published on
// 127.0.0.1 only, removed with the session. The engine pushes to 127.0.0.1
// without any insecure-registry setting (loopback is always allowed).
import { docker } from "./client.js";
import { start_container, type GradedContainer } from "./container.js";

export const REGISTRY_IMAGE = "registry:2";

/** A manifest as the registry serves it: its digest and its layers' digests, base first. */
export interface RegistryManifest {
  digest: string;
  layers: string[];
  config: string;
}

export class Registry {
  constructor(
    readonly container: GradedContainer,
    /** host:port to put in image references: 127.0.0.1:<published port>. */
    readonly address: string,
  ) {}

  private url(path: string): string {
    return `http://${this.address}${path}`;
  }

  /** The tags of a repository (« catalogue »), sorted; empty when the repository does not exist. */
  async tags(repository: string): Promise<string[]> {
    const response = await fetch(this.url(`/v2/${repository}/tags/list`), { signal: AbortSignal.timeout(10_000) });
    if (response.status === 404) return [];
    if (!response.ok) throw new Error(`registry: GET tags of ${repository} answered ${response.status}`);
    const body = (await response.json()) as { tags?: string[] | null };
    return [...(body.tags ?? [])].sort();
  }

  /** The manifest a tag or digest points to; undefined when there is none. */
  async manifest(repository: string, reference: string): Promise<RegistryManifest | undefined> {
    const response = await fetch(this.url(`/v2/${repository}/manifests/${reference}`), {
      headers: { Accept: "application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json" },
      signal: AbortSignal.timeout(10_000),
    });
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`registry: GET manifest ${repository}:${reference} answered ${response.status}`);
    const body = (await response.json()) as { config?: { digest: string }; layers?: Array<{ digest: string }> };
    return {
      digest: response.headers.get("docker-content-digest") ?? "",
      layers: (body.layers ?? []).map((l) => l.digest),
      config: body.config?.digest ?? "",
    };
  }

  /** Stops and removes the registry, and what it stored with it (its volume). */
  remove(): Promise<void> {
    return this.container.remove();
  }
}

/** Starts an empty registry for one grading. Throws RegistryImageMissing when registry:2 was never made. */
export async function start_registry(options: { session: string; exercise?: string }): Promise<Registry> {
  try {
    await docker().getImage(REGISTRY_IMAGE).inspect();
  } catch {
    throw new RegistryImageMissing();
  }
  const container = await start_container({ image: REGISTRY_IMAGE, session: options.session, exercise: options.exercise, ports: [5000] });
  return new Registry(container, `127.0.0.1:${container.host_port(5000)}`);
}

export class RegistryImageMissing extends Error {
  constructor() {
    super(`L'image ${REGISTRY_IMAGE} est absente de cette machine : lancez \`bash scripts/base-images.sh ${REGISTRY_IMAGE}\`.`);
    this.name = "RegistryImageMissing";
  }
}

/** docker tag: gives `image` (an id or a reference) the reference `ref` (host:port/repository:tag). */
export async function tag_image(image: string, ref: string): Promise<void> {
  const { repository, tag } = split_reference(ref);
  await docker().getImage(image).tag({ repo: repository, tag });
}

/** What a push said: the digest the registry gave the manifest, or the engine's error. */
export type PushOutcome = { ok: true; digest: string } | { ok: false; error: string };

/** docker push of one reference (repository:tag). */
export async function push_image(ref: string): Promise<PushOutcome> {
  const { repository, tag } = split_reference(ref);
  let stream: NodeJS.ReadableStream;
  try {
    stream = (await docker().getImage(repository).push({ tag })) as NodeJS.ReadableStream;
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
  return await new Promise<PushOutcome>((resolve) => {
    let digest = "";
    let error = "";
    let buffer = "";
    const on_line = (line: string): void => {
      if (!line.trim()) return;
      try {
        const event = JSON.parse(line) as { aux?: { Digest?: string }; error?: string; errorDetail?: { message?: string } };
        if (event.aux?.Digest) digest = event.aux.Digest;
        if (event.error || event.errorDetail) error = event.errorDetail?.message ?? event.error ?? "";
      } catch {
        // A line that is not JSON is progress text: nothing to read in it.
      }
    };
    stream.on("data", (chunk: Buffer) => {
      buffer += chunk.toString("utf8");
      let nl: number;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        on_line(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 1);
      }
    });
    stream.on("end", () => {
      on_line(buffer);
      resolve(error || !digest ? { ok: false, error: error || "le moteur n'a renvoyé aucun digest" } : { ok: true, digest });
    });
    stream.on("error", (e: Error) => resolve({ ok: false, error: e.message }));
  });
}

/** The image's RepoDigests (repository@sha256:…, one per registry it was pushed to), as docker inspect shows them. */
export async function repo_digests(image: string): Promise<string[]> {
  const info = (await docker().getImage(image).inspect()) as { RepoDigests?: string[] };
  return info.RepoDigests ?? [];
}

/** Removes references made by tag_image (the image itself stays while another reference holds it). */
export async function untag(refs: Iterable<string>): Promise<void> {
  for (const ref of refs) await docker().getImage(ref).remove({ noprune: false }).catch(() => undefined);
}

/** "127.0.0.1:5000/catalogue:1.4" -> repository "127.0.0.1:5000/catalogue", tag "1.4" (latest when absent). */
export function split_reference(ref: string): { repository: string; tag: string } {
  const slash = ref.lastIndexOf("/");
  const colon = ref.lastIndexOf(":");
  if (colon > slash) return { repository: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { repository: ref, tag: "latest" };
}
