// `dockerlings doctor`: is everything here to grade? Each problem comes with its fix.
import {
  load_course, default_course_root, require_engine, EngineUnavailableError, probe_buildkit, missing_images, free_bytes,
} from "../../../grader/index.js";
import { explain_error } from "../../errors.js";
import { define_messages } from "../../i18n/index.js";
import { c } from "../../ui/color.js";
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
  buildkit_ok: { fr: "BuildKit disponible par l'API", en: "BuildKit available through the API" },
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
  try {
    const info = await require_engine();
    engine_ok = true;
    root_dir = info.root_dir;
    findings.push({ ok: true, what: m("engine", { version: info.version, api: info.api_version, driver: info.storage_driver }) });
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
      const sign = f.ok === true ? c.green("✓") : f.ok === "warn" ? c.yellow("!") : c.red("✗");
      process.stdout.write(`${wrap(`${sign} ${f.what}`, width, "  ")}\n`);
      if (f.fix) process.stdout.write(`${wrap(indent(f.fix, "    "), width)}\n`);
    }
  }
  return findings.every((f) => f.ok !== false) ? 0 : 2;
}
