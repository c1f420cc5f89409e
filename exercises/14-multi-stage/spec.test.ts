import { describe, test, expect } from "vitest";
import {
  use_exercise,
  expect_stage_count,
  check_files,
  expect_size_under,
  expect_http,
  inspect_image,
  CheckFailure,
  report,
  outcome,
  type GradedContainer,
} from "../../grader/index.js";

const ex = use_exercise(import.meta.url);

const SMALL_BASE = "debian:bookworm-slim";
const HEADROOM_MB = 30;
const MAX_ADDED_MB = 20;
const PORT = 8080;

// Where Go and a C compiler live in golang:1.19, gcc:12 and Debian images
// (the registry's and the locally built ones).
const COMPILERS: Array<[string, string]> = [
  ["/usr/local/go", "Go"],
  ["/usr/lib/go-1.19", "Go"],
  ["/usr/bin/go", "Go"],
  ["/usr/local/bin/go", "Go"],
  ["/usr/bin/gcc", "un compilateur C"],
  ["/usr/local/bin/gcc", "un compilateur C"],
  ["/usr/bin/cc", "un compilateur C"],
];

/**
 * Starts the server. A binary linked against the C library (the default when
 * cgo is on) cannot start on scratch, and the engine only says "no such file
 * or directory" about a file that is there: say why.
 */
async function start_server(): Promise<GradedContainer> {
  try {
    return await ex.start({ ports: [PORT] });
  } catch (error) {
    const text = `${(error as Error).message}\n${(error as CheckFailure).output ?? ""}`;
    if (error instanceof CheckFailure && /exec [^\n]*no such file or directory/i.test(text)) {
      throw new CheckFailure(
        "Le conteneur n'a pas pu lancer le programme : « no such file or directory », alors que le binaire est bien dans l'image. " +
          "C'est le signe d'un binaire lié dynamiquement à la bibliothèque C (glibc) : il cherche /lib64/ld-linux-x86-64.so.2, " +
          "qui n'existe pas dans scratch. Go lie net/http à la bibliothèque C quand cgo est actif (c'est le cas par défaut dans golang:1.19). " +
          "Compilez un binaire statique : RUN CGO_ENABLED=0 go build -o /out/prix-ttc .",
        error.output,
      );
    }
    throw error;
  }
}

describe("14 — Build multi-étapes", () => {
  test("l'image se construit", { meta: { points: 1 } }, async () => {
    const image = await ex.image();
    expect(image.id).toMatch(/^sha256:/);
  });

  test("le Dockerfile a au moins deux étapes : une pour compiler, une pour l'image finale", { meta: { points: 2 } }, () => {
    expect_stage_count(ex, { min: 2 });
  });

  test("l'image finale ne contient ni Go ni compilateur C", { meta: { points: 2 } }, async () => {
    const result = await check_files(ex, COMPILERS.map(([path]) => ({ path, exists: false })));
    const found = COMPILERS.filter(([path]) => result.failures.some((f) => f.startsWith(`${path} `)));
    if (found.length === 0) return;
    const stages = ex.dockerfile().stages;
    const final = stages.at(-1);
    throw new CheckFailure(
      `L'image finale contient encore ${[...new Set(found.map(([, what]) => what))].join(" et ")} : ` +
        `${found.map(([path]) => path).join(", ")}. ` +
        (stages.length < 2
          ? "Le Dockerfile n'a qu'une étape : tout ce qui a servi à compiler reste dans l'image. "
          : `L'étape finale part de « ${final?.image ?? "?"} », une image qui contient le compilateur. `) +
        `Compilez dans une première étape (FROM golang:1.19 AS build), puis commencez l'étape finale par « FROM scratch » ` +
        `(ou « FROM ${SMALL_BASE} ») et copiez-y seulement le binaire avec COPY --from=build.`,
    );
  });

  test(`l'image finale reste légère : au plus ${SMALL_BASE} + ${HEADROOM_MB} Mo, et ${MAX_ADDED_MB} Mo ajoutés à sa base`, { meta: { points: 2 } }, async () => {
    const small = await inspect_image(SMALL_BASE);
    await expect_size_under(ex, { max_mb: small.size / 1_000_000 + HEADROOM_MB, max_mb_above_base: MAX_ADDED_MB });
  });

  test("le service répond : GET /prix?ht=49.90 donne 59,88 TTC", { meta: { points: 3 } }, async () => {
    const container = await start_server();
    await expect_http(container, { port: PORT, path: "/prix?ht=49.90", json: { ht: 49.9, taux_tva: 20, ttc: 59.88 } });
  });
});
