// The image's files as the checks read them, given by a table (no engine):
// existence, type, content, mode, owner, who may read, write or enter under
// the Unix rules; an exact tree; paths the image's user cannot change.
// files.docker.test.ts reads real images.
import { describe, expect, test, vi } from "vitest";
import type { FileEntry, ImageFileReader } from "../engine/files.js";
import type { ImageContents, LayerEntry } from "../layers/contents.js";
import { compute_waste } from "../layers/waste.js";
import { fake_exercise, image_facts, memory_files } from "../../test/helpers/fake-exercise.js";
import { SpecConfigError } from "./check.js";
import { check_files, check_read_only, check_tree } from "./files.js";

const image = vi.hoisted(() => ({ reader: undefined as ImageFileReader | undefined, layers: [] as string[][] }));
vi.mock("../engine/files.js", async (original) => ({
  ...(await original<typeof import("../engine/files.js")>()),
  with_image_files: async <T>(_options: unknown, use: (reader: ImageFileReader) => Promise<T>) => use(image.reader!),
}));
vi.mock("../engine/layers.js", async (original) => ({
  ...(await original<typeof import("../engine/layers.js")>()),
  analyze_waste: async () => {
    const contents: ImageContents = {
      image_id: "sha256:x",
      layers: image.layers.map((paths, index) => ({ index, diff_id: `sha256:${index}`, instruction: "", entries: paths.map((p): LayerEntry => ({ path: p, kind: "file", size: 1 })), bytes: paths.length })),
    };
    return { contents, waste: compute_waste(contents.layers) };
  },
}));

const ACCOUNTS: Record<string, Partial<FileEntry>> = {
  "/etc/passwd": { content: "root:x:0:0::/root:/bin/sh\napp:x:10001:10001::/app:/bin/sh\n" },
  "/etc/group": { content: "root:x:0:\napp:x:10001:\n" },
};
const ex = (user = "app") => fake_exercise({ image: image_facts({ user }) });

describe("check_files", () => {
  test("type, content, mode, owner and access: passes when all hold", async () => {
    image.reader = memory_files({
      ...ACCOUNTS,
      "/app/catalogue.json": { content: '{"produits": []}', mode: 0o644 },
      "/app/data": { type: "directory", mode: 0o755, uid: 10001, gid: 10001 },
    });
    expect(
      await check_files(ex(), [
        { path: "/app/catalogue.json", type: "file", contains: ["produits", { matches: /^\{/, shown: "un objet JSON" }], mode: 0o644, owner: "root", readable_by: "app", not_writable_by: "app" },
        { path: "/app/data", type: "directory", owner: 10001, writable_by: "app", mode: "not-world-writable" },
        { path: "/app/.env", exists: false },
      ]),
    ).toMatchObject({ ok: true });
    expect((await check_files(ex(), [{ path: "/app/catalogue.json", contains: { matches: /^\[/, shown: "un tableau JSON" } }])).failures).toEqual([
      "/app/catalogue.json ne contient pas un tableau JSON. Il contient : « {\"produits\": []} ». Vérifiez que c'est le bon fichier qui est copié.",
    ]);
  });

  test("every failure of every path said: absent, a secret present, another owner, a folder the user cannot write to", async () => {
    image.reader = memory_files({ ...ACCOUNTS, "/app/.env": { content: "SECRET=1" }, "/app/data": { type: "directory", mode: 0o755 } });
    const result = await check_files(ex(), [
      { path: "/app/catalogue.json" },
      { path: "/app/.env", exists: false },
      { path: "/app/data", owner: "app", writable_by: "app" },
    ]);
    expect(result.failures).toHaveLength(4);
    expect(result.failures[0]).toMatch(/^\/app\/catalogue\.json/);
  });

  test("a relative path, root asked not to write, an unknown type: the spec's mistakes", async () => {
    image.reader = memory_files({ ...ACCOUNTS, "/app/server.py": {} });
    await expect(check_files(ex(), { path: "app" })).rejects.toThrow(SpecConfigError);
    await expect(check_files(ex(), { path: "/app", not_writable_by: "root" })).rejects.toThrow(/désigne root, qui peut tout lire et modifier/);
    await expect(check_files(ex(), [])).rejects.toThrow(/donnez au moins un chemin/);
  });
});

describe("check_tree", () => {
  test("exactly this tree under the roots: types, modes, owners, contents, and nothing more", async () => {
    image.reader = memory_files({ ...ACCOUNTS, "/app/run.sh": { content: "#!/bin/sh\n", mode: 0o755 }, "/app/notes.txt": { content: "x" } });
    image.layers = [["/app/run.sh", "/app/notes.txt"]];
    expect(await check_tree(ex(), ["/app"], { "/app/run.sh": { type: "file", mode: 0o755 }, "/app/notes.txt": { type: "file", content: "x" } })).toMatchObject({ ok: true });
    const wrong = await check_tree(ex(), ["/app"], { "/app/run.sh": { type: "file", mode: 0o755, owner: "app" } });
    expect(wrong.failures).toEqual(expect.arrayContaining(["/app/run.sh appartient à root au lieu de app."]));
    expect(wrong.failures.some((f) => f.includes("/app/notes.txt"))).toBe(true);
    await expect(check_tree(ex(), ["app"], { "/app/x": { type: "file" } })).rejects.toThrow(SpecConfigError);
  });
});

describe("check_read_only", () => {
  test("the image's user cannot change the code; root can change anything; a folder of its own is writable", async () => {
    image.reader = memory_files({ ...ACCOUNTS, "/app/server.py": { content: "x" }, "/app/data": { type: "directory", uid: 10001 } });
    expect(await check_read_only(ex(), ["/app", "/app/server.py", "/etc"])).toMatchObject({ ok: true });
    expect((await check_read_only(ex(), ["/app/data", "/app/server.py"])).failures).toEqual(["L'utilisateur app peut écrire dans /app/data."]);
    expect((await check_read_only(ex(""), ["/app"])).failures[0]).toMatch(/^Le programme tourne en root : il peut écrire partout, y compris dans \/app\./);
    await expect(check_read_only(ex(), ["app"])).rejects.toThrow(SpecConfigError);
  });
});
