import { describe, test, expect } from "vitest";
import { use_exercise } from "../../grader/spec.js";

const ex = use_exercise(import.meta.url);

const EXPECTED_UID = 10001;
const DATA_DIR = "/app/data";
/** What the server must not be able to change: its own code and system folders. */
const READ_ONLY_PATHS = ["/app", "/app/server.py", "/etc", "/usr/bin", "/usr/local/lib/python3.11"];
// One server for the file, run as `docker run` would: with the image's USER.
const SERVER = { container: ex.server({ ports: [8000] }) };

describe("08 — USER : ne pas tourner en root", () => {
  test("l'image se construit", { meta: { points: 1 } }, async () => {
    await expect(ex).toBuild();
  });

  test("le serveur tourne sous un utilisateur nommé, non root, d'UID 10001", { meta: { points: 3 } }, async () => {
    await expect(ex).toServeAs({ uid: EXPECTED_UID, named: true, non_root: true }, SERVER);
  });

  test("le serveur peut écrire dans son dossier de données, qui est à lui", { meta: { points: 3 } }, async () => {
    const content = `essai ${Date.now()}`;
    await expect
      .soft(ex, `Le serveur doit pouvoir écrire dans ${DATA_DIR} : donnez ce dossier à son utilisateur (chown app:app) après l'avoir créé.`)
      .toServeHttp({ port: 8000, method: "POST", path: "/fichiers/essai.txt", request_body: content, status: 201 }, SERVER);
    await expect
      .soft(ex, "N'utilisez pas chmod 777 : donnez le dossier à l'utilisateur du serveur avec chown (« chown app:app data », pendant que le Dockerfile est encore root) et gardez des droits 755.")
      .toHaveFiles({ path: DATA_DIR, type: "directory", owner: EXPECTED_UID, mode: "not-world-writable" });
  });

  test("le serveur ne peut modifier ni son code ni les dossiers système", { meta: { points: 3 } }, async () => {
    await expect(
      ex,
      "Si le serveur est compromis, son code peut être réécrit. Laissez le code à root (COPY sans --chown, pas de chown -R sur /app) " +
        `et ne donnez à l'utilisateur que ${DATA_DIR}.`,
    ).toKeepReadOnly(READ_ONLY_PATHS);
  });
});
