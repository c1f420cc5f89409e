// The commands the lessons have a student type by hand, run with the docker
// CLI on this machine's engine (the one students have: Docker 26 with buildx),
// and what their comments promise checked on the real output: a lesson whose
// command fails, or whose output is not what it says, teaches the wrong thing.
//
// Each block is taken from the lesson itself (its ```sh blocks), run in a copy
// of the exercise's solution (or of the lesson's own example, written from its
// ```dockerfile block), with only what a shared engine needs changed: image,
// container and volume names get a prefix of this run, host ports become free
// ones, and a server the lesson starts in the foreground runs detached.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { project_root } from "./helpers/cli.js";

const RUN = `dl-lesson-${randomUUID().slice(0, 8)}`;
const made: string[] = [];
const names = { containers: new Set<string>(), images: new Set<string>(), volumes: new Set<string>() };
const LABEL = `dockerlings.lesson-run=${RUN}`;

afterAll(async () => {
  // By name: only what this file made (its images all carry this run's prefix, or a port of this run).
  if (names.containers.size) await sh(`docker rm -f -v ${[...names.containers].join(" ")} >/dev/null 2>&1 || true`);
  await sh(`docker images --format '{{.Repository}}:{{.Tag}}' | grep -F -e '${RUN}' | xargs -r docker rmi -f >/dev/null 2>&1 || true`);
  if (names.images.size) await sh(`docker rmi -f ${[...names.images].join(" ")} >/dev/null 2>&1 || true`);
  await sh(`docker images -q --filter label=${LABEL} | sort -u | xargs -r docker rmi -f >/dev/null 2>&1 || true`);
  if (names.volumes.size) await sh(`docker volume rm -f ${[...names.volumes].join(" ")} >/dev/null 2>&1 || true`);
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
}, 120_000);

/** A shell command's exit code and its output (stdout and stderr, interleaved). */
function sh(script: string, cwd = project_root): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    // The student's environment: the docker client first on PATH, BuildKit as it decides (no DOCKER_BUILDKIT).
    const env = { ...process.env, DOCKER_BUILDKIT: undefined, BUILDKIT_PROGRESS: "plain", NO_COLOR: "1" };
    // Every image it builds carries this run's label, so that one a later build of the same name leaves untagged is removed too.
    // A container removed takes its anonymous volumes with it (registry:2 declares one), as --rm would.
    const labelled = script.replace(/\bdocker build /g, `docker build --label ${LABEL} `).replace(/\bdocker rm -f /g, "docker rm -f -v ");
    const child = spawn("bash", ["-c", labelled], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (out += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, out }));
  });
}

/** The ```sh blocks of a lesson, in order. */
function blocks(exercise: string, lang = "sh"): string[] {
  const lesson = fs.readFileSync(path.join(project_root, "exercises", exercise, "lesson.md"), "utf8");
  return [...lesson.matchAll(new RegExp("```" + lang + "\\n([\\s\\S]*?)```", "g"))].map((m) => m[1]!);
}
const block_with = (exercise: string, words: string, lang = "sh"): string => {
  // A Dockerfile block that is a whole Dockerfile: never a fragment without FROM
  // (Docker 26.1's daemon crashes on a Dockerfile of ARG lines alone).
  const found = blocks(exercise, lang).find((b) => b.includes(words) && (lang !== "dockerfile" || /^FROM\s/m.test(b)));
  if (!found) throw new Error(`no \`\`\`${lang} block of ${exercise}'s lesson holds « ${words} »`);
  return found;
};

