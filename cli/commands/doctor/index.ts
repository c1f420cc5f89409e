// `dockerlings doctor`: is everything here to grade? Each problem comes with its fix.
import {
  load_course, default_course_root, require_engine, EngineUnavailableError, probe_buildkit, missing_images, free_bytes,
  probe_docker_client, client_builder, type DockerClientFacts,
} from "../../../grader/index.js";
import { explain_error } from "../../errors.js";
import { define_messages } from "../../i18n/index.js";
import { c, mark } from "../../ui/color.js";
import { indent, terminal_width, wrap } from "../../ui/text.js";

interface Finding {
  ok: boolean | "warn";
  what: string;
  fix?: string;
}

const m = define_messages({
  node_fix: { fr: "Installez Node.js 20 ou plus récent.", en: "Install Node.js 20 or newer." },
  engine: {
    fr: (p: { version: string; api: string; driver: string }) => `Moteur Docker ${p.version} (API ${p.api}, ${p.driver})`,
    en: (p: { version: string; api: string; driver: string }) => `Docker engine ${p.version} (API ${p.api}, ${p.driver})`,
  },
  no_engine: { fr: "Moteur Docker injoignable", en: "Docker engine unreachable" },
  buildkit_broken: {
    fr: (p: { error: string }) => `BuildKit ne fonctionne pas : ${p.error}`,
    en: (p: { error: string }) => `BuildKit does not work: ${p.error}`,
  },
  buildkit_fix: { fr: "Utilisez un moteur Docker 20.10 ou plus récent.", en: "Use Docker engine 20.10 or newer." },
  buildkit_ok: {
    fr: "BuildKit du moteur, utilisé par le correcteur (par l'API)",
    en: "The engine's BuildKit, which the grader uses (through the API)",
  },
  engine_old: {
    fr: (p: { version: string }) => `Moteur Docker ${p.version} : en fin de vie ; le correcteur fonctionne, mais les élèves ont Docker 26 ou plus récent`,
    en: (p: { version: string }) => `Docker engine ${p.version}: end of life; the grader works, but students have Docker 26 or newer`,
  },
  engine_old_fix: {
    fr: "Sur Debian 12 : `sudo scripts/engine.sh` installe Docker 26 (paquets de Debian 13) ; ailleurs, Docker Engine ou Docker Desktop récents.",
    en: "On Debian 12: `sudo scripts/engine.sh` installs Docker 26 (Debian 13's packages); elsewhere, a recent Docker Engine or Docker Desktop.",
  },
  client_none: {
    fr: "Pas de commande docker : le correcteur n'en a pas besoin, mais les leçons font taper `docker build` et `docker run`",
    en: "No docker command: the grader does not need one, but the lessons have you type `docker build` and `docker run`",
  },
  client_none_fix: {
    fr: "Installez le client Docker (Docker Desktop, ou le paquet docker-cli avec docker-buildx), puis relancez `dockerlings doctor`.",
    en: "Install the Docker client (Docker Desktop, or the docker-cli package with docker-buildx), then run `dockerlings doctor` again.",
  },
  client_buildkit: {
    fr: (p: { client: string; via: string }) => `\`docker build\` construit avec BuildKit, comme dans les leçons (client ${p.client}${p.via})`,
    en: (p: { client: string; via: string }) => `\`docker build\` builds with BuildKit, as in the lessons (client ${p.client}${p.via})`,
  },
  client_via_buildx: { fr: (p: { buildx: string }) => `, buildx ${p.buildx}`, en: (p: { buildx: string }) => `, buildx ${p.buildx}` },
  client_legacy: {
    fr: (p: { client: string; why: string }) =>
      `\`docker build\` prendra l'ancien builder (client ${p.client}) : ${p.why} ; RUN --mount (leçon 19) y échoue et sa sortie n'est pas celle des leçons`,
    en: (p: { client: string; why: string }) =>
      `\`docker build\` will use the legacy builder (client ${p.client}): ${p.why}; RUN --mount (lesson 19) fails there and its output is not the lessons'`,
  },
  client_refused: {
    fr: (p: { client: string; why: string }) => `\`docker build\` refusera de construire (client ${p.client}) : ${p.why}`,
    en: (p: { client: string; why: string }) => `\`docker build\` will refuse to build (client ${p.client}): ${p.why}`,
  },
  why_disabled: { fr: "DOCKER_BUILDKIT=0 est réglé dans l'environnement", en: "DOCKER_BUILDKIT=0 is set in the environment" },
  why_no_buildx: { fr: "le composant buildx manque", en: "the buildx component is missing" },
  why_no_buildx_asked: {
    fr: "BuildKit est demandé (DOCKER_BUILDKIT=1 ou l'alias builder), mais le composant buildx manque",
    en: "BuildKit is asked for (DOCKER_BUILDKIT=1 or the builder alias), but the buildx component is missing",
  },
  why_old_client: {
    fr: "un client d'avant Docker 23 ne prend BuildKit que si on le lui demande",
    en: "a client older than Docker 23 only uses BuildKit when asked to",
  },
  why_bad_env: {
    fr: (p: { value: string }) => `DOCKER_BUILDKIT=${p.value} n'est pas une valeur booléenne`,
    en: (p: { value: string }) => `DOCKER_BUILDKIT=${p.value} is not a boolean`,
  },
  fix_disabled: {
    fr: "Retirez ce réglage (`unset DOCKER_BUILDKIT`, et dans ~/.bashrc ou ~/.profile), puis relancez `dockerlings doctor`.",
    en: "Remove that setting (`unset DOCKER_BUILDKIT`, and in ~/.bashrc or ~/.profile), then run `dockerlings doctor` again.",
  },
  fix_buildx: {
    fr: "Installez buildx : le paquet docker-buildx (Debian 13, Ubuntu), docker-buildx-plugin (dépôt de Docker) ou Docker Desktop ; vérifiez avec `docker buildx version`.",
    en: "Install buildx: the docker-buildx package (Debian 13, Ubuntu), docker-buildx-plugin (Docker's repository) or Docker Desktop; check with `docker buildx version`.",
  },
  fix_old_client: {
    fr: "Installez un client Docker 23 ou plus récent avec buildx (sur Debian 12 : `sudo scripts/engine.sh`), ou, en attendant, `export DOCKER_BUILDKIT=1`.",
    en: "Install a Docker client 23 or newer with buildx (on Debian 12: `sudo scripts/engine.sh`), or meanwhile `export DOCKER_BUILDKIT=1`.",
  },
  fix_bad_env: {
    fr: "`export DOCKER_BUILDKIT=1`, ou `unset DOCKER_BUILDKIT`, puis relancez `dockerlings doctor`.",
    en: "`export DOCKER_BUILDKIT=1`, or `unset DOCKER_BUILDKIT`, then run `dockerlings doctor` again.",
  },
  base_missing: {
    fr: (p: { name: string; users: string }) => `Image de base ${p.name} absente (exercices ${p.users})`,
    en: (p: { name: string; users: string }) => `Base image ${p.name} missing (exercises ${p.users})`,
  },
  base_fix: {
    fr: (p: { name: string }) => `docker pull ${p.name}, ou sans registre : scripts/base-images.sh ${p.name}`,
    en: (p: { name: string }) => `docker pull ${p.name}, or without a registry: scripts/base-images.sh ${p.name}`,
  },
  base_ok: { fr: (p: { name: string }) => `Image de base ${p.name}`, en: (p: { name: string }) => `Base image ${p.name}` },
  disk: {
    fr: (p: { gb: string }) => `Espace disque libre pour Docker : ${p.gb} Go`,
    en: (p: { gb: string }) => `Free disk space for Docker: ${p.gb} GB`,
  },
  disk_fix: {
    fr: "Libérez de la place : `docker system prune` et `dockerlings clean`.",
    en: "Free some space: `docker system prune` and `dockerlings clean`.",
  },
});

