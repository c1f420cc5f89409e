// Cache mounts read from the Dockerfile (lesson 19), and the reuse of apt's
// downloads across two rebuilds: a fake Debian build answers the probe RUN as
// a real one would, from a cache mount it keeps between builds (no engine, no
// lock held). The wrong answers of 19 grade the same on a real engine.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, test, vi } from "vitest";
import { read_dockerfile } from "../dockerfile/index.js";
import type { BuildOutcome, BuildStep } from "../engine/build.js";
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

/**
 * A Debian build as BuildKit and apt run it, on the copy the check builds:
 * the instructions before the list's COPY come from the layer cache (the list
 * changes at each rebuild), and so does an install that does not follow it;
 * the install downloads each package its cache mount does not hold (the .deb
 * gets the engine's clock as change time) and takes the others from it; an
 * apt-get clean before the install empties the mount first, Debian's
 * docker-clean (unless a RUN removes it) or an apt-get clean after it empties
 * it after; the probe RUN prints what find, dpkg-query and date would. The
 * mount lives as long as the engine, across builds, as BuildKit's does.
 */
function debian_engine(list = "paquets.txt") {
  const ARCHIVES = "/var/cache/apt/archives";
  const holds_archives = (targets: string[]) => targets.some((t) => `${ARCHIVES}/`.startsWith(`${t.replace(/\/$/, "")}/`));
  const engine = { mount: new Map<string, number>(), clock: 1_700_000_000, dockerfiles: [] as string[] };
  const build = (options: unknown): BuildOutcome => {
    const dir = (options as { dir: string }).dir;
    const text = fs.readFileSync(path.join(dir, "Dockerfile"), "utf8");
    engine.dockerfiles.push(text);
    const listed = (fs.existsSync(path.join(dir, list)) ? fs.readFileSync(path.join(dir, list), "utf8") : "").split(/\s+/).filter(Boolean);
    const keeps = /rm -f \/etc\/apt\/apt\.conf\.d\/docker-clean/.test(text);
    const instructions = read_dockerfile(text).instructions.filter((i) => i.keyword !== "FROM");
    const list_copy = instructions.findIndex((i) => i.keyword === "COPY" && i.args.some((a) => a.endsWith(list)));
    const probe_at = instructions.findIndex((i) => i.text.includes("dockerlings-probe"));
    let installed: string[] = [];
    const steps: BuildStep[] = instructions.map((instruction, index) => {
      const cached = index < probe_at && (list_copy < 0 || index < list_copy);
      const step = { name: `[${index + 2}/${instructions.length + 1}] ${instruction.keyword} ${instruction.text}`, index: index + 2, total: instructions.length + 1, instruction: `${instruction.keyword} ${instruction.text}`, cached, output: [] as string[] };
      const run = instruction.shell_form ?? "";
      if (index === probe_at) {
        const nonce = /echo 'dockerlings-probe (\w+)'/.exec(run)![1];
        const found = [...run.matchAll(/find ((?:'[^']+' )+)-name/g)].flatMap((m) => [...m[1]!.matchAll(/'([^']+)'/g)].map((q) => q[1]!));
        const asked = /dpkg-query -W -f='[^']*' ([^2]*) 2>/.exec(run)![1]!.trim().split(" ");
        step.output = [
          `dockerlings-probe ${nonce}`,
          ...(holds_archives(found) ? [...engine.mount].map(([name, ctime]) => `deb ${ctime} ${ARCHIVES}/${name}_1.0-1_amd64.deb`) : []),
          ...asked.filter((name) => installed.includes(name)).map((name) => `pkg ${name} install ok installed`),
          `now ${engine.clock + 1}`,
        ];
      } else if (/apt-get\b.*\binstall\b/.test(run) && index < probe_at) {
        const install = run.search(/apt-get\b[^&|;]*\binstall\b/);
        const cleans = [...run.matchAll(/apt-get clean|rm -rf \/var\/cache\/apt/g)].map((m) => m.index);
        const packages = run.includes(list) ? listed : /install\s+(?:-\S+\s+)*([a-z0-9 .+-]+)/.exec(run.slice(install))![1]!.trim().split(/\s+/);
        const mounted = holds_archives(cache_mount_targets(instruction));
        if (!cached) {
          engine.clock += 60;
          if (mounted && cleans.some((at) => at < install)) engine.mount.clear();
          for (const name of packages.filter((p) => !(mounted && engine.mount.has(p)))) {
            if (!/-qq?\b/.test(run)) step.output.push(`Get:1 http://deb.debian.org/debian bookworm/main amd64 ${name} amd64 1.0-1 [1 kB]`);
            if (mounted) engine.mount.set(name, engine.clock);
          }
          if (mounted && (!keeps || cleans.some((at) => at > install))) engine.mount.clear();
        }
        installed = packages;
      }
      return step;
    });
    return { ok: true, image_id: "sha256:x", tag: "t", duration_ms: 1, context: { dir, entries: [], bytes: 0, ignored: [] }, steps };
  };
  return { engine, build };
}

describe("check_apt_cache_reused", () => {
  const KEEP = "RUN rm -f /etc/apt/apt.conf.d/docker-clean\n";
  const MOUNTS = "--mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked";
  const dockerfile = (install: string, keep = KEEP, mounts = MOUNTS) => `FROM debian:bookworm-slim\n${keep}COPY paquets.txt /tmp/paquets.txt\nRUN ${mounts} ${install}\nCOPY stock.sh /app/\n`;
  const SOLUTION = dockerfile("apt-get update && xargs apt-get install -y --no-install-recommends < /tmp/paquets.txt");
  const expected = { list: "paquets.txt", add: "jq", cached: ["curl"], run: /apt-get\b.*\binstall\b|xargs/ };
  const grade = async (text: string, prepare?: (engine: ReturnType<typeof debian_engine>["engine"]) => void) => {
    const { engine, build } = debian_engine();
    prepare?.(engine);
    const result = await check_apt_cache_reused(fake_exercise({ dockerfile: text, files: { "paquets.txt": "curl\n" }, build }), expected);
    return { result, engine };
  };
  const AFTER = "Après l'ajout de jq à paquets.txt";

  test("jq installed, curl taken from the mount: passes, whatever apt-get prints (-qq) and whatever the mount held before", async () => {
    const { result, engine } = await grade(SOLUTION);
    expect(result).toMatchObject({ ok: true, failures: [] });
    // Two rebuilds, each with the probe right after the install, on the install's own mounts.
    expect(engine.dockerfiles).toHaveLength(2);
    const lines = engine.dockerfiles[1]!.split("\n");
    expect(lines[3]).toMatch(/^RUN --mount=type=cache.* xargs apt-get install/);
    expect(lines[4]).toMatch(new RegExp(`^RUN ${MOUNTS} echo 'dockerlings-probe \\w+'; find '/var/cache/apt' '/var/lib/apt' -name '\\*\\.deb'.* dpkg-query .* jq curl 2>/dev/null; echo "now \\$\\(date \\+%s\\)"; true$`));
    expect([...engine.mount.keys()].sort()).toEqual(["curl", "jq"]);
    expect((await grade(dockerfile("apt-get -qq update && xargs apt-get -qq install -y < /tmp/paquets.txt"))).result.ok).toBe(true);
    expect((await grade(SOLUTION, (e) => e.mount.set("curl", 1_600_000_000))).result.ok).toBe(true);
  });

  test("curl not kept by the mount: Debian's docker-clean, or an apt-get clean in the RUN, named", async () => {
    const missing =
      `${AFTER}, le paquet curl n'est plus dans le montage de cache : apt-get l'a téléchargé de nouveau, puis rien ne l'a gardé. ` +
      "Les images Debian effacent les paquets après chaque installation : supprimez /etc/apt/apt.conf.d/docker-clean " +
      "(et ajoutez Binary::apt::APT::Keep-Downloaded-Packages \"true\"; dans un fichier de /etc/apt/apt.conf.d/) avant ce RUN, " +
      "et ne videz pas /var/cache/apt dans le RUN lui-même (apt-get clean, rm).";
    const docker_clean = (await grade(dockerfile("apt-get update && xargs apt-get install -y < /tmp/paquets.txt", ""))).result;
    expect(docker_clean.failures).toEqual([missing]);
    expect(docker_clean.facts).toEqual([{ kind: "dockerfile_lines", line: 3 }]);
    // Quiet or not, the verdict rests on the mount's files.
    expect((await grade(dockerfile("apt-get update && xargs apt-get -qq install -y < /tmp/paquets.txt", ""))).result.failures).toEqual([missing]);
    expect((await grade(dockerfile("apt-get update && xargs apt-get install -y < /tmp/paquets.txt && apt-get clean"))).result.failures).toEqual([missing]);
  });

  test("curl downloaded again into the mount (emptied before the install): said as rewritten", async () => {
    const { result } = await grade(dockerfile("apt-get clean && apt-get update && xargs apt-get install -y < /tmp/paquets.txt"));
    expect(result.failures).toEqual([
      `${AFTER}, apt-get a téléchargé curl une nouvelle fois : son paquet, que le montage de cache gardait, a été réécrit pendant ce build. ` +
        "Ne videz pas /var/cache/apt avant l'installation (apt-get clean, rm) : apt-get reprend alors les paquets déjà téléchargés.",
    ]);
  });

  test("no cache mount on the install, or none where apt-get keeps its downloads: the mount on /var/cache/apt asked for", async () => {
    const plain = (await grade(dockerfile("apt-get update && xargs apt-get install -y < /tmp/paquets.txt", KEEP, ""))).result;
    expect(plain.failures).toEqual([
      `${AFTER}, l'installation (ligne 4) a tout téléchargé de nouveau, curl compris : aucun montage de cache ne garde les paquets d'un build à l'autre. ` +
        "Montez un cache sur /var/cache/apt (RUN --mount=type=cache,target=/var/cache/apt,sharing=locked …) pour ce RUN.",
    ]);
    const lists_only = (await grade(dockerfile("apt-get update && xargs apt-get install -y < /tmp/paquets.txt", KEEP, "--mount=type=cache,target=/var/lib/apt"))).result;
    expect(lists_only.failures).toEqual([
      `${AFTER}, apt-get a téléchargé de nouveau curl : les montages de cache de l'installation (ligne 4) sont sur /var/lib/apt, ` +
        "et aucun ne garde /var/cache/apt/archives, où apt-get range ses téléchargements. " +
        "Montez aussi un cache sur /var/cache/apt (RUN --mount=type=cache,target=/var/cache/apt,sharing=locked …).",
    ]);
    // A mount on a parent of the archives holds them.
    expect((await grade(dockerfile("apt-get update && xargs apt-get install -y < /tmp/paquets.txt", KEEP, "--mount=type=cache,target=/var/cache"))).result.ok).toBe(true);
  });

  test("a list the install does not read, or not copied before it; a rebuild that fails with its output", async () => {
    const inline = (await grade(dockerfile("apt-get update && apt-get install -y curl"))).result;
    expect(inline.failures).toEqual([`${AFTER}, jq n'est pas installé dans l'image : l'installation doit lire paquets.txt.`]);
    const not_copied = (await grade(`FROM debian:bookworm-slim\n${KEEP}RUN ${MOUNTS} apt-get update && apt-get install -y curl\n`)).result;
    expect(not_copied.failures).toEqual([
      "Après une modification de paquets.txt, aucune instruction RUN n'a réinstallé les paquets : l'installation doit lire paquets.txt " +
        "(xargs apt-get install -y --no-install-recommends < /tmp/paquets.txt), copié juste avant elle.",
    ]);
    const failing: BuildOutcome = { ok: false, failure: { kind: "run-failed", message: "Ligne 4 : la commande a échoué avec le code de sortie 100.", line: 4, exit_code: 100, output_tail: ["E: Unable to locate package jqq"], engine_message: "" }, steps: [], duration_ms: 1 };
    const broken = await check_apt_cache_reused(fake_exercise({ dockerfile: SOLUTION, files: { "paquets.txt": "curl\n" }, build: () => failing }), expected);
    expect(broken.failures).toEqual(["Après une modification de paquets.txt, l'image ne se construit plus.\nLigne 4 : la commande a échoué avec le code de sortie 100."]);
    expect(broken.output).toBe("E: Unable to locate package jqq");
    expect(broken.facts).toEqual([{ kind: "build_failure", failure: "run-failed", line: 4, exit_code: 100, output: ["E: Unable to locate package jqq"] }]);
  });

  test("no package already downloaded named, or a name that is not a package: the spec's mistake", async () => {
    await expect(check_apt_cache_reused(fake_exercise({ dockerfile: SOLUTION }), { ...expected, cached: [] })).rejects.toThrow(SpecConfigError);
    await expect(check_apt_cache_reused(fake_exercise({ dockerfile: SOLUTION }), { ...expected, add: "jq; rm -rf /" })).rejects.toThrow("« jq; rm -rf / » n'est pas un nom de paquet Debian.");
  });
});
