// Metadata checks on image configs and Dockerfiles written in the test (no
// Docker): the parsing of what a spec writes, and the configuration mistakes
// a spec can make. The same checks run on real images in metadata.docker.test.ts.
import { describe, expect, test } from "vitest";
import type { ImageConfig, ImageFacts } from "../engine/image.js";
import { read_dockerfile } from "../dockerfile/index.js";
import { SpecConfigError } from "./check.js";
import {
  ABSENT,
  check_cmd,
  check_entrypoint,
  check_env,
  check_exposed_ports,
  check_healthcheck,
  check_labels,
  check_oci_labels,
  check_stop_signal,
  check_volumes,
  check_working_directory,
  is_shell_form,
  normalize_port,
  normalize_signal,
  parse_duration,
} from "./metadata.js";
import { check_base_image, check_stage_count } from "./stages.js";

function image(config: Partial<ImageConfig> = {}): { facts: ImageFacts } {
  return {
    facts: {
      id: "sha256:test",
      tags: [],
      size: 0,
      layers: [],
      config: {
        user: "",
        env: {},
        cmd: null,
        entrypoint: null,
        exposed_ports: [],
        working_dir: "",
        volumes: [],
        labels: {},
        healthcheck: null,
        stop_signal: null,
        ...config,
      },
    },
  };
}
const dockerfile = (text: string) => ({ dockerfile: () => read_dockerfile(text) });

