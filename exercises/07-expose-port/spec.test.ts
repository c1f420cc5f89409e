import { describe, test, expect } from "vitest";
import { use_exercise } from "../../grader/spec.js";

const ex = use_exercise(import.meta.url);

// One server for the file, started like `docker run -P`: every exposed TCP
// port published. It is ready once it has printed its start-up line
// (« Serveur à l'écoute sur le port N », from server.js).
const LIKE_RUN_P = { container: ex.server({ publish_exposed: true, wait_for: { log: /coute sur le port/ }, limits: { timeout_ms: 15_000 } }) };
const PORT_ADVICE = "Ici, server.js écoute sur le port donné par la variable PORT : réglez-la avec ENV PORT=8080 pour qu'elle corresponde au port exposé.";

describe("07 — EXPOSE et ports", () => {
  test("l'image se construit", { meta: { points: 1 } }, async () => {
    await expect(ex).toBuild();
  });

  test("l'image expose le port 8080 en TCP, et lui seul", { meta: { points: 3 } }, async () => {
    const advice = "Le serveur parle HTTP, et HTTP passe par TCP : n'exposez que le port 8080 en TCP (« EXPOSE 8080 », TCP par défaut).";
    await expect.soft(ex, advice).toExpose(8080, { only: true });
    await expect.soft(ex).toHaveInstructions({ expose_without_mapping: true });
  });

  test("le serveur écoute sur le port exposé, sur toutes les interfaces", { meta: { points: 3 } }, async () => {
    await expect(ex, PORT_ADVICE).toListenOnExposedPorts(LIKE_RUN_P);
  });

  test("avec docker run -P, le serveur répond en HTTP sur le port publié", { meta: { points: 3 } }, async () => {
    await expect(ex, PORT_ADVICE).toAnswerOnExposedPorts({ path: "/", body: "Bonjour depuis Node.js" }, LIKE_RUN_P);
  });
});
