// File checks on real images built here: a Debian image with files of every
// kind (owned by root or app, 0700 and group-only directories, symlinks, a
// broken link, an executable script, a leftover .env), and a scratch image
// without a shell nor /etc/passwd, read without ever starting a container.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ExerciseHandle } from "../spec/use-exercise.js";
import { remove_managed } from "../engine/cleanup.js";
import { docker, LABEL_SESSION } from "../engine/client.js";
import { clear_image_files_cache, read_image_files, with_image_files } from "../engine/files.js";
import { must } from "../../test/helpers/outcome.js";
import { temp_folders } from "../../test/helpers/folders.js";
import { SpecConfigError, type CheckOutcome } from "./check.js";
import {
  check_files,
} from "./files.js";

/** A check that must pass: its failures thrown as the student would read them. */

const session = randomUUID();
const folder = temp_folders();

const FILES = `FROM debian:bookworm-slim
RUN groupadd --gid 10001 app && useradd --uid 10001 --gid app --no-create-home app \\
 && groupadd --gid 3000 readers && usermod -aG readers app
COPY server.py /app/server.py
COPY config.ini /app/config.ini
RUN mkdir -p /app/data /app/cache /secret /shared \\
 && chown app:app /app/data && chmod 755 /app/data && chmod 777 /app/cache \\
 && chmod 700 /secret && echo "token=abc" > /secret/token && chmod 644 /secret/token \\
 && chown root:readers /shared && chmod 750 /shared && echo hi > /shared/note && chown root:readers /shared/note && chmod 640 /shared/note \\
 && ln -s /app/server.py /app/link.py && ln -s /nowhere /app/broken \\
 && printf '#!/bin/sh\\necho hi\\n' > /app/run.sh && chmod 755 /app/run.sh \\
 && echo "PASSWORD=hunter2" > /app/.env
USER app
`;
const CONFIG = "[server]\nlisten = 0.0.0.0\nport = 8080\ndebug = true\n";
const SCRATCH = "FROM scratch\nCOPY hello.txt /hello.txt\nCOPY --chown=10001:10001 data.txt /data/data.txt\n";

let files: ExerciseHandle;
let scratch: ExerciseHandle;

beforeAll(async () => {
  files = new ExerciseHandle("files-debian", folder({ Dockerfile: FILES, "server.py": "print('serveur')\n", "config.ini": CONFIG }), session);
  scratch = new ExerciseHandle("files-scratch", folder({ Dockerfile: SCRATCH, "hello.txt": "bonjour\n", "data.txt": "données\n" }), session);
  await files.image();
  await scratch.image();
});
afterAll(async () => {
  await Promise.all([files.dispose(), scratch.dispose()]);
  await remove_managed(session);
});

async function ours(): Promise<number> {
  const filters = JSON.stringify({ label: [`${LABEL_SESSION}=${session}`] });
  return (await docker().listContainers({ all: true, filters })).length;
}

