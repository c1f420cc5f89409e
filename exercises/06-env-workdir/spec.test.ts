import { describe, test, expect } from "vitest";
import { use_exercise, CheckFailure } from "../../grader/index.js";

const ex = use_exercise(import.meta.url);

const DEFAULTS: Record<string, string> = { BOUTIQUE_NOM: "Épicerie du Marché", SEUIL_ALERTE: "5" };
const OVERRIDES: Record<string, string> = { BOUTIQUE_NOM: "Chez Test", SEUIL_ALERTE: "12" };
const REPORT_PATH = /Rapport écrit dans (\S+)/;

// `docker run --rm -e ... <image>`, run once and read by two checks: the
// WORKDIR check gives the settings itself, so that it grades WORKDIR only.
let override_run: ReturnType<typeof ex.run> | undefined;
const run_with_overrides = () => (override_run ??= ex.run(undefined, { env: OVERRIDES }));

const summary = (text: string): string => {
  const lines = text.trim().split("\n");
  const shown = lines.length > 3 ? [...lines.slice(0, 2), "…", lines.at(-1)!] : lines;
  return shown.length ? `« ${shown.join(" ⏎ ")} »` : "(rien)";
};

const list = (failures: string[]): string => (failures.length === 1 ? failures[0]! : failures.map((f) => `- ${f}`).join("\n"));

/** The lines a run with these settings must print. */
const expected_lines = (settings: Record<string, string>, to_order: number): string[] => [
  `Inventaire — ${settings.BOUTIQUE_NOM} (seuil d'alerte : ${settings.SEUIL_ALERTE})`,
  `À commander : ${to_order} article(s)`,
];

