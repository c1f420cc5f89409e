// Every behaviour hadolint's own rule specs (test/Hadolint/Rule/*Spec.hs)
// assert for the codes we implement, written again in our words and with our
// own snippets, so that a student who knows hadolint gets the same verdicts.
// Where we differ on purpose the test says so, and docs/checks.md gives the
// reason in the rule's row. hadolint's specs often lint lines without any
// FROM; ours do too, since a rule must not depend on one.
import { describe, expect, test } from "vitest";
import { lint_dockerfile } from "./rules.js";

const file = (lines: string[]) => lines.join("\n") + "\n";

function found(code: string, lines: string[]): number[] {
  return lint_dockerfile(file(lines)).filter((finding) => finding.code === code).map((finding) => finding.line);
}

function catches(code: string, ...lines: string[]): void {
  expect(found(code, lines), `${code} expected in:\n${file(lines)}`).not.toEqual([]);
}

function passes(code: string, ...lines: string[]): void {
  expect(found(code, lines), `${code} not expected in:\n${file(lines)}`).toEqual([]);
}

/** The same lines with every RUN made an ONBUILD RUN: the trigger is checked as the RUN it will be, once, on the ONBUILD line. */
function onbuild(lines: string[]): string[] {
  return lines.map((line) => (/^RUN\b/.test(line) ? `ONBUILD ${line}` : line));
}

function catches_onbuild(code: string, ...lines: string[]): void {
  const wrapped = onbuild(lines);
  const at = found(code, wrapped);
  expect(at, `${code} expected once in:\n${file(wrapped)}`).toHaveLength(1);
  expect(wrapped[at[0]! - 1]).toMatch(/^ONBUILD /);
}

function passes_onbuild(code: string, ...lines: string[]): void {
  passes(code, ...onbuild(lines));
}

describe("DL3000 WORKDIR absolu", () => {
  test("un chemin relatif, nu ou entre guillemets, est signalé", () => {
    catches("DL3000", "WORKDIR srv/www");
    catches("DL3000", "WORKDIR 'srv/www'");
    catches("DL3000", 'WORKDIR "srv/www"');
  });
  test("absolu, variable, ou lecteur Windows (avec \\ ou /, entre guillemets ou non) : rien", () => {
    passes("DL3000", "WORKDIR /srv/www");
    passes("DL3000", "WORKDIR '/srv/www'");
    passes("DL3000", 'WORKDIR "/srv/www"');
    passes("DL3000", "WORKDIR $APP_HOME");
    passes("DL3000", 'WORKDIR "${APP_HOME}"');
    passes("DL3000", "WORKDIR 'D:\\'");
    passes("DL3000", 'WORKDIR "D:\\"');
    passes("DL3000", "WORKDIR D:/");
    passes("DL3000", 'WORKDIR "D:/"');
  });
  test("un ONBUILD WORKDIR relatif est signalé sur sa ligne", () => {
    expect(found("DL3000", ["FROM alpine:3.20", "ONBUILD WORKDIR build"])).toEqual([2]);
  });
});

describe("DL3002 dernier USER root", () => {
  test("root, 0, root:root et 0:0 en dernier sont signalés", () => {
    for (const user of ["root", "0", "root:root", "0:0"]) catches("DL3002", "FROM busybox:1.36", `USER ${user}`);
  });
  test("un autre utilisateur, ou un retour à un autre après root : rien", () => {
    passes("DL3002", "FROM busybox:1.36", "USER web");
    passes("DL3002", "FROM busybox:1.36", "USER root", "RUN adduser -D web", "USER web");
  });
  test("root hérité d'une étape de base (FROM <étape>) est signalé", () => {
    catches("DL3002", "FROM alpine:3.20 AS socle", "USER root", "RUN true", "FROM socle", "RUN echo fin");
  });
  test("une étape qui repasse à un autre utilisateur avant la suivante : rien", () => {
    passes("DL3002", "FROM alpine:3.20 AS socle", "USER root", "RUN true", "USER web", "FROM scratch", "COPY --from=socle /x /x");
  });
  test("différence voulue : une étape intermédiaire laissée en root n'est pas signalée (seule l'image finale tourne)", () => {
    // hadolint signale ce cas ; voir docs/checks.md.
    passes("DL3002", "FROM alpine:3.20 AS outils", "USER root", "RUN true", "FROM scratch", "USER web", "COPY --from=outils /x /x");
  });
});

