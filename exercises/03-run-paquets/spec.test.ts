import { describe, test, expect } from "vitest";
import { use_exercise, expect_exit_code, CheckFailure, type ExerciseHandle } from "../../grader/index.js";

const ex = use_exercise(import.meta.url);

const EXPECTED_REPORT = [
  "Boutique : Le Comptoir du Café",
  "Commande 101 (Alice) : 2 article(s), 21 €",
  "Commande 102 (Bastien) : 1 article(s), 17 €",
  "Commande 103 (Chloé) : 3 article(s), 32 €",
  "Total : 70 €",
];

const APT_INSTALL = /\bapt(?:-get)?\s+(?:-\S+\s+)*install\b/;
const APT_UPDATE = /\bapt(?:-get)?\s+(?:-\S+\s+)*update\b/;
const REMOVES_LISTS = /\brm\s+(?:-\S+\s+)*\/var\/lib\/apt\/lists\b/;

/** The RUN instructions of the final stage, continuation lines joined. */
function runs(handle: ExerciseHandle) {
  const parsed = handle.dockerfile();
  const last = parsed.stages.length - 1;
  return parsed.instructions
    .filter((i) => i.stage === last && i.keyword === "RUN")
    .map((i) => ({ line: i.line, text: i.args.replace(/\\\r?\n/g, " ").replace(/\s+/g, " ").trim() }));
}

const short = (text: string): string => (text.length > 70 ? text.slice(0, 70) + "…" : text);

describe("03 — RUN : installer des paquets", () => {
  test("l'image se construit", { meta: { points: 1 } }, async () => {
    const image = await ex.image();
    expect(image.id).toMatch(/^sha256:/);
  });

  test("jq est installé et le script affiche le bon récapitulatif", { meta: { points: 3 } }, async () => {
    const run = await ex.run();
    if (/jq est introuvable|jq: not found/.test(run.stderr + run.stdout)) {
      throw new CheckFailure(
        "Le script n'a pas trouvé jq dans l'image. Installez le paquet jq avec apt-get dans un RUN, avant le CMD.",
        run.stderr.trim(),
      );
    }
    expect_exit_code(run, 0, "Le script rapport.sh");
    const lines = run.stdout.trim().split("\n").map((l) => l.trim());
    const missing = EXPECTED_REPORT.filter((l) => !lines.includes(l));
    if (missing.length > 0) {
      throw new CheckFailure(
        `Le récapitulatif n'est pas celui attendu : il manque ${missing.map((l) => `« ${l} »`).join(", ")}. ` +
          "Gardez rapport.sh et commandes.json tels quels et lancez-les avec CMD [\"sh\", \"/app/rapport.sh\"].",
        (run.stdout + run.stderr).trim(),
      );
    }
  });

  test("apt-get update et apt-get install sont dans le même RUN", { meta: { points: 2 } }, () => {
    const all = runs(ex);
    const installs = all.filter((r) => APT_INSTALL.test(r.text));
    if (installs.length === 0) {
      throw new CheckFailure("Aucun RUN n'installe de paquet : ajoutez un RUN apt-get update && apt-get install -y --no-install-recommends jq.");
    }
    const failures = installs
      .filter((r) => !APT_UPDATE.test(r.text.slice(0, r.text.search(APT_INSTALL))))
      .map((r) => {
        const update = all.find((u) => u !== r && APT_UPDATE.test(u.text));
        return (
          `Le RUN de la ligne ${r.line} installe des paquets sans faire apt-get update avant, dans le même RUN` +
          (update ? ` (l'update est seul, ligne ${update.line})` : "") +
          ". Chaque RUN est une couche mise en cache à part : une liste de paquets d'un autre RUN peut dater " +
          "de plusieurs semaines, et l'installation échoue ou installe une vieille version. " +
          "Écrivez RUN apt-get update && apt-get install ... dans une seule instruction."
        );
      });
    if (failures.length > 0) throw new CheckFailure(failures.join("\n"));
  });

  test("les listes d'apt sont supprimées dans le même RUN que apt-get update", { meta: { points: 2 } }, async () => {
    const failures: string[] = [];
    const all = runs(ex);
    const updates = all.filter((u) => APT_UPDATE.test(u.text));
    if (updates.length === 0) {
      throw new CheckFailure("Aucun RUN ne lance apt-get update : il n'y a pas encore de listes à supprimer. Commencez par installer jq.");
    }
    for (const r of updates) {
      if (REMOVES_LISTS.test(r.text)) continue;
      const later = all.find((u) => u.line > r.line && REMOVES_LISTS.test(u.text));
      failures.push(
        later
          ? `Les listes d'apt sont supprimées ligne ${later.line}, dans un autre RUN que l'apt-get update de la ligne ${r.line} : ` +
              "elles restent dans la couche de ce RUN (des dizaines de Mo), un RUN suivant ne fait que les masquer. " +
              "Terminez le RUN de l'apt-get update par && rm -rf /var/lib/apt/lists/*."
          : `Le RUN de la ligne ${r.line} (apt-get update) ne supprime pas les listes téléchargées : ` +
              "terminez-le par && rm -rf /var/lib/apt/lists/* pour qu'elles ne restent pas dans l'image.",
      );
    }
    // And what the image really holds, whatever the Dockerfile says.
    const left = await ex.run(["-c", "find /var/lib/apt/lists -type f ! -name lock | wc -l; du -sk /var/lib/apt/lists | cut -f1"], {
      entrypoint: ["/bin/sh"],
    });
    const [count, kib] = left.stdout.trim().split("\n").map(Number);
    if (count && count > 0) {
      failures.push(
        `L'image contient encore ${count} fichier(s) de listes apt dans /var/lib/apt/lists (${Math.round((kib ?? 0) / 1024)} Mo) : ` +
          "supprimez-les avec rm -rf /var/lib/apt/lists/* à la fin du RUN qui fait apt-get update.",
      );
    }
    if (failures.length > 0) throw new CheckFailure(failures.length === 1 ? failures[0]! : failures.map((f) => `- ${f}`).join("\n"));
  });

  test("apt-get install est lancé avec -y et --no-install-recommends", { meta: { points: 2 } }, () => {
    const installs = runs(ex).filter((r) => APT_INSTALL.test(r.text));
    if (installs.length === 0) {
      throw new CheckFailure("Aucun RUN n'installe de paquet : ajoutez un RUN apt-get update && apt-get install -y --no-install-recommends jq.");
    }
    const failures: string[] = [];
    for (const r of installs) {
      // Only the install command itself: the options of other commands of the RUN do not count.
      const command = r.text.slice(r.text.search(APT_INSTALL)).split(/&&|;|\|\|/)[0]!;
      if (!/(^|\s)(-y|--yes|--assume-yes|-[a-z]*y[a-z]*)(\s|$)/.test(command)) {
        failures.push(
          `Ligne ${r.line}, « ${short(command.trim())} » n'a pas -y : pendant un build, personne ne peut répondre ` +
            "« Voulez-vous continuer ? », l'installation s'arrête et le build échoue. Ajoutez -y.",
        );
      }
      if (!/(^|\s)--no-install-recommends(\s|$)/.test(command)) {
        failures.push(
          `Ligne ${r.line}, « ${short(command.trim())} » n'a pas --no-install-recommends : apt-get installe aussi les ` +
            "paquets « recommandés », inutiles dans un conteneur. Ajoutez --no-install-recommends.",
        );
      }
    }
    if (failures.length > 0) throw new CheckFailure(failures.length === 1 ? failures[0]! : failures.map((f) => `- ${f}`).join("\n"));
  });
});