/** What the student's own `docker build` will do, and how to fix it when it is not BuildKit. */
function client_finding(facts: DockerClientFacts): Finding {
  const decided = client_builder(facts);
  const client = facts.client_version ?? "?";
  switch (decided.builder) {
    case "none":
      return { ok: "warn", what: m("client_none"), fix: m("client_none_fix") };
    case "buildkit":
      return {
        ok: true,
        what: m("client_buildkit", { client, via: decided.via === "buildx" && facts.buildx_version ? m("client_via_buildx", { buildx: facts.buildx_version }) : "" }),
      };
    case "legacy": {
      const why = decided.why === "disabled" ? m("why_disabled") : decided.why === "no-buildx" ? m("why_no_buildx") : m("why_old_client");
      const fix = decided.why === "disabled" ? m("fix_disabled") : decided.why === "no-buildx" ? m("fix_buildx") : m("fix_old_client");
      return { ok: "warn", what: m("client_legacy", { client, why }), fix };
    }
    case "refused":
      return decided.why === "bad-env"
        ? { ok: "warn", what: m("client_refused", { client, why: m("why_bad_env", { value: facts.env_buildkit ?? "" }) }), fix: m("fix_bad_env") }
        : { ok: "warn", what: m("client_refused", { client, why: m("why_no_buildx_asked") }), fix: m("fix_buildx") };
  }
}

