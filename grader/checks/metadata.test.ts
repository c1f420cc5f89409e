// Metadata checks on image configs and Dockerfiles written in the test (no
// Docker): the parsing of what a spec writes, and the configuration mistakes
// a spec can make. The same checks run on real images in metadata.docker.test.ts.
import { describe, expect, test, vi } from "vitest";
import type { ImageFileReader } from "../engine/files.js";
import { fake_exercise, image_facts, memory_files } from "../../test/helpers/fake-exercise.js";
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
  check_exec_form,
  check_stop_signal,
  check_user,
  check_volumes,
  check_working_directory,
  is_shell_form,
  normalize_port,
  normalize_signal,
  parse_duration,
} from "./metadata.js";

const image_files = vi.hoisted(() => ({ reader: undefined as ImageFileReader | undefined, reads: 0 }));
vi.mock("../engine/files.js", async (original) => ({
  ...(await original<typeof import("../engine/files.js")>()),
  with_image_files: async <T>(_options: unknown, use: (reader: ImageFileReader) => Promise<T>) => {
    image_files.reads++;
    return use(image_files.reader!);
  },
}));

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

describe("the working directory as written in the Dockerfile", () => {
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
    expect(check_env(img, { PORT: { matches: /\d+/g, shown: "/\\d+/g" } }).ok).toBe(true);
    expect(check_env(img, { PORT: { matches: /\d+/g, shown: "/\\d+/g" } }).ok).toBe(true);
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
    expect(check_cmd(image({ cmd: ["python3", "-u", "app.py"] }), { matches: { matches: /app\.py$/, shown: "/app\\.py$/" }, form: "exec" }).ok).toBe(true);
    expect(check_cmd(image({ cmd: ["python3", "app.py"] }), { form: "shell" }).failures[0]).toMatch(/^CMD est en forme exec/);
  });

  test("healthcheck defaults count: 30 s interval, 3 retries", () => {
    const img = image({ healthcheck: { test: ["CMD", "true"] } });
    expect(check_healthcheck(img, { interval: "30s", timeout: 30, retries: 3, test: ["true"] }).ok).toBe(true);
  });

  test("without a HEALTHCHECK, the example to add has an interval the check then accepts", () => {
    const failure = check_healthcheck(image(), { max_interval: 10 }).failures[0]!;
    const interval = /--interval=(\d+)s/.exec(failure)?.[1];
    expect(interval, failure).toBeDefined();
    const fixed = image({ healthcheck: { test: ["CMD", "python3", "/app/sante.py"], interval_ns: Number(interval) * 1e9 } });
    expect(check_healthcheck(fixed, { max_interval: 10 }).ok).toBe(true);
    expect(check_healthcheck(image(), {}).failures[0]).toMatch(/--interval=30s/);
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

describe("check_user: the image's USER resolved through its own accounts", () => {
  const accounts = memory_files({
    "/etc/passwd": { content: "root:x:0:0::/root:/bin/sh\napp:x:10001:10001::/app:/bin/sh\n" },
    "/etc/group": { content: "root:x:0:\napp:x:10001:\nstaff:x:50:\n" },
  });
  const as_user = (user: string) => fake_exercise({ image: image_facts({ user }) });

  test("by name, UID, name:group or fields; another user said with what to write", async () => {
    image_files.reader = accounts;
    for (const expected of ["app", 10001, "app:app", { uid: 10001, gid: 10001 }, { non_root: true }] as const) {
      expect(await check_user(as_user("app"), expected), JSON.stringify(expected)).toMatchObject({ ok: true });
    }
    expect((await check_user(as_user("root"), "app")).failures).toEqual(["L'image tourne en tant que root (uid 0), groupe root (gid 0) (USER root) ; attendu : app (uid 10001). Écrivez « USER app » à la place."]);
    expect((await check_user(as_user("app"), { name: "app", group: "staff" })).failures[0]).toMatch(/^Le groupe principal de l'utilisateur de l'image est app \(gid 10001\), attendu staff \(gid 50\)/);
  });

  test("non-root: no USER is root, USER 0 is root, a numeric USER needs no file read", async () => {
    image_files.reader = accounts;
    expect((await check_user(as_user(""), { non_root: true })).failures[0]).toMatch(/^L'image tourne en root : elle ne déclare pas d'utilisateur \(aucune instruction USER\)/);
    expect((await check_user(as_user("0"), { non_root: true })).failures[0]).toMatch(/^L'image tourne en root : USER 0 désigne l'UID 0\./);
    const reads = image_files.reads;
    expect(await check_user(as_user("10001"), { non_root: true })).toMatchObject({ ok: true });
    expect(image_files.reads).toBe(reads);
  });

  test("a USER the image cannot resolve: the container would not start", async () => {
    image_files.reader = memory_files({});
    expect((await check_user(as_user("ghost"), { non_root: true })).failures[0]).toMatch(/^USER ghost : l'image n'a pas de fichier \/etc\/passwd, donc pas d'utilisateur « ghost », le conteneur ne pourrait pas démarrer/);
  });

  test("an expectation without field, or an impossible UID: the spec's mistakes", async () => {
    await expect(check_user(as_user("app"), {})).rejects.toThrow(SpecConfigError);
    await expect(check_user(as_user("app"), -1)).rejects.toThrow(/UID -1 impossible/);
  });
});

describe("check_exec_form: CMD and ENTRYPOINT as the Dockerfile declares them", () => {
  test("declared in the final stage, in exec form", () => {
    const ex = dockerfile('FROM python:3.11-slim\nCMD ["python3", "app.py"]\n');
    expect(check_exec_form(ex, image({ cmd: ["python3", "app.py"] })).ok).toBe(true);
    expect(check_exec_form(dockerfile("FROM python:3.11-slim\nCMD python3 app.py\n"), image({ cmd: ["/bin/sh", "-c", "python3 app.py"] })).failures[0]).toMatch(
      /^CMD est en forme shell \(\["\/bin\/sh","-c","python3 app\.py"\]\)/,
    );
    expect(check_exec_form(dockerfile("FROM python:3.11-slim\n"), image({ cmd: ["python3"] })).failures[0]).toMatch(/^Le Dockerfile n'a pas d'instruction CMD : l'image garde celle de son image de base/);
    expect(check_exec_form(dockerfile("FROM scratch\nENTRYPOINT []\n"), image(), "ENTRYPOINT").failures[0]).toMatch(/^L'image n'a pas de ENTRYPOINT/);
  });
});

describe("labels and stop signal", () => {
  test("labels by name or value; the stop signal by any of its names", () => {
    const img = image({ labels: { maintainer: "a@b.fr", "com.example.team": "web" }, stop_signal: "SIGQUIT" });
    expect(check_labels(img, ["maintainer"]).ok).toBe(true);
    expect(check_labels(img, { maintainer: { matches: /@/, shown: "une adresse e-mail" }, "com.example.team": "ops" }).failures).toEqual([
      "Le label « com.example.team » vaut « web » ; attendu : « ops ».",
    ]);
    expect(check_labels(image({ labels: { maintainer: "moi" } }), { maintainer: { matches: /@/, shown: "une adresse e-mail" } }).failures).toEqual([
      "Le label « maintainer » vaut « moi » ; attendu : une adresse e-mail.",
    ]);
    expect(() => check_labels(img, { maintainer: /@/ as never })).toThrow("check_labels (maintainer) : le motif /@/ s'afficherait tel quel à l'élève");
    expect(check_stop_signal(img, "QUIT").ok).toBe(true);
    expect(check_stop_signal(img, 3).ok).toBe(true);
    expect(check_stop_signal(image(), "SIGQUIT").failures[0]).toMatch(/STOPSIGNAL SIGQUIT/);
  });
});

