// The checks written for exercises 10, 11, 14 and 16, on small images built
// here: the build context (context.ts), a build argument reaching labels and
// ENV (build-args.ts), build tools left in a final image (toolchain.ts), a
// dynamically linked binary or a shell form on scratch (start.ts).
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, test } from "vitest";
import { ExerciseHandle } from "../spec/use-exercise.js";
import { remove_managed } from "../engine/cleanup.js";
import { temp_folders } from "../../test/helpers/folders.js";
import { check_context } from "./context.js";
import { check_build_arg } from "./build-args.js";
import { check_no_build_tools } from "./toolchain.js";
import { check_starts } from "./start.js";

const session = randomUUID();
const folder = temp_folders();
const handles: ExerciseHandle[] = [];
const handle = (id: string, files: Record<string, string>): ExerciseHandle => {
  const h = new ExerciseHandle(id, folder(files), session);
  handles.push(h);
  return h;
};
afterAll(async () => {
  await Promise.all(handles.map((h) => h.dispose()));
  await remove_managed(session);
}, 60_000);

describe("check_context", () => {
  const app = {
    Dockerfile: "FROM debian:bookworm-slim\nCOPY app.txt /app/\n",
    "app.txt": "app\n",
    "package.json": "{}\n",
    ".env": "SECRET=1\n",
    "logs/a.log": "x".repeat(3000),
    "tests/t.txt": "test\n",
  };

  test("a file the build needs, excluded by .dockerignore, is named with the line to remove", async () => {
    const ex = handle("ctx-lost", { ...app, ".dockerignore": "*.json\n.env\nlogs\ntests\n" });
    const result = await check_context(ex, { sends: ["package.json", "app.txt"] });
    expect(result.failures).toEqual([
      "Le .dockerignore exclut package.json, dont l'application a besoin : retirez la ligne qui le vise (ou ajoutez une exception « !package.json » après elle).",
    ]);
  });

  test("what must stay out is reported once per file, under the first pattern, with the size budget", async () => {
    const ex = handle("ctx-sent", app);
    const result = await check_context(ex, {
      leaves_out: [
        { pattern: ".env", why: "les secrets" },
        { pattern: "logs", why: "les journaux" },
        { pattern: "*.log", why: "les journaux" },
        { pattern: "tests/", why: "les tests" },
      ],
      max_bytes: 2_000,
    });
    expect(result.failures).toHaveLength(4);
    expect(result.failures[0]).toMatch(/^Le contexte envoyé au moteur contient \.env \(les secrets : 1 fichier, 9 o\)\. Ajoutez « \.env » au \.dockerignore/);
    expect(result.failures[1]).toMatch(/contient logs \(les journaux : 1 fichier/);
    expect(result.failures[2]).toMatch(/contient tests \(les tests : 1 fichier/);
    expect(result.failures[3]).toMatch(/^Le contexte de build pèse .*, au-delà de 2,0 Ko/);
  });

  test("a context with everything excluded passes", async () => {
    const ex = handle("ctx-ok", { ...app, ".dockerignore": ".env\nlogs\ntests\n" });
    expect((await check_context(ex, { sends: ["app.txt"], leaves_out: [{ pattern: ".env", why: "les secrets" }], max_bytes: 2_000 })).ok).toBe(true);
  });
});

describe("check_build_arg", () => {
  const labels = "LABEL org.opencontainers.image.version=\"${VERSION}\"\n";
  test("the default and a --build-arg value reach the label and ENV", async () => {
    const ex = handle("arg-ok", { Dockerfile: `FROM debian:bookworm-slim\nARG VERSION=1.0.0\n${labels}ENV APP_VERSION=\${VERSION}\n` });
    const expected = { arg: "VERSION", labels: ["org.opencontainers.image.version"], env: ["APP_VERSION"] };
    expect((await check_build_arg(ex, { ...expected, value: "1.0.0" })).ok).toBe(true);
    expect((await check_build_arg(ex.variant({ build_args: { VERSION: "2.5.0" } }), expected)).ok).toBe(true);
  });

  test("an ARG declared before FROM only: the label is empty, and the fix is said", async () => {
    const ex = handle("arg-before-from", { Dockerfile: `ARG VERSION=1.0.0\nFROM debian:bookworm-slim\n${labels}` });
    expect((await check_build_arg(ex, { arg: "VERSION", labels: ["org.opencontainers.image.version"] })).failures).toEqual([
      "Sans --build-arg, le label org.opencontainers.image.version est vide : il lit un argument VERSION sans valeur. " +
        "Un ARG déclaré avant FROM n'est visible qu'à la ligne FROM : redéclarez « ARG VERSION » après FROM (ligne 1).",
    ]);
  });

  test("a value written by hand, and an ARG never copied into ENV", async () => {
    const ex = handle("arg-by-hand", { Dockerfile: 'FROM debian:bookworm-slim\nARG VERSION=1.0.0\nLABEL org.opencontainers.image.version="1.0.0"\n' });
    const failures = (await check_build_arg(ex.variant({ build_args: { VERSION: "2.5.0" } }), {
      arg: "VERSION",
      labels: ["org.opencontainers.image.version"],
      env: ["APP_VERSION"],
    })).failures;
    expect(failures).toHaveLength(2);
    expect(failures[0]).toMatch(/^Construite avec --build-arg VERSION=2\.5\.0, le label .* vaut « 1\.0\.0 » au lieu de « 2\.5\.0 »\. .*pas une valeur écrite en dur\.$/);
    expect(failures[1]).toMatch(/APP_VERSION n'est pas définie dans l'image\. Un ARG n'existe que pendant le build .*« ENV APP_VERSION=\$\{VERSION\} »\.$/);
  });
});

describe("check_no_build_tools and check_starts", () => {
  test("a compiler left in the final stage is named, with the stage's base", async () => {
    const ex = handle("tools", { Dockerfile: "FROM debian:bookworm-slim AS build\nRUN true\nFROM debian:bookworm-slim\nRUN touch /usr/bin/gcc\n" });
    expect((await check_no_build_tools(ex)).failures).toEqual([
      "L'image finale contient encore un compilateur C : /usr/bin/gcc. L'étape finale part de « debian:bookworm-slim », une image qui contient ces outils : " +
        "elle devrait partir d'une image sans compilateur et ne recevoir que le résultat de la compilation (COPY --from).",
    ]);
  });

  test("a dynamically linked program on scratch is told apart from a missing one", async () => {
    const dynamic = handle("start-dynamic", {
      Dockerfile: 'FROM debian:bookworm-slim AS build\nFROM scratch\nCOPY --from=build /bin/sleep /sleep\nENTRYPOINT ["/sleep", "60"]\n',
    });
    const result = await check_starts(dynamic);
    expect(result.failures[0]).toMatch(/alors que \/sleep est bien dans l'image\. C'est le signe d'un binaire lié dynamiquement/);
    const missing = handle("start-missing", { Dockerfile: 'FROM scratch\nCOPY Dockerfile /Dockerfile\nENTRYPOINT ["/sleep"]\n' });
    expect((await check_starts(missing)).failures[0]).not.toMatch(/lié dynamiquement/);
    const shell = handle("start-shell", { Dockerfile: "FROM scratch\nCOPY Dockerfile /serveur\nENTRYPOINT /serveur --port 80\n" });
    expect((await check_starts(shell)).failures[0]).toMatch(
      /La commande est en forme shell : .*pas de \/bin\/sh\)\. Écrivez-la en forme exec : ENTRYPOINT \["\/serveur", "--port", "80"\]\.$/,
    );
  });
});
