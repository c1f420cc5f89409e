import { describe, test, expect } from "vitest";
import { LINT_RULES, lint_dockerfile, type LintFinding } from "./rules.js";

/** Lints a Dockerfile given line by line, so that line numbers read off the array (1-based). */
function lint(...lines: string[]): LintFinding[] {
  return lint_dockerfile(lines.join("\n") + "\n");
}

function lines_of(findings: LintFinding[], code: string): number[] {
  return findings.filter((finding) => finding.code === code).map((finding) => finding.line);
}

function finding(findings: LintFinding[], code: string): LintFinding {
  const found = findings.find((f) => f.code === code);
  if (!found) throw new Error(`no ${code} in ${JSON.stringify(findings, null, 2)}`);
  return found;
}

describe("catalogue des règles", () => {
  test("chaque règle a un code unique, un titre et une explication en français", () => {
    const codes = LINT_RULES.map((rule) => rule.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const rule of LINT_RULES) {
      expect(rule.title.length).toBeGreaterThan(5);
      expect(rule.explanation.length).toBeGreaterThan(60);
      expect(["error", "warning", "info", "style"]).toContain(rule.severity);
    }
  });

  test("contient au moins les règles demandées, avec la sévérité de hadolint", () => {
    const severity = Object.fromEntries(LINT_RULES.map((rule) => [rule.code, rule.severity]));
    expect(severity).toMatchObject({
      DL1000: "error", DL3000: "error", DL3002: "warning", DL3003: "warning", DL3004: "error",
      DL3006: "warning", DL3007: "warning", DL3009: "info", DL3014: "warning", DL3015: "info",
      DL3020: "error", DL3021: "error", DL3022: "warning", DL3025: "warning", DL3027: "warning",
      DL3042: "warning", DL3045: "warning", DL3057: "info", DL3059: "info", DL4003: "warning",
      DL4004: "error", DL4006: "warning", DLS001: "error",
    });
  });

  test("chaque constat porte la sévérité de sa règle et un code du catalogue", () => {
    const findings = lint(
      "FROM ubuntu",
      "RUNN echo",
      "WORKDIR app",
      "RUN sudo apt install curl | tee log",
      "RUN cd /x && pip install flask",
      "ADD src /src",
      "COPY --from=nope a b c",
      "ENV API_KEY=abc123",
      "CMD node a.js",
      "CMD node b.js",
      "ENTRYPOINT a",
      "ENTRYPOINT b",
      "USER root",
    );
    const severity = new Map(LINT_RULES.map((rule) => [rule.code, rule.severity]));
    expect(findings.length).toBeGreaterThan(15);
    for (const f of findings) expect(f.severity).toBe(severity.get(f.code));
  });

  test("les constats sont triés par ligne puis par code", () => {
    const findings = lint("FROM ubuntu", "WORKDIR app", "RUN apt-get install curl", "CMD node a.js");
    const keys = findings.map((f) => [f.line, f.code] as const);
    const sorted = [...keys].sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]));
    expect(keys).toEqual(sorted);
    expect(keys.slice(0, 2)).toEqual([[1, "DL3006"], [1, "DL3057"]]);
  });

  test("un Dockerfile propre ne donne aucun constat", () => {
    const findings = lint(
      "# syntax=docker/dockerfile:1",
      "FROM node:20-alpine AS build",
      "WORKDIR /app",
      "COPY package.json package-lock.json ./",
      "RUN npm ci",
      "COPY . .",
      "RUN npm run build",
      "",
      "FROM node:20-alpine",
      "WORKDIR /app",
      "COPY --from=build /app/dist ./dist",
      "USER node",
      "HEALTHCHECK CMD wget -q --spider http://localhost:3000/ || exit 1",
      'CMD ["node", "dist/server.js"]',
    );
    expect(findings).toEqual([]);
  });
});

describe("DL1000 : erreurs de syntaxe", () => {
  test("une instruction inconnue donne un seul constat qui propose la plus proche", () => {
    const findings = lint("FROM alpine:3.20", "RUNN echo bonjour", "HEALTHCHECK NONE");
    expect(findings.map((f) => [f.code, f.line])).toEqual([["DL1000", 2]]);
    expect(findings[0]!.severity).toBe("error");
    expect(findings[0]!.message).toContain("« RUNN »");
    expect(findings[0]!.message).toContain("« RUN »");
  });

  test("une instruction sans rapport avec aucune autre liste les instructions valides", () => {
    const f = finding(lint("FROM alpine:3.20", "BONJOUR tout le monde", "HEALTHCHECK NONE"), "DL1000");
    expect(f.line).toBe(2);
    expect(f.message).toContain("FROM, RUN, CMD");
  });

  test("les erreurs du validateur sont traduites en français, sur la ligne de l'instruction", () => {
    const findings = lint("FROM alpine:3.20", "ENV VIDE", "EXPOSE http", "HEALTHCHECK NONE");
    expect(lines_of(findings, "DL1000")).toEqual([2, 3]);
    expect(findings[0]!.message).toContain("ENV NOM=valeur");
    expect(findings[1]!.message).toContain("Port invalide « http »");
  });

  test("ADD de plusieurs sources vers une destination sans / final", () => {
    const findings = lint("FROM alpine:3.20", "ADD a.tar b.tar /opt", "COPY a b /app", "HEALTHCHECK NONE");
    expect(findings.map((f) => [f.code, f.line])).toEqual([["DL1000", 2], ["DL3021", 3]]);
    expect(findings[0]!.message).toContain("finir par /");
  });

  test("une instruction avant FROM est signalée", () => {
    const f = finding(lint("RUN echo avant", "FROM alpine:3.20", "HEALTHCHECK NONE"), "DL1000");
    expect(f.line).toBe(1);
    expect(f.message).toContain("commencer par FROM");
  });

  test("guillemet non fermé", () => {
    const f = finding(lint("FROM alpine:3.20", 'ENV MESSAGE="bonjour', "HEALTHCHECK NONE"), "DL1000");
    expect(f.line).toBe(2);
    expect(f.message).toContain("non fermé");
  });

  test("pas de DL1000 pour un Dockerfile valide, instructions en minuscules comprises", () => {
    const findings = lint("from alpine:3.20", "run echo ok", "healthcheck NONE");
    expect(lines_of(findings, "DL1000")).toEqual([]);
  });
});