describe("DL3003 cd", () => {
  test("WORKDIR : rien ; cd dans un RUN : signalé, même en ONBUILD", () => {
    passes("DL3003", "WORKDIR /src");
    catches("DL3003", "RUN cd /src");
    catches_onbuild("DL3003", "RUN cd /src && make");
  });
  test("différence voulue : cd dans un sous-shell ne change pas le répertoire du reste, il est permis", () => {
    passes("DL3003", "RUN ( cd /src && make ) && make -C /src install");
    passes("DL3003", 'RUN dir="$(cd /src && pwd)" && echo "$dir"');
  });
});

describe("DL3004 sudo", () => {
  test("sudo au début ou après && est signalé, aussi en ONBUILD", () => {
    catches("DL3004", "RUN sudo apk add curl");
    catches("DL3004", "RUN apk update && sudo apk add curl");
    catches_onbuild("DL3004", "RUN sudo apk add curl");
    catches_onbuild("DL3004", "RUN apk update && sudo apk add curl");
  });
  test("installer le paquet sudo n'est pas utiliser sudo", () => {
    passes("DL3004", "RUN apt-get install -y sudo");
    passes_onbuild("DL3004", "RUN apt-get install -y sudo");
  });
});

describe("DL3006 tag de l'image", () => {
  test("une image sans tag, nommée ou non, est signalée", () => {
    catches("DL3006", "FROM fedora");
    catches("DL3006", "FROM fedora AS outils");
  });
  test("un digest, un tag, une variable sans valeur, scratch : rien", () => {
    passes("DL3006", "FROM fedora@sha256:0a1b2c3d4e5f6");
    passes("DL3006", "FROM fedora:40");
    passes("DL3006", "FROM ${BASE_IMAGE}");
    passes("DL3006", "FROM scratch");
  });
  test("une étape déjà nommée peut servir de base sans tag ; une vraie image sans tag, non", () => {
    const named = ["FROM rust:1.80-slim AS compil", "RUN cargo build", "FROM compil AS tests", "RUN cargo test", "FROM debian:bookworm-slim", "RUN true"];
    passes("DL3006", ...named);
    passes_onbuild("DL3006", ...named);
    const untagged = ["FROM rust:1.80-slim AS compil", "RUN cargo build", "FROM python AS tests", "RUN pytest", "FROM debian:bookworm-slim", "RUN true"];
    expect(found("DL3006", untagged)).toEqual([3]);
    expect(found("DL3006", onbuild(untagged))).toEqual([3]);
  });
  test("différence voulue : une image donnée par un ARG à valeur par défaut est jugée sur cette valeur", () => {
    catches("DL3006", "ARG BASE=fedora", "FROM ${BASE}");
    passes("DL3006", "ARG BASE=fedora:40", "FROM ${BASE}");
  });
});

describe("DL3007 tag latest", () => {
  test("latest, nommé ou non, est signalé", () => {
    catches("DL3007", "FROM fedora:latest");
    catches("DL3007", "FROM fedora:latest AS outils");
  });
  test("un autre tag, un digest, ou latest épinglé par un digest : rien", () => {
    const digest = "sha256:" + "4f".repeat(32);
    passes("DL3007", "FROM fedora:40");
    passes("DL3007", "FROM fedora:40 AS outils");
    passes("DL3007", `FROM quay.io/fedora/fedora@${digest}`);
    passes("DL3007", `FROM quay.io/fedora/fedora:latest@${digest}`);
  });
});

