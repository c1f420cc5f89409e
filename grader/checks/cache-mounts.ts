// BuildKit's cache mounts (lesson 19): `RUN --mount=type=cache,target=…`
// keeps a folder from build to build, outside the image. Two checks: the
// Dockerfile declares the mounts on the RUN that needs them (read on the
// model's flags), and a rebuild after a change really reuses what the mount
// kept.
//
// What the second relies on is a fact of the file system, not apt-get's
// output (a quiet apt-get -qq, or apt-get update's own « Get: » lines, would
// decide otherwise): each rebuild carries, right after the install, a probe
// RUN with the install's own cache mounts, which prints the change time of
// every .deb in them, the engine's clock, and dpkg's status of the packages.
// A package taken from the mount keeps the change time it had before the
// rebuild; one downloaded again gets a new one (apt writes it anew); one the
// mount does not keep (Debian's docker-clean, an apt-get clean) is not there.
//
// A layer cache hit would show nothing about the mount, so each rebuild is of
// a copy whose list file differs by a line of blanks unique to the call:
// apt-get and xargs ignore it, but the COPY changes and the install runs again.
import { randomInt } from "node:crypto";
import type { ExerciseHandle } from "../spec/use-exercise.js";
import { build_failure_outcome, lines_fact, outcome, require_config, type CheckOutcome } from "./check.js";
import type { BuildOutcome } from "../engine/build.js";
import { copy_with_changes } from "../submission/change-set.js";
import { with_exclusive_builds } from "../host/build-lock.js";
import type { Instruction } from "../dockerfile/index.js";

export interface CacheMountExpectation {
  /** The RUN that needs the mounts, by its text. */
  run: RegExp;
  /** What that RUN does, as the student reads it: "installe les paquets". */
  what: string;
  /** Folders each mounted as a cache on that RUN. */
  targets: string[];
}

/** The options of a --mount flag: type=cache,target=/x,sharing=locked → Map. */
function mount_options(value: string | undefined): Map<string, string> {
  const options = new Map<string, string>();
  for (const part of (value ?? "").split(",")) {
    const [key, ...rest] = part.split("=");
    if (key) options.set(key.trim().toLowerCase(), rest.join("=").trim());
  }
  return options;
}

/** The folders this RUN mounts as caches (target, dst or destination, trailing / dropped). */
export function cache_mount_targets(instruction: Instruction): string[] {
  return instruction.flags
    .filter((f) => f.name === "mount")
    .map((f) => mount_options(f.value))
    .filter((o) => o.get("type") === "cache")
    .map((o) => (o.get("target") ?? o.get("dst") ?? o.get("destination") ?? "").replace(/(.)\/+$/, "$1"))
    .filter(Boolean);
}

const mount_flag = (target: string): string => `--mount=type=cache,target=${target},sharing=locked`;

/** The RUN matching `run` mounts a cache on each target. */
export function check_cache_mounts(ex: Pick<ExerciseHandle, "dockerfile">, expected: CacheMountExpectation): CheckOutcome {
  require_config(expected.targets.length > 0, "donnez au moins un dossier (targets).");
  const runs = ex.dockerfile().instructions.filter((i) => i.keyword === "RUN" && expected.run.test(i.text));
  if (runs.length === 0) return outcome([`Le Dockerfile n'a aucune instruction RUN qui ${expected.what}.`]);
  const mounted = runs.map((run) => ({ run, targets: cache_mount_targets(run) }));
  const best = mounted.find((m) => m.targets.length > 0);
  if (!best) {
    const run = runs[0]!;
    return outcome(
      [`Le RUN de la ligne ${run.line} ${expected.what} sans montage de cache : ajoutez, avant la commande, ${expected.targets.map(mount_flag).join(" et ")}.`],
      undefined,
      [lines_fact(run.line, run.end_line)],
    );
  }
  const missing = expected.targets.filter((t) => !best.targets.includes(t.replace(/(.)\/+$/, "$1")));
  if (missing.length === 0) return outcome([]);
  return outcome(
    [
      `Le RUN de la ligne ${best.run.line} monte un cache sur ${best.targets.join(", ")}, mais pas sur ${missing.join(", ")} : ` +
        `ajoutez ${missing.map(mount_flag).join(" et ")}.`,
    ],
    undefined,
    [lines_fact(best.run.line, best.run.end_line)],
  );
}

export interface AptCacheReuseExpectation {
  /** The submission's package list, read by the install (xargs apt-get install < list). */
  list: string;
  /** The package added to the list for the rebuild. */
  add: string;
  /** Packages already downloaded, which must come from the mount and not be downloaded again. */
  cached: string[];
  /** The RUN that installs the list, by its text. */
  run: RegExp;
}

