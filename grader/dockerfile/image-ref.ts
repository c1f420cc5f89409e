// Image references as Docker normalises them (distribution/reference):
// `python:3.11-slim`, `library/python:3.11-slim`,
// `docker.io/library/python:3.11-slim` and
// `index.docker.io/library/python:3.11-slim` name one image; no tag and no
// digest means `latest`; a first component with a dot, a colon (port) or
// named `localhost` is a registry.

export interface ImageRef {
  /** `docker.io` for Docker Hub, else the host (and port) as written, lower-cased. */
  registry: string;
  /** Path in the registry: `library/python`, `myorg/app`. */
  repository: string;
  /** The tag as written; undefined when none is (Docker then takes `latest`, unless a digest is given). */
  tag?: string;
  /** `sha256:...` when pinned by digest. */
  digest?: string;
  /** The short form Docker shows: `python:3.11-slim`, `ghcr.io/org/app:1`. */
  familiar: string;
  /** The full form: `docker.io/library/python:3.11-slim` (`:latest` added when neither tag nor digest is given). */
  canonical: string;
}

export const DOCKER_HUB = "docker.io";

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::[0-9]+)?$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;

/** Reads an image reference; undefined when it is not one Docker would accept (variables left in, capitals, empty). */
export function parse_image_ref(text: string): ImageRef | undefined {
  const input = text.trim();
  if (input === "" || input.length > 255 + 200) return undefined;
  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return undefined;
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  // A colon before the last slash belongs to a registry port (localhost:5000/app).
  if (colon !== -1 && colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return undefined;
  }
  const parts = rest.split("/");
  let registry = DOCKER_HUB;
  const first = parts[0]!;
  if (parts.length > 1 && (first.includes(".") || first.includes(":") || first === "localhost" || first !== first.toLowerCase())) {
    if (!DOMAIN.test(first)) return undefined;
    registry = first.toLowerCase();
    parts.shift();
  }
  if (registry === "index.docker.io" || registry === "registry-1.docker.io") registry = DOCKER_HUB;
  if (parts.length === 0 || !parts.every((part) => PATH_COMPONENT.test(part))) return undefined;
  if (registry === DOCKER_HUB && parts.length === 1) parts.unshift("library");
  const repository = parts.join("/");
  const familiar_name = registry === DOCKER_HUB
    ? (repository.startsWith("library/") && parts.length === 2 ? repository.slice("library/".length) : repository)
    : `${registry}/${repository}`;
  const suffix = (tag !== undefined ? `:${tag}` : "") + (digest !== undefined ? `@${digest}` : "");
  const ref: ImageRef = {
    registry,
    repository,
    familiar: familiar_name + suffix,
    canonical: `${registry}/${repository}` + (suffix === "" ? ":latest" : suffix),
  };
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return ref;
}

/**
 * Whether two references name the same image: same registry and repository,
 * and the same digest when both are pinned, else the same tag (`latest` when
 * none is written). Texts that are not references are compared as written.
 */
export function same_image(a: string, b: string): boolean {
  const x = parse_image_ref(a);
  const y = parse_image_ref(b);
  if (!x || !y) return a.trim() === b.trim();
  if (x.registry !== y.registry || x.repository !== y.repository) return false;
  if (x.digest !== undefined && y.digest !== undefined) return x.digest.toLowerCase() === y.digest.toLowerCase();
  // One pinned by digest only, the other by tag: nothing says they are the same image.
  if ((x.digest !== undefined && x.tag === undefined) || (y.digest !== undefined && y.tag === undefined)) return false;
  return (x.tag ?? "latest") === (y.tag ?? "latest");
}