export async function doctor_command(options: { json?: boolean }): Promise<number> {
  const findings: Finding[] = [];
  const [major] = process.versions.node.split(".").map(Number);
  findings.push({
    ok: (major ?? 0) >= 20,
    what: `Node.js ${process.versions.node}`,
    fix: (major ?? 0) >= 20 ? undefined : m("node_fix"),
  });

  let engine_ok = false;
  let root_dir: string | undefined;
  let engine_os: string | undefined;
  try {
    const info = await require_engine();
    engine_ok = true;
    root_dir = info.root_dir;
    engine_os = /windows/i.test(info.os) ? "windows" : "linux";
    findings.push({ ok: true, what: m("engine", { version: info.version, api: info.api_version, driver: info.storage_driver }) });
    if (Number(/^(\d+)\./.exec(info.version)?.[1] ?? 99) < 23) {
      findings.push({ ok: "warn", what: m("engine_old", { version: info.version }), fix: m("engine_old_fix") });
    }
  } catch (error) {
    findings.push({
      ok: false,
      what: m("no_engine"),
      fix: error instanceof EngineUnavailableError ? explain_error(error) : String(error),
    });
  }

  if (engine_ok) {
    const buildkit_error = await probe_buildkit();
    findings.push(
      buildkit_error
        ? { ok: false, what: m("buildkit_broken", { error: buildkit_error }), fix: m("buildkit_fix") }
        : { ok: true, what: m("buildkit_ok") },
    );
    findings.push(client_finding(await probe_docker_client(engine_os)));
    const exercises = load_course(default_course_root());
    const needed = [...new Set(exercises.flatMap((e) => e.base_images))].filter((name) => name !== "scratch");
    const missing = await missing_images(needed);
    for (const name of needed) {
      const users = exercises.filter((e) => e.base_images.includes(name as never)).map((e) => e.id.slice(0, 2));
      findings.push(
        missing.includes(name)
          ? { ok: false, what: m("base_missing", { name, users: users.join(", ") }), fix: m("base_fix", { name }) }
          : { ok: true, what: m("base_ok", { name }) },
      );
    }
  }

  const free = free_bytes(root_dir ?? "/var/lib/docker");
  if (free !== undefined) {
    const gb = free / 1024 ** 3;
    findings.push({
      ok: gb >= 5 ? true : gb >= 2 ? "warn" : false,
      what: m("disk", { gb: gb.toFixed(1) }),
      fix: gb >= 5 ? undefined : m("disk_fix"),
    });
  }

  if (options.json) {
    process.stdout.write(`${JSON.stringify({ ok: findings.every((f) => f.ok !== false), findings }, null, 2)}\n`);
  } else {
    const width = terminal_width();
    for (const f of findings) {
      const sign = f.ok === true ? mark.pass() : f.ok === "warn" ? mark.error() : mark.fail();
      process.stdout.write(`${wrap(`${sign} ${f.what}`, width, "  ")}\n`);
      if (f.fix) process.stdout.write(`${wrap(indent(f.fix, "    "), width)}\n`);
    }
  }
  return findings.every((f) => f.ok !== false) ? 0 : 2;
}
