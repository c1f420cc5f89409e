import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, test, expect } from "vitest";
import { use_exercise, expect_exit_code, expect_output, expect_layers_at_most, expect_fully_cached, CheckFailure } from "../../grader/index.js";

const ex = use_exercise(import.meta.url);

const BASE = "debian:bookworm-slim";
const MAX_LAYERS = 4;
const ROOT = "/opt/citations";
const LINK = "/usr/local/bin/citation";

// The tree the starter builds, entry by entry: the copied files come from the
// course's own starter folder (a submission cannot change what is expected).
const course_file = (name: string): string =>
  fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), "starter", name), "utf8");

interface Entry {
  type: "d" | "f" | "l";
  mode?: string;
  content?: string;
  target?: string;
}

const EXPECTED: Record<string, Entry> = {
  [ROOT]: { type: "d", mode: "755" },
  [`${ROOT}/LISEZMOI.txt`]: { type: "f", mode: "644", content: "Citations d'auteurs de langue française, une par fichier.\n" },
  [`${ROOT}/index.txt`]: { type: "f", mode: "644", content: "hugo.txt\nsand.txt\nvoltaire.txt\n" },
  [`${ROOT}/auteurs`]: { type: "d", mode: "755" },
  [`${ROOT}/auteurs/hugo.txt`]: { type: "f", mode: "644", content: course_file("auteurs/hugo.txt") },
  [`${ROOT}/auteurs/sand.txt`]: { type: "f", mode: "644", content: course_file("auteurs/sand.txt") },
  [`${ROOT}/auteurs/voltaire.txt`]: { type: "f", mode: "644", content: course_file("auteurs/voltaire.txt") },
  [`${ROOT}/bin`]: { type: "d", mode: "755" },
  [`${ROOT}/bin/citation.sh`]: { type: "f", mode: "755", content: course_file("citation.sh") },
  [LINK]: { type: "l", target: `${ROOT}/bin/citation.sh` },
};

const TYPE_NAMES: Record<string, string> = { d: "un dossier", f: "un fichier", l: "un lien symbolique" };

// One line per entry: path|type|mode|owner|link target|content in base64.
const LIST_TREE = `
for p in $(find ${ROOT} ${LINK} 2>/dev/null | sort); do
  if [ -L "$p" ]; then printf '%s|l|||%s|\\n' "$p" "$(readlink "$p")";
  elif [ -d "$p" ]; then printf '%s|d|%s|%s||\\n' "$p" "$(stat -c %a "$p")" "$(stat -c %U "$p")";
  else printf '%s|f|%s|%s||%s\\n' "$p" "$(stat -c %a "$p")" "$(stat -c %U "$p")" "$(base64 -w0 "$p")"; fi
done`;

// The engine refuses to start a container whose command is missing or not
// executable; the student needs that said in words, not as an engine error.
async function run_image(args?: string[], options: Parameters<typeof ex.run>[1] = {}) {
  try {
    return await ex.run(args, options);
  } catch (error) {
    const message = (error as Error).message;
    if (/executable file not found|no such file or directory|permission denied/i.test(message)) {
      throw new CheckFailure(
        "Le conteneur n'a pas pu démarrer : la commande de CMD (« citation ») est introuvable ou n'est pas exécutable. " +
          "Le lien /usr/local/bin/citation doit exister et pointer vers un script aux droits 755 (chmod).",
        message,
      );
    }
    throw error;
  }
}

const quote = (text: string): string => {
  const one_line = text.trim().replace(/\n/g, "⏎");
  return `« ${one_line.length > 80 ? one_line.slice(0, 80) + "…" : one_line} »`;
};

describe("02 — Couches et cache", () => {
  test("l'image se construit", { meta: { points: 1 } }, async () => {
    const image = await ex.image();
    expect(image.id).toMatch(/^sha256:/);
  });

  test("l'arborescence /opt/citations est la même qu'avant : mêmes fichiers, contenus, droits et lien", { meta: { points: 3 } }, async () => {
    const run = await run_image(["-c", LIST_TREE], { entrypoint: ["/bin/sh"] });
    const found = new Map<string, Entry & { owner: string }>();
    for (const line of run.stdout.split("\n").filter(Boolean)) {
      const [p, type, mode, owner, target, content] = line.split("|");
      found.set(p!, {
        type: type as Entry["type"],
        mode,
        owner: owner ?? "",
        target,
        content: content ? Buffer.from(content, "base64").toString("utf8") : "",
      });
    }
    const failures: string[] = [];
    for (const [p, want] of Object.entries(EXPECTED)) {
      const got = found.get(p);
      if (!got) {
        failures.push(`${p} manque : ${TYPE_NAMES[want.type]} attendu. Une commande s'est-elle perdue en regroupant les instructions ?`);
        continue;
      }
      if (got.type !== want.type) {
        failures.push(`${p} doit être ${TYPE_NAMES[want.type]}, c'est ${TYPE_NAMES[got.type] ?? got.type}.`);
        continue;
      }
      if (want.type === "l" && got.target !== want.target) {
        failures.push(`${p} doit pointer vers ${want.target}, il pointe vers ${got.target}.`);
      }
      if (want.mode && got.mode !== want.mode) {
        failures.push(
          `${p} a les droits ${got.mode} au lieu de ${want.mode}` +
            (want.mode === "755" && want.type === "f" ? " : le chmod a-t-il été oublié en regroupant les RUN ?" : "."),
        );
      }
      if (want.type !== "l" && got.owner !== "root") failures.push(`${p} appartient à ${got.owner} au lieu de root.`);
      if (want.content !== undefined && got.content !== want.content) {
        failures.push(`${p} n'a pas le même contenu : attendu ${quote(want.content)}, trouvé ${quote(got.content ?? "")}.`);
      }
    }
    for (const p of found.keys()) {
      if (!(p in EXPECTED)) failures.push(`${p} est en trop : copiez seulement ce qui était copié avant (pas tout le dossier de l'exercice).`);
    }
    if (failures.length > 0) {
      throw new CheckFailure(
        "L'arborescence n'est plus la même qu'avant :\n" + failures.map((f) => `- ${f}`).join("\n"),
        run.stderr.trim() || undefined,
      );
    }
  });

  test("lancée sans argument, elle affiche toujours les citations", { meta: { points: 1 } }, async () => {
    const run = await run_image();
    expect_exit_code(run, 0);
    expect_output(run, ["Auteurs : hugo.txt sand.txt voltaire.txt", "Il faut cultiver notre jardin."]);
  });

  test(`l'image a au plus ${MAX_LAYERS} couches au-dessus de ${BASE}`, { meta: { points: 3 } }, async () => {
    await expect_layers_at_most(ex, MAX_LAYERS, { above_base: true });
  });

  test("une deuxième construction identique vient entièrement du cache", { meta: { points: 2 } }, async () => {
    await ex.image();
    await expect_fully_cached(ex);
  });
});
