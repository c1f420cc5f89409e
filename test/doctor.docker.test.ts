// doctor says what the student's own `docker build` will do, and each thing it
// says is what the real docker client then does: BuildKit runs a RUN --mount,
// the legacy builder refuses it, a bad DOCKER_BUILDKIT is refused.
import { describe, expect, test } from "vitest";
import { dockerlings, run_process } from "./helpers/cli.js";
import { temp_folders } from "./helpers/folders.js";

const folder = temp_folders("dl-doctor-");
// What lesson 19 has students build: a cache mount, without a # syntax line.
const WITH_MOUNT = { Dockerfile: "FROM debian:bookworm-slim\nRUN --mount=type=cache,target=/cache true\n" };

interface Finding { ok: boolean | "warn"; what: string; fix?: string }
async function client_finding(env: Record<string, string | undefined>): Promise<Finding> {
  const run = await dockerlings(["doctor", "--json"], { env });
  const findings = (JSON.parse(run.stdout) as { findings: Finding[] }).findings;
  const found = findings.find((f) => /docker build|commande docker/.test(f.what));
  expect(found, run.stdout).toBeDefined();
  return found!;
}

async function docker_build(dir: string, env: Record<string, string | undefined>) {
  // --rm and no tag: the image stays dangling, and the cache of this one-line build is shared by every run.
  return run_process("docker", ["build", "-q", dir], { env: { ...process.env, ...env } });
}

describe("doctor on the docker client", () => {
  test("the client as installed: BuildKit, and a RUN --mount builds as lesson 19 says", async () => {
    const finding = await client_finding({ DOCKER_BUILDKIT: undefined });
    expect(finding).toMatchObject({ ok: true });
    expect(finding.what).toMatch(/`docker build` construit avec BuildKit, comme dans les leçons \(client \d+\.\d+\.\d+.*, buildx \d+\.\d+\.\d+\)/);
    const build = await docker_build(folder(WITH_MOUNT), { DOCKER_BUILDKIT: undefined });
    expect(build.code, build.stderr).toBe(0);
  });

  test("DOCKER_BUILDKIT=0: the legacy builder, named with its fix, and the real client then refuses RUN --mount", async () => {
    const finding = await client_finding({ DOCKER_BUILDKIT: "0" });
    expect(finding).toMatchObject({ ok: "warn" });
    expect(finding.what).toMatch(/prendra l'ancien builder .* DOCKER_BUILDKIT=0 est réglé/);
    expect(finding.fix).toMatch(/unset DOCKER_BUILDKIT/);
    const build = await docker_build(folder(WITH_MOUNT), { DOCKER_BUILDKIT: "0" });
    expect(build.code).not.toBe(0);
    expect(build.stderr).toMatch(/--mount option requires BuildKit/);
  });

  test("DOCKER_BUILDKIT with a value that is not a boolean: refused, by doctor's account and by the client", async () => {
    const finding = await client_finding({ DOCKER_BUILDKIT: "oui" });
    expect(finding.what).toMatch(/refusera de construire .* DOCKER_BUILDKIT=oui n'est pas une valeur booléenne/);
    const build = await docker_build(folder(WITH_MOUNT), { DOCKER_BUILDKIT: "oui" });
    expect(build.code).not.toBe(0);
    expect(build.stderr).toMatch(/DOCKER_BUILDKIT environment variable expects boolean value/);
  });

  test("no docker program on PATH: a warning that names what to install, and grading still works (exit 0)", async () => {
    const run = await dockerlings(["doctor"], { env: { PATH: "/nonexistent" } });
    expect(run.stdout).toMatch(/! Pas de commande docker/);
    expect(run.stdout).toMatch(/docker-cli\s+avec\s+docker-buildx/);
    expect(run.code).toBe(0);
  });
});
