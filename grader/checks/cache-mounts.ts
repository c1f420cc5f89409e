// BuildKit's cache mounts (lesson 19): `RUN --mount=type=cache,target=…`
// keeps a folder from build to build, outside the image. Two checks: the
// Dockerfile declares the mounts on the RUN that needs them (read on the
// model's flags), and a rebuild after a change really reuses what the mount
// kept (apt-get's own output read: what it downloaded again).
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

async function rebuild_with(ex: ExerciseHandle, list: string, extra: string): Promise<BuildOutcome> {
  const copy = copy_with_changes(ex.submission_dir, {
    [list]: (current) => (current ?? "").replace(/\s*$/, "\n") + extra + unique_blanks() + "\n",
  });
  try {
    return await ex.build({ dir: copy.dir });
  } finally {
    copy.remove();
  }
}

/** The output of the install step of a rebuild, or the failure that says why there is none. */
function install_output(outcome_: BuildOutcome, when: string, expected: AptCacheReuseExpectation): { output?: string; failure?: CheckOutcome } {
  if (!outcome_.ok) return { failure: build_failure_outcome(`${when}, l'image ne se construit plus.`, outcome_.failure) };
  const step = outcome_.steps.find((s) => /^RUN\s/i.test(s.instruction) && expected.run.test(s.instruction) && !s.cached);
  if (!step) {
    return {
      failure: outcome([
        `${when}, aucune instruction RUN n'a réinstallé les paquets : l'installation doit lire ${expected.list} ` +
          `(xargs apt-get install -y --no-install-recommends < /tmp/${expected.list}), copié juste avant elle.`,
      ]),
    };
  }
  return { output: step.output.join("\n") };
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * After `add` is added to the list, the install runs again and downloads it,
 * but not the `cached` packages: apt-get took them from the cache mount.
 * A first rebuild fills the mount whatever ran before on this engine.
 */
export async function check_apt_cache_reused(ex: ExerciseHandle, expected: AptCacheReuseExpectation): Promise<CheckOutcome> {
  require_config(expected.cached.length > 0, "donnez au moins un paquet déjà téléchargé (cached).");
  await ex.image();
  const [first, second] = await with_exclusive_builds(async () => {
    const a = await rebuild_with(ex, expected.list, "");
    const b = a.ok ? await rebuild_with(ex, expected.list, `${expected.add}\n`) : a;
    return [a, b] as const;
  });
  const warm = install_output(first, `Après une modification de ${expected.list}`, expected);
  if (warm.failure) return warm.failure;
  const after = `Après l'ajout de ${expected.add} à ${expected.list}`;
  const added = install_output(second, after, expected);
  if (added.failure) return added.failure;
  const out = added.output!;
  if (!new RegExp(`^(Unpacking|Setting up) ${escape(expected.add)}\\b`, "m").test(out)) {
    return outcome([`${after}, ${expected.add} n'a pas été installé : l'installation doit lire ${expected.list}.`]);
  }
  if (!/^Get:\d+ |Need to get /m.test(out)) {
    return outcome([
      "La sortie d'apt-get ne dit rien de ses téléchargements (lignes « Get: »), le correcteur ne peut donc pas voir ce qui vient du cache : " +
        "retirez -q ou -qq de apt-get.",
    ]);
  }
  const mounted = ex.dockerfile().instructions.some((i) => i.keyword === "RUN" && expected.run.test(i.text) && cache_mount_targets(i).length > 0);
  const failures: string[] = [];
  for (const name of expected.cached) {
    const fetched = new RegExp(`^Get:\\d+ \\S+ \\S+ \\S+ ${escape(name)} \\S+ \\S+`, "m").exec(out);
    if (!fetched) continue;
    failures.push(
      `Après l'ajout de ${expected.add}, apt-get a téléchargé ${name} une nouvelle fois (« ${fetched[0]} ») : les paquets déjà téléchargés n'ont pas été gardés. ` +
        (mounted
          ? "Le montage de cache est là, mais les images Debian effacent les paquets après chaque installation : supprimez " +
            "/etc/apt/apt.conf.d/docker-clean et ajoutez Binary::apt::APT::Keep-Downloaded-Packages \"true\"; dans un fichier de /etc/apt/apt.conf.d/, avant ce RUN."
          : `Montez un cache sur /var/cache/apt (RUN ${mount_flag("/var/cache/apt")} …) pour ce RUN.`),
    );
  }
  return outcome(failures);
}