describe("engine: read_image_files / with_image_files", () => {
  test("returns plain entries from a created container, then removes it", async () => {
    clear_image_files_cache();
    const image = (await files.image()).id;
    const entries = await read_image_files({ image, session, paths: ["/app/config.ini", "/app/data", "/app/link.py", "/nope"] });
    expect(entries["/app/config.ini"]).toEqual({
      path: "/app/config.ini", type: "file", mode: 0o644, uid: 0, gid: 0, size: CONFIG.length, content: CONFIG, content_truncated: false,
    });
    expect(entries["/app/data"]).toEqual({ path: "/app/data", type: "directory", mode: 0o755, uid: 10001, gid: 10001, size: 0 });
    expect(entries["/app/link.py"]).toMatchObject({ type: "symlink", link_target: "/app/server.py" });
    expect(entries["/nope"]).toBeNull();
    const followed = await read_image_files({ image, session, paths: ["/app/link.py"], follow_symlinks: true });
    expect(followed["/app/link.py"]).toMatchObject({ path: "/app/server.py", type: "file", content: "print('serveur')\n" });
    expect(await ours()).toBe(0);
  });

  test("caps the content it keeps", async () => {
    const image = (await files.image()).id;
    const entry = await with_image_files({ image, session, content_limit_bytes: 10 }, (r) => r.read("/app/config.ini"));
    expect(entry).toMatchObject({ content: CONFIG.slice(0, 10), content_truncated: true });
  });

  test("removes the container even when the caller fails", async () => {
    clear_image_files_cache();
    const image = (await files.image()).id;
    await expect(
      with_image_files({ image, session }, async (reader) => {
        await reader.stat("/app");
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await ours()).toBe(0);
  });

  test("reads a scratch image, which has no shell and no CMD", async () => {
    const image = (await scratch.image()).id;
    const entries = await read_image_files({ image, session, paths: ["/hello.txt", "/data/data.txt", "/bin/sh", "/etc/passwd"] });
    expect(entries["/hello.txt"]).toMatchObject({ type: "file", content: "bonjour\n", uid: 0 });
    expect(entries["/data/data.txt"]).toMatchObject({ type: "file", uid: 10001, gid: 10001 });
    expect(entries["/bin/sh"]).toBeNull();
    expect(entries["/etc/passwd"]).toBeNull();
    expect(await ours()).toBe(0);
  });
});

describe("exists or absent", () => {
  test("passes", async () => {
    await must(check_files(files, [
      { path: "/app/server.py" },
      { path: "/app/data/" },
      { path: "/app/.git", exists: false },
      { path: "/app/server.py/x", exists: false }, // through a file: the engine answers "not a directory"
      { path: "/app/broken" },
    ]));
  });
  test("fails listing every path at once", async () => {
    expect((await check_files(files, [{ path: "/app/missing.py" }, { path: "/opt/tool/run" }, { path: "/app/.env", exists: false }])).failures).toEqual([
      "/app/missing.py n'existe pas dans l'image. Vérifiez la destination de COPY/ADD et le WORKDIR.",
      "/opt/tool/run n'existe pas dans l'image. Le dossier /opt/tool n'existe pas non plus : vérifiez la destination de COPY/ADD et le WORKDIR.",
      "/app/.env ne devrait pas être dans l'image (c'est un fichier de 17 octets). Excluez-le du contexte de build avec .dockerignore, ne le copiez pas, ou supprimez-le dans le RUN qui le crée.",
    ]);
  });
});

describe("type", () => {
  test("passes: a link is a symlink, and a file through it", async () => {
    await must(check_files(files, [
      { path: "/app/data", type: "directory" },
      { path: "/app/link.py", type: "symlink" },
      { path: "/app/link.py", type: "file" },
      { path: "/bin/sh", type: "file" },
    ]));
  });
  test("fails, and a broken link is named as such", async () => {
    expect((await check_files(files, [{ path: "/app/server.py", type: "directory" }, { path: "/app/data", type: "symlink" }, { path: "/app/broken", type: "file" }])).failures).toEqual([
      "/app/server.py est un fichier, attendu un dossier.",
      "/app/data est un dossier, attendu un lien symbolique : créez-le avec RUN ln -s <cible> /app/data.",
      "/app/broken est un lien symbolique cassé : sa cible /nowhere n'existe pas. Corrigez la cible du lien ou copiez le fichier à sa place.",
    ]);
  });
});

describe("content", () => {
  test("passes with texts and patterns", async () => {
    await must(check_files(files, { path: "/app/config.ini", contains: ["port = 8080", { matches: /^listen\s*=\s*0\.0\.0\.0$/m, shown: "/^listen\\s*=\\s*0\\.0\\.0\\.0$/m" }], excludes: { matches: /password/i, shown: "/password/i" } }));
  });
  test("fails with what is missing, what should not be there and its line", async () => {
    expect((await check_files(files, { path: "/app/config.ini", contains: ["port = 9090", { matches: /workers/, shown: "/workers/" }], excludes: ["debug = true"] })).failures).toEqual([
      "/app/config.ini ne contient pas « port = 9090 » ni /workers/. Il contient : « [server]\nlisten = 0.0.0.0\nport = 8080\ndebug = true ». Vérifiez que c'est le bon fichier qui est copié.",
      "/app/config.ini contient « debug = true » (ligne 4) alors qu'il ne devrait pas : retirez-le du fichier avant de le copier dans l'image.",
    ]);
    expect((await check_files(files, { path: "/app/data", contains: "x" })).failures).toEqual([
      "/app/data est un dossier, pas un fichier : son contenu ne peut pas être vérifié.",
    ]);
  });
});

describe("mode", () => {
  test("passes: exact bits and not world-writable", async () => {
    await must(check_files(files, [{ path: "/app/run.sh", mode: 0o755 }, { path: "/app/data", mode: "not-world-writable" }, { path: "/tmp", mode: 0o1777 }]));
  });
  test("fails with the bits found, and what to write", async () => {
    expect((await check_files(files, [{ path: "/app/server.py", mode: 0o755 }, { path: "/app/cache", mode: "not-world-writable" }])).failures).toEqual([
      "/app/server.py a les droits 0644 (rw-r--r--) ; attendu 0755 (rwxr-xr-x). Écrivez RUN chmod 755 /app/server.py, ou copiez-le avec COPY --chmod=755.",
      "/app/cache est modifiable par tous les utilisateurs (droits 777). Retirez ce droit (RUN chmod o-w /app/cache) et donnez plutôt le dossier à l'utilisateur qui doit y écrire (chown).",
    ]);
  });
});

describe("owner and group", () => {
  test("passes by name and by id", async () => {
    await must(check_files(files, [
      { path: "/app/data", owner: "app", group: "app" },
      { path: "/app/data", owner: 10001, group: 10001 },
      { path: "/app/server.py", owner: "root", group: 0 },
    ]));
  });
  test("fails with the owner found, by name", async () => {
    expect((await check_files(files, [{ path: "/app/server.py", owner: "app", group: "readers" }, { path: "/app/data", owner: "ghost" }])).failures).toEqual([
      "/app/server.py appartient à root (uid 0) ; attendu : app (uid 10001). Copiez-le avec COPY --chown=app …, ou écrivez RUN chown app /app/server.py.",
      "/app/server.py a pour groupe root (gid 0) ; attendu : readers (gid 3000). Copiez-le avec COPY --chown=<utilisateur>:readers …, ou écrivez RUN chgrp readers /app/server.py.",
      "/app/data : l'utilisateur attendu comme propriétaire, « ghost », n'existe pas dans /etc/passwd de l'image : créez-le (RUN useradd ghost).",
    ]);
  });
});

describe("access by a user", () => {
  test("passes: owner writes, 777 lets anyone write, root writes anything, supplementary groups count, links are followed", async () => {
    await must(check_files(files, [
      { path: "/app/data", writable_by: ["app", 10001, "app:app"] },
      { path: "/app/cache", writable_by: "www-data" },
      { path: "/app/server.py", writable_by: ["root", 0, ""], not_writable_by: "app", readable_by: "app" },
      { path: "/shared/note", readable_by: "app", not_readable_by: "www-data" },
      { path: "/app/run.sh", executable_by: "app" },
      { path: "/bin/sh", executable_by: "app", not_writable_by: "app" },
      { path: "/secret/token", not_readable_by: "app", readable_by: "root" },
    ]));
  });

  test("fails saying which permission blocks and what to change", async () => {
    expect(
      (
        await check_files(files, [
          { path: "/app/server.py", writable_by: "app", executable_by: "app" },
          { path: "/secret/token", readable_by: "app" },
          { path: "/app/cache", not_writable_by: "app" },
          { path: "/app/data", writable_by: "www-data" },
        ])
      ).failures,
    ).toEqual([
      "app (uid 10001) ne peut pas modifier /app/server.py : propriétaire root (uid 0), groupe root (gid 0), droits 0644 (rw-r--r--) ; les autres utilisateurs n'ont pas le droit d'écriture (w). Donnez le fichier à cet utilisateur (COPY --chown=app …, ou RUN chown app /app/server.py).",
      "app (uid 10001) ne peut pas exécuter /app/server.py : propriétaire root (uid 0), groupe root (gid 0), droits 0644 (rw-r--r--) ; les autres utilisateurs n'ont pas le droit d'exécution (x). Rendez-le exécutable : RUN chmod +x /app/server.py, ou COPY --chmod=755.",
      "app (uid 10001) ne peut pas lire /secret/token : il ne peut pas entrer dans le dossier /secret (propriétaire root (uid 0), groupe root (gid 0), droits 0700 (rwx------)). Donnez-lui ce droit (RUN chmod o+x /secret, ou chown).",
      "app (uid 10001) peut créer des fichiers dans /app/cache (propriétaire root (uid 0), groupe root (gid 0), droits 0777 (rwxrwxrwx)) alors qu'il ne devrait pas. Ce qui est le code ou la configuration de l'application doit appartenir à root et n'être modifiable que par lui : copiez-le sans --chown, ou retirez le droit d'écriture (RUN chmod go-w …).",
      "www-data (uid 33) ne peut pas créer des fichiers dans /app/data : propriétaire app (uid 10001), groupe app (gid 10001), droits 0755 (rwxr-xr-x) ; les autres utilisateurs n'ont pas le droit d'écriture (w). Donnez le dossier à cet utilisateur (COPY --chown=www-data …, ou RUN chown www-data /app/data).",
    ]);
  });

  test("an unknown user is the student's failure; not_writable_by root is the spec's mistake", async () => {
    expect((await check_files(files, { path: "/app/data", writable_by: "ghost" })).failures).toEqual([
      "/app/data : l'utilisateur « ghost » n'existe pas dans /etc/passwd de l'image ; créez cet utilisateur dans l'image (RUN useradd ghost) ou désignez-le par son UID.",
    ]);
    await expect(check_files(files, { path: "/app/data", not_writable_by: "root" })).rejects.toThrow(SpecConfigError);
  });
});

describe("scratch: no shell, no /etc/passwd", () => {
  test("passes: exists, content, numeric owner and access by UID", async () => {
    await must(check_files(scratch, [
      { path: "/hello.txt", contains: "bonjour", owner: 0, mode: 0o644 },
      { path: "/data/data.txt", owner: 10001, writable_by: 10001, not_writable_by: 20000 },
      { path: "/etc/passwd", exists: false },
      { path: "/bin/sh", exists: false },
    ]));
  });
  test("fails: a name cannot be resolved without /etc/passwd", async () => {
    expect((await check_files(scratch, [{ path: "/hello.txt", owner: "app" }, { path: "/data/data.txt", writable_by: "app" }])).failures).toEqual([
      "/hello.txt : l'utilisateur attendu comme propriétaire, « app », n'existe pas dans l'image (pas de /etc/passwd) : créez-le (RUN useradd app).",
      "/data/data.txt : l'image n'a pas de fichier /etc/passwd, donc pas d'utilisateur « app » ; créez cet utilisateur dans l'image (RUN useradd app) ou désignez-le par son UID.",
    ]);
  });
});

describe("configuration mistakes of a spec", () => {
  test.each([
    ["a relative path", { path: "app/server.py" }],
    ["exists: false with another expectation", { path: "/app/.env", exists: false, mode: 0o600 }],
    ["an impossible mode", { path: "/app", mode: 0o10000 }],
    ["an empty pattern", { path: "/app/config.ini", contains: "" }],
    ["an unknown type", { path: "/app", type: "folder" as "directory" }],
    ["a negative UID", { path: "/app", writable_by: -1 }],
    ["an empty owner", { path: "/app", owner: "" }],
  ])("%s", async (_, expectation) => {
    await expect(check_files(files, expectation)).rejects.toThrow(SpecConfigError);
  });
  test("no path at all", async () => {
    await expect(check_files(files, [])).rejects.toThrow(/^Erreur dans le spec de l'exercice \(pas dans votre Dockerfile\) : donnez au moins un chemin/);
  });
});

test("no container of ours is left", async () => {
  expect(await ours()).toBe(0);
});