describe("DL3009 listes apt", () => {
  test("apt-get update sans nettoyage dans l'image finale est signalé, aussi en ONBUILD", () => {
    const lines = ["FROM debian:bookworm", "RUN apt-get update && apt-get install -y tzdata"];
    catches("DL3009", ...lines);
    catches_onbuild("DL3009", ...lines);
  });
  test("dans une étape qui n'arrive pas dans l'image finale : rien ; en ONBUILD, si (il s'exécutera dans une image dérivée)", () => {
    const lines = ["FROM debian:bookworm AS prep", "RUN apt-get update && apt-get install -y tzdata", "FROM scratch", "RUN echo fini"];
    passes("DL3009", ...lines);
    catches_onbuild("DL3009", ...lines);
  });
  test("dans la dernière étape, ou dans une étape dont la suivante part (FROM <étape>) : signalé", () => {
    catches("DL3009", "FROM debian:bookworm AS prep", "RUN echo", "FROM debian:bookworm-slim", "RUN apt-get update && apt-get install -y tzdata");
    catches_onbuild("DL3009", "FROM debian:bookworm AS prep", "RUN echo", "FROM debian:bookworm-slim", "RUN apt-get update && apt-get install -y tzdata");
    catches("DL3009", "FROM debian:bookworm AS prep", "RUN apt-get update && apt-get install -y tzdata", "FROM prep", "RUN echo");
    catches_onbuild("DL3009", "FROM debian:bookworm AS prep", "RUN apt-get update && apt-get install -y tzdata", "FROM prep", "RUN echo");
  });
  test("nettoyé dans le même RUN (apt-get, apt ou aptitude) : rien, aussi en ONBUILD", () => {
    for (const apt of ["apt-get", "apt", "aptitude"]) {
      const lines = ["FROM debian:bookworm AS prep", `RUN ${apt} update && ${apt} install -y tzdata && rm -rf /var/lib/apt/lists/*`, "FROM prep", "RUN echo"];
      passes("DL3009", ...lines);
      passes_onbuild("DL3009", ...lines);
    }
  });
  test("apt et aptitude sans nettoyage sont signalés comme apt-get", () => {
    for (const apt of ["apt", "aptitude"]) {
      catches("DL3009", "FROM debian:bookworm", `RUN ${apt} update && ${apt} install -y tzdata`);
      catches_onbuild("DL3009", "FROM debian:bookworm", `RUN ${apt} update && ${apt} install -y tzdata`);
    }
  });
  test("un montage cache ou tmpfs sur les listes (seul ou avec /var/cache/apt) : rien", () => {
    passes("DL3009", "RUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y tzdata");
    passes_onbuild("DL3009", "RUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y tzdata");
    for (const [a, b] of [["cache", "cache"], ["tmpfs", "tmpfs"], ["tmpfs", "cache"], ["cache", "tmpfs"]]) {
      passes("DL3009", `RUN --mount=type=${a},target=/var/cache/apt --mount=type=${b},target=/var/lib/apt apt-get update`);
    }
    passes("DL3009", "RUN rm -f /etc/apt/apt.conf.d/docker-clean", "RUN --mount=type=cache,target=/var/lib/apt --mount=type=cache,target=/var/cache/apt apt-get update");
  });
  test("un montage sur /var/cache/apt seulement ne couvre pas les listes : signalé", () => {
    catches("DL3009", "RUN --mount=type=cache,target=/var/cache/apt rm -f /etc/apt/apt.conf.d/docker-clean && apt-get update && apt-get install -y tzdata");
    catches_onbuild("DL3009", "RUN --mount=type=cache,target=/var/cache/apt rm -f /etc/apt/apt.conf.d/docker-clean && apt-get update && apt-get install -y tzdata");
  });
  test("différence voulue : un montage sur /var/lib/apt seul garde aussi les listes hors de la couche", () => {
    // hadolint demande en plus /var/cache/apt (les .deb) ; ce n'est pas l'objet de DL3009.
    passes("DL3009", "RUN rm -f /etc/apt/apt.conf.d/docker-clean", "RUN --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y tzdata");
  });
});

describe("DL3014 apt-get install -y", () => {
  test("sans confirmation automatique : signalé, aussi en ONBUILD ; -q seul ne suffit pas", () => {
    for (const options of ["", "-q", "--quiet"]) {
      catches("DL3014", `RUN apt-get install ${options} tzdata`);
      catches_onbuild("DL3014", `RUN apt-get install ${options} tzdata`);
    }
  });
  test("-y, --yes, --assume-yes avant ou après install, -yq, et le niveau de silence 2 (-qq, -q=2, -q -q) : rien", () => {
    for (const command of [
      "apt-get -y install tzdata", "apt-get --yes install tzdata", "apt-get --assume-yes install tzdata",
      "apt-get install -y tzdata", "apt-get install -yq tzdata", "apt-get install -qq tzdata",
      "apt-get install -q=2 tzdata", "apt-get install -q -q tzdata", "apt-get install --quiet --quiet tzdata",
    ]) {
      passes("DL3014", `RUN ${command}`);
      passes_onbuild("DL3014", `RUN ${command}`);
    }
  });
});