function why_it_failed(output: string): string {
  if (/n'est pas définie/.test(output)) return " Le programme ne trouve pas ses réglages : déclarez-les avec ENV dans le Dockerfile.";
  if (/introuvable dans le dossier courant/.test(output)) return " Le programme ne tourne pas dans son dossier : fixez le répertoire de travail avec WORKDIR /app.";
  if (/can't open file/.test(output)) return " python3 ne trouve pas inventaire.py dans le dossier courant : fixez le répertoire de travail avec WORKDIR /app.";
  return "";
}

describe("06 — ENV et WORKDIR", () => {
  test("l'image se construit", { meta: { points: 1 } }, async () => {
    const image = await ex.image();
    expect(image.id).toMatch(/^sha256:/);
  });

  test("les valeurs par défaut des réglages sont déclarées dans l'image (ENV)", { meta: { points: 2 } }, async () => {
    const image = await ex.image();
    const args = new Set(ex.dockerfile().instructions.filter((i) => i.keyword === "ARG").map((i) => i.args.split("=")[0]!.trim()));
    const failures: string[] = [];
    for (const [name, value] of Object.entries(DEFAULTS)) {
      const found = image.facts.config.env[name];
      if (found === undefined) {
        failures.push(
          `L'image ne déclare pas ${name}` +
            (args.has(name) ? " : ARG ne vaut que pendant la construction, le conteneur ne le voit pas" : "") +
            `. Ajoutez ENV ${name}=${/\s/.test(value) ? `"${value}"` : value}.`,
        );
      } else if (found !== value) {
        failures.push(`${name} vaut « ${found} » dans l'image au lieu de « ${value} »` + (/^["']/.test(found) ? " (des guillemets en trop ?)" : "") + ".");
      }
    }
    if (failures.length > 0) throw new CheckFailure(list(failures));
  });

  test("lancée sans -e, l'image produit le rapport avec les valeurs par défaut", { meta: { points: 2 } }, async () => {
    const run = await ex.run();
    const output = (run.stdout + run.stderr).trim();
    if (run.exit_code !== 0) {
      throw new CheckFailure(`docker run <image> devait afficher le rapport, il sort avec le code ${run.exit_code} : ${summary(output)}.${why_it_failed(output)}`, output);
    }
    const missing = expected_lines(DEFAULTS, 3).filter((line) => !run.stdout.includes(line));
    if (missing.length > 0) {
      throw new CheckFailure(`Le rapport devait contenir ${missing.map((l) => `« ${l} »`).join(" et ")}, il affiche ${summary(run.stdout)}.`, output);
    }
  });

  test("-e au lancement remplace les valeurs par défaut", { meta: { points: 2 } }, async () => {
    const run = await run_with_overrides();
    const output = (run.stdout + run.stderr).trim();
    if (run.exit_code !== 0) {
      throw new CheckFailure(
        `docker run -e BOUTIQUE_NOM="${OVERRIDES.BOUTIQUE_NOM}" -e SEUIL_ALERTE=${OVERRIDES.SEUIL_ALERTE} <image> devait afficher le rapport, ` +
          `il sort avec le code ${run.exit_code} : ${summary(output)}.${why_it_failed(output)}`,
        output,
      );
    }
    const missing = expected_lines(OVERRIDES, 5).filter((line) => !run.stdout.includes(line));
    if (missing.length > 0) {
      throw new CheckFailure(
        `Avec -e BOUTIQUE_NOM="${OVERRIDES.BOUTIQUE_NOM}" -e SEUIL_ALERTE=${OVERRIDES.SEUIL_ALERTE}, le rapport devait contenir ` +
          `${missing.map((l) => `« ${l} »`).join(" et ")}, il affiche ${summary(run.stdout)}. ` +
          "Les valeurs ne doivent être fixées que par ENV : une valeur écrite dans CMD (env VAR=..., VAR=... python3) " +
          "écrase celle donnée avec -e.",
        output,
      );
    }
  });

  test("le répertoire de travail est un chemin absolu fixé par WORKDIR, où le programme écrit son rapport", { meta: { points: 3 } }, async () => {
    const image = await ex.image();
    const failures: string[] = [];
    const parsed = ex.dockerfile();
    const last = parsed.stages.length - 1;
    const workdirs = parsed.instructions.filter((i) => i.stage === last && i.keyword === "WORKDIR");
    const working_dir = image.facts.config.working_dir;
    if (workdirs.length === 0 || !working_dir || working_dir === "/") {
      const cd = parsed.instructions.find((i) => i.stage === last && i.keyword === "RUN" && /(^|[;&|]\s*)cd\s/.test(i.args));
      failures.push(
        `L'image n'a pas de répertoire de travail : le programme tourne dans « ${working_dir || "/"} », la racine du système. ` +
          (cd ? `Le cd de la ligne ${cd.line} ne vaut que pour ce RUN. ` : "") +
          "Ajoutez WORKDIR /app avant le COPY.",
      );
    }
    for (const w of workdirs.filter((i) => !i.args.trim().startsWith("/") && !i.args.trim().startsWith("$"))) {
      failures.push(
        `Ligne ${w.line} : WORKDIR ${w.args.trim()} est un chemin relatif, qui dépend du WORKDIR précédent (ou de l'image de base). ` +
          `Écrivez un chemin absolu : WORKDIR /${w.args.trim().replace(/^\.?\//, "")}.`,
      );
    }
    if (failures.length === 0) {
      const run = await run_with_overrides();
      const written = REPORT_PATH.exec(run.stdout)?.[1];
      const expected = `${working_dir.replace(/\/$/, "")}/rapports/inventaire.txt`;
      if (written !== expected) {
        failures.push(
          written
            ? `Le rapport est écrit dans ${written} au lieu de ${expected} : lancez le programme depuis le répertoire de travail, sans cd.`
            : `Le programme n'a pas écrit son rapport (attendu : ${expected}).${why_it_failed(run.stdout + run.stderr)}`,
        );
      }
    }
    if (failures.length > 0) throw new CheckFailure(list(failures));
  });
});