/** A line of blanks unique to this call: see the top of the file. */
function unique_blanks(): string {
  return [...randomInt(2 ** 40).toString(2).padStart(40, "0")].map((b) => (b === "1" ? "\t" : " ")).join("");
}

/** What the probe RUN saw in the mounts, right after the install of one rebuild. */
interface MountFacts {
  /** Package name -> change time (s, the engine's clock) of its .deb in the mounts. */
  debs: Map<string, number>;
  /** Packages dpkg has installed in the image at that point. */
  installed: Set<string>;
  /** The engine's clock when the probe ran. */
  now: number;
}

const PROBE = "dockerlings-probe";
const APT_ARCHIVES = "/var/cache/apt/archives";

/**
 * The probe RUN for `install` (see the top of the file): the install's own cache
 * mounts, then the .deb files found in their targets, dpkg's status of the
 * packages, and the clock. It never fails the build.
 */
function probe_run(install: Instruction, packages: string[], nonce: string): string {
  const mounts = install.flags
    .filter((f) => f.name === "mount" && mount_options(f.value).get("type") === "cache")
    .map((f) => `--mount=${f.value}`);
  const targets = cache_mount_targets(install);
  const find = targets.length ? `find ${targets.map((t) => `'${t}'`).join(" ")} -name '*.deb' -exec stat -c 'deb %Z %n' {} + 2>/dev/null;` : "";
  return (
    `RUN ${mounts.join(" ")} echo '${PROBE} ${nonce}'; ${find} ` +
    `dpkg-query -W -f='pkg \${Package} \${Status}\\n' ${packages.join(" ")} 2>/dev/null; echo "now $(date +%s)"; true`
  );
}

function read_probe(lines: string[]): MountFacts {
  const facts: MountFacts = { debs: new Map(), installed: new Set(), now: 0 };
  for (const line of lines) {
    const deb = /^deb (\d+) \S*\/([^/_\s]+)_[^/\s]*\.deb$/.exec(line.trim());
    if (deb) facts.debs.set(deb[2]!, Math.max(facts.debs.get(deb[2]!) ?? 0, Number(deb[1])));
    const pkg = /^pkg (\S+) install ok installed$/.exec(line.trim());
    if (pkg) facts.installed.add(pkg[1]!);
    const now = /^now (\d+)$/.exec(line.trim());
    if (now) facts.now = Number(now[1]);
  }
  return facts;
}

/** The RUN that installs the list: the one with cache mounts among those matching `run`, else the first. */
function install_instruction(ex: Pick<ExerciseHandle, "dockerfile">, run: RegExp): Instruction | undefined {
  const runs = ex.dockerfile().instructions.filter((i) => i.keyword === "RUN" && run.test(i.text));
  return runs.find((i) => cache_mount_targets(i).length > 0) ?? runs[0];
}

type Rebuild = { failure: CheckOutcome } | { facts: MountFacts };

async function rebuild_with(ex: ExerciseHandle, expected: AptCacheReuseExpectation, install: Instruction, extra: string, when: string): Promise<Rebuild> {
  const nonce = randomInt(2 ** 40).toString(36);
  const dockerfile = ex.variant_options.dockerfile ?? "Dockerfile";
  const copy = copy_with_changes(ex.submission_dir, {
    [expected.list]: (current) => (current ?? "").replace(/\s*$/, "\n") + extra + unique_blanks() + "\n",
    [dockerfile]: (current) => {
      const lines = (current ?? "").replace(/\r\n?/g, "\n").split("\n");
      lines.splice(install.end_line, 0, probe_run(install, [expected.add, ...expected.cached], nonce));
      return lines.join("\n");
    },
  });
  let built: BuildOutcome;
  try {
    built = await ex.build({ dir: copy.dir });
  } finally {
    copy.remove();
  }
  if (!built.ok) return { failure: build_failure_outcome(`${when}, l'image ne se construit plus.`, built.failure) };
  const reinstalled = built.steps.some((s) => /^RUN\s/i.test(s.instruction) && !s.instruction.includes(PROBE) && expected.run.test(s.instruction) && !s.cached);
  if (!reinstalled) {
    return {
      failure: outcome([
        `${when}, aucune instruction RUN n'a réinstallé les paquets : l'installation doit lire ${expected.list} ` +
          `(xargs apt-get install -y --no-install-recommends < /tmp/${expected.list}), copié juste avant elle.`,
      ]),
    };
  }
  const probe = built.steps.find((s) => s.instruction.includes(`${PROBE} ${nonce}`));
  if (!probe) throw new Error(`check_apt_cache_reused : la sonde ${nonce} n'apparaît pas dans le build`);
  return { facts: read_probe(probe.output) };
}

