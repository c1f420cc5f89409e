import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, test, expect } from "vitest";
import { use_exercise, type TreeEntry } from "../../grader/spec.js";

const ex = use_exercise(import.meta.url);

const BASE = "debian:bookworm-slim";
const MAX_LAYERS = 4;
const ROOT = "/opt/citations";
const LINK = "/usr/local/bin/citation";

// The tree the starter builds, entry by entry: the copied files come from the
// course's own starter folder (a submission cannot change what is expected).
const course_file = (name: string): string =>
  fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), "starter", name), "utf8");

const EXPECTED: Record<string, TreeEntry> = {
  [ROOT]: { type: "directory", mode: 0o755 },
  [`${ROOT}/LISEZMOI.txt`]: { type: "file", mode: 0o644, content: "Citations d'auteurs de langue française, une par fichier.\n" },
  [`${ROOT}/index.txt`]: { type: "file", mode: 0o644, content: "hugo.txt\nsand.txt\nvoltaire.txt\n" },
  [`${ROOT}/auteurs`]: { type: "directory", mode: 0o755 },
  [`${ROOT}/auteurs/hugo.txt`]: { type: "file", mode: 0o644, content: course_file("auteurs/hugo.txt") },
  [`${ROOT}/auteurs/sand.txt`]: { type: "file", mode: 0o644, content: course_file("auteurs/sand.txt") },
  [`${ROOT}/auteurs/voltaire.txt`]: { type: "file", mode: 0o644, content: course_file("auteurs/voltaire.txt") },
  [`${ROOT}/bin`]: { type: "directory", mode: 0o755 },
  [`${ROOT}/bin/citation.sh`]: { type: "file", mode: 0o755, content: course_file("citation.sh") },
  [LINK]: { type: "symlink", target: `${ROOT}/bin/citation.sh` },
};

describe("02 — Couches et cache", () => {
  test("l'image se construit", { meta: { points: 1 } }, async () => {
    await expect(ex).toBuild();
  });

  test("l'arborescence /opt/citations est la même qu'avant : mêmes fichiers, contenus, droits et lien", { meta: { points: 3 } }, async () => {
    await expect(
      ex,
      "L'arborescence doit rester la même qu'avant : en regroupant les instructions, gardez chaque commande " +
        "(mkdir, chmod, ln) et copiez seulement ce qui était copié avant, pas tout le dossier de l'exercice.",
    ).toHaveTree([ROOT, LINK], EXPECTED);
  });

  test("lancée sans argument, elle affiche toujours les citations", { meta: { points: 1 } }, async () => {
    await expect(ex, "Le lien /usr/local/bin/citation doit exister et pointer vers un script aux droits 755 (chmod).").toRun({
      stdout: ["Auteurs : hugo.txt sand.txt voltaire.txt", "Il faut cultiver notre jardin."],
    });
  });

  test(`l'image a au plus ${MAX_LAYERS} couches au-dessus de ${BASE}`, { meta: { points: 3 } }, async () => {
    await expect(ex).toHaveLayersAtMost(MAX_LAYERS, { above_base: true });
  });

  test("une deuxième construction identique vient entièrement du cache", { meta: { points: 2 } }, async () => {
    await expect(ex).toBeFullyCached();
  });
});
