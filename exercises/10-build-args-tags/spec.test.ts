import { describe, test, expect } from "vitest";
import { use_exercise } from "../../grader/spec.js";

const ex = use_exercise(import.meta.url);
// The same Dockerfile built with --build-arg VERSION=2.5.0.
const other = ex.variant({ build_args: { VERSION: "2.5.0" } });

const VERSION_LABEL = "org.opencontainers.image.version";
const version = { arg: "VERSION", labels: [VERSION_LABEL], env: ["APP_VERSION"] };
const not_by_hand =
  "Construire la version 2.5.0 ne demande que --build-arg : le Dockerfile ne contient pas une version écrite en dur, il la lit dans ${VERSION}.";

describe("10 — ARG, LABEL et tags", () => {
  test("l'image se construit", { meta: { points: 1 } }, async () => {
    await expect(ex).toBuild();
  });

  test("les labels OCI title et version sont présents", { meta: { points: 2 } }, async () => {
    await expect
      .soft(ex, "Le label org.opencontainers.image.title est absent ou vide : ici, le titre de l'image est « catalogue ».")
      .toHaveOciLabels(["title"]);
    await expect.soft(ex).toPassBuildArg({ arg: "VERSION", labels: [VERSION_LABEL] });
  });

  test("sans --build-arg, la version est 1.0.0, dans le label et pour le programme", { meta: { points: 3 } }, async () => {
    await expect.soft(ex).toPassBuildArg({ ...version, value: "1.0.0" });
    await expect.soft(ex).toRun({ stdout: "catalogue version 1.0.0" });
  });

  test("avec --build-arg VERSION=2.5.0, le label et le programme changent de version", { meta: { points: 4 } }, async () => {
    await expect.soft(other, not_by_hand).toPassBuildArg(version);
    await expect.soft(other).toRun({ stdout: "catalogue version 2.5.0" });
  });
});
