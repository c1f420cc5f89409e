// `dockerlings doctor`: is everything here to grade? Each problem comes with its fix.
import { load_course, default_course_root } from "../../../grader/course/course.js";
import { require_engine, EngineUnavailableError } from "../../../grader/engine/client.js";
import { probe_buildkit, missing_images, free_bytes } from "../../../grader/engine/diagnostics.js";
import { c } from "../../ui/color.js";

interface Finding {
  ok: boolean | "warn";
  what: string;
  fix?: string;
}

export async function doctor_command(options: { json?: boolean }): Promise<number> {
  const findings: Finding[] = [];
  const [major] = process.versions.node.split(".").map(Number);
  findings.push({
    ok: (major ?? 0) >= 20,
    what: `Node.js ${process.versions.node}`,
    fix: (major ?? 0) >= 20 ? undefined : "Installez Node.js 20 ou plus récent.",
  });

  let engine_ok = false;
  let root_dir: string | undefined;
  try {
    const info = await require_engine();
    engine_ok = true;
    root_dir = info.root_dir;
    findings.push({ ok: true, what: `Moteur Docker ${info.version} (API ${info.api_version}, ${info.storage_driver})` });
  } catch (error) {
    findings.push({
      ok: false,
      what: "Moteur Docker injoignable",
      fix: error instanceof EngineUnavailableError ? error.message : String(error),
    });
  }

  if (engine_ok) {
    const buildkit_error = await probe_buildkit();
    findings.push(
      buildkit_error
        ? { ok: false, what: `BuildKit ne fonctionne pas : ${buildkit_error}`, fix: "Utilisez un moteur Docker 20.10 ou plus récent." }
        : { ok: true, what: "BuildKit disponible par l'API" },
    );
    const exercises = load_course(default_course_root());
    const needed = [...new Set(exercises.flatMap((e) => e.base_images))];
    const missing = await missing_images(needed);
    for (const name of needed) {
      const users = exercises.filter((e) => e.base_images.includes(name as never)).map((e) => e.id.slice(0, 2));
      findings.push(
        missing.includes(name)
          ? {
              ok: false,
              what: `Image de base ${name} absente (exercices ${users.join(", ")})`,
              fix: `docker pull ${name}, ou sans registre : scripts/base-images.sh ${name}`,
            }
          : { ok: true, what: `Image de base ${name}` },
      );
    }
  }

  const free = free_bytes(root_dir ?? "/var/lib/docker");
  if (free !== undefined) {
    const gb = free / 1024 ** 3;
    findings.push({
      ok: gb >= 5 ? true : gb >= 2 ? "warn" : false,
      what: `Espace disque libre pour Docker : ${gb.toFixed(1)} Go`,
      fix: gb >= 5 ? undefined : "Libérez de la place : `docker system prune` et `dockerlings clean`.",
    });
  }

  if (options.json) {
    process.stdout.write(`${JSON.stringify({ ok: findings.every((f) => f.ok !== false), findings }, null, 2)}\n`);
  } else {
    for (const f of findings) {
      const mark = f.ok === true ? c.green("✓") : f.ok === "warn" ? c.yellow("!") : c.red("✗");
      process.stdout.write(`${mark} ${f.what}\n`);
      if (f.fix) process.stdout.write(`${f.fix.split("\n").map((l) => `    ${l}`).join("\n")}\n`);
    }
  }
  return findings.every((f) => f.ok !== false) ? 0 : 2;
}