describe("DL3000 : WORKDIR absolu", () => {
  test("un WORKDIR relatif est signalé", () => {
    const f = finding(lint("FROM alpine:3.20", "WORKDIR app"), "DL3000");
    expect(f.line).toBe(2);
    expect(f.message).toContain("WORKDIR /app");
  });

  test("chemins absolus, variables et chemins Windows sont acceptés", () => {
    const findings = lint("FROM alpine:3.20", "WORKDIR /app", 'WORKDIR "/srv/data"', "WORKDIR $HOME/src", "WORKDIR C:/app");
    expect(lines_of(findings, "DL3000")).toEqual([]);
  });
});

describe("DL3002 : le dernier USER n'est pas root", () => {
  test("USER root en dernier est signalé", () => {
    expect(lines_of(lint("FROM alpine:3.20", "USER app", "USER root"), "DL3002")).toEqual([3]);
  });

  test("USER 0 et USER root:root aussi", () => {
    expect(lines_of(lint("FROM alpine:3.20", "USER 0"), "DL3002")).toEqual([2]);
    expect(lines_of(lint("FROM alpine:3.20", "USER root:root"), "DL3002")).toEqual([2]);
  });

  test("root suivi d'un autre utilisateur n'est pas signalé", () => {
    expect(lines_of(lint("FROM alpine:3.20", "USER root", "RUN apk add --no-cache curl", "USER app"), "DL3002")).toEqual([]);
  });

  test("seule compte la dernière étape", () => {
    const findings = lint(
      "FROM alpine:3.20 AS build",
      "USER root",
      "FROM alpine:3.20",
      "USER app",
    );
    expect(lines_of(findings, "DL3002")).toEqual([]);
    const final_root = lint("FROM alpine:3.20 AS build", "USER app", "FROM alpine:3.20", "USER root");
    expect(lines_of(final_root, "DL3002")).toEqual([4]);
  });

  test("la dernière étape hérite du USER de l'étape sur laquelle elle est construite", () => {
    const findings = lint("FROM alpine:3.20 AS base", "USER root", "FROM base", "RUN echo ok");
    expect(lines_of(findings, "DL3002")).toEqual([2]);
  });
});

describe("DL3003 : WORKDIR plutôt que cd", () => {
  test("cd dans un RUN est signalé", () => {
    const f = finding(lint("FROM alpine:3.20", "RUN cd /app && make"), "DL3003");
    expect(f.line).toBe(2);
    expect(f.message).toContain("WORKDIR");
  });

  test("le mot cd en argument n'est pas une commande cd", () => {
    expect(lines_of(lint("FROM alpine:3.20", "WORKDIR /app", "RUN echo cd && make"), "DL3003")).toEqual([]);
  });
});

describe("DL3004 : pas de sudo", () => {
  test("sudo est signalé, et la commande qu'il lance est analysée aussi", () => {
    const findings = lint("FROM ubuntu:22.04", "RUN sudo apt-get install curl");
    expect(lines_of(findings, "DL3004")).toEqual([2]);
    expect(lines_of(findings, "DL3014")).toEqual([2]);
  });

  test("sudo en argument n'est pas signalé", () => {
    expect(lines_of(lint("FROM alpine:3.20", "RUN echo sudo"), "DL3004")).toEqual([]);
    expect(lines_of(lint("FROM alpine:3.20", "RUN command -v sudo || echo absent"), "DL3004")).toEqual([]);
  });
});

