import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { precheck_dockerfile, diagnose_engine_error, locate_step } from "./build-failure.js";
import { read_dockerfile } from "./index.js";
import type { BuildStep } from "../engine/build.js";

function folder(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dl-pre-"));
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
  return dir;
}

describe("failures named before building", () => {
  test("no Dockerfile", () => {
    const f = precheck_dockerfile(folder({ "app.py": "" }));
    expect(f?.kind).toBe("no-dockerfile");
    expect(f?.message).toMatch(/Aucun fichier Dockerfile.*Créez un fichier nommé exactement « Dockerfile »/);
  });
  test("a Dockerfile with the wrong name is pointed at", () => {
    const f = precheck_dockerfile(folder({ "dockerfile.txt": "FROM scratch" }));
    expect(f?.message).toMatch(/Il y a « dockerfile\.txt » : renommez-le exactement « Dockerfile »/);
  });
  test("empty or comments only", () => {
    for (const content of ["", "\n\n", "# rien\n# encore rien\n"]) {
      const f = precheck_dockerfile(folder({ Dockerfile: content }));
      expect(f?.kind).toBe("empty-dockerfile");
      expect(f?.message).toMatch(/ne contient aucune instruction.*FROM/);
    }
  });
  test("a line starting with && : the backslash of the line above is missing", () => {
    const f = precheck_dockerfile(folder({ Dockerfile: "FROM debian:bookworm-slim\nRUN apt-get update\n    && apt-get install -y jq\n" }));
    expect(f).toMatchObject({ kind: "unknown-instruction", line: 3 });
    expect(f?.message).toMatch(/^Ligne 3 : « && » n'est pas une instruction Dockerfile\. .*il manque un « \\ » à la fin de la ligne 2\./);
  });
  test("a misspelt instruction, with its line and the closest instruction", () => {
    const f = precheck_dockerfile(folder({ Dockerfile: "FROM python:3.11-slim\n# copie\nCOPPY app.py /app/\n" }));
    expect(f).toMatchObject({ kind: "unknown-instruction", line: 3 });
    expect(f?.message).toBe(
      "Ligne 3 : « COPPY » n'est pas une instruction Dockerfile. Vouliez-vous écrire « COPY » ? Corrigez cette ligne puis relancez.",
    );
  });
  test("an instruction before FROM", () => {
    const f = precheck_dockerfile(folder({ Dockerfile: "RUN echo\nFROM debian:bookworm-slim\n" }));
    expect(f).toMatchObject({ kind: "syntax", line: 1 });
  });
  test("only ARG lines: refused before the engine, whose BuildKit 26.1 crashes on a Dockerfile without a stage", () => {
    const f = precheck_dockerfile(folder({ Dockerfile: "ARG EDITION=communautaire\n" }));
    expect(f).toMatchObject({ kind: "syntax", line: 1, instruction: "ARG EDITION=communautaire" });
    expect(f?.message).toMatch(/^Le Dockerfile n'a aucune instruction FROM : il ne contient que des ARG.*FROM debian:bookworm-slim/);
  });
  test("ARG before FROM is fine", () => {
    expect(precheck_dockerfile(folder({ Dockerfile: "ARG V=3.11\nFROM python:${V}-slim\n" }))).toBeUndefined();
  });
  test("a # syntax= directive cannot work offline", () => {
    const f = precheck_dockerfile(folder({ Dockerfile: "# syntax=docker/dockerfile:1\nFROM scratch\n" }));
    expect(f?.kind).toBe("frontend-directive");
  });
});

const step = (instruction: string, extra: Partial<BuildStep> = {}): BuildStep => ({
  name: `[2/3] ${instruction}`,
  index: 2,
  total: 3,
  instruction,
  cached: false,
  output: [],
  ...extra,
});

describe("engine errors explained", () => {
  const parsed = read_dockerfile("FROM debian:bookworm-slim AS base\nRUN apt-get update \\\n  && apt-get install -y jq\nCOPY app.sh /app/\n");

  test("locates multi-line RUN steps and COPY steps", () => {
    expect(locate_step({ stage: "base", instruction: "RUN apt-get update   && apt-get install -y jq" }, parsed)).toBe(2);
    expect(locate_step({ instruction: "COPY app.sh /app/" }, parsed)).toBe(4);
  });

  test("a RUN that exits non-zero: line, exit code, output tail, hint for 127", () => {
    const f = diagnose_engine_error(
      "executor failed running [/bin/sh -c jqq .]: exit code: 127",
      [step("RUN apt-get update   && apt-get install -y jq", { stage: "base", error: "exit code: 127", output: ["/bin/sh: 1: jqq: not found"] })],
      parsed,
    );
    expect(f).toMatchObject({ kind: "run-failed", line: 2, exit_code: 127 });
    expect(f.message).toMatch(/^Ligne 2 .*code de sortie 127.*commande introuvable/);
    expect(f.output_tail).toEqual(["/bin/sh: 1: jqq: not found"]);
  });

  test("the newer engine wording of a failed RUN", () => {
    const f = diagnose_engine_error('process "/bin/sh -c exit 3" did not complete successfully: exit code: 3', [], parsed);
    expect(f).toMatchObject({ kind: "run-failed", exit_code: 3 });
  });

  test("ENV with an unquoted value of several words: its line, and the value quoted", () => {
    const env = read_dockerfile('FROM python:3.11-slim\nENV BOUTIQUE_NOM=Épicerie du Marché \\\n    SEUIL_ALERTE=5\nWORKDIR /app\n');
    const f = diagnose_engine_error(
      'failed to solve with frontend dockerfile.v0: failed to create LLB definition: Syntax error - can\'t find = in "du". Must be of the form: name=value',
      [],
      env,
    );
    expect(f).toMatchObject({ kind: "syntax", line: 2 });
    expect(f.message).toBe(
      "Ligne 2 : ENV lit « du » comme un nouveau réglage, sans « = » : la valeur s'arrête à la première espace. " +
        'Une valeur qui contient des espaces se met entre guillemets doubles : ENV BOUTIQUE_NOM="Épicerie du Marché".',
    );
  });

  test("CMD --help without brackets: read as a flag of CMD", () => {
    const cmd = read_dockerfile('FROM python:3.11-slim\nENTRYPOINT ["python3", "/app/salut.py"]\nCMD --help\n');
    const f = diagnose_engine_error("failed to solve with frontend dockerfile.v0: failed to create LLB definition: dockerfile parse error line 3: Unknown flag: help", [], cmd);
    expect(f).toMatchObject({ kind: "syntax", line: 3 });
    expect(f.message).toBe(
      'Ligne 3 : CMD --help sans crochets : Docker lit --help comme une option de l\'instruction CMD et refuse la ligne. Écrivez-le en forme exec : CMD ["--help"].',
    );
  });

  test("COPY --from with a path the stage never wrote: told the path is in that stage", () => {
    const two = read_dockerfile("FROM golang:1.19 AS build\nRUN go build -o /out/app .\nFROM scratch\nCOPY --from=build /src/app /app\n");
    const f = diagnose_engine_error('failed to compute cache key: "/src/app" not found: not found', [step("COPY --from=build /src/app /app", { error: "x" })], two);
    expect(f).toMatchObject({ kind: "copy-source-missing", line: 4 });
    expect(f.message).toMatch(/« \/src\/app » n'existe pas dans l'étape « build » : le chemin de COPY --from est celui où cette étape a écrit le fichier/);
  });

  test("a COPY source that does not exist", () => {
    const f = diagnose_engine_error('failed to compute cache key: "/app.sh" not found: not found', [step("COPY app.sh /app/", { error: "x" })], parsed);
    expect(f).toMatchObject({ kind: "copy-source-missing", line: 4 });
    expect(f.message).toMatch(/« app\.sh » est introuvable dans le contexte/);
  });

  test("Docker 26.1's wording of a missing COPY source, and of a path missing in an image read by COPY --from", () => {
    const f = diagnose_engine_error(
      'failed to solve: failed to compute cache key: failed to calculate checksum of ref 53cd17f6-9337-43f1-812a-897df5d1996f::5dxxya954skiq46vequnb1wk9: "/app.sh": not found',
      [step("COPY app.sh /app/", { error: "x" })],
      parsed,
    );
    expect(f).toMatchObject({ kind: "copy-source-missing", line: 4 });
    expect(f.message).toMatch(/« app\.sh » est introuvable dans le contexte/);
    const image = read_dockerfile("FROM debian:bookworm-slim\nCOPY --from=debian:bookworm-slim /absent /x\n");
    const g = diagnose_engine_error(
      "failed to solve: lstat /var/lib/docker/tmp/buildkit-mount1217568849/absent: no such file or directory",
      [step("COPY --from=debian:bookworm-slim /absent /x", { error: "x" })],
      image,
    );
    expect(g).toMatchObject({ kind: "copy-source-missing", line: 2 });
    expect(g.message).toMatch(/« \/absent » n'existe pas dans l'image « debian:bookworm-slim » : COPY --from lit ce chemin dans cette image/);
  });

  test("Docker 26.1's lowercase parse error of CMD --help", () => {
    const cmd = read_dockerfile('FROM python:3.11-slim\nENTRYPOINT ["python3", "/app/salut.py"]\nCMD --help\n');
    const f = diagnose_engine_error("failed to solve: dockerfile parse error on line 3: unknown flag: help", [], cmd);
    expect(f).toMatchObject({ kind: "syntax", line: 3 });
    expect(f.message).toMatch(/^Ligne 3 : CMD --help sans crochets/);
  });

  test("a base image that is absent and cannot be pulled", () => {
    const f = diagnose_engine_error(
      'failed to solve with frontend dockerfile.v0: failed to create LLB definition: failed to do request: Head "https://registry-1.docker.io/v2/library/debian/manifests/bookworm-slim": dial tcp: lookup registry-1.docker.io: no such host',
      [],
      parsed,
    );
    expect(f).toMatchObject({ kind: "base-image-missing", line: 1 });
    expect(f.message).toMatch(/l'image de base « debian:bookworm-slim » n'est pas sur cette machine/);
  });

  test("the FROM of a missing base image is found however the image is written", () => {
    const spelled = read_dockerfile("FROM golang:1.19 AS build\nARG X\nFROM docker.io/library/debian:bookworm-slim\n");
    const through_arg = read_dockerfile("ARG BASE=debian:bookworm-slim\nFROM golang:1.19 AS build\nFROM ${BASE}\n");
    const message = "pull access denied for debian:bookworm-slim, repository does not exist";
    expect(diagnose_engine_error(message, [], spelled).line).toBe(3);
    expect(diagnose_engine_error(message, [], through_arg).line).toBe(3);
  });

  test("a step is found with its flags, and in a named stage written in capitals", () => {
    const model = read_dockerfile("FROM golang:1.19 AS Build\nRUN go build -o /out/app .\nFROM scratch\nCOPY --from=build /out/app /app\nCOPY --from=build /etc/passwd /etc/passwd\n");
    expect(locate_step({ stage: "stage-1", instruction: "COPY --from=build /etc/passwd /etc/passwd" }, model)).toBe(5);
    expect(locate_step({ stage: "build", instruction: "RUN go build -o /out/app ." }, model)).toBe(2);
  });
});