describe("configuration mistakes of a spec are SpecConfigError", () => {
  test.each([
    ["port 0", () => check_exposed_ports(image(), 0)],
    ["port 70000", () => check_exposed_ports(image(), "70000/tcp")],
    ["unknown protocol", () => check_exposed_ports(image(), "8080/http")],
    ["no port", () => check_exposed_ports(image(), [])],
    ["empty env name", () => check_env(image(), { "": "x" })],
    ["env name with =", () => check_env(image(), { "A=B": "x" })],
    ["no env", () => check_env(image(), {})],
    ["relative workdir", () => check_working_directory(dockerfile("FROM scratch\nWORKDIR /app\n"), image({ working_dir: "/app" }), "app")],
    ["relative volume", () => check_volumes(image(), ["data"])],
    ["empty label name", () => check_labels(image(), { "": "x" })],
    ["unknown OCI key", () => check_oci_labels(image(), ["colour"])],
    ["command without criterion", () => check_cmd(image(), {})],
    ["bad duration", () => check_healthcheck(image(), { interval: "soon" })],
    ["retries 0", () => check_healthcheck(image(), { retries: 0 })],
    ["unknown signal", () => check_stop_signal(image(), "SIGFOO")],
    ["stage count 0", () => check_stage_count(dockerfile("FROM scratch"), 0)],
    ["min above max", () => check_stage_count(dockerfile("FROM scratch"), { min: 3, max: 2 })],
  ])("%s", (_, run) => {
    expect(run).toThrow(SpecConfigError);
    expect(run).toThrow(/^Erreur dans le spec de l'exercice \(pas dans votre Dockerfile\) : /);
  });
});

describe("parsing what a spec writes", () => {
  test("ports: a bare number means tcp", () => {
    expect(normalize_port(8080)).toBe("8080/tcp");
    expect(normalize_port("8080")).toBe("8080/tcp");
    expect(normalize_port("53/UDP")).toBe("53/udp");
  });

  test("signals by name, short name or number", () => {
    expect(normalize_signal("TERM")).toBe("SIGTERM");
    expect(normalize_signal("sigquit")).toBe("SIGQUIT");
    expect(normalize_signal(15)).toBe("SIGTERM");
    expect(normalize_signal("RTMIN+3")).toBe("SIGRTMIN+3");
    expect(normalize_signal("SIGFOO")).toBeUndefined();
  });

  test("durations in seconds or as Docker writes them", () => {
    expect(parse_duration(10)).toBe(10);
    expect(parse_duration("1m30s")).toBe(90);
    expect(parse_duration("500ms")).toBe(0.5);
  });

  test("shell form is /bin/sh -c, or a SHELL ending in -c", () => {
    expect(is_shell_form(["/bin/sh", "-c", "python3 app.py"])).toBe(true);
    expect(is_shell_form(["/bin/bash", "-o", "pipefail", "-c", "run"])).toBe(true);
    expect(is_shell_form(["python3", "app.py"])).toBe(false);
    expect(is_shell_form(null)).toBe(false);
  });

});

describe("stages as written in the Dockerfile", () => {
  test("the base image is one image however it is written: qualified, through an ARG, a named stage, build arguments", () => {
    for (const text of [
      "FROM docker.io/library/python:3.11-slim\n",
      "FROM library/python:3.11-slim\n",
      "ARG BASE=python:3.11-slim\nFROM ${BASE}\n",
      "FROM python:3.11-slim AS app\n",
      "FROM python:3.11-slim AS base\nFROM base AS app\n",
    ]) {
      expect(check_base_image(dockerfile(text), "python:3.11-slim"), text).toMatchObject({ ok: true });
    }
    const with_args = { dockerfile: () => read_dockerfile("ARG PY=3.10\nFROM python:${PY}-slim\n", { build_args: { PY: "3.11" } }) };
    expect(check_base_image(with_args, "python:3.11-slim").ok).toBe(true);
    expect(check_base_image(dockerfile("FROM python:3.11\n"), "python:3.11-slim").ok).toBe(false);
  });

  test("check_base_image: pass, fail with the line, ARG without default, named stage", () => {
    const ex = dockerfile("ARG PY=3.11\nFROM python:${PY}-slim AS build\nRUN true\nFROM debian:bookworm-slim\n");
    expect(check_base_image(ex, "debian:bookworm-slim").ok).toBe(true);
    expect(check_base_image(ex, "python:3.11-slim", { stage: "build" }).ok).toBe(true);
    expect(check_base_image(ex, /^python:3\.11/, { stage: 0 }).ok).toBe(true);
    expect(check_base_image(ex, "python:3.11-slim").failures).toEqual([
      "L'image de base attendue est « python:3.11-slim », le Dockerfile part de « debian:bookworm-slim » (ligne 4). Écrivez « FROM python:3.11-slim ».",
    ]);
    expect(check_base_image(ex, "python:3.12-slim", { stage: "build" }).failures).toEqual([
      "L'étape « build » part de « python:${PY}-slim », soit « python:3.11-slim » (ligne 2) ; attendu : « python:3.12-slim ». Écrivez « FROM python:3.12-slim AS build ».",
    ]);
    expect(check_base_image(ex, "golang:1.19", { stage: "compile" }).failures).toEqual([
      "Le Dockerfile n'a pas d'étape nommée « compile » : écrivez « FROM golang:1.19 AS compile ».",
    ]);
    expect(check_base_image(dockerfile("ARG PY\nFROM python:${PY}\n"), "python:3.11").failures[0]).toMatch(
      /^L'étape finale part de « python:\$\{PY\} » \(ligne 2\), qui dépend de l'ARG PY sans valeur par défaut\./,
    );
    expect(check_base_image(dockerfile(""), "python:3.11-slim").failures).toEqual([
      "Le Dockerfile n'a pas d'instruction FROM : commencez-le par « FROM python:3.11-slim ».",
    ]);
  });

  test("check_stage_count: exact, min, max", () => {
    const two = dockerfile("FROM golang:1.19 AS build\nFROM scratch\n");
    expect(check_stage_count(two, 2).ok).toBe(true);
    expect(check_stage_count(two, { min: 2 }).ok).toBe(true);
    expect(check_stage_count(dockerfile("FROM scratch\n"), { min: 2 }).failures).toEqual([
      "Le Dockerfile a 1 étape (1 instruction FROM), attendu au moins 2. Construisez dans une première étape (FROM image-de-build AS build) et copiez seulement le résultat dans l'étape finale (COPY --from=build …).",
    ]);
    expect(check_stage_count(two, { max: 1 }).failures).toEqual([
      "Le Dockerfile a 2 étapes (2 instructions FROM), attendu au plus 1 : retirez les étapes qui ne servent pas à l'image finale.",
    ]);
  });

  test("check_working_directory lists every relative WORKDIR of the final stage, and a cd that only lasts for its RUN", () => {
    expect(check_working_directory(dockerfile("FROM scratch\nWORKDIR /app\nWORKDIR $HOME/x\n"), image({ working_dir: "/app" })).ok).toBe(true);
    const relative = check_working_directory(dockerfile("FROM scratch\nWORKDIR app\nWORKDIR ./data\n"), image({ working_dir: "/app/data" }));
    expect(relative.failures).toEqual([
      "Ligne 2 : WORKDIR app est un chemin relatif, qui dépend du WORKDIR précédent (ou de l'image de base). Écrivez un chemin absolu : WORKDIR /app.",
      "Ligne 3 : WORKDIR ./data est un chemin relatif, qui dépend du WORKDIR précédent (ou de l'image de base). Écrivez un chemin absolu : WORKDIR /data.",
    ]);
    expect(relative.facts).toEqual([{ kind: "dockerfile_lines", line: 2 }, { kind: "dockerfile_lines", line: 3 }]);
    const cd = check_working_directory(dockerfile("FROM scratch\nRUN cd /app && make\n"), image());
    expect(cd.failures[0]).toBe("L'image n'a pas de répertoire de travail : le programme tourne dans « / », la racine du système. Le cd de la ligne 2 ne vaut que pour ce RUN. Ajoutez WORKDIR /app avant le COPY.");
  });
});

describe("config checks on a config written here (both ways are also run on real images)", () => {
  test("ports: tcp is not udp, and `only` lists the extra ones", () => {
    const img = image({ exposed_ports: ["8080/udp", "9000/tcp"] });
    expect(check_exposed_ports(img, "9000").ok).toBe(true);
    expect(check_exposed_ports(img, [8080, 9000], { only: true }).failures).toEqual([
      "L'image expose 8080/udp au lieu de 8080/tcp : TCP est le protocole par défaut, écrivez « EXPOSE 8080 » ou « EXPOSE 8080/tcp ».",
    ]);
    expect(check_exposed_ports(img, ["8080/udp"], { only: true }).failures).toEqual([
      "L'image expose aussi 9000/tcp, où rien n'est attendu : n'exposez que les ports où le serveur écoute (retirez-le de la ligne EXPOSE).",
    ]);
    expect(check_exposed_ports(image(), [], { only: true }).ok).toBe(true);
  });

  test("env: present with an empty value is not PRESENT; RegExp with the g flag is safe", () => {
    const img = image({ env: { EMPTY: "", PORT: "8080" } });
    expect(check_env(img, { PORT: /\d+/g }).ok).toBe(true);
    expect(check_env(img, { PORT: /\d+/g }).ok).toBe(true);
    expect(check_env(img, { EMPTY: ABSENT }).failures).toHaveLength(1);
  });

  test("workdir: a trailing slash names the same directory", () => {
    expect(check_working_directory(dockerfile("FROM scratch\nWORKDIR /app/\n"), image({ working_dir: "/app/" }), "/app").ok).toBe(true);
    expect(check_working_directory(dockerfile("FROM scratch\nWORKDIR /srv\n"), image({ working_dir: "/srv" }), "/app").failures).toEqual([
      "Le répertoire de travail de l'image est /srv ; attendu : /app. Écrivez « WORKDIR /app ».",
    ]);
  });

  test("entrypoint ABSENT and command patterns", () => {
    expect(check_entrypoint(image(), ABSENT).ok).toBe(true);
    expect(check_entrypoint(image({ entrypoint: ["/init"] }), ABSENT).failures).toEqual([
      "L'image a un ENTRYPOINT ([\"/init\"]) alors que l'exercice n'en attend pas : retirez l'instruction ENTRYPOINT.",
    ]);
    expect(check_cmd(image({ cmd: ["python3", "-u", "app.py"] }), { matches: /app\.py$/, form: "exec" }).ok).toBe(true);
    expect(check_cmd(image({ cmd: ["python3", "app.py"] }), { form: "shell" }).failures[0]).toMatch(/^CMD est en forme exec/);
  });

  test("healthcheck defaults count: 30 s interval, 3 retries", () => {
    const img = image({ healthcheck: { test: ["CMD", "true"] } });
    expect(check_healthcheck(img, { interval: "30s", timeout: 30, retries: 3, test: ["true"] }).ok).toBe(true);
  });

  test("OCI labels accept full keys, and several missing ones come with one LABEL to copy", () => {
    const img = image({ labels: { "org.opencontainers.image.title": "x" } });
    expect(check_oci_labels(img, ["org.opencontainers.image.title"]).ok).toBe(true);
    const result = check_oci_labels(img, ["version", "licenses"]);
    expect(result.failures).toHaveLength(2);
    expect(result.output).toBe(
      'Une seule instruction LABEL peut porter plusieurs clés :\nLABEL org.opencontainers.image.version="1.0.0" \\\n      org.opencontainers.image.licenses="MIT"',
    );
  });

  test("volumes: trailing slashes do not matter", () => {
    expect(check_volumes(image({ volumes: ["/data/"] }), "/data").ok).toBe(true);
  });
});
