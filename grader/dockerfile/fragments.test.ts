// The normal form of a Dockerfile's fragments: what a copy changes without
// changing the image gives the same fragments; what changes the image does not.
import { describe, expect, test } from "vitest";
import { dockerfile_fragments } from "./fragments.js";

const texts = (dockerfile: string): string[] => dockerfile_fragments(dockerfile).map((f) => f.text).sort();
const same = (a: string, b: string): void => expect(texts(a)).toEqual(texts(b));
const differ = (a: string, b: string): void => expect(texts(a)).not.toEqual(texts(b));

describe("dockerfile_fragments", () => {
  test("image references as Docker reads them: registry, library/, latest", () => {
    same("FROM python:3.11-slim\n", "from docker.io/library/python:3.11-slim\n");
    same("FROM python\n", "FROM index.docker.io/library/python:latest\n");
    differ("FROM python:3.11-slim\n", "FROM python:3.12-slim\n");
  });

  test("case of keywords, spacing, continuations and comments change nothing", () => {
    same(
      'FROM python:3.11-slim\nCOPY app.py /app/\nCMD ["python3", "/app/app.py"]\n',
      '# mon Dockerfile\nfrom python:3.11-slim\n\n# le script\ncopy   app.py   /app/\ncmd [ "python3",\\\n  "/app/app.py" ]\n',
    );
  });

  test("a variable the Dockerfile names and uses is renamed away, its uses read as its value", () => {
    same(
      "FROM python:3.11-slim\nARG APP_HOME=/srv/app\nWORKDIR $APP_HOME\nCOPY app.py ${APP_HOME}/\n",
      "FROM python:3.11-slim\nARG BASE=/srv/app\nWORKDIR ${BASE}\nCOPY app.py $BASE/\n",
    );
    // Not used by the Dockerfile: configuration a program reads, whose name is what it means.
    differ("FROM python:3.11-slim\nENV PYTHONUNBUFFERED=1\n", "FROM python:3.11-slim\nENV UNBUFFERED=1\n");
    // The value still counts.
    differ("FROM python:3.11-slim\nARG D=/app\nWORKDIR $D\n", "FROM python:3.11-slim\nARG D=/srv\nWORKDIR $D\n");
  });

  test("one RUN of commands joined by && gives the commands of several RUNs; an install's packages and options in one order", () => {
    same(
      "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl git && rm -rf /var/lib/apt/lists/*\n",
      "FROM debian:bookworm-slim\nRUN apt-get update\nRUN apt-get install --no-install-recommends -y git curl \\\n    && rm -rf /var/lib/apt/lists/*\n",
    );
    same("FROM python:3.11-slim\nRUN pip install flask requests\n", 'FROM python:3.11-slim\nRUN ["pip", "install", "requests", "flask"]\n');
    // A command's options in any order; its operands keep theirs: it may matter.
    same("FROM debian:bookworm-slim\nRUN useradd --uid 10001 --no-create-home app\n", "FROM debian:bookworm-slim\nRUN useradd --no-create-home --uid 10001 app\n");
    differ("FROM debian:bookworm-slim\nRUN cp a b\n", "FROM debian:bookworm-slim\nRUN cp b a\n");
    expect(texts("FROM debian:bookworm-slim\nRUN sudo apt-get install -y curl\n")).toContain("RUN apt-get install -y curl");
  });

  test("ENV, ARG and LABEL pairs, ports, COPY sources and flags in any order", () => {
    same("FROM nginx:1.22\nENV A=1 B=2\nLABEL x=1 y=2\n", "FROM nginx:1.22\nLABEL y=2\nENV B=2\nLABEL x=1\nENV A=1\n");
    same("FROM nginx:1.22\nEXPOSE 80 443\n", "FROM nginx:1.22\nEXPOSE 443/tcp\nEXPOSE 80/TCP\n");
    differ("FROM nginx:1.22\nEXPOSE 53/udp\n", "FROM nginx:1.22\nEXPOSE 53\n");
    same("FROM python:3.11-slim\nCOPY --chown=10001 --chmod=644 a.py ./b.py /app/\n", "FROM python:3.11-slim\nCOPY --chmod=644 --chown=10001 b.py a.py /app/\n");
    differ("FROM python:3.11-slim\nCOPY a.py /app/\n", "FROM python:3.11-slim\nCOPY a.py /srv/\n");
  });

  test("stages by their number, whatever their names", () => {
    same(
      "FROM golang:1.19 AS build\nRUN go build -o /out/app .\nFROM debian:bookworm-slim\nCOPY --from=build /out/app /app\n",
      "FROM golang:1.19 AS compilation\nRUN go build -o /out/app .\nFROM debian:bookworm-slim\nCOPY --from=0 /out/app /app\n",
    );
  });

  test("exec form and shell form are different answers", () => {
    differ('FROM python:3.11-slim\nCMD ["python3", "app.py"]\n', "FROM python:3.11-slim\nCMD python3 app.py\n");
  });

  test("each fragment keeps the lines of its instruction", () => {
    const fragments = dockerfile_fragments("FROM debian:bookworm-slim\n\nRUN apt-get update \\\n && apt-get install -y curl\n");
    expect(fragments.map((f) => [f.text, f.line, f.end_line])).toEqual([
      ["FROM debian:bookworm-slim", 1, 1],
      ["RUN apt-get update", 3, 4],
      ["RUN apt-get install -y curl", 3, 4],
    ]);
  });
});
