// Metadata checks on real images built here: one that gets everything right,
// one that gets everything wrong, and small variants for the USER cases
// (numeric, name:group, unknown user, root, scratch without /etc/passwd).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ExerciseHandle, type BuiltImage } from "../spec/use-exercise.js";
import { remove_managed } from "../engine/cleanup.js";
import { docker, LABEL_SESSION } from "../engine/client.js";
import { clear_image_files_cache } from "../engine/files.js";
import { must } from "../../test/helpers/outcome.js";
import { temp_folders } from "../../test/helpers/folders.js";
import { CheckFailure } from "../spec/use-exercise.js";
import {
  ABSENT,
  PRESENT,
  check_cmd,
  check_entrypoint,
  check_env,
  check_exec_form,
  check_exposed_ports,
  check_healthcheck,
  check_labels,
  check_oci_labels,
  check_stop_signal,
  check_user,
  check_volumes,
  check_working_directory,
} from "./metadata.js";
import { check_base_image, check_stage_count } from "./stages.js";
import { type CheckOutcome } from "./check.js";

/** A check that must pass: its failures thrown as the student would read them. */

const session = randomUUID();
const folder = temp_folders();

const USERS = "RUN groupadd --gid 10001 app && useradd --uid 10001 --gid app --groups staff --no-create-home app";
const GOOD = `ARG PY=3.11
FROM python:\${PY}-slim
${USERS}
WORKDIR /app
COPY app.py /app/app.py
ENV PORT=8080 PYTHONUNBUFFERED=1
EXPOSE 8080 53/udp
VOLUME /data
LABEL org.opencontainers.image.title="demo" org.opencontainers.image.version="1.2.3" maintainer="prof@example.com"
HEALTHCHECK --interval=10s --timeout=3s --retries=4 CMD ["python3", "-c", "print('ok')"]
STOPSIGNAL SIGINT
USER app
CMD ["python3", "app.py"]
`;
const BAD = `FROM debian:bookworm-slim
WORKDIR srv
COPY app.py app.py
ENV PORT=80 DEBUG=1
EXPOSE 8080/udp 9000
HEALTHCHECK NONE
CMD python3 app.py
`;
const variant = (user: string) => `FROM python:3.11-slim\n${USERS}\nUSER ${user}\n`;

const handles: Record<string, ExerciseHandle> = {};
const images: Record<string, BuiltImage> = {};
const sources: Record<string, string> = {
  good: GOOD,
  bad: BAD,
  numeric: variant("10001"),
  group: variant("app:app"),
  ghost: variant("ghost"),
  root: variant("root"),
  www: variant("www-data"),
  scratch: "FROM scratch\nCOPY app.py /app.py\nUSER 10001\n",
  scratch_named: "FROM scratch\nCOPY app.py /app.py\nUSER app\n",
};

beforeAll(async () => {
  // Sequential builds: they share the cached useradd layer.
  for (const [name, dockerfile] of Object.entries(sources)) {
    const ex = new ExerciseHandle(`metadata-${name.replace("_", "-")}`, folder({ Dockerfile: dockerfile, "app.py": "print('bonjour')\n" }), session);
    handles[name] = ex;
    images[name] = await ex.image();
  }
});
afterAll(async () => {
  await Promise.all(Object.values(handles).map((h) => h.dispose()));
  await remove_managed(session);
});

async function ours(): Promise<number> {
  const filters = JSON.stringify({ label: [`${LABEL_SESSION}=${session}`] });
  return (await docker().listContainers({ all: true, filters })).length;
}

describe("exposed ports", () => {
  test("passes with the protocol; 8080 means tcp", () => {
    expect(check_exposed_ports(images.good!, [8080, "53/udp"], { only: true })).toEqual({ ok: true, failures: [], output: undefined });
  });
  test("fails listing every missing port at once, udp is not tcp", () => {
    expect(check_exposed_ports(images.bad!, [8080, "3000/tcp"]).failures).toEqual([
      "L'image expose 8080/udp au lieu de 8080/tcp : TCP est le protocole par défaut, écrivez « EXPOSE 8080 » ou « EXPOSE 8080/tcp ».",
      "L'image expose 8080/udp, 9000/tcp au lieu de 3000/tcp. Déclarez le port où le serveur doit écouter : « EXPOSE 3000 ».",
    ]);
  });
});