describe("DL3015 paquets recommandés", () => {
  test("sans --no-install-recommends : signalé, aussi en ONBUILD", () => {
    catches("DL3015", "RUN apt-get install -y tzdata");
    catches("DL3015", "RUN apt-get -y install tzdata");
    catches_onbuild("DL3015", "RUN apt-get install -y tzdata");
  });
  test("--no-install-recommends, ou l'option APT::Install-Recommends=false : rien", () => {
    passes("DL3015", "RUN apt-get install -y --no-install-recommends tzdata");
    passes("DL3015", "RUN apt-get -o APT::Install-Recommends=false install -y tzdata");
    passes_onbuild("DL3015", "RUN apt-get -o APT::Install-Recommends=false install -y tzdata");
  });
});

describe("DL3020 COPY plutôt que ADD", () => {
  test("un fichier, un dossier, une archive zip (que ADD ne décompresse pas) : signalés, entre guillemets aussi", () => {
    catches("DL3020", "ADD conf /etc/app/");
    catches("DL3020", "ADD paquet.zip /opt/");
    catches("DL3020", 'ADD "paquet.zip" /opt/');
  });
  test("une archive que ADD décompresse, ou une URL : rien", () => {
    for (const source of ["data.tar", "data.gz", "data.bz2", "data.xz", "data.tgz", '"data.tgz"', "https://example.org/x", '"https://example.org/x"']) {
      passes("DL3020", `ADD ${source} /opt/`);
    }
  });
});

describe("DL3021 COPY de plusieurs sources", () => {
  test("une destination sans / final est signalée, entre guillemets aussi", () => {
    catches("DL3021", "COPY a.txt b.txt /dest");
    catches("DL3021", 'COPY a.txt b.txt "/dest"');
  });
  test("deux arguments, ou une destination en dossier : rien", () => {
    passes("DL3021", "COPY a.txt /dest");
    passes("DL3021", "COPY a.txt b.txt /dest/");
    passes("DL3021", 'COPY a.txt b.txt "/dest/"');
  });
});

describe("DL3022 COPY --from", () => {
  test("un nom inconnu, une étape définie plus bas, un numéro qui n'existe pas : signalés", () => {
    catches("DL3022", "COPY --from=compil /app .");
    catches("DL3022", "FROM scratch", "COPY --from=compil /app .", "FROM golang:1.19 AS compil", "RUN go build");
    catches("DL3022", "COPY --from=0 /app .");
  });
  test("une étape nommée plus haut, un numéro d'étape précédente, une image avec tag : rien", () => {
    passes("DL3022", "FROM golang:1.19 AS compil", "RUN go build", "FROM alpine:3.20", "COPY --from=compil /app .", "RUN true");
    passes("DL3022", "FROM golang:1.19 AS compil", "RUN go build", "FROM alpine:3.20", "COPY --from=0 /app .");
    passes("DL3022", "FROM golang:1.19", "RUN go build", "FROM alpine:3.20", "COPY --from=0 /app .");
    passes("DL3022", "COPY --from=nginx:1.27 /etc/nginx/nginx.conf .");
  });
  test("différence voulue : une étape ne peut pas copier depuis elle-même (Docker le refuse)", () => {
    catches("DL3022", "FROM golang:1.19 AS compil", "COPY --from=compil /a /b");
    catches("DL3022", "FROM golang:1.19", "COPY --from=0 /a /b");
  });
});

describe("DL3025 CMD et ENTRYPOINT en JSON", () => {
  test("CMD ou ENTRYPOINT en forme shell : signalés", () => {
    catches("DL3025", "FROM node:22-slim AS web", "CMD node server.js");
    catches("DL3025", "FROM node:22-slim AS web", "ENTRYPOINT node server.js");
  });
  test("en JSON, même écrit sur plusieurs lignes avec des chaînes coupées : rien", () => {
    passes("DL3025", "FROM node:22-slim", 'CMD ["node", "server.js"]', 'CMD [ "node", "server.js" ]');
    passes("DL3025", "FROM node:22-slim", 'ENTRYPOINT ["node", "server.js"]');
    passes("DL3025", 'CMD [ "/bin/sh", "-c", \\', '      "node migrate.js && \\', '       node server.js" \\', "    ]");
    passes("DL3025", 'HEALTHCHECK CMD [ "wget", "-q", "http://localhost/" ]');
  });
  test("différence voulue : HEALTHCHECK CMD en forme shell n'est pas signalé (aucun signal à transmettre, c'est la forme de la doc Docker)", () => {
    passes("DL3025", "HEALTHCHECK CMD wget -q -O /dev/null http://localhost/ || exit 1");
  });
});

