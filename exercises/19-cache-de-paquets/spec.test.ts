import { describe, test, expect } from "vitest";
import { use_exercise } from "../../grader/spec.js";

const ex = use_exercise(import.meta.url);

/** The Dockerfile's RUN that installs the packages of paquets.txt. */
const INSTALL = /apt-get\b.*\binstall\b|xargs/;

describe("19 — Un cache pour les paquets", () => {
  test("l'image se construit", { meta: { points: 1 } }, async () => {
    await expect(ex).toBuild();
  });

  test("lancée sans argument, elle affiche les articles à recommander (jq est installé)", { meta: { points: 2 } }, async () => {
    await expect(ex).toRun({ stdout: ["Stock de Le Comptoir du Café", "2 article(s) à recommander"], what: "Le rapport de stock" });
  });

  test("l'installation des paquets monte un cache (RUN --mount=type=cache)", { meta: { points: 1 } }, async () => {
    await expect(ex, "Les paquets (/var/cache/apt) et les listes (/var/lib/apt) restent alors dans le cache de BuildKit d'un build à l'autre.").toMountCache({
      run: INSTALL,
      what: "installe les paquets",
      targets: ["/var/cache/apt", "/var/lib/apt"],
    });
  });

  test("l'image n'emporte ni les listes d'apt ni les paquets téléchargés (au plus 8 Mo ajoutés)", { meta: { points: 2 } }, async () => {
    await expect(ex, "Avec des montages de cache sur /var/cache/apt et /var/lib/apt, les listes et les paquets restent dans le cache de BuildKit, hors de l'image.").toWeighAtMost({
      max_mb_above_base: 8,
    });
  });

  test("après l'ajout de bc à paquets.txt, seul bc est téléchargé : jq vient du cache", { meta: { points: 4 } }, async () => {
    await expect(ex).toReuseCacheMount({ list: "paquets.txt", add: "bc", cached: ["jq"], run: INSTALL });
  });
});