describe("DL3006 et DL3007 : tag de l'image de base", () => {
  test("une image sans tag est signalée", () => {
    const f = finding(lint("FROM ubuntu", "RUN echo"), "DL3006");
    expect(f.line).toBe(1);
    expect(f.message).toContain("ubuntu:<version>");
  });

  test("le port d'un registre n'est pas un tag", () => {
    expect(lines_of(lint("FROM localhost:5000/app"), "DL3006")).toEqual([1]);
    expect(lines_of(lint("FROM localhost:5000/app:1.2"), "DL3006")).toEqual([]);
  });

  test("scratch, un alias d'étape, un digest et une image taguée ne sont pas signalés", () => {
    const findings = lint(
      "FROM golang:1.22 AS build",
      "FROM build AS test",
      "FROM scratch",
      "FROM alpine@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
      "FROM --platform=linux/amd64 python:3.12-slim",
    );
    expect(lines_of(findings, "DL3006")).toEqual([]);
    expect(lines_of(findings, "DL3007")).toEqual([]);
  });

  test("latest est signalé, sauf épinglé par un digest", () => {
    expect(lines_of(lint("FROM alpine:3.20", "FROM node:latest"), "DL3007")).toEqual([2]);
    expect(lines_of(lint("FROM node:latest"), "DL3006")).toEqual([]);
    const pinned = lint("FROM node:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    expect(lines_of(pinned, "DL3007")).toEqual([]);
  });

  test("les ARG déclarés avant FROM sont substitués", () => {
    expect(lines_of(lint("ARG BASE=node:20-alpine", "FROM $BASE"), "DL3006")).toEqual([]);
    expect(lines_of(lint("ARG BASE=node", "FROM ${BASE}"), "DL3006")).toEqual([2]);
    const latest = lint("ARG TAG=latest", "FROM node:${TAG}");
    expect(lines_of(latest, "DL3007")).toEqual([2]);
    expect(finding(latest, "DL3007").message).toContain("node:${TAG}");
    expect(lines_of(lint("ARG VERSION", "FROM node:${VERSION:-20}"), "DL3006")).toEqual([]);
  });

  test("un ARG sans valeur par défaut ne permet pas de juger", () => {
    const findings = lint("ARG TAG", "FROM node:$TAG");
    expect(lines_of(findings, "DL3006")).toEqual([]);
    expect(lines_of(findings, "DL3007")).toEqual([]);
  });
});

describe("DL3009 : supprimer les listes apt", () => {
  test("apt-get update et install sans nettoyage sont signalés", () => {
    const f = finding(lint("FROM debian:12", "RUN apt-get update && apt-get install -y --no-install-recommends curl"), "DL3009");
    expect(f.line).toBe(2);
    expect(f.message).toContain("rm -rf /var/lib/apt/lists/*");
  });

  test("le nettoyage dans le même RUN suffit", () => {
    const findings = lint(
      "FROM debian:12",
      "RUN apt-get update \\",
      " && apt-get install -y --no-install-recommends curl \\",
      " && rm -rf /var/lib/apt/lists/*",
    );
    expect(lines_of(findings, "DL3009")).toEqual([]);
  });

  test("le nettoyage dans un RUN suivant ne suffit pas", () => {
    const findings = lint(
      "FROM debian:12",
      "RUN apt-get update && apt-get install -y --no-install-recommends curl",
      "RUN rm -rf /var/lib/apt/lists/*",
    );
    expect(lines_of(findings, "DL3009")).toEqual([2]);
  });

  test("un install seul ne télécharge pas de listes : seul update est signalé, comme hadolint", () => {
    const findings = lint(
      "FROM debian:12",
      "RUN apt-get update && rm -rf /var/lib/apt/lists/*",
      "RUN apt-get install -y --no-install-recommends curl",
    );
    expect(lines_of(findings, "DL3009")).toEqual([]);
  });

  test("apt-get dist-clean supprime aussi les listes", () => {
    const findings = lint("FROM debian:13", "RUN apt-get update && apt-get install -y --no-install-recommends curl && apt-get dist-clean");
    expect(lines_of(findings, "DL3009")).toEqual([]);
  });

  test("apt-get clean ne supprime pas les listes", () => {
    const findings = lint("FROM debian:12", "RUN apt-get update && apt-get install -y --no-install-recommends curl && apt-get clean");
    expect(lines_of(findings, "DL3009")).toEqual([2]);
  });

  test("un cache monté sur /var/lib/apt est accepté", () => {
    const findings = lint(
      "FROM debian:12",
      "RUN --mount=type=cache,target=/var/lib/apt/lists \\",
      "    --mount=type=cache,target=/var/cache/apt \\",
      "    apt-get update && apt-get install -y --no-install-recommends curl",
    );
    expect(lines_of(findings, "DL3009")).toEqual([]);
  });

  test("une étape de construction qui ne finit pas dans l'image n'est pas signalée", () => {
    const findings = lint(
      "FROM debian:12 AS build",
      "RUN apt-get update && apt-get install -y --no-install-recommends gcc",
      "FROM debian:12",
      "COPY --from=build /usr/bin/gcc /usr/bin/gcc",
    );
    expect(lines_of(findings, "DL3009")).toEqual([]);
  });

  test("une étape dont l'image finale hérite est signalée", () => {
    const findings = lint(
      "FROM debian:12 AS base",
      "RUN apt-get update && apt-get install -y --no-install-recommends curl",
      "FROM base",
    );
    expect(lines_of(findings, "DL3009")).toEqual([2]);
  });
});

describe("DL3014 : apt-get install -y", () => {
  test("install sans -y est signalé", () => {
    const f = finding(lint("FROM debian:12", "RUN apt-get install --no-install-recommends curl"), "DL3014");
    expect(f.line).toBe(2);
    expect(f.message).toContain("-y");
  });

  test.each([
    ["-y"], ["--yes"], ["--assume-yes"], ["-qq"], ["-q=2"], ["-yq"], ["-q -q"], ["--quiet=2"], ["-o APT::Get::Assume-Yes=true"],
  ])("l'option %s suffit", (option) => {
    const findings = lint("FROM debian:12", `RUN apt-get ${option} install --no-install-recommends curl`);
    expect(lines_of(findings, "DL3014")).toEqual([]);
  });

  test("-q seul ne répond pas oui", () => {
    expect(lines_of(lint("FROM debian:12", "RUN apt-get install -q curl"), "DL3014")).toEqual([2]);
  });

  test("une simulation (-s) ne demande rien", () => {
    expect(lines_of(lint("FROM debian:12", "RUN apt-get install -s curl"), "DL3014")).toEqual([]);
  });

  test("apt-get update ou une autre commande ne demandent pas -y", () => {
    expect(lines_of(lint("FROM debian:12", "RUN apt-get update && apt-cache policy curl"), "DL3014")).toEqual([]);
  });
});

describe("DL3015 : --no-install-recommends", () => {
  test("install sans --no-install-recommends est signalé", () => {
    expect(lines_of(lint("FROM debian:12", "RUN apt-get install -y curl"), "DL3015")).toEqual([2]);
  });

  test("--no-install-recommends ou APT::Install-Recommends=false suffisent", () => {
    expect(lines_of(lint("FROM debian:12", "RUN apt-get install -y --no-install-recommends curl"), "DL3015")).toEqual([]);
    expect(lines_of(lint("FROM debian:12", "RUN apt-get -o APT::Install-Recommends=false install -y curl"), "DL3015")).toEqual([]);
  });
});

describe("DL3020 : COPY plutôt que ADD", () => {
  test("ADD d'un dossier est signalé", () => {
    const f = finding(lint("FROM alpine:3.20", "ADD src /app/src"), "DL3020");
    expect(f.line).toBe(2);
    expect(f.message).toContain("COPY");
  });

  test("ADD d'une URL ou d'une archive locale est accepté", () => {
    const findings = lint(
      "FROM alpine:3.20",
      "ADD https://example.com/app.tar.gz /tmp/",
      "ADD rootfs.tar.xz /",
      "ADD --chown=app:app vendor.tgz /opt/",
      'ADD ["data.tar.bz2", "/data/"]',
    );
    expect(lines_of(findings, "DL3020")).toEqual([]);
  });

  test("une archive .zip n'est pas décompressée par ADD : elle est signalée", () => {
    expect(lines_of(lint("FROM alpine:3.20", "ADD app.zip /app/"), "DL3020")).toEqual([2]);
  });
});

describe("DL3021 : COPY de plusieurs sources", () => {
  test("la destination sans / final est signalée", () => {
    const f = finding(lint("FROM alpine:3.20", "COPY package.json package-lock.json /app"), "DL3021");
    expect(f.line).toBe(2);
    expect(f.message).toContain("/app/");
  });

  test("en notation JSON aussi", () => {
    expect(lines_of(lint("FROM alpine:3.20", 'COPY ["a", "b", "/dest"]'), "DL3021")).toEqual([2]);
  });

  test("une destination en / ou une seule source sont acceptées", () => {
    const findings = lint("FROM alpine:3.20", "COPY a b /app/", "COPY a /app", "COPY --chown=1000:1000 a /app");
    expect(lines_of(findings, "DL3021")).toEqual([]);
  });
});

describe("DL3022 : COPY --from", () => {
  test("un nom d'étape inconnu est signalé", () => {
    const f = finding(lint("FROM alpine:3.20", "COPY --from=build /app /app"), "DL3022");
    expect(f.line).toBe(2);
    expect(f.message).toContain("AS build");
  });

  test("une étape définie plus haut, par nom ou par numéro, est acceptée", () => {
    const findings = lint(
      "FROM golang:1.22 AS Build",
      "FROM alpine:3.20 AS assets",
      "FROM alpine:3.20",
      "COPY --from=build /out /bin/app",
      "COPY --from=0 /out /bin/app2",
      "COPY --from=1 /assets /assets",
    );
    expect(lines_of(findings, "DL3022")).toEqual([]);
  });

  test("un numéro qui n'est pas une étape antérieure est signalé", () => {
    expect(lines_of(lint("FROM alpine:3.20", "COPY --from=1 /a /a"), "DL3022")).toEqual([2]);
    expect(lines_of(lint("FROM alpine:3.20", "COPY --from=0 /a /a"), "DL3022")).toEqual([2]);
  });

  test("une étape définie plus bas, ou l'étape elle-même, sont signalées", () => {
    const later = lint("FROM alpine:3.20", "COPY --from=build /a /a", "FROM golang:1.22 AS build");
    expect(lines_of(later, "DL3022")).toEqual([2]);
    expect(finding(later, "DL3022").message).toContain("plus bas");
    const self = lint("FROM alpine:3.20 AS app", "COPY --from=app /a /b");
    expect(lines_of(self, "DL3022")).toEqual([2]);
  });

  test("une image externe avec tag est acceptée", () => {
    expect(lines_of(lint("FROM alpine:3.20", "COPY --from=nginx:1.27 /etc/nginx /etc/nginx"), "DL3022")).toEqual([]);
  });
});

describe("DL3025 : CMD et ENTRYPOINT en JSON", () => {
  test("CMD en forme shell est signalé, avec la forme JSON proposée", () => {
    const f = finding(lint("FROM node:20", 'CMD node server.js --port "8080"'), "DL3025");
    expect(f.line).toBe(2);
    expect(f.message).toContain('CMD ["node", "server.js", "--port", "8080"]');
  });

  test("ENTRYPOINT en forme shell aussi, et une commande shell propose un script", () => {
    const f = finding(lint("FROM node:20", "ENTRYPOINT npm run migrate && npm start"), "DL3025");
    expect(f.line).toBe(2);
    expect(f.message).toContain("script");
  });

  test("des apostrophes ne font pas du JSON", () => {
    const f = finding(lint("FROM node:20", "CMD ['node', 'server.js']"), "DL3025");
    expect(f.message).toContain('CMD ["node", "server.js"]');
  });

  test("un JSON invalide est signalé sans proposer une forme absurde", () => {
    const f = finding(lint("FROM node:20", 'CMD ["node" "server.js"]'), "DL3025");
    expect(f.line).toBe(2);
    expect(f.message).toContain("JSON invalide");
  });

  test("la notation JSON est acceptée, même sur plusieurs lignes", () => {
    const findings = lint("FROM node:20", 'ENTRYPOINT ["docker-entrypoint.sh"]', 'CMD ["node", \\', '    "server.js"]');
    expect(lines_of(findings, "DL3025")).toEqual([]);
  });
});

describe("DL3027 : apt-get plutôt que apt", () => {
  test("apt est signalé", () => {
    const f = finding(lint("FROM debian:12", "RUN apt update"), "DL3027");
    expect(f.line).toBe(2);
    expect(f.message).toContain("apt-get");
  });

  test("apt-get et apt-cache sont acceptés", () => {
    expect(lines_of(lint("FROM debian:12", "RUN apt-get update && apt-cache show curl"), "DL3027")).toEqual([]);
  });
});

describe("DL3042 : pip install --no-cache-dir", () => {
  test("pip install sans --no-cache-dir est signalé", () => {
    const f = finding(lint("FROM python:3.12-slim", "RUN pip install -r requirements.txt"), "DL3042");
    expect(f.line).toBe(2);
    expect(f.message).toContain("--no-cache-dir");
  });

  test("pip3 et python -m pip aussi", () => {
    expect(lines_of(lint("FROM python:3.12-slim", "RUN pip3 install flask"), "DL3042")).toEqual([2]);
    expect(lines_of(lint("FROM python:3.12-slim", "RUN python3 -m pip install --upgrade pip"), "DL3042")).toEqual([2]);
  });

  test("--no-cache-dir, PIP_NO_CACHE_DIR ou un cache monté sont acceptés", () => {
    expect(lines_of(lint("FROM python:3.12-slim", "RUN pip install --no-cache-dir flask"), "DL3042")).toEqual([]);
    expect(lines_of(lint("FROM python:3.12-slim", "ENV PIP_NO_CACHE_DIR=1", "RUN pip install flask"), "DL3042")).toEqual([]);
    expect(lines_of(lint("FROM python:3.12-slim", "RUN PIP_NO_CACHE_DIR=true pip install flask"), "DL3042")).toEqual([]);
    expect(lines_of(lint("FROM python:3.12-slim", "RUN --mount=type=cache,target=/root/.cache/pip pip install flask"), "DL3042")).toEqual([]);
  });

  test("pip sans install et pipenv ne sont pas concernés", () => {
    expect(lines_of(lint("FROM python:3.12-slim", "RUN pip freeze && pipenv install"), "DL3042")).toEqual([]);
  });
});

describe("DL3045 : COPY relatif sans WORKDIR", () => {
  test("COPY . . sans WORKDIR est signalé", () => {
    const f = finding(lint("FROM node:20", "COPY . ."), "DL3045");
    expect(f.line).toBe(2);
    expect(f.message).toContain("WORKDIR");
  });

  test("avec WORKDIR avant, ou vers un chemin absolu, rien n'est signalé", () => {
    expect(lines_of(lint("FROM node:20", "WORKDIR /app", "COPY . ."), "DL3045")).toEqual([]);
    expect(lines_of(lint("FROM node:20", "COPY . /app"), "DL3045")).toEqual([]);
  });

  test("WORKDIR après le COPY ne compte pas", () => {
    expect(lines_of(lint("FROM node:20", "COPY . .", "WORKDIR /app"), "DL3045")).toEqual([2]);
  });

  test("WORKDIR vaut par étape, et s'hérite de l'étape de base", () => {
    const findings = lint(
      "FROM node:20 AS base",
      "WORKDIR /app",
      "FROM base AS build",
      "COPY . .",
      "FROM node:20",
      "COPY --from=build /app/dist dist",
    );
    expect(lines_of(findings, "DL3045")).toEqual([6]);
  });
});

describe("DL3057 : HEALTHCHECK", () => {
  test("une image finale sans HEALTHCHECK est signalée sur son FROM", () => {
    const findings = lint("FROM golang:1.22 AS build", "RUN go build", "FROM alpine:3.20", 'CMD ["/app"]');
    expect(lines_of(findings, "DL3057")).toEqual([3]);
    expect(finding(findings, "DL3057").severity).toBe("info");
  });

  test("HEALTHCHECK CMD, HEALTHCHECK NONE ou hérité de l'étape de base suffisent", () => {
    expect(lines_of(lint("FROM alpine:3.20", "HEALTHCHECK CMD wget -q --spider http://localhost/ || exit 1"), "DL3057")).toEqual([]);
    expect(lines_of(lint("FROM alpine:3.20", "HEALTHCHECK NONE"), "DL3057")).toEqual([]);
    expect(lines_of(lint("FROM alpine:3.20 AS base", "HEALTHCHECK NONE", "FROM base"), "DL3057")).toEqual([]);
  });
});

describe("DL3059 : RUN consécutifs", () => {
  test("deux RUN qui se suivent sont signalés sur le second", () => {
    const findings = lint("FROM alpine:3.20", "RUN apk add --no-cache curl", "RUN apk add --no-cache git", "RUN echo ok");
    expect(lines_of(findings, "DL3059")).toEqual([3, 4]);
  });

  test("un commentaire entre les deux ne les sépare pas", () => {
    expect(lines_of(lint("FROM alpine:3.20", "RUN echo a", "# puis", "RUN echo b"), "DL3059")).toEqual([4]);
  });

  test("une autre instruction entre les deux, des --mount différents ou des RUN déjà chaînés ne sont pas signalés", () => {
    expect(lines_of(lint("FROM alpine:3.20", "RUN echo a", "ENV A=1", "RUN echo b"), "DL3059")).toEqual([]);
    expect(lines_of(lint("FROM alpine:3.20", "RUN --mount=type=cache,target=/root/.npm npm ci", "RUN npm test"), "DL3059")).toEqual([]);
    expect(lines_of(lint("FROM alpine:3.20", "RUN a && b && c", "RUN d"), "DL3059")).toEqual([]);
  });
});

describe("DL4003 et DL4004 : un seul CMD et un seul ENTRYPOINT par étape", () => {
  test("un second CMD dans la même étape est signalé", () => {
    const f = finding(lint("FROM alpine:3.20", 'CMD ["a"]', 'CMD ["b"]'), "DL4003");
    expect(f.line).toBe(3);
    expect(f.message).toContain("ligne 2");
  });

  test("un second ENTRYPOINT dans la même étape est signalé", () => {
    expect(lines_of(lint("FROM alpine:3.20", 'ENTRYPOINT ["a"]', "RUN echo", 'ENTRYPOINT ["b"]'), "DL4004")).toEqual([4]);
  });

  test("un CMD et un ENTRYPOINT par étape sont acceptés", () => {
    const findings = lint(
      "FROM alpine:3.20 AS build",
      'ENTRYPOINT ["a"]',
      'CMD ["a"]',
      "FROM alpine:3.20",
      'ENTRYPOINT ["b"]',
      'CMD ["b"]',
    );
    expect(lines_of(findings, "DL4003")).toEqual([]);
    expect(lines_of(findings, "DL4004")).toEqual([]);
  });
});

describe("DL4006 : pipefail", () => {
  test("un pipe sans pipefail est signalé", () => {
    const f = finding(lint("FROM debian:12", "RUN curl -fsSL https://example.com/install.sh | sh"), "DL4006");
    expect(f.line).toBe(2);
    expect(f.message).toContain("pipefail");
  });

  test("SHELL avec -o pipefail suffit, jusqu'au FROM suivant", () => {
    const findings = lint(
      "FROM debian:12 AS build",
      'SHELL ["/bin/bash", "-o", "pipefail", "-c"]',
      "RUN curl -fsSL https://example.com | tar x",
      "FROM debian:12",
      "RUN curl -fsSL https://example.com | tar x",
    );
    expect(lines_of(findings, "DL4006")).toEqual([5]);
  });

  test("le SHELL s'hérite de l'étape de base", () => {
    const findings = lint("FROM debian:12 AS base", 'SHELL ["/bin/bash", "-euo", "pipefail", "-c"]', "FROM base", "RUN a | b");
    expect(lines_of(findings, "DL4006")).toEqual([]);
  });

  test("|| n'est pas un pipe, ni | entre guillemets", () => {
    expect(lines_of(lint("FROM debian:12", "RUN test -f x || touch x", `RUN echo "a|b" 'c|d'`), "DL4006")).toEqual([]);
  });

  test("set -o pipefail dans le RUN, avant le pipe, suffit", () => {
    expect(lines_of(lint("FROM alpine:3.20", "RUN set -eo pipefail && wget -qO- https://x | tar x"), "DL4006")).toEqual([]);
    expect(lines_of(lint("FROM alpine:3.20", "RUN wget -qO- https://x | tar x && set -o pipefail"), "DL4006")).toEqual([2]);
  });

  test("un SHELL sh sans pipefail, ou un SHELL PowerShell", () => {
    expect(lines_of(lint("FROM debian:12", 'SHELL ["/bin/sh", "-c"]', "RUN a | b"), "DL4006")).toEqual([3]);
    expect(lines_of(lint("FROM mcr.microsoft.com/windows/servercore:ltsc2022", 'SHELL ["pwsh", "-Command"]', "RUN a | b"), "DL4006")).toEqual([]);
  });
});

describe("DLS001 : secret dans ENV ou ARG", () => {
  test("un mot de passe écrit dans ENV est signalé", () => {
    const f = finding(lint("FROM postgres:16", "ENV POSTGRES_PASSWORD=motdepasse"), "DLS001");
    expect(f.line).toBe(2);
    expect(f.severity).toBe("error");
    expect(f.message).toContain("docker run -e POSTGRES_PASSWORD=");
    expect(f.message).toContain("--mount=type=secret");
  });

  test.each([
    ["ARG API_TOKEN=abc123"],
    ["ENV SECRET=abc"],
    ["ENV STRIPE_API_KEY=sk_live_123"],
    ["ENV PRIVATE_KEY=xyz"],
    ['ENV AWS_SECRET_ACCESS_KEY="abc def"'],
    ["ENV github_token=ghp_123"],
    ["ENV SECRET_KEY abc def"],
  ])("%s est signalé", (instruction) => {
    expect(lines_of(lint("FROM alpine:3.20", instruction), "DLS001")).toEqual([2]);
  });

  test("un ARG secret déclaré avant FROM est signalé", () => {
    expect(lines_of(lint("ARG NPM_TOKEN=abc", "FROM node:20"), "DLS001")).toEqual([1]);
  });

  test.each([
    ["ARG API_TOKEN"],
    ["ENV TOKEN=$TOKEN"],
    ["ENV API_KEY=${API_KEY}"],
    ['ENV PASSWORD=""'],
    ["ENV POSTGRES_PASSWORD_FILE=/run/secrets/db"],
    ["ENV GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D"],
    ["ENV NODE_ENV=production KEYBOARD=fr"],
  ])("%s n'est pas signalé", (instruction) => {
    expect(lines_of(lint("FROM alpine:3.20", instruction), "DLS001")).toEqual([]);
  });
});

describe("lecture des RUN", () => {
  test("un RUN sur plusieurs lignes est signalé sur sa première ligne", () => {
    const findings = lint(
      "FROM debian:12",
      "RUN apt-get update \\",
      "    && apt-get install \\",
      "       curl \\",
      "    && rm -rf /var/lib/apt/lists/*",
      'CMD ["curl"]',
    );
    expect(lines_of(findings, "DL3014")).toEqual([2]);
    expect(lines_of(findings, "DL3015")).toEqual([2]);
    expect(lines_of(findings, "DL3009")).toEqual([]);
  });

  test.each([
    ["true && apt-get install curl"],
    ["echo a; apt-get install curl"],
    ["test -d /x || apt-get install curl"],
    ["(apt-get install curl)"],
    ["if true; then apt-get install curl; fi"],
    ["DEBIAN_FRONTEND=noninteractive apt-get install curl"],
    ["/usr/bin/apt-get install curl > /dev/null 2>&1"],
    ["sh -c 'apt-get install curl'"],
  ])("la commande est trouvée dans « %s »", (script) => {
    expect(lines_of(lint("FROM debian:12", `RUN ${script}`), "DL3014")).toEqual([2]);
  });

  test("un mot entre guillemets n'est pas une commande", () => {
    expect(lines_of(lint("FROM debian:12", `RUN echo "apt-get install curl; cd /x"`), "DL3014")).toEqual([]);
  });

  test("la forme exec (JSON) est analysée", () => {
    const findings = lint("FROM debian:12", 'RUN ["apt-get", "install", "-y", "curl"]');
    expect(lines_of(findings, "DL3014")).toEqual([]);
    expect(lines_of(findings, "DL3015")).toEqual([2]);
    const no_yes = lint("FROM debian:12", 'RUN ["apt-get","install","curl"]');
    expect(lines_of(no_yes, "DL3014")).toEqual([2]);
    const shell = lint("FROM debian:12", 'RUN ["/bin/sh", "-c", "cd /tmp && apt-get install curl"]');
    expect(lines_of(shell, "DL3003")).toEqual([2]);
    expect(lines_of(shell, "DL3014")).toEqual([2]);
  });

  test("la forme exec ne passe pas par un shell : pas de DL4006 pour un | en argument", () => {
    expect(lines_of(lint("FROM debian:12", 'RUN ["echo", "a", "|", "b"]'), "DL4006")).toEqual([]);
  });

  test("les commentaires entre les lignes de continuation sont ignorés", () => {
    const findings = lint(
      "FROM debian:12",
      "RUN apt-get update \\",
      "    # apt-get install curl (sans -y : ce commentaire ne compte pas)",
      "    && apt-get install -y --no-install-recommends curl \\",
      "# cd /tmp",
      "    && rm -rf /var/lib/apt/lists/*",
      'CMD ["curl"]',
    );
    expect(lines_of(findings, "DL3014")).toEqual([]);
    expect(lines_of(findings, "DL3003")).toEqual([]);
    expect(lines_of(findings, "DL3009")).toEqual([]);
    expect(lines_of(findings, "DL1000")).toEqual([]);
  });

  test("heredoc : les lignes du script ne sont pas des instructions, mais ses commandes sont analysées", () => {
    const findings = lint(
      "FROM debian:12",
      "RUN <<EOF",
      "apt-get update",
      "RUNN bonjour",
      "FROM nowhere",
      "apt-get install curl",
      "EOF",
      'CMD ["curl"]',
    );
    expect(lines_of(findings, "DL1000")).toEqual([]);
    expect(lines_of(findings, "DL3006")).toEqual([]);
    expect(lines_of(findings, "DL3014")).toEqual([2]);
    expect(lines_of(findings, "DL3009")).toEqual([2]);
    expect(lines_of(findings, "DL3057")).toEqual([1]);
  });

  test("heredoc : <<-, délimiteur entre guillemets et bash en tête", () => {
    const findings = lint(
      "FROM debian:12",
      'RUN <<-"EOT" bash',
      "\tset -e",
      "\tcd /tmp",
      "\tEOT",
      "RUN cd /fin",
    );
    expect(lines_of(findings, "DL3003")).toEqual([2, 6]);
  });

  test("heredoc lu par un autre programme que le shell n'est pas analysé comme du shell", () => {
    const findings = lint(
      "FROM python:3.12-slim",
      "RUN python3 <<EOF",
      "import os",
      'os.system("cd /tmp")',
      "cd = 1",
      "EOF",
      "COPY <<EOF /etc/motd",
      "sudo apt install",
      "EOF",
    );
    expect(lines_of(findings, "DL3003")).toEqual([]);
    expect(lines_of(findings, "DL3004")).toEqual([]);
    expect(lines_of(findings, "DL3027")).toEqual([]);
    expect(lines_of(findings, "DL1000")).toEqual([]);
  });

  test("COPY avec heredoc : la destination est lue sur la ligne de l'instruction", () => {
    const findings = lint("FROM alpine:3.20", "COPY <<EOF app.conf", "a b c", "EOF", "COPY <<A <<B /etc/", "a", "A", "b", "B");
    expect(lines_of(findings, "DL3045")).toEqual([2]);
    expect(lines_of(findings, "DL3021")).toEqual([]);
  });

  test("un heredoc non fermé ne fait pas planter l'analyse", () => {
    expect(() => lint("FROM debian:12", "RUN <<EOF", "apt-get install curl", "RUN echo")).not.toThrow();
  });

  test("directive escape : le backtick sert de continuation", () => {
    const findings = lint(
      "# escape=`",
      "FROM mcr.microsoft.com/windows/servercore:ltsc2022",
      "WORKDIR C:\\app",
      "RUN apt-get update `",
      "    && apt-get install curl",
      'CMD ["app.exe"]',
    );
    expect(lines_of(findings, "DL3000")).toEqual([]);
    expect(lines_of(findings, "DL3014")).toEqual([4]);
    expect(lines_of(findings, "DL1000")).toEqual([]);
  });

  test("fins de ligne Windows (CRLF)", () => {
    const findings = lint_dockerfile("FROM debian:12\r\nRUN apt-get update \\\r\n && apt-get install curl\r\n");
    expect(lines_of(findings, "DL3014")).toEqual([2]);
  });
});

describe("ignorer des règles", () => {
  test("# hadolint ignore= au-dessus d'une instruction ne vaut que pour elle", () => {
    const findings = lint(
      "FROM debian:12",
      "# hadolint ignore=DL3008,DL3015",
      "RUN apt-get install -y curl && rm -rf /var/lib/apt/lists/*",
      "RUN apt-get install -y git && rm -rf /var/lib/apt/lists/*",
    );
    expect(lines_of(findings, "DL3015")).toEqual([4]);
  });

  test("plusieurs commentaires au-dessus de l'instruction", () => {
    const findings = lint("# hadolint ignore=DL3006", "# image de base", "FROM ubuntu");
    expect(lines_of(findings, "DL3006")).toEqual([]);
  });

  test("une ligne vide sépare le commentaire de l'instruction", () => {
    expect(lines_of(lint("# hadolint ignore=DL3006", "", "FROM ubuntu"), "DL3006")).toEqual([1 + 2]);
  });

  test("# hadolint global ignore= vaut pour tout le fichier", () => {
    const findings = lint("# hadolint global ignore=DL3059,DL3057", "FROM alpine:3.20", "RUN a", "RUN b", "RUN c");
    expect(lines_of(findings, "DL3059")).toEqual([]);
    expect(lines_of(findings, "DL3057")).toEqual([]);
  });

  test("l'option ignore retire des codes", () => {
    const findings = lint_dockerfile("FROM ubuntu\nWORKDIR app\n", { ignore: ["DL3006", "dl3057"] });
    expect(findings.map((f) => f.code)).toEqual(["DL3000"]);
  });
});

describe("robustesse", () => {
  test.each([
    [""],
    ["# seulement un commentaire\n"],
    ["FROM"],
    ["FROM alpine:3.20\nRUN\nCMD\nCOPY\nADD\nENV\nARG\nUSER\nWORKDIR\nSHELL\nHEALTHCHECK\nENTRYPOINT\n"],
    ["FROM alpine:3.20\nCOPY --from= a b\nRUN --mount= echo\nRUN 'unterminated\nRUN \"open\nRUN $(echo\nRUN `x\n"],
    ["\\\n\\\n"],
    ["FROM alpine:3.20\nONBUILD RUN apt-get install curl\nRUN <<\nRUN <<EOF EOF\n"],
  ])("ne plante pas sur %j", (content) => {
    expect(() => lint_dockerfile(content)).not.toThrow();
  });

  test("ne plante pas sur des contenus aléatoires", () => {
    const pieces = ["FROM ", "RUN ", "COPY ", "ADD ", "ENV ", "ARG ", "USER ", "CMD ", "<<EOF", "EOF", "\\", "`", "\n", "\"", "'", "|", "&&", " ", "$", "{", "}", "[", "]", "#", "--from=", "apt-get install", "a", "=", "/"];
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    for (let round = 0; round < 300; round++) {
      let content = "";
      const length = next() % 60;
      for (let i = 0; i < length; i++) content += pieces[next() % pieces.length];
      expect(() => lint_dockerfile(content)).not.toThrow();
    }
  });
});

describe("arguments lus comme Docker les lit", () => {
  test("les barres obliques inverses entre guillemets restent, et le message les montre", () => {
    expect(lines_of(lint("FROM mcr.microsoft.com/windows/servercore:ltsc2022", 'COPY bla.sh "c:\\system32\\blubb.sh"'), "DL3045")).toEqual([]);
    expect(lines_of(lint("FROM mcr.microsoft.com/windows/servercore:ltsc2022", "WORKDIR 'C:\\'"), "DL3000")).toEqual([]);
    const message = finding(lint("FROM mcr.microsoft.com/windows/servercore:ltsc2022", 'COPY a.txt b.txt "c:\\data\\in"'), "DL3021").message;
    expect(message).toContain("« c:\\data\\in »");
  });

  test("la directive escape change le caractère d'échappement", () => {
    const findings = lint("# escape=`", "FROM mcr.microsoft.com/windows/servercore:ltsc2022", "WORKDIR C:\\app", "COPY a.txt b.txt C:\\dest");
    expect(lines_of(findings, "DL3000")).toEqual([]);
    expect(finding(findings, "DL3021").message).toContain("« C:\\dest »");
  });
});