describe("user", () => {
  test("USER app, USER 10001 and USER app:app all resolve through the image's /etc/passwd", async () => {
    for (const expected of ["app", 10001, "app:app", { uid: 10001, gid: 10001 }] as const) {
      expect((await check_user(handles.good!, expected)).failures).toEqual([]);
    }
    expect((await check_user(handles.numeric!, "app")).ok).toBe(true);
    expect((await check_user(handles.group!, { name: "app", group: "app" })).ok).toBe(true);
    expect(await ours()).toBe(0);
  });

  test("another user fails with who it is and what to write", async () => {
    expect((await check_user(handles.www!, "app")).failures).toEqual([
      "L'image tourne en tant que www-data (uid 33), groupe www-data (gid 33) (USER www-data) ; attendu : app (uid 10001). Écrivez « USER app » à la place.",
    ]);
    expect((await check_user(handles.bad!, "app:app")).failures).toEqual([
      "L'utilisateur attendu « app » n'existe pas dans /etc/passwd de l'image : créez-le (RUN useradd --uid 10001 app, ou adduser sur Alpine), puis écrivez « USER app ».",
      "Le groupe attendu « app » n'existe pas dans /etc/group de l'image : créez-le (RUN groupadd app).",
    ]);
    expect((await check_user(handles.www!, { uid: 10001, gid: 10001 })).failures).toEqual([
      "L'image tourne en tant que www-data (uid 33), groupe www-data (gid 33) (USER www-data) ; attendu : l'UID 10001. Écrivez « USER 10001 » à la place.",
      "Le groupe principal de l'utilisateur de l'image est www-data (gid 33), attendu le gid 10001. Écrivez « USER www-data:10001 », ou créez l'utilisateur avec ce groupe principal.",
    ]);
  });

  test("a USER the image does not know fails: the container could not start", async () => {
    const message =
      "USER ghost : l'utilisateur « ghost » n'existe pas dans /etc/passwd de l'image, le conteneur ne pourrait pas démarrer. " +
      "Créez l'utilisateur avant l'instruction USER (RUN useradd --uid 10001 ghost, ou adduser sur Alpine), ou utilisez un UID numérique (USER 10001).";
    expect((await check_user(handles.ghost!, "app")).failures).toEqual([message]);
    expect((await check_user(handles.ghost!, { non_root: true })).failures).toEqual([message]);
  });

  test("non-root: passes for a name or a UID, fails for no USER and for USER root", async () => {
    expect((await check_user(handles.good!, { non_root: true })).ok).toBe(true);
    expect((await check_user(handles.numeric!, { non_root: true })).ok).toBe(true);
    expect((await check_user(handles.bad!, { non_root: true })).failures).toEqual([
      "L'image tourne en root : elle ne déclare pas d'utilisateur (aucune instruction USER). " +
        "Créez un utilisateur (RUN useradd --uid 10001 app) et ajoutez « USER app » à la fin du Dockerfile, après les installations.",
    ]);
    await expect(must(check_user(handles.root!, { non_root: true }))).rejects.toThrow(
      new CheckFailure(
        "L'image tourne en root : USER root désigne l'UID 0. Créez un utilisateur sans privilèges (RUN useradd --uid 10001 app) et écrivez « USER app » à la fin du Dockerfile.",
      ),
    );
  });

  test("scratch: a numeric USER needs no /etc/passwd, a name cannot be resolved without one", async () => {
    expect((await check_user(handles.scratch!, { non_root: true })).ok).toBe(true);
    expect((await check_user(handles.scratch!, 10001)).ok).toBe(true);
    expect((await check_user(handles.scratch!, "app")).failures).toEqual([
      "L'utilisateur attendu « app » n'existe pas dans l'image (pas de /etc/passwd) : créez-le (RUN useradd --uid 10001 app, ou adduser sur Alpine), puis écrivez « USER app ».",
    ]);
    expect((await check_user(handles.scratch_named!, { non_root: true })).failures).toEqual([
      "USER app : l'image n'a pas de fichier /etc/passwd, donc pas d'utilisateur « app », le conteneur ne pourrait pas démarrer. " +
        "Créez l'utilisateur avant l'instruction USER (RUN useradd --uid 10001 app, ou adduser sur Alpine), ou utilisez un UID numérique (USER 10001).",
    ]);
    expect(await ours()).toBe(0);
  });

  test("the image's accounts are read once per image (cached)", async () => {
    clear_image_files_cache();
    const t0 = Date.now();
    await check_user(handles.good!, "app");
    const first = Date.now() - t0;
    const t1 = Date.now();
    await check_user(handles.good!, "app");
    expect(Date.now() - t1).toBeLessThan(Math.max(50, first / 4));
  });
});

