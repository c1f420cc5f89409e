import { afterAll, describe, test, expect } from "vitest";
import { use_exercise, remove_publications, type PublicationOptions } from "../../grader/spec.js";

const ex = use_exercise(import.meta.url);
// The registries, tags and copies the publication made, removed after the file's checks.
afterAll(() => remove_publications(ex), 60_000);

/** publier.sh names localhost:5000; the grader's own registry takes its place. */
const PUBLICATION: PublicationOptions = { script: "publier.sh", registry: "localhost:5000" };
const TAGS = ["1", "1.4", "1.4.2", "latest"];
const PIN =
  "Lisez le digest après le push : CATALOGUE=$(docker inspect --format '{{index .RepoDigests 0}}' localhost:5000/catalogue:1.4.2), " +
  "puis docker build -f Dockerfile.rapport --build-arg CATALOGUE=\"$CATALOGUE\" …";

describe("18 — Tags et registre", () => {
  test("publier.sh ne contient que des commandes que le correcteur exécute", { meta: { points: 1 } }, async () => {
    await expect(ex).toHavePublishScript(PUBLICATION);
  });

  test("le script s'exécute : builds, tags et pushes, dans l'ordre", { meta: { points: 2 } }, async () => {
    await expect(ex).toPublish(PUBLICATION);
  });

  test("le registre a catalogue aux tags 1.4.2, 1.4, 1 et latest", { meta: { points: 2 } }, async () => {
    await expect(ex).toPublish({ ...PUBLICATION, repository: "catalogue", tags: TAGS });
  });

  test("les quatre tags désignent la même image (un seul digest)", { meta: { points: 1 } }, async () => {
    await expect(ex).toPublish({ ...PUBLICATION, repository: "catalogue", tags: TAGS, one_digest: true });
  });

  test("rapport:1.0.0 est poussé, et construit sur le catalogue épinglé par un digest", { meta: { points: 2 } }, async () => {
    await expect(ex, PIN).toPublish({ ...PUBLICATION, repository: "rapport", tags: ["1.0.0"], from_digest: true });
  });

  test("le digest épinglé est celui de catalogue:1.4.2, et le rapport en reprend les couches", { meta: { points: 2 } }, async () => {
    await expect(ex, "Dockerfile.rapport part de FROM ${CATALOGUE}, l'argument qui porte ce digest.").toPublish({
      ...PUBLICATION,
      repository: "rapport",
      tags: ["1.0.0"],
      from_digest: "catalogue:1.4.2",
    });
  });
});
