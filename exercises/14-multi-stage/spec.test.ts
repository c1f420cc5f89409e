import { describe, test, expect } from "vitest";
import { use_exercise, inspect_image } from "../../grader/spec.js";

const ex = use_exercise(import.meta.url);

const SMALL_BASE = "debian:bookworm-slim";
const HEADROOM_MB = 30;
const MAX_ADDED_MB = 20;
const PORT = 8080;
// The service, started by the first check and asked by the second.
const service = ex.server({ ports: [PORT] });

const two_stages =
  `Compilez dans une première étape (FROM golang:1.19 AS build), puis commencez l'étape finale par « FROM scratch » ` +
  `(ou « FROM ${SMALL_BASE} ») et copiez-y seulement le binaire avec COPY --from=build.`;

describe("14 — Build multi-étapes", () => {
  test("l'image se construit", { meta: { points: 1 } }, async () => {
    await expect(ex).toBuild();
  });

  test("le Dockerfile a au moins deux étapes : une pour compiler, une pour l'image finale", { meta: { points: 2 } }, async () => {
    await expect(ex).toHaveStages({ min: 2 });
  });

  test("l'image finale ne contient ni Go ni compilateur C", { meta: { points: 2 } }, async () => {
    await expect(ex, two_stages).toLeaveOutBuildTools();
  });

  test(`l'image finale reste légère : au plus ${SMALL_BASE} + ${HEADROOM_MB} Mo, et ${MAX_ADDED_MB} Mo ajoutés à sa base`, { meta: { points: 2 } }, async () => {
    const small = await inspect_image(SMALL_BASE);
    await expect(ex).toWeighAtMost({ max_mb: small.size / 1_000_000 + HEADROOM_MB, max_mb_above_base: MAX_ADDED_MB });
  });

  test("le service répond : GET /prix?ht=49.90 donne 59,88 TTC", { meta: { points: 3 } }, async () => {
    await expect(
      ex,
      "Scratch n'a ni bibliothèque C ni shell. Go lie net/http à la bibliothèque C quand cgo est actif (c'est le cas par défaut " +
        "dans golang:1.19) : RUN CGO_ENABLED=0 go build -o /out/prix-ttc . donne un binaire statique.",
    ).toStart({ container: service });
    await expect(ex).toServeHttp({ port: PORT, path: "/prix?ht=49.90", json: { ht: 49.9, taux_tva: 20, ttc: 59.88 } }, { container: service });
  });
});