/** A folder: a copy of the exercise's solution, or nothing, plus these files. */
function folder(solution: string | undefined, files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dl-lesson-"));
  made.push(dir);
  if (solution) fs.cpSync(path.join(project_root, "solutions", solution), dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    if (/^[Dd]ockerfile/.test(name) && !/^FROM\s/m.test(content)) throw new Error(`${name} has no FROM: never sent to the engine (Docker 26.1's daemon crashes on it)`);
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

function free_port(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

interface Renames {
  /** The lesson's number: two lessons may use the same name (salut in 01 and 05), and their tests run at once. */
  ns?: string;
  images?: string[];
  containers?: string[];
  volumes?: string[];
  ports?: Record<string, number>;
}

/**
 * A block as this machine runs it: names prefixed (images, containers,
 * volumes: a word standing alone, never part of a path or a file name), host
 * ports replaced, comments dropped, and set -e so the first failing command
 * fails the block.
 */
function as_run(block: string, renames: Renames): string {
  let script = block
    .split("\n")
    .map((line) => line.replace(/\s+#\s.*$/, ""))
    .join("\n");
  const word = (name: string) => new RegExp(`(?<![\\w./:-])${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\w./-])`, "g");
  const prefix = renames.ns ? `${RUN}-${renames.ns}` : RUN;
  for (const image of renames.images ?? []) {
    script = script.replace(word(image), `${prefix}-${image}`);
    names.images.add(`${prefix}-${image}`);
  }
  for (const container of renames.containers ?? []) {
    script = script.replace(new RegExp(`(--name |docker (?:stop|port|exec|rm -f|inspect --format '[^']*') )${container}(?![\\w-])`, "g"), `$1${RUN}-c-${container}`);
    names.containers.add(`${RUN}-c-${container}`);
  }
  for (const volume of renames.volumes ?? []) {
    script = script.replace(new RegExp(`(-v |docker volume rm )${volume}(?=[:\\s]|$)`, "gm"), `$1${RUN}-v-${volume}`);
    names.volumes.add(`${RUN}-v-${volume}`);
  }
  // Host ports only: localhost:PORT and the host side of -p [ip:]PORT:container.
  for (const [from, to] of Object.entries(renames.ports ?? {})) {
    script = script.replace(new RegExp(`localhost:${from}\\b`, "g"), `localhost:${to}`).replace(new RegExp(`(-p (?:[\\d.]+:)?)${from}:`, "g"), `$1${to}:`);
  }
  return `set -e\n${script}`;
}

async function must(run: Promise<{ code: number; out: string }>): Promise<string> {
  const { code, out } = await run;
  expect(code, out).toBe(0);
  return out;
}

/** Waits until a published port answers HTTP, and returns the body. */
async function http_body(port: number, deadline_ms = 20_000): Promise<string> {
  const t0 = Date.now();
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(3_000) });
      return await response.text();
    } catch (error) {
      if (Date.now() - t0 > deadline_ms) throw error;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

describe.concurrent("the lessons' commands, as a student types them, on this engine", () => {
  test("01: build and run; -f another name; a lowercase dockerfile; COPY ../ names the file the way the lesson says", async () => {
    const dir = folder("01-premier-dockerfile");
    fs.copyFileSync(path.join(dir, "Dockerfile"), path.join(dir, "Dockerfile.dev"));
    const out = await must(sh(as_run(blocks("01-premier-dockerfile").join("\n"), { ns: "01", images: ["salut", "salut-dev"] }), dir));
    expect(out).toContain("Bonjour depuis un conteneur Docker !");
    const lower = folder(undefined, { dockerfile: 'FROM debian:bookworm-slim\nCMD ["true"]\n' });
    await must(sh(`docker build -q -t ${RUN}-lowercase .`, lower));
    const outside = folder(undefined, { Dockerfile: "FROM debian:bookworm-slim\nCOPY ../autre.py /app/\n" });
    const refused = await sh("docker build .", outside);
    expect(refused.code).not.toBe(0);
    expect(refused.out).toContain('"/autre.py": not found');
  });

  test("02: the exercise's commands; the layer counts of the lesson's table and example", async () => {
    const out = await must(sh(as_run(block_with("02-couches-et-cache", "citations"), { images: ["citations"] }), folder("02-couches-et-cache")));
    expect(out).toContain("Il faut cultiver notre jardin.");
    const layers = async (dir: string, tag: string): Promise<number> => {
      names.images.add(`${RUN}-${tag}`);
      await must(sh(`docker build -q -t ${RUN}-${tag} .`, dir));
      // The lesson's own command for the count.
      return Number((await must(sh(`docker image inspect ${RUN}-${tag} --format '{{len .RootFS.Layers}}'`))).trim());
    };
    const base = Number((await must(sh("docker image inspect debian:bookworm-slim --format '{{len .RootFS.Layers}}'"))).trim());
    // The starter: 11 layers above debian:bookworm-slim, as the exercise says.
    const starter = folder(undefined);
    fs.cpSync(path.join(project_root, "exercises", "02-couches-et-cache", "starter"), starter, { recursive: true });
    expect((await layers(starter, "starter02")) - base).toBe(11);
    // The recipes example: 6 layers, then the same result in 2.
    const [six, two] = blocks("02-couches-et-cache", "dockerfile").filter((b) => /^FROM\s/m.test(b));
    const recipes = { "crepes.txt": "crêpes\n", "far.txt": "far\n", "desserts/crepes.txt": "crêpes\n", "desserts/far.txt": "far\n" };
    expect((await layers(folder(undefined, { ...recipes, Dockerfile: six! }), "six")) - base).toBe(6);
    expect((await layers(folder(undefined, { ...recipes, Dockerfile: two! }), "two")) - base).toBe(2);
    // The table: a RUN that changes nothing and a WORKDIR to a folder that exists each add a layer.
    expect((await layers(folder(undefined, { Dockerfile: "FROM debian:bookworm-slim\nWORKDIR /tmp\nRUN true\nENV A=1\n" }), "table")) - base).toBe(2);
  });

  test("03: the exercise's commands print the report", async () => {
    const out = await must(sh(as_run(block_with("03-run-paquets", "rapport"), { images: ["rapport"] }), folder("03-run-paquets")));
    expect(out).toContain("Total : 70 €");
  });

  test("04: the nginx site builds, and the page answers on the published port", async () => {
    const port = await free_port();
    const block = block_with("04-copy-add", "mon-site").replace("docker run --rm -p 8080:80 mon-site", "docker run --rm -d --name site04 -p 8080:80 mon-site").replace(/^curl .*$/m, "");
    await must(sh(as_run(block, { images: ["mon-site"], containers: ["site04"], ports: { "8080": port } }), folder("04-copy-add")));
    expect(await http_body(port)).toBe(fs.readFileSync(path.join(project_root, "solutions", "04-copy-add", "site", "index.html"), "utf8"));
  });

  test("05: the program's arguments, PID 1, docker stop at once; CMD replaced whole; ENTRYPOINT then CMD", async () => {
    const dir = folder("05-cmd-entrypoint");
    const block = block_with("05-cmd-entrypoint", "--attendre");
    const t0 = Date.now();
    const out = await must(sh(as_run(`${block}\ndocker rm -f s >/dev/null`, { images: ["salut"], containers: ["s"] }), dir));
    expect(out).toMatch(/usage: salut/);
    expect(out).toContain("Bonjour, Alice !");
    expect(out).toContain("Hola, Jean Dupont !");
    expect(Date.now() - t0, "docker stop waited for its 10 s").toBeLessThan(60_000);
    // « docker exec mon-conteneur cat /proc/1/cmdline »: the program is PID 1.
    names.containers.add(`${RUN}-c-pid1`);
    const pid1 = await must(sh(as_run(`docker run -d --name pid1 salut --attendre >/dev/null\nsleep 1\ndocker exec pid1 cat /proc/1/cmdline | tr '\\0' ' '\ndocker rm -f pid1 >/dev/null`, { images: ["salut"], containers: ["pid1"] }), dir));
    expect(pid1).toContain("python3 /app/salut.py --attendre");
    // horloge: CMD alone is replaced whole (-u is looked for as a command); with ENTRYPOINT, -u reaches date.
    const [cmd_only, with_entrypoint] = blocks("05-cmd-entrypoint", "dockerfile").filter((b) => /^FROM\s/m.test(b));
    const alone = await sh(as_run("docker build -q -t horloge . >/dev/null\ndocker run --rm horloge -u", { images: ["horloge"] }), folder(undefined, { Dockerfile: cmd_only! }));
    expect(alone.code).not.toBe(0);
    expect(alone.out).toContain("executable file not found");
    const both = await must(sh(as_run("docker build -q -t horloge2 . >/dev/null\ndocker run --rm horloge2 -u", { images: ["horloge2"] }), folder(undefined, { Dockerfile: with_entrypoint! })));
    expect(both).toMatch(/UTC/);
  });

  test("06: the report with the image's defaults, then with -e", async () => {
    const out = await must(sh(as_run(block_with("06-env-workdir", "inventaire"), { images: ["inventaire"] }), folder("06-env-workdir")));
    expect(out).toContain("Inventaire — Épicerie du Marché (seuil d'alerte : 5)");
    expect(out).toContain("Inventaire — Chez moi (seuil d'alerte : 10)");
  });

  test("07: the example's -p and -P, docker port; and a published port where nothing listens is reset", async () => {
    const example = block_with("07-expose-port", "http.server", "dockerfile");
    const dir = folder(undefined, { Dockerfile: example, "index.html": "<h1>mini-site</h1>\n" });
    const port = await free_port();
    const first = block_with("07-expose-port", "-p 9000:8000").replace(/^curl .*$/m, "");
    await must(sh(as_run(first.replace("docker stop site", ""), { images: ["mini-site"], containers: ["site"], ports: { "9000": port } }), dir));
    expect(await http_body(port)).toContain("<h1>mini-site</h1>");
    // --rm removes it once stopped: the next docker run reuses the name.
    await must(sh(as_run("docker stop site >/dev/null\nwhile docker inspect site >/dev/null 2>&1; do sleep 0.2; done", { containers: ["site"] }).replace(/docker inspect site/, `docker inspect ${RUN}-c-site`)));
    const out = await must(sh(as_run(`${block_with("07-expose-port", "docker port site")}\ndocker stop site >/dev/null`, { images: ["mini-site"], containers: ["site"] }), dir));
    expect(out).toMatch(/^8000\/tcp -> 0\.0\.0\.0:\d+$/m);
    // « le port 8080 publié ne mène nulle part (connection reset) »
    const wrong_port = await free_port();
    names.containers.add(`${RUN}-c-nothing`);
    await must(sh(as_run(`docker run --rm -d --name nothing -p ${wrong_port}:8080 mini-site >/dev/null`, { images: ["mini-site"], containers: ["nothing"] }), dir));
    await new Promise((r) => setTimeout(r, 1500));
    const answer = await raw_request(wrong_port);
    await sh(as_run("docker rm -f nothing >/dev/null", { containers: ["nothing"] }));
    // What curl reports as « Connection reset by peer » (or « Empty reply »): no answer, the connection cut.
    expect(answer).toMatch(/^(reset|closed without an answer)$/);
  });

  test("08: id, a refused write, the data folder's owner, as the lesson's comments say", async () => {
    const dir = folder(undefined, { Dockerfile: block_with("08-user-non-root", "veilleur", "dockerfile"), "veille.sh": "#!/bin/sh\nsleep 3600\n" });
    await must(sh(`docker build -q -t ${RUN}-mon-image . >/dev/null`, dir));
    names.images.add(`${RUN}-mon-image`);
    // The touch is meant to fail: the block goes on after it.
    const block = as_run(block_with("08-user-non-root", "docker run --rm mon-image id"), { images: ["mon-image"] }).replace(/^(docker run --rm \S+ touch .*)$/m, "$1 || true");
    const out = await must(sh(block, dir));
    expect(out).toMatch(/uid=20000\(veilleur\)/);
    expect(out).toMatch(/touch: cannot touch '\/usr\/local\/bin\/veille\.sh': Permission denied/);
    expect(out).toMatch(/^drwxr-xr-x \d+ veilleur veilleur .* \/srv\/journal$/m);
  });

  test("09: one line, then two: the named volume survived", async () => {
    const dir = folder(undefined, { Dockerfile: block_with("09-volume", "scribe", "dockerfile") });
    const block = block_with("09-volume", "docker build -t journal");
    const out = await must(sh(as_run(block.replace(/^(docker run .*)$/gm, "$1\necho ---"), { images: ["journal"], volumes: ["notes"] }), dir));
    // The journal's lines are dates (`date`), one more at each run.
    const [first, second] = out.split("---\n").map((part) => part.split("\n").filter((l) => /\b\d\d:\d\d:\d\d\b.*\d{4}$/.test(l)));
    expect(first).toHaveLength(1);
    expect(second).toHaveLength(2);
  });

  test("10: --build-arg, the labels, one image under several tags", async () => {
    const dir = folder(undefined, { Dockerfile: block_with("10-build-args-tags", "ARG EDITION=communautaire", "dockerfile") });
    const renames = { images: ["bonjour", "catalogue", "registre.exemple.fr/equipe/catalogue"] };
    const out = await must(
      sh(
        as_run(
          [
            block_with("10-build-args-tags", "--build-arg EDITION=entreprise -t bonjour ."),
            block_with("10-build-args-tags", "json .Config.Labels"),
            block_with("10-build-args-tags", "bonjour:communautaire"),
            block_with("10-build-args-tags", "catalogue:1.4.2"),
          ].join("\n"),
          renames,
        ),
        dir,
      ),
    );
    expect(out).toContain("Bonjour, édition entreprise");
    expect(out).toContain('"org.opencontainers.image.title":"bonjour"');
    const ids = [...out.matchAll(new RegExp(`^${RUN}-catalogue\\s+(\\S+)\\s+(\\S+)`, "gm"))].map((m) => [m[1], m[2]]);
    expect(ids.map(([tag]) => tag).sort()).toEqual(["1.4", "1.4.2", "latest"]);
    expect(new Set(ids.map(([, id]) => id)).size).toBe(1);
  });

  test("11: what .dockerignore leaves out is not in the image; BuildKit sends what the instructions copy", async () => {
    const dir = folder(undefined, {
      Dockerfile: block_with("11-dockerignore", "COPY . /usr/share/nginx/html/", "dockerfile"),
      ".dockerignore": block_with("11-dockerignore", "# .dockerignore", "text"),
      "index.html": "<h1>site</h1>\n",
      "style.css": "h1 {}\n",
      "brouillons/idee.html": "brouillon\n",
      "maquettes.psd": "psd\n",
    });
    const out = await must(sh(as_run(block_with("11-dockerignore", "ls -a /usr/share/nginx/html"), { images: ["site"] }), dir));
    expect(out).toMatch(/^index\.html$/m);
    expect(out).toMatch(/^style\.css$/m);
    expect(out).not.toMatch(/brouillons|maquettes\.psd/);
    // « un dossier de 30 Mo dont le Dockerfile ne copie qu'un petit fichier envoie quelques octets (transferring context: 39B) »
    const big = folder(undefined, { Dockerfile: "FROM debian:bookworm-slim\nCOPY petit.txt /\n", "petit.txt": "petit\n" });
    fs.writeFileSync(path.join(big, "gros.bin"), Buffer.alloc(30_000_000, 1));
    const small = await must(sh("docker build --progress=plain --no-cache .", big));
    // The build context's transfer (the .dockerignore's own load comes before it).
    const sent = (text: string): number => {
      const m = /load build context\n#\d+ transferring context: ([\d.]+)([kMG]?B)/.exec(text);
      return m ? Number(m[1]) * ({ B: 1, kB: 1e3, MB: 1e6, GB: 1e9 } as Record<string, number>)[m[2]!]! : NaN;
    };
    expect(sent(small), small).toBeLessThan(1000);
    fs.writeFileSync(path.join(big, "Dockerfile"), "FROM debian:bookworm-slim\nCOPY . /dossier/\n");
    const everything = await must(sh("docker build --progress=plain --no-cache .", big));
    expect(sent(everything), everything).toBeGreaterThan(29_000_000);
  });

  test("12: the three error lines the lesson quotes, and its complete example's builds in the order the lesson tells", async () => {
    const parse = await sh("docker build .", folder(undefined, { Dockerfile: "FROM debian:bookworm-slim\nRUN true\nRUN true\nCOPPY a b\n" }));
    const lesson = fs.readFileSync(path.join(project_root, "exercises", "12-debug-build", "lesson.md"), "utf8");
    const quoted = (start: string) => lesson.split("\n").find((l) => l.startsWith(start))!;
    expect(parse.out).toContain(quoted("ERROR: failed to solve: dockerfile parse error"));
    const missing = await sh("docker build .", folder(undefined, { Dockerfile: "FROM debian:bookworm-slim\nCOPY config.yml /\n" }));
    const [before, after] = quoted("ERROR: failed to solve: failed to compute cache key").split(/ref [^:]*::\S+: /);
    expect(missing.out).toContain(before!);
    expect(missing.out).toContain(after!);
    const failed = await sh("docker build --progress=plain .", folder(undefined, { Dockerfile: "FROM debian:bookworm-slim\nRUN markdown-vers-html README.md\n" }));
    expect(failed.out).toContain("/bin/sh: 1: markdown-vers-html: not found");
    expect(failed.out).toContain(quoted('ERROR: failed to solve: process "/bin/sh -c markdown-vers-html'));
    const example = block_with("12-debug-build", "Lisezmoi.txt", "dockerfile");
    const files = { "LISEZMOI.txt": "lisez-moi\n" };
    // First build: BuildKit finds the missing file before it runs the commands above it.
    const first = await sh("docker build .", folder(undefined, { ...files, Dockerfile: example }));
    expect(first.out).toContain('"/Lisezmoi.txt": not found');
    const named = example.replace("COPY Lisezmoi.txt /", "COPY LISEZMOI.txt /");
    const second = await sh("docker build --progress=plain .", folder(undefined, { ...files, Dockerfile: named }));
    expect(second.out).toMatch(/tree: not found[\s\S]*exit code: 127/);
    const moved = named.replace(/RUN tree \/etc\/apt > \/arborescence\.txt\n/, "").replace("COPY LISEZMOI.txt /", "RUN tree /etc/apt > /arborescence.txt\nCOPY LISEZMOI.txt /");
    await must(sh(`docker build -q -t ${RUN}-moved .`, folder(undefined, { ...files, Dockerfile: moved })));
  });

  test("13: after a change to panier.py, the pip install instruction shows CACHED", async () => {
    const out = await must(sh(as_run(block_with("13-ordre-cache", "panier.py"), { images: ["panier"] }), folder("13-ordre-cache")));
    const second = out.slice(out.lastIndexOf("load build definition from Dockerfile"));
    const step = /^#(\d+) \[\d\/\d\] RUN pip install/m.exec(second);
    expect(step, second).not.toBeNull();
    expect(second).toMatch(new RegExp(`^#${step![1]} CACHED$`, "m"));
  });

  test("16: docker ps shows (healthy), and docker inspect the health log", async () => {
    const dir = folder("16-projet-final");
    names.images.add(`${RUN}-api`);
    names.containers.add(`${RUN}-c-moncontainer`);
    await must(sh(`docker build -q -t ${RUN}-api . >/dev/null && docker run -d --name ${RUN}-c-moncontainer ${RUN}-api >/dev/null`, dir));
    const t0 = Date.now();
    let ps = "";
    while (Date.now() - t0 < 40_000 && !/\(healthy\)/.test(ps)) {
      await new Promise((r) => setTimeout(r, 1000));
      ps = await must(sh(`docker ps --filter name=${RUN}-c-moncontainer`));
    }
    expect(ps).toMatch(/Up \d+ seconds \(healthy\)/);
    const health = await must(sh(as_run(block_with("16-projet-final", "State.Health"), { containers: ["moncontainer"] }).replace(/^docker ps\s*$/m, "")));
    expect(JSON.parse(health.trim().split("\n").at(-1)!)).toMatchObject({ Status: "healthy", FailingStreak: 0 });
  });

  test("17: the three builds and runs; a target not written after AS; prod does not build dev", async () => {
    const out = await must(sh(as_run(block_with("17-cibles-de-build", "salles-outils"), { images: ["salles", "salles-outils"] }), folder("17-cibles-de-build")));
    expect(out).toMatch(/^OK$/m);
    expect(out).toContain("Réservations (prod) : 2 salles libres sur 4");
    expect(out).toContain("Données valides : 4 salles");
    const example = folder(undefined, { Dockerfile: block_with("17-cibles-de-build", "FROM base AS dev", "dockerfile"), "site/index.html": "<h1>site</h1>\n" });
    const typo = await sh("docker build --target production .", example);
    expect(typo.out).toContain('target stage "production" could not be found');
    // « construire prod ne lance pas le RUN apt-get de dev » (BuildKit)
    const prod = await must(sh("docker build --progress=plain --target prod .", example));
    expect(prod).not.toMatch(/apt-get/);
  });

  test("18: a registry, tags, pushes, the digest read after the push; then the solution's publier.sh itself; and --all-tags", async () => {
    const port = await free_port();
    const dir = folder("18-tags-et-registre");
    const registry = { containers: ["registre"], ports: { "5000": port } };
    names.images.add(`localhost:${port}/catalogue:1.4.2`).add(`localhost:${port}/catalogue:1.4`).add(`localhost:${port}/catalogue:1`).add(`localhost:${port}/catalogue:latest`).add(`localhost:${port}/rapport:1.0.0`);
    try {
      await must(sh(as_run(block_with("18-tags-et-registre", "registry:2"), registry)));
      await http_body(port);
      const lesson_blocks = [block_with("18-tags-et-registre", "docker push localhost:5000/catalogue:1.4.2"), block_with("18-tags-et-registre", "CATALOGUE=$(docker inspect")];
      const out = await must(sh(as_run(lesson_blocks.join("\n"), { ...registry, images: [] }), dir));
      expect(out).toMatch(/1\.4\.2: digest: sha256:[0-9a-f]{64} size: \d+/);
      // The solution's script, run by sh as a student runs it (the grader only reads it).
      const script = fs.readFileSync(path.join(dir, "publier.sh"), "utf8").replaceAll("localhost:5000", `localhost:${port}`);
      fs.writeFileSync(path.join(dir, "publier.sh"), script);
      const published = await must(sh("sh publier.sh", dir));
      expect(published).toMatch(new RegExp(`Le rapport part de localhost:${port}/catalogue@sha256:[0-9a-f]{64}`));
      const tags = JSON.parse(await http_text(port, "/v2/catalogue/tags/list")) as { tags: string[] };
      expect(tags.tags.sort()).toEqual(["1", "1.4", "1.4.2", "latest"]);
      // The lesson's other way: every tag of the repository in one push.
      await must(sh(`docker push --all-tags localhost:${port}/catalogue`, dir));
    } finally {
      await sh(as_run("docker rm -f registre >/dev/null 2>&1 || true", registry));
    }
  });

  test("19: after bc joins the list, apt-get downloads bc and its dependencies, nothing for jq", async () => {
    // A cache of its own: the engine's shared /var/cache/apt may hold bc already (other builds).
    const id = randomUUID().slice(0, 8);
    const dir = folder("19-cache-de-paquets");
    const dockerfile = fs.readFileSync(path.join(dir, "Dockerfile"), "utf8").replace(/--mount=type=cache,target=(\S+?),/g, `--mount=type=cache,id=${id}$1,target=$1,`);
    expect(dockerfile).toContain(`id=${id}`);
    fs.writeFileSync(path.join(dir, "Dockerfile"), dockerfile);
    // A mount is not part of a RUN's cache key: a list of its own (blanks that xargs ignores) makes the install run in both builds.
    fs.appendFileSync(path.join(dir, "paquets.txt"), `${" ".repeat(1 + Math.floor(Math.random() * 4000))}\n`);
    const out = await must(sh(as_run(block_with("19-cache-de-paquets", "echo bc >> paquets.txt"), { images: ["stock"] }), dir));
    expect(out).toContain("2 article(s) à recommander");
    const last = out.slice(out.lastIndexOf("load build definition from Dockerfile"));
    const fetched = [...last.matchAll(/Get:\d+ \S+ \S+ \S+ (\S+) /g)].map((m) => m[1]);
    expect(fetched, last).toContain("bc");
    expect(fetched).not.toContain("jq");
  });
});

function http_text(port: number, route: string): Promise<string> {
  return fetch(`http://127.0.0.1:${port}${route}`, { signal: AbortSignal.timeout(5_000) }).then((r) => r.text());
}

/** One HTTP request over a raw socket: the answer's first line, or how the connection ended without one. */
function raw_request(port: number): Promise<string> {
  return new Promise((resolve) => {
    let data = "";
    const socket = net.connect(port, "127.0.0.1", () => socket.write("GET / HTTP/1.0\r\n\r\n"));
    socket.setTimeout(5_000, () => {
      socket.destroy();
      resolve("timed out");
    });
    socket.on("data", (chunk: Buffer) => (data += chunk.toString()));
    socket.on("error", (error: NodeJS.ErrnoException) => resolve(error.code === "ECONNRESET" ? "reset" : error.code ?? error.message));
    socket.on("end", () => resolve(data ? data.split("\r\n")[0]! : "closed without an answer"));
  });
}
