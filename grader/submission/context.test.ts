import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { plan_context, ContextRefusedError } from "./context.js";

const dirs: string[] = [];
function folder(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dl-ctx-"));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe("plan_context honours .dockerignore like Docker", () => {
  test("excludes patterns, keeps ! exceptions, matches ** and nested paths", () => {
    const dir = folder({
      Dockerfile: "FROM scratch\n",
      ".dockerignore": "# secrets\n.env\n*.log\n!keep.log\nnode_modules\n**/secret.txt\ndocs/*.md\n",
      ".env": "TOKEN=x",
      "a.log": "",
      "keep.log": "",
      "node_modules/x/index.js": "",
      "src/app.py": "",
      "src/deep/secret.txt": "",
      "docs/readme.md": "",
      "docs/img.png": "",
    });
    const context = plan_context(dir);
    expect(context.entries).toEqual(
      expect.arrayContaining(["Dockerfile", ".dockerignore", "keep.log", "src/app.py", "docs/img.png"]),
    );
    for (const gone of [".env", "a.log", "node_modules", "node_modules/x/index.js", "src/deep/secret.txt", "docs/readme.md"]) {
      expect(context.entries).not.toContain(gone);
    }
    expect(context.ignored).toEqual(expect.arrayContaining([".env", "a.log", "node_modules", "src/deep/secret.txt"]));
  });

  test("re-includes a file below an excluded folder", () => {
    const dir = folder({ Dockerfile: "", ".dockerignore": "build\n!build/keep.txt\n", "build/keep.txt": "k", "build/drop.txt": "d" });
    const context = plan_context(dir);
    expect(context.entries).toContain("build/keep.txt");
    expect(context.entries).toContain("build");
    expect(context.entries).not.toContain("build/drop.txt");
  });

  test("always sends the Dockerfile, even when ignored", () => {
    const dir = folder({ Dockerfile: "", ".dockerignore": "Dockerfile\n.dockerignore\n" });
    expect(plan_context(dir).entries).toEqual([".dockerignore", "Dockerfile"]);
  });

  test("counts bytes and refuses a context over the limit", () => {
    const dir = folder({ Dockerfile: "FROM scratch\n", "big.bin": "x".repeat(5000) });
    expect(plan_context(dir).bytes).toBe(13 + 5000);
    expect(() => plan_context(dir, 1000)).toThrow(ContextRefusedError);
    expect(() => plan_context(dir, 1000)).toThrow(/dépasse/);
  });

  test("refuses a symbolic link that leads outside the folder, accepts one inside", () => {
    const dir = folder({ Dockerfile: "", "real.txt": "r" });
    fs.symlinkSync("real.txt", path.join(dir, "inside.txt"));
    expect(plan_context(dir).entries).toContain("inside.txt");
    fs.symlinkSync("/etc/passwd", path.join(dir, "passwd"));
    expect(() => plan_context(dir)).toThrow(/lien symbolique « passwd » mène hors du dossier/);
  });

  test("an outside link that .dockerignore excludes is not sent, so not refused", () => {
    const dir = folder({ Dockerfile: "", ".dockerignore": "passwd\n" });
    fs.symlinkSync("/etc/passwd", path.join(dir, "passwd"));
    expect(plan_context(dir).entries).not.toContain("passwd");
  });
});