describe("env", () => {
  test("passes with exact values, patterns, ABSENT and PRESENT", async () => {
    await must(check_env(images.good!, { PORT: "8080", PYTHONUNBUFFERED: { matches: /^1$/, shown: "/^1$/" }, DEBUG: ABSENT, PATH: PRESENT }));
  });
  test("fails listing every variable", () => {
    expect(check_env(images.bad!, { PORT: "8080", PYTHONUNBUFFERED: "1", DEBUG: ABSENT, HOME_DIR: { matches: /^\/app/, shown: "/^\\/app/" } }).failures).toEqual([
      "La variable PORT vaut « 80 » ; attendu : « 8080 ». Corrigez l'instruction ENV : ENV PORT=8080.",
      "L'image ne déclare pas PYTHONUNBUFFERED ; attendu : « 1 ». Ajoutez ENV PYTHONUNBUFFERED=1.",
      "La variable DEBUG ne devrait pas être définie dans l'image (elle vaut « 1 ») : retirez-la des instructions ENV (une valeur propre à un environnement se passe au lancement, avec docker run -e).",
      "L'image ne déclare pas HOME_DIR ; attendu : /^\\/app/. Ajoutez ENV HOME_DIR=<valeur>.",
    ]);
  });
});

describe("working directory", () => {
  test("set by an absolute WORKDIR of the final stage, and the path expected", () => {
    expect(check_working_directory(handles.good!, images.good!, "/app").ok).toBe(true);
    expect(check_working_directory(handles.bad!, images.bad!).failures).toEqual([
      "Ligne 2 : WORKDIR srv est un chemin relatif, qui dépend du WORKDIR précédent (ou de l'image de base). Écrivez un chemin absolu : WORKDIR /srv.",
    ]);
    expect(check_working_directory(handles.root!, images.root!, "/app").failures[0]).toMatch(/^L'image n'a pas de répertoire de travail : le programme tourne dans « \/ »/);
  });
});

describe("CMD and ENTRYPOINT", () => {
  test("exact, pattern and exec form pass on the good image", () => {
    expect(check_cmd(images.good!, ["python3", "app.py"]).ok).toBe(true);
    expect(check_cmd(images.good!, { matches: "app.py", form: "exec" }).ok).toBe(true);
    expect(check_entrypoint(images.good!, ABSENT).ok).toBe(true);
    expect(check_exec_form(handles.good!, images.good!, "CMD").ok).toBe(true);
  });
  test("shell form fails every criterion at once", () => {
    expect(check_cmd(images.bad!, { equals: ["python3", "app.py"], matches: { matches: /server\.py/, shown: "/server\\.py/" }, form: "exec" }).failures).toEqual([
      'CMD vaut ["/bin/sh","-c","python3 app.py"] (forme shell) ; attendu ["python3","app.py"]. Écrivez « CMD ["python3", "app.py"] ».',
      'CMD vaut ["/bin/sh","-c","python3 app.py"] ; attendu : une commande qui correspond à /server\\.py/.',
      'CMD est en forme shell (["/bin/sh","-c","python3 app.py"]) : le programme tourne sous /bin/sh et ne reçoit pas les signaux. Écrivez-le en forme exec, un tableau JSON : CMD ["programme", "argument"].',
    ]);
    expect(check_entrypoint(images.bad!, ["python3"]).failures).toEqual([
      'L\'image n\'a pas de ENTRYPOINT. Ajoutez par exemple « ENTRYPOINT ["python3"] » à la fin du Dockerfile.',
    ]);
  });
  test("check_exec_form keeps its messages (inherited CMD, shell form)", () => {
    expect(check_exec_form(handles.bad!, images.bad!, "CMD").failures).toContain(
      'CMD est en forme shell (["/bin/sh","-c","python3 app.py"]) : le programme tourne sous /bin/sh et ne reçoit pas les signaux. Écrivez-le en forme exec, un tableau JSON : CMD ["programme", "argument"].',
    );
    expect(check_exec_form(handles.root!, images.root!, "CMD").failures).toEqual([
      'Le Dockerfile n\'a pas d\'instruction CMD : l\'image garde celle de son image de base (["python3"]). Ajoutez CMD ["programme", "argument"] à la fin du Dockerfile.',
    ]);
  });
});

describe("volumes", () => {
  test("declared volumes", () => {
    expect(check_volumes(images.good!, ["/data/"], { only: true }).ok).toBe(true);
    expect(check_volumes(images.bad!, ["/data", "/cache"]).failures).toEqual([
      "Le volume /data n'est pas déclaré (volumes déclarés : aucun). Ajoutez « VOLUME /data » au Dockerfile.",
      "Le volume /cache n'est pas déclaré (volumes déclarés : aucun). Ajoutez « VOLUME /cache » au Dockerfile.",
    ]);
  });
});