/**
 * After `add` is added to the list, the install runs again and installs it,
 * and the `cached` packages come from the cache mount: their .deb files are
 * the ones the mount held before this rebuild (see the top of the file).
 * A first rebuild fills the mount whatever ran before on this engine.
 */
export async function check_apt_cache_reused(ex: ExerciseHandle, expected: AptCacheReuseExpectation): Promise<CheckOutcome> {
  require_config(expected.cached.length > 0, "donnez au moins un paquet déjà téléchargé (cached).");
  for (const name of [expected.add, ...expected.cached]) require_config(/^[a-z0-9][a-z0-9+.-]*$/.test(name), `« ${name} » n'est pas un nom de paquet Debian.`);
  await ex.image();
  const install = install_instruction(ex, expected.run);
  if (!install) return outcome([`Le Dockerfile n'a aucune instruction RUN qui installe les paquets de ${expected.list}.`]);
  const after = `Après l'ajout de ${expected.add} à ${expected.list}`;
  const [first, second] = await with_exclusive_builds(async () => {
    const a = await rebuild_with(ex, expected, install, "", `Après une modification de ${expected.list}`);
    const b = "facts" in a ? await rebuild_with(ex, expected, install, `${expected.add}\n`, after) : a;
    return [a, b] as const;
  });
  if (!("facts" in first)) return first.failure;
  if (!("facts" in second)) return second.failure;
  const before = first.facts;
  const facts = second.facts;
  if (!facts.installed.has(expected.add)) {
    return outcome([`${after}, ${expected.add} n'est pas installé dans l'image : l'installation doit lire ${expected.list}.`]);
  }
  const mounted = cache_mount_targets(install).length > 0;
  if (!mounted) {
    return outcome(
      [
        `${after}, l'installation (ligne ${install.line}) a tout téléchargé de nouveau, ${expected.cached.join(" et ")} compris : ` +
          `aucun montage de cache ne garde les paquets d'un build à l'autre. Montez un cache sur /var/cache/apt (RUN ${mount_flag("/var/cache/apt")} …) pour ce RUN.`,
      ],
      undefined,
      [lines_fact(install.line, install.end_line)],
    );
  }
  // apt-get writes its downloads to /var/cache/apt/archives: a mount elsewhere (/var/lib/apt alone) never holds a .deb.
  const targets = cache_mount_targets(install);
  if (!targets.some((t) => t === "/" || `${APT_ARCHIVES}/`.startsWith(`${t}/`))) {
    return outcome(
      [
        `${after}, apt-get a téléchargé de nouveau ${expected.cached.join(" et ")} : les montages de cache de l'installation (ligne ${install.line}) ` +
          `sont sur ${targets.join(", ")}, et aucun ne garde ${APT_ARCHIVES}, où apt-get range ses téléchargements. ` +
          `Montez aussi un cache sur /var/cache/apt (RUN ${mount_flag("/var/cache/apt")} …).`,
      ],
      undefined,
      [lines_fact(install.line, install.end_line)],
    );
  }
  const failures: string[] = [];
  for (const name of expected.cached) {
    const changed = facts.debs.get(name);
    if (changed === undefined) {
      failures.push(
        `${after}, le paquet ${name} n'est plus dans le montage de cache : apt-get l'a téléchargé de nouveau, puis rien ne l'a gardé. ` +
          "Les images Debian effacent les paquets après chaque installation : supprimez /etc/apt/apt.conf.d/docker-clean " +
          "(et ajoutez Binary::apt::APT::Keep-Downloaded-Packages \"true\"; dans un fichier de /etc/apt/apt.conf.d/) avant ce RUN, " +
          "et ne videz pas /var/cache/apt dans le RUN lui-même (apt-get clean, rm).",
      );
    } else if (changed > before.now) {
      failures.push(
        `${after}, apt-get a téléchargé ${name} une nouvelle fois : son paquet, que le montage de cache gardait, a été réécrit pendant ce build. ` +
          "Ne videz pas /var/cache/apt avant l'installation (apt-get clean, rm) : apt-get reprend alors les paquets déjà téléchargés.",
      );
    }
  }
  return outcome(failures, undefined, failures.length ? [lines_fact(install.line, install.end_line)] : undefined);
}
