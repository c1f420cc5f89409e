import { describe, test, expect } from "vitest";
import { use_exercise } from "../../grader/spec.js";

const ex = use_exercise(import.meta.url);

const PORT = 8000;
const visit = { http: { port: PORT, path: "/" } };

describe("09 — VOLUME : persister les données", () => {
  test("l'image se construit", { meta: { points: 1 } }, async () => {
    await expect(ex).toBuild();
  });

  test("/data est déclaré comme volume", { meta: { points: 2 } }, async () => {
    await expect(ex).toDeclareVolumes("/data", { written_by: "le compteur" });
  });

  test("le compte survit à la suppression du conteneur, avec le même volume nommé", { meta: { points: 4 } }, async () => {
    // Every GET / counts a visit: the write is visit 1, the read in the same container
    // visit 2, the read in a new container on the same volume visit 3 (1 if the count was lost).
    await expect(
      ex,
      "Le compteur garde ses visites dans /data : un volume neuf reprend le contenu et le propriétaire du dossier de l'image, " +
        "qui doit donc exister et appartenir à app (« RUN mkdir /data && chown app:app /data » avant « VOLUME /data »).",
    ).toPersistInVolume({ path: "/data", write: visit, read: visit, expect: { matches: /"visites": [23]\b/, shown: "un compte qui continue (« \"visites\": 2 », puis 3 dans le conteneur recréé)" }, container: { ports: [PORT] } });
  });

  test("/data appartient à l'utilisateur de l'application, qui n'est pas root", { meta: { points: 3 } }, async () => {
    await expect
      .soft(
        ex,
        "Le compteur tourne en root. Gardez « USER app » : un problème de droits sur un volume se règle en donnant " +
          "le dossier à l'utilisateur (chown), pas en repassant root.",
      )
      .toRunAs({ non_root: true });
    // The image's own user, whatever its name: it is the one that writes in the volume.
    const user = (await ex.image()).facts.config.user.split(":")[0] || "app";
    await expect
      .soft(
        ex,
        "Un volume neuf reprend le contenu et le propriétaire du dossier de l'image : créé par « VOLUME /data » seul, " +
          "/data appartient à root (UID 0) et le compteur ne peut pas y écrire. " +
          "Ajoutez « RUN mkdir /data && chown app:app /data » avant « VOLUME /data ».",
      )
      .toHaveFiles({ path: "/data", type: "directory", owner: /^\d+$/.test(user) ? Number(user) : user });
  });
});