describe("DL3027 apt", () => {
  test("apt est signalé, aussi en ONBUILD", () => {
    catches("DL3027", "FROM ubuntu:24.04", "RUN apt install -y tzdata");
    catches_onbuild("DL3027", "FROM ubuntu:24.04", "RUN apt install -y tzdata");
  });
});

describe("DL3042 pip --no-cache-dir", () => {
  test("pip, pip2, pip3 sans --no-cache-dir : signalés, aussi en ONBUILD", () => {
    for (const pip of ["pip", "pip2", "pip3"]) {
      catches("DL3042", `RUN ${pip} install requests`);
      catches_onbuild("DL3042", `RUN ${pip} install requests`);
    }
  });
  test("--no-cache-dir avant ou après le paquet : rien", () => {
    for (const command of ["pip install requests --no-cache-dir", "pip2 install requests --no-cache-dir", "pip3 install --no-cache-dir requests"]) {
      passes("DL3042", `RUN ${command}`);
      passes_onbuild("DL3042", `RUN ${command}`);
    }
  });
  test("pipenv et pipx ne sont pas pip", () => {
    for (const command of ["pipenv install requests", "pipx install black"]) {
      passes("DL3042", `RUN ${command}`);
      passes_onbuild("DL3042", `RUN ${command}`);
    }
  });
  test("PIP_NO_CACHE_DIR vrai (1, true, on, yes) par ENV, devant la commande ou par export : rien ; faux (0, false, off, no) : signalé", () => {
    for (const value of ["1", "true", "on", "yes", "TRUE", "Yes"]) {
      passes("DL3042", `ENV PIP_NO_CACHE_DIR=${value}`, "RUN pip install requests");
      passes("DL3042", `RUN PIP_NO_CACHE_DIR=${value} pip install requests`);
      passes("DL3042", `RUN export PIP_NO_CACHE_DIR=${value} && pip install requests`);
    }
    for (const value of ["0", "false", "off", "no"]) {
      catches("DL3042", `ENV PIP_NO_CACHE_DIR=${value}`, "RUN pip install requests");
      catches("DL3042", `RUN PIP_NO_CACHE_DIR=${value} pip install requests`);
      catches("DL3042", `RUN export PIP_NO_CACHE_DIR=${value} && pip install requests`);
    }
  });
  test("l'ENV d'une étape vaut pour les étapes qui en partent, pas pour les autres", () => {
    passes("DL3042", "FROM python:3.12-slim AS socle", "ENV PIP_NO_CACHE_DIR=1", "FROM socle", "RUN pip install requests");
    catches("DL3042", "FROM python:3.12-slim AS socle", "ENV PIP_NO_CACHE_DIR=1", "FROM python:3.12-slim", "RUN pip install requests");
  });
  test("un montage cache ou tmpfs sur le cache de pip : rien", () => {
    for (const type of ["cache", "tmpfs"]) {
      passes("DL3042", `RUN --mount=type=${type},target=/root/.cache/pip pip install requests`);
      passes_onbuild("DL3042", `RUN --mount=type=${type},target=/root/.cache/pip pip install requests`);
    }
  });
});