describe("labels", () => {
  test("labels by value, pattern and presence", () => {
    expect(check_labels(images.good!, { maintainer: { matches: /@example\.com$/, shown: "/@example\\.com$/" }, "org.opencontainers.image.title": "demo" }).ok).toBe(true);
    expect(check_labels(images.good!, { maintainer: "someone", unwanted: ABSENT, team: PRESENT }).failures).toEqual([
      "Le label « maintainer » vaut « prof@example.com » ; attendu : « someone ».",
      'Le label « team » est absent. Ajoutez LABEL team="..." au Dockerfile.',
    ]);
  });
  test("OCI keys, short or full", () => {
    expect(check_oci_labels(images.good!, { title: "demo", version: { matches: /^\d+\.\d+\.\d+$/, shown: "/^\\d+\\.\\d+\\.\\d+$/" } }).ok).toBe(true);
    const result = check_oci_labels(images.bad!, ["title", "description"]);
    expect(result.failures).toEqual([
      'Le label « org.opencontainers.image.title » est absent. Ajoutez LABEL org.opencontainers.image.title="mon-application" au Dockerfile.',
      "Le label « org.opencontainers.image.description » est absent. Ajoutez LABEL org.opencontainers.image.description=\"Une phrase qui décrit l'image\" au Dockerfile.",
    ]);
    expect(result.output).toMatch(/^Une seule instruction LABEL peut porter plusieurs clés/);
  });
});

describe("healthcheck", () => {
  test("present, with its command and timings", () => {
    expect(check_healthcheck(images.good!, { test: ["python3", "-c", "print('ok')"], interval: "10s", timeout: 3, retries: 4 }).ok).toBe(true);
    expect(check_healthcheck(images.good!, { test: { matches: /curl/, shown: "/curl/" }, interval: 30, timeout: "5s", retries: 3 }).failures).toEqual([
      "La commande du HEALTHCHECK est « python3 -c print('ok') » ; attendu : une commande qui correspond à /curl/.",
      "L'intervalle du HEALTHCHECK est de 10 s, attendu 30 s : écrivez HEALTHCHECK --interval=30s ….",
      "Le délai (timeout) du HEALTHCHECK est de 3 s, attendu 5 s : écrivez HEALTHCHECK --timeout=5s ….",
      "Le HEALTHCHECK tolère 4 échecs avant « unhealthy », attendu 3 : écrivez HEALTHCHECK --retries=3 ….",
    ]);
  });
  test("HEALTHCHECK NONE and no HEALTHCHECK count as absent", () => {
    expect(check_healthcheck(images.bad!).failures[0]).toMatch(/^HEALTHCHECK NONE désactive le test de santé hérité/);
    expect(check_healthcheck(images.root!).failures[0]).toMatch(/^L'image n'a pas de HEALTHCHECK : Docker ne peut pas savoir si l'application répond\./);
  });
});

describe("stop signal", () => {
  test("STOPSIGNAL, and SIGTERM by default", () => {
    expect(check_stop_signal(images.good!, "INT").ok).toBe(true);
    expect(check_stop_signal(images.bad!, "SIGTERM").ok).toBe(true);
    expect(check_stop_signal(images.bad!, "SIGQUIT").failures).toEqual([
      "Le signal d'arrêt de l'image est SIGTERM (valeur par défaut) ; attendu : SIGQUIT. Ajoutez « STOPSIGNAL SIGQUIT » au Dockerfile.",
    ]);
  });
});

describe("base image and stages, as written in the Dockerfile", () => {
  test("FROM python:${PY}-slim with ARG PY=3.11 is python:3.11-slim", () => {
    expect(check_base_image(handles.good!, "python:3.11-slim").ok).toBe(true);
    expect(check_stage_count(handles.good!, 1).ok).toBe(true);
  });
  test("another base image and too few stages fail", () => {
    expect(check_base_image(handles.bad!, "python:3.11-slim").failures).toEqual([
      "L'image de base attendue est « python:3.11-slim », le Dockerfile part de « debian:bookworm-slim » (ligne 1). Écrivez « FROM python:3.11-slim ».",
    ]);
    expect(check_stage_count(handles.bad!, { min: 2 }).failures[0]).toMatch(/^Le Dockerfile a 1 étape \(1 instruction FROM\), attendu au moins 2\./);
  });
});

test("no container of ours is left", async () => {
  expect(await ours()).toBe(0);
});
