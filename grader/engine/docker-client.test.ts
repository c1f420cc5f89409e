// Which builder `docker build` takes, by docker/cli's own rules (see
// docker-client.ts): each case is one the CLI's source distinguishes.
import { describe, expect, test } from "vitest";
import { client_builder, type DockerClientFacts } from "./docker-client.js";

const current: DockerClientFacts = { path: "/usr/bin/docker", client_version: "28.2.2", buildx_version: "0.13.1", engine_builder: "2", engine_os: "linux" };
const old: DockerClientFacts = { path: "/usr/bin/docker", client_version: "20.10.24+dfsg1", engine_builder: "1", engine_os: "linux" };

describe("client_builder", () => {
  test("no docker program: nothing to say about docker build", () => {
    expect(client_builder({})).toEqual({ builder: "none" });
    expect(client_builder({ path: "/usr/bin/docker" })).toEqual({ builder: "none" });
  });

  test("a current client with buildx builds with BuildKit, through buildx", () => {
    expect(client_builder(current)).toEqual({ builder: "buildkit", via: "buildx" });
    expect(client_builder({ ...current, env_buildkit: "1" })).toEqual({ builder: "buildkit", via: "buildx" });
  });

  test("a current client without buildx falls back to the legacy builder, or refuses when DOCKER_BUILDKIT=1 asks for BuildKit", () => {
    expect(client_builder({ ...current, buildx_version: undefined })).toEqual({ builder: "legacy", why: "no-buildx" });
    expect(client_builder({ ...current, buildx_version: undefined, env_buildkit: "1" })).toEqual({ builder: "refused", why: "no-buildx" });
    expect(client_builder({ ...current, buildx_version: undefined, builder_alias: "buildx" })).toEqual({ builder: "refused", why: "no-buildx" });
  });

  test("DOCKER_BUILDKIT=0 gives the legacy builder; a value that is not a boolean is refused", () => {
    expect(client_builder({ ...current, env_buildkit: "0" })).toEqual({ builder: "legacy", why: "disabled" });
    expect(client_builder({ ...current, env_buildkit: "false" })).toEqual({ builder: "legacy", why: "disabled" });
    expect(client_builder({ ...current, env_buildkit: "oui" })).toEqual({ builder: "refused", why: "bad-env" });
  });

  test("a 20.10 client: legacy unless DOCKER_BUILDKIT=1, the engine's default, or buildx installed as the builder", () => {
    expect(client_builder(old)).toEqual({ builder: "legacy", why: "old-client" });
    expect(client_builder({ ...old, env_buildkit: "1" })).toEqual({ builder: "buildkit", via: "client" });
    expect(client_builder({ ...old, engine_builder: "2" })).toEqual({ builder: "buildkit", via: "client" });
    expect(client_builder({ ...old, engine_builder: "2", env_buildkit: "0" })).toEqual({ builder: "legacy", why: "disabled" });
    expect(client_builder({ ...old, builder_alias: "buildx", buildx_version: "0.10.4" })).toEqual({ builder: "buildkit", via: "buildx" });
  });

  test("a Windows engine that does not offer BuildKit keeps the legacy builder unless asked", () => {
    expect(client_builder({ ...current, engine_os: "windows", engine_builder: "1" })).toEqual({ builder: "legacy", why: "old-client" });
    expect(client_builder({ ...current, engine_os: "windows", engine_builder: "1", env_buildkit: "1" })).toEqual({ builder: "buildkit", via: "buildx" });
  });
});
