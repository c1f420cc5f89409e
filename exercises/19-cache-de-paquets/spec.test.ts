import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomInt } from "node:crypto";
import { describe, test, expect } from "vitest";
import { use_exercise, CheckFailure, format_build_failure, type BuildOutcome } from "../../grader/index.js";

const ex = use_exercise(import.meta.url);

/** The Dockerfile's RUN that installs the packages of paquets.txt. */
const INSTALL = /apt-get\b.*\binstall\b|xargs/;

type ModelInstruction = ReturnType<typeof ex.dockerfile>["instructions"][number];
const install_runs = (): ModelInstruction[] => ex.dockerfile().instructions.filter((i) => i.keyword === "RUN" && INSTALL.test(i.text));
const mounts_cache = (i: ModelInstruction): boolean => i.flags.some((f) => f.name === "mount" && /(^|,)type=cache(,|$)/.test(f.value ?? ""));

/**
 * A copy of the submission whose paquets.txt ends with `extra` and a line of
 * blanks unique to this call: apt-get and xargs ignore it, but the COPY of
 * paquets.txt changes, so BuildKit really runs the install again (a layer cache
 * hit from an earlier grading would show nothing). Its cache mounts, kept by
 * BuildKit from build to build, are what this exercise is about.
 */
async function build_with(extra: string): Promise<BuildOutcome> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dl-19-"));
  try {
    fs.cpSync(ex.submission_dir, dir, { recursive: true });
    const file = path.join(dir, "paquets.txt");
    const blanks = [...randomInt(2 ** 40).toString(2).padStart(40, "0")].map((b) => (b === "1" ? "\t" : " ")).join("");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(/\s*$/, "\n") + extra + blanks + "\n");
    return await ex.build({ dir });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function install_output(outcome: BuildOutcome, when: string): string {
  if (!outcome.ok) throw new CheckFailure(`${when}, l'image ne se construit plus.\n${format_build_failure(outcome.failure)}`);
  const step = outcome.steps.find((s) => /^RUN\s/i.test(s.instruction) && INSTALL.test(s.instruction) && !s.cached);
  if (!step) {
    throw new CheckFailure(
      `${when}, aucune instruction RUN n'a réinstallé les paquets : l'installation doit lire paquets.txt ` +
        "(xargs apt-get install -y --no-install-recommends < /tmp/paquets.txt), copié juste avant elle.",
    );
  }
  return step.output.join("\n");
}

describe("19 — Un cache pour les paquets", () => {
  test("l'image se construit", { meta: { points: 1 } }, async () => {
    await expect(ex).toBuild();
  });

  test("lancée sans argument, elle affiche les articles à recommander (jq est installé)", { meta: { points: 2 } }, async () => {
    await expect(ex).toRun({ stdout: ["Stock de Le Comptoir du Café", "2 article(s) à recommander"], what: "Le rapport de stock" });
  });

  test("l'installation des paquets monte un cache (RUN --mount=type=cache)", { meta: { points: 1 } }, () => {
    const runs = install_runs();
    if (runs.length > 0 && !runs.some(mounts_cache)) {
      throw new CheckFailure(
        `Le RUN de la ligne ${runs[0]!.line} installe les paquets sans montage de cache : ajoutez, avant la commande, ` +
          "--mount=type=cache,target=/var/cache/apt,sharing=locked et --mount=type=cache,target=/var/lib/apt,sharing=locked.",
      );
    }
    if (runs.length === 0) throw new CheckFailure("Aucun RUN n'installe les paquets de paquets.txt avec apt-get.");
  });

  test("l'image n'emporte ni les listes d'apt ni les paquets téléchargés (au plus 8 Mo ajoutés)", { meta: { points: 2 } }, async () => {
    await expect(ex, "Avec des montages de cache sur /var/cache/apt et /var/lib/apt, les listes et les paquets restent dans le cache de BuildKit, hors de l'image.").toWeighAtMost({
      max_mb_above_base: 8,
    });
  });

  test("après l'ajout de bc à paquets.txt, seul bc est téléchargé : jq vient du cache", { meta: { points: 4 } }, async () => {
    await expect(ex).toBuild();
    // First a rebuild that really installs paquets.txt, so that the cache holds jq whatever ran before.
    install_output(await build_with(""), "Après une modification de paquets.txt");
    const out = install_output(await build_with("bc\n"), "Après l'ajout de bc à paquets.txt");
    if (!/^(Unpacking|Setting up) bc\b/m.test(out)) {
      throw new CheckFailure("Après l'ajout de bc à paquets.txt, bc n'a pas été installé : l'installation doit lire paquets.txt.");
    }
    if (!/^Get:\d+ |Need to get /m.test(out)) {
      throw new CheckFailure(
        "La sortie d'apt-get ne dit rien de ses téléchargements (lignes « Get: »), le correcteur ne peut donc pas voir ce qui vient du cache : " +
          "retirez -q ou -qq de apt-get.",
      );
    }
    const fetched = /^Get:\d+ \S+ \S+ \S+ jq \S+ \S+/m.exec(out);
    if (fetched) {
      const mounted = install_runs().some(mounts_cache);
      throw new CheckFailure(
        `Après l'ajout de bc, apt-get a téléchargé jq une nouvelle fois (« ${fetched[0]} ») : les paquets déjà téléchargés n'ont pas été gardés. ` +
          (mounted
            ? "Le montage de cache est là, mais les images Debian effacent les paquets après chaque installation : supprimez " +
              "/etc/apt/apt.conf.d/docker-clean et ajoutez Binary::apt::APT::Keep-Downloaded-Packages \"true\"; dans un fichier de /etc/apt/apt.conf.d/, avant ce RUN."
            : "Montez un cache sur /var/cache/apt (RUN --mount=type=cache,target=/var/cache/apt,sharing=locked …) pour ce RUN."),
      );
    }
  });
});
