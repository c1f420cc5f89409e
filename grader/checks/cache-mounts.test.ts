// Cache mounts read from the Dockerfile (lesson 19), and the reuse of apt's
// downloads across two rebuilds, the rebuilds' output given by a fake
// exercise (no engine, no lock held).
import { describe, expect, test, vi } from "vitest";
import { read_dockerfile } from "../dockerfile/index.js";
import type { BuildOutcome } from "../engine/build.js";
import { fake_exercise } from "../../test/helpers/fake-exercise.js";
import { SpecConfigError } from "./check.js";
import { cache_mount_targets, check_apt_cache_reused, check_cache_mounts } from "./cache-mounts.js";

vi.mock("../host/build-lock.js", async (original) => ({
  ...(await original<typeof import("../host/build-lock.js")>()),
  with_exclusive_builds: <T>(work: () => Promise<T>) => work(),
}));

/** The part of the handle these checks read: the Dockerfile, as the model reads it. */
const subject = (text: string) => ({ dockerfile: () => read_dockerfile(text) });

describe("cache mounts (lesson 19)", () => {
  const expected = { run: /apt-get\b.*\binstall\b/, what: "installe les paquets", targets: ["/var/cache/apt", "/var/lib/apt"] };

  test("the mounts are read from the RUN's flags (target, dst, a trailing slash)", () => {
    const model = read_dockerfile("FROM debian:bookworm-slim\nRUN --mount=type=cache,dst=/var/cache/apt/ --mount=type=bind,target=/src --mount=type=cache,target=/var/lib/apt apt-get install -y jq\n");
    expect(cache_mount_targets(model.instructions[1]!)).toEqual(["/var/cache/apt", "/var/lib/apt"]);
  });

  test("on the install: passes; on another RUN: names the install's line; one target missing: names it", () => {
    const good = "FROM debian:bookworm-slim\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update && apt-get install -y jq\n";
    expect(check_cache_mounts(subject(good), expected).ok).toBe(true);
    const elsewhere = "FROM debian:bookworm-slim\nRUN --mount=type=cache,target=/var/cache/apt true\nRUN apt-get update && apt-get install -y jq\n";
    const result = check_cache_mounts(subject(elsewhere), expected);
    expect(result.failures).toEqual([expect.stringMatching(/^Le RUN de la ligne 3 installe les paquets sans montage de cache/)]);
    expect(result.facts).toEqual([{ kind: "dockerfile_lines", line: 3 }]);
    const half = "FROM debian:bookworm-slim\nRUN --mount=type=cache,target=/var/cache/apt apt-get install -y jq\n";
    expect(check_cache_mounts(subject(half), expected).failures[0]).toMatch(/monte un cache sur \/var\/cache\/apt, mais pas sur \/var\/lib\/apt/);
    expect(check_cache_mounts(subject("FROM debian:bookworm-slim\n"), expected).failures[0]).toMatch(/aucune instruction RUN qui installe les paquets/);
  });
});

describe("check_apt_cache_reused", () => {
  const MOUNTED = "FROM debian:bookworm-slim\nCOPY paquets.txt /tmp/\nRUN --mount=type=cache,target=/var/cache/apt xargs apt-get install -y < /tmp/paquets.txt\n";
  const expected = { list: "paquets.txt", add: "jq", cached: ["curl"], run: /apt-get install/ };
  /** Two rebuilds whose install step printed these lines (the second after jq was added). */
  const rebuilds = (second: string, first = "Get:1 http://deb.debian.org/debian bookworm/main amd64 curl amd64 7.88 [1 kB]\nSetting up curl") => {
    const outputs = [first, second];
    return (_options: unknown): BuildOutcome => ({
      ok: true,
      image_id: "sha256:x",
      tag: "t",
      duration_ms: 1,
      context: { files: [], bytes: 0 } as never,
      steps: [{ name: "[3/3] RUN …", index: 3, total: 3, instruction: "RUN --mount=type=cache,target=/var/cache/apt xargs apt-get install -y < /tmp/paquets.txt", cached: false, output: (outputs.shift() ?? "").split("\n") }],
    });
  };

  test("jq downloaded, curl taken from the mount: passes", async () => {
    const ex = fake_exercise({ dockerfile: MOUNTED, files: { "paquets.txt": "curl\n" }, build: rebuilds("Get:1 http://deb.debian.org/debian bookworm/main amd64 jq amd64 1.6 [1 kB]\nUnpacking jq (1.6)\nSetting up jq (1.6)") });
    expect(await check_apt_cache_reused(ex, expected)).toMatchObject({ ok: true });
  });

  test("curl downloaded again: the mount there but Debian's cleanup named; no mount: the mount asked for", async () => {
    const again = "Get:1 http://deb.debian.org/debian bookworm/main amd64 curl amd64 7.88 [1 kB]\nGet:2 http://deb.debian.org/debian bookworm/main amd64 jq amd64 1.6 [1 kB]\nSetting up jq (1.6)";
    const mounted = await check_apt_cache_reused(fake_exercise({ dockerfile: MOUNTED, files: { "paquets.txt": "curl\n" }, build: rebuilds(again) }), expected);
    expect(mounted.failures[0]).toMatch(/apt-get a téléchargé curl une nouvelle fois .*supprimez \/etc\/apt\/apt\.conf\.d\/docker-clean/);
    const plain = "FROM debian:bookworm-slim\nCOPY paquets.txt /tmp/\nRUN xargs apt-get install -y < /tmp/paquets.txt\n";
    const unmounted = await check_apt_cache_reused(fake_exercise({ dockerfile: plain, files: { "paquets.txt": "curl\n" }, build: rebuilds(again) }), expected);
    expect(unmounted.failures[0]).toMatch(/Montez un cache sur \/var\/cache\/apt \(RUN --mount=type=cache/);
  });

  test("a list the install does not read; apt-get too quiet to tell; a rebuild that fails with its output", async () => {
    const ignored = await check_apt_cache_reused(fake_exercise({ dockerfile: MOUNTED, build: rebuilds("Get:1 x y z curl 1 [1 kB]") }), expected);
    expect(ignored.failures[0]).toBe("Après l'ajout de jq à paquets.txt, jq n'a pas été installé : l'installation doit lire paquets.txt.");
    const quiet = await check_apt_cache_reused(fake_exercise({ dockerfile: MOUNTED, build: rebuilds("Setting up jq (1.6)") }), expected);
    expect(quiet.failures[0]).toMatch(/retirez -q ou -qq de apt-get/);
    const failing: BuildOutcome = { ok: false, failure: { kind: "run-failed", message: "Ligne 3 : la commande a échoué avec le code de sortie 100.", line: 3, exit_code: 100, output_tail: ["E: Unable to locate package jqq"], engine_message: "" }, steps: [], duration_ms: 1 };
    const broken = await check_apt_cache_reused(fake_exercise({ dockerfile: MOUNTED, build: () => failing }), expected);
    expect(broken.failures).toEqual(["Après une modification de paquets.txt, l'image ne se construit plus.\nLigne 3 : la commande a échoué avec le code de sortie 100."]);
    expect(broken.output).toBe("E: Unable to locate package jqq");
    expect(broken.facts).toEqual([{ kind: "build_failure", failure: "run-failed", line: 3, exit_code: 100, output: ["E: Unable to locate package jqq"] }]);
  });

  test("no package already downloaded named: the spec's mistake", async () => {
    await expect(check_apt_cache_reused(fake_exercise({ dockerfile: MOUNTED }), { ...expected, cached: [] })).rejects.toThrow(SpecConfigError);
  });
});
