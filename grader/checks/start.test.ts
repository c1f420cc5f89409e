// The image starts, without an engine: a fake exercise whose container starts
// or is refused. A refusal is explained from the image's files (a shell form
// on an image without /bin/sh, a binary whose C library is absent).
import { describe, expect, test, vi } from "vitest";
import type { ImageFileReader } from "../engine/files.js";
import { fake_exercise, image_facts, memory_files } from "../../test/helpers/fake-exercise.js";
import { BuildFailedError, CheckFailure } from "./check.js";
import { check_starts } from "./start.js";

const image_files = vi.hoisted(() => ({ reader: undefined as ImageFileReader | undefined }));
vi.mock("../engine/files.js", async (original) => ({
  ...(await original<typeof import("../engine/files.js")>()),
  with_image_files: async <T>(_options: unknown, use: (reader: ImageFileReader) => Promise<T>) => use(image_files.reader!),
}));

const refused = (message: string) => () => new CheckFailure(message, "");

describe("check_starts", () => {
  test("starts: passes; its own container removed, a server given kept for the checks given it", async () => {
    const ex = fake_exercise();
    expect(await check_starts(ex)).toMatchObject({ ok: true });
    const web = ex.server({ ports: [8080] });
    expect(await check_starts(ex, web)).toMatchObject({ ok: true });
    expect(ex.started.map((c) => c.removed)).toEqual([true, false]);
  });

  test("a shell form on an image without a shell: the exec form to write", async () => {
    image_files.reader = memory_files({});
    const ex = fake_exercise({ image: image_facts({ cmd: ["/bin/sh", "-c", "/app/serveur --port 8080"] }), container: refused("Le conteneur s'est arrêté aussitôt (code de sortie 127) au lieu de rester en marche.") });
    expect((await check_starts(ex)).failures).toEqual([
      'Le conteneur s\'est arrêté aussitôt (code de sortie 127) au lieu de rester en marche. La commande est en forme shell : Docker lance /bin/sh -c …, et l\'image n\'a pas de shell (pas de /bin/sh). Écrivez-la en forme exec : CMD ["/app/serveur", "--port", "8080"].',
    ]);
  });

  test("no such file for a program that is there: its C library's loader is missing", async () => {
    image_files.reader = memory_files({ "/app/prix-ttc": {} });
    const ex = fake_exercise({ image: image_facts({ entrypoint: ["/app/prix-ttc"] }), container: refused("Le conteneur n'a pas pu démarrer : exec /app/prix-ttc: no such file or directory") });
    expect((await check_starts(ex)).failures[0]).toMatch(/alors que \/app\/prix-ttc est bien dans l'image\. C'est le signe d'un binaire lié dynamiquement/);
  });

  test("another refusal is said as the start said it; a failed build is the build check's", async () => {
    image_files.reader = memory_files({});
    const ex = fake_exercise({ image: image_facts({ cmd: ["node", "server.js"] }), container: refused("Le conteneur tourne mais n'est pas prêt après 30 s.") });
    expect((await check_starts(ex)).failures).toEqual(["Le conteneur tourne mais n'est pas prêt après 30 s."]);
    const unbuilt = fake_exercise({
      container: () => new BuildFailedError({ ok: false, failure: { kind: "other", message: "x", engine_message: "" }, steps: [], duration_ms: 0 }, true),
    });
    await expect(check_starts(unbuilt)).rejects.toThrow(BuildFailedError);
  });
});