describe("DL3045 COPY vers un chemin relatif sans WORKDIR", () => {
  test("une destination relative sans WORKDIR, nue ou entre guillemets, même d'une lettre : signalée", () => {
    catches("DL3045", "COPY run.sh run2.sh");
    catches("DL3045", 'COPY run.sh "run2.sh"');
    catches("DL3045", "COPY x y");
  });
  test("absolue, lecteur Windows (\\ ou /, guillemets ou non), ou variable : rien", () => {
    for (const destination of ["/opt/run.sh", '"/opt/run.sh"', "e:\\outils\\run.sh", '"e:\\outils\\run.sh"', "e:/outils/run.sh", "$DEST", "${DEST}", '"$DEST"', '"${DEST}"']) {
      passes("DL3045", `COPY run.sh ${destination}`);
    }
  });
  test("un WORKDIR (Unix ou Windows) plus haut dans l'étape : rien", () => {
    passes("DL3045", "FROM alpine:3.20", "WORKDIR /opt", "COPY run.sh run2.sh");
    passes("DL3045", "FROM mcr.microsoft.com/windows/nanoserver:ltsc2022", "WORKDIR c:\\outils", "COPY run.sh run2.sh");
  });
  test("le WORKDIR d'une étape vaut pour les étapes qui en partent, même de loin, pas pour les autres", () => {
    passes("DL3045", "FROM alpine:3.20 AS a", "WORKDIR /opt", "FROM a AS b", "RUN true", "FROM b", "COPY x y");
    passes("DL3045", "FROM alpine:3.20 AS a", "WORKDIR /opt", "FROM alpine:3.20 AS entre", "RUN true", "FROM a", "COPY x y");
    catches("DL3045", "FROM alpine:3.20 AS a", "WORKDIR /opt", "FROM alpine:3.20", "COPY x y");
  });
  test("ONBUILD WORKDIR vaut pour les ONBUILD COPY qui le suivent", () => {
    passes("DL3045", "FROM alpine:3.20", "ONBUILD WORKDIR /opt/app", "ONBUILD COPY x y");
    expect(found("DL3045", ["FROM alpine:3.20", "ONBUILD COPY x y"])).toEqual([2]);
  });
});

describe("DL3057 HEALTHCHECK (une suggestion ici)", () => {
  test("absent : signalé ; présent, ou HEALTHCHECK NONE : rien", () => {
    catches("DL3057", "FROM busybox:1.36");
    passes("DL3057", "FROM busybox:1.36", "HEALTHCHECK NONE");
    passes("DL3057", "FROM busybox:1.36", "HEALTHCHECK CMD /bin/sonde");
  });
  test("hérité par FROM <étape>, même au bout d'une chaîne : rien ; une étape qui n'en hérite pas : signalé", () => {
    passes("DL3057", "FROM busybox:1.36 AS socle", "HEALTHCHECK CMD /bin/sonde", "FROM socle");
    passes("DL3057", "FROM busybox:1.36 AS a", "FROM a AS b", "FROM b AS c", "FROM c AS fin", "HEALTHCHECK NONE");
    catches("DL3057", "FROM busybox:1.36 AS socle", "HEALTHCHECK CMD /bin/sonde", "FROM busybox:1.36");
    catches("DL3057", "FROM busybox:1.36 AS a", "FROM a AS b", "FROM b AS c1", "FROM b AS c2", "FROM c1 AS fin1", "HEALTHCHECK NONE", "FROM c2 AS fin2");
  });
});

describe("DL3059 RUN consécutifs", () => {
  test("aucun RUN, un seul, ou deux séparés par une autre instruction : rien", () => {
    passes("DL3059", "FROM alpine:3.20");
    passes("DL3059", "RUN /prepare.sh");
    passes("DL3059", "RUN /prepare.sh", "WORKDIR /", "RUN /build.sh");
    passes("DL3059", "# préparation", "RUN /prepare.sh");
  });
  test("deux RUN d'une commande qui se suivent, même séparés par des commentaires, ou avec les mêmes options : signalés", () => {
    catches("DL3059", "RUN /prepare.sh", "RUN /build.sh");
    catches("DL3059", "RUN /prepare.sh", "# ensuite", "RUN /build.sh");
    catches("DL3059", "RUN /prepare.sh", "# ensuite", "# et enfin", "RUN /build.sh");
    catches("DL3059", "RUN --mount=type=secret,id=jeton /prepare.sh", "RUN --mount=type=secret,id=jeton /build.sh");
  });
  test("des options différentes : rien", () => {
    passes("DL3059", "RUN --mount=type=secret,id=jeton /prepare.sh", "RUN /build.sh");
    passes("DL3059", "RUN --mount=type=secret,id=jeton /prepare.sh", "RUN --mount=type=secret,id=autre /build.sh");
  });
  test("un RUN qui enchaîne déjà des commandes (&&, ;) a été séparé exprès : rien", () => {
    passes("DL3059", "RUN make && make check", "RUN make install");
    passes("DL3059", "RUN make; make check", "RUN make install");
    passes("DL3059", "RUN make install", "RUN make && make check");
    passes("DL3059", "RUN make install", "RUN make; make check");
    passes("DL3059", "RUN make && make check", "RUN make; make install");
  });
  test("après un RUN qui enchaîne, deux RUN d'une commande de suite : signalé", () => {
    expect(found("DL3059", ["RUN make && make check", "RUN make install", "RUN make clean"])).toEqual([3]);
  });
});

