import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { files_to_open, find_editor, open_beside } from "./editor.js";

const bin_with = (...programs: string[]): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dl-bin-"));
  for (const program of programs) fs.writeFileSync(path.join(dir, program), `#!/bin/sh\necho "$@" > ${dir}/${program}.args\n`, { mode: 0o755 });
  return dir;
};

describe("which editor opens the exercise", () => {
  test("VS Code's terminal with `code` (or `codium`) on the PATH: beside the loop, first", () => {
    const bin = bin_with("code");
    expect(find_editor({ edit_cmd: "gedit" }, { TERM_PROGRAM: "vscode", PATH: bin, EDITOR: "vim" })).toEqual({ command: ["code"], kind: "beside", from: "vscode" });
    expect(find_editor({}, { TERM_PROGRAM: "vscode", PATH: bin_with("codium") })).toMatchObject({ command: ["codium"] });
    // VS Code's terminal without its command: the next choice.
    expect(find_editor({}, { TERM_PROGRAM: "vscode", PATH: bin_with(), EDITOR: "nano" })).toMatchObject({ command: ["nano"], kind: "terminal" });
  });

  test("--edit-cmd, its words split as a shell does; then VISUAL, then EDITOR (a terminal editor); --no-editor: none", () => {
    expect(find_editor({ edit_cmd: `emacsclient -n --alternate-editor ""` }, { EDITOR: "vim" })).toEqual({
      command: ["emacsclient", "-n", "--alternate-editor", ""],
      kind: "beside",
      from: "--edit-cmd",
    });
    expect(find_editor({}, { VISUAL: "vim -p", EDITOR: "nano" })).toEqual({ command: ["vim", "-p"], kind: "terminal", from: "VISUAL" });
    expect(find_editor({}, { EDITOR: "nano" })).toEqual({ command: ["nano"], kind: "terminal", from: "EDITOR" });
    expect(find_editor({}, {})).toBeUndefined();
    expect(find_editor({ editor: false, edit_cmd: "code" }, { TERM_PROGRAM: "vscode", PATH: bin_with("code") })).toBeUndefined();
  });

  test("the files: the editable ones that exist (every one of a multi-file exercise), else the first", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dl-ex-"));
    expect(files_to_open(dir, ["Dockerfile", ".dockerignore"])).toEqual([path.join(dir, "Dockerfile")]);
    for (const f of ["Dockerfile", "Dockerfile.outils"]) fs.writeFileSync(path.join(dir, f), "");
    expect(files_to_open(dir, ["Dockerfile", "Dockerfile.outils", ".dockerignore"])).toEqual([path.join(dir, "Dockerfile"), path.join(dir, "Dockerfile.outils")]);
  });

  test("an editor beside the loop is started with the files and left running; one that cannot start says why", async () => {
    const bin = bin_with("code");
    expect(await open_beside({ command: [path.join(bin, "code"), "--reuse-window"], kind: "beside", from: "vscode" }, ["/tmp/a/Dockerfile"])).toBeUndefined();
    // The shell's redirection makes the file before it writes the line: wait for the line.
    const written = (): boolean => fs.existsSync(path.join(bin, "code.args")) && fs.readFileSync(path.join(bin, "code.args"), "utf8").includes("\n");
    for (let i = 0; i < 100 && !written(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(fs.readFileSync(path.join(bin, "code.args"), "utf8").trim()).toBe("--reuse-window /tmp/a/Dockerfile");
    expect(await open_beside({ command: ["/no/such/editor"], kind: "beside", from: "--edit-cmd" }, ["x"])).toMatch(/ENOENT/);
  });
});
