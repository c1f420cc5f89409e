import { describe, test, expect } from "vitest";
import { use_exercise, inspect_image } from "../../grader/spec.js";

const ex = use_exercise(import.meta.url);

// Budgets above the Dockerfile's own base image (the local images and the
// registry's differ in size, not in what a Dockerfile adds to them). The
// solution adds 1,3 Mo in 2 layers and wastes 1,8 Mo (dpkg and debconf files
// of the base it updates); the starter adds 288 Mo in 8 layers, wastes 23 Mo.
const MAX_ADDED_MB = 10;
// The lesson's base: the whole image weighs at most it plus the same budget, so
// a heavier base (debian:bookworm) does not pass on a light Dockerfile.
const SMALL_BASE = "debian:bookworm-slim";
const MAX_WASTED_MB = 5;
const MAX_LAYERS = 3;

describe("15 — Alléger une image", () => {
  test("l'image se construit", { meta: { points: 1 } }, async () => {
    await expect(ex).toBuild();
  });

  test("lancée sans argument, elle imprime toujours l'étiquette avec son QR code", { meta: { points: 2 } }, async () => {
    await expect(ex).toRun({
      exit_code: 0,
      what: "Le script etiquette.sh",
      // qrencode -t UTF8 draws with these block characters.
      stdout: ["Commande n° 2024-001", "Suivi : https://boutique.example/suivi/2024-001", { matches: /[▀▄█]{10}/, shown: "le QR code de suivi, dessiné avec ▀, ▄ et █" }],
    });
  });

  test(`l'image pèse au plus ${SMALL_BASE} + ${MAX_ADDED_MB} Mo, dont au plus ${MAX_ADDED_MB} Mo ajoutés par le Dockerfile`, { meta: { points: 3 } }, async () => {
    const small = await inspect_image(SMALL_BASE);
    await expect(ex).toWeighAtMost({ max_mb: small.size / 1_000_000 + MAX_ADDED_MB, max_mb_above_base: MAX_ADDED_MB });
  });

  test(`les couches gaspillent au plus ${MAX_WASTED_MB} Mo (fichiers supprimés ou remplacés plus tard)`, { meta: { points: 2 } }, async () => {
    await expect(ex).toWasteAtMost({ max_mb: MAX_WASTED_MB });
  });

  test(`l'image a au plus ${MAX_LAYERS} couches au-dessus de son image de base`, { meta: { points: 2 } }, async () => {
    await expect(ex).toHaveLayersAtMost(MAX_LAYERS, { above_base: true });
  });
});