describe("DL4003 et DL4004 CMD / ENTRYPOINT multiples", () => {
  test("deux dans la même étape : signalés ; un par étape : rien", () => {
    catches("DL4003", "FROM busybox:1.36", 'CMD ["a"]', 'CMD ["b"]');
    passes("DL4003", "FROM busybox:1.36", 'CMD ["a"]', "FROM busybox:1.36", 'CMD ["b"]');
    catches("DL4003", "FROM busybox:1.36", 'CMD ["a"]', "FROM busybox:1.36", 'CMD ["b"]', 'CMD ["c"]');
    passes("DL4003", "FROM busybox:1.36", 'CMD ["a"]');
    catches("DL4004", "FROM busybox:1.36", 'ENTRYPOINT ["a"]', 'ENTRYPOINT ["b"]');
    passes("DL4004", "FROM busybox:1.36", 'ENTRYPOINT ["a"]', "FROM busybox:1.36", 'ENTRYPOINT ["b"]');
    catches("DL4004", "FROM busybox:1.36", 'ENTRYPOINT ["a"]', "FROM busybox:1.36", 'ENTRYPOINT ["b"]', 'ENTRYPOINT ["c"]');
    passes("DL4004", "FROM busybox:1.36", 'ENTRYPOINT ["a"]');
    passes("DL4004", "FROM busybox:1.36");
  });
});

describe("DL4006 pipefail", () => {
  const pipe = "RUN curl -fsSL https://example.org/liste | grep -c nom > /compte";
  test("un pipe sans pipefail est signalé, aussi avec SHELL sh", () => {
    catches("DL4006", "FROM debian:bookworm", pipe);
    catches("DL4006", "FROM debian:bookworm", 'SHELL ["/bin/sh", "-c"]', pipe);
  });
  test("pas de pipe : rien", () => {
    passes("DL4006", "FROM debian:bookworm", "RUN curl -fsSL https://example.org/liste && grep -c nom liste > /compte");
  });
  test("SHELL avec -o pipefail (bash, zsh, ash ; -eo, -e -o, -o errexit -o ; tout chemin) : rien", () => {
    for (const shell of [
      '["/bin/bash", "-eo", "pipefail", "-c"]', '["/bin/bash", "-e", "-o", "pipefail", "-c"]',
      '["/bin/bash", "-o", "errexit", "-o", "pipefail", "-c"]', '["/bin/zsh", "-o", "pipefail", "-c"]',
      '["/usr/local/bin/bash", "-o", "pipefail", "-c"]', '["/opt/zsh/bin/zsh", "-o", "pipefail", "-c"]',
    ]) {
      passes("DL4006", "FROM debian:bookworm", `SHELL ${shell}`, pipe);
    }
  });
  test("un shell qui n'est pas POSIX (pwsh, powershell, cmd) : rien", () => {
    for (const shell of ['["pwsh", "-c"]', '["powershell", "-command"]', '["cmd.exe", "/S", "/C"]']) {
      passes("DL4006", "FROM mcr.microsoft.com/powershell:lts", `SHELL ${shell}`, "RUN Get-Item x | Select-Object Name");
    }
  });
  test("pipefail ne passe pas à une étape qui n'en part pas, ni au-delà d'un SHELL qui l'enlève", () => {
    expect(found("DL4006", ["FROM debian:bookworm AS a", 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]', pipe, "FROM debian:bookworm AS b", pipe])).toEqual([5]);
    expect(found("DL4006", ["FROM debian:bookworm", 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]', pipe, 'SHELL ["/bin/sh", "-c"]', pipe])).toEqual([5]);
  });
  test("au-delà de hadolint : set -o pipefail avant le pipe suffit ; un | dans un motif de case n'est pas un pipe ; un pipe dans $(...) en est un", () => {
    passes("DL4006", "FROM debian:bookworm", "RUN set -eux -o pipefail; curl -fsSL https://example.org/liste | grep -c nom");
    passes("DL4006", "FROM debian:bookworm", 'RUN case "$(uname -m)" in x86_64|aarch64) echo ok ;; *) exit 1 ;; esac');
    catches("DL4006", "FROM debian:bookworm", 'RUN sum="$(curl -fsSL https://example.org/x | sha256sum)" && echo "$sum"');
  });
});
