// A course pack of its own, outside the repository, for the tests of `dev new`
// and `dev check`: scaffolded with `dev new`, then completed the way an author
// would (lesson, hints, titles, and an exercise of its own: ENV and a script).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll } from "vitest";
import { scaffold_exercise } from "../grader/index.js";

export const EXERCISE = "01-salut-env";

const made: string[] = [];
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder outside the repository (the system's temporary folder). */
export function pack_dir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dl-pack-"));
  made.push(dir);
  return path.join(dir, "mon-cours");
}

export function write(root: string, file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  fs.writeFileSync(path.join(root, file), text);
}

export function edit(root: string, file: string, change: (text: string) => string): void {
  write(root, file, change(fs.readFileSync(path.join(root, file), "utf8")));
}

export const SOLUTION = 'FROM debian:bookworm-slim\nENV NOM=Ada\nCOPY salut.sh /usr/local/bin/salut.sh\nCMD ["sh", "/usr/local/bin/salut.sh"]\n';

/** The scaffold's TODO(author) written, and the exercise made its own. */
export function complete_pack(root: string): void {
  const ex = `exercises/${EXERCISE}`;
  edit(root, "course.yaml", (t) =>
    t.replace(/title: TODO\(author\) the course's title/, "title: Docker pour le bootcamp").replace(/title: TODO\(author\) the part's title/, "title: Les bases"),
  );
  write(
    root,
    `${ex}/exercise.yaml`,
    [
      "format: 1",
      `id: ${EXERCISE}`,
      "title: Une variable d'environnement",
      "part: bases",
      "order: 1",
      "points: 10",
      "base_images: [debian:bookworm-slim]",
      "editable: [Dockerfile]",
      "hints:",
      '  - "Le script lit son nom dans une variable d\'environnement : laquelle ? Lisez salut.sh."',
      '  - "Une variable d\'environnement de l\'image se déclare avec ENV, avant la commande qui la lit."',
      '  - "Presque la réponse : `ENV NOM=Ada`, puis `CMD [\\"sh\\", \\"/usr/local/bin/salut.sh\\"]`."',
      "",
    ].join("\n"),
  );
  write(
    root,
    `${ex}/lesson.md`,
    [
      "# 01 — Une variable d'environnement",
      "",
      "Un programme lit souvent sa configuration dans des variables d'environnement.",
      "Une image peut leur donner une valeur par défaut, que `docker run -e` remplace.",
      "",
      "## ENV",
      "",
      "```dockerfile",
      "ENV NOM=Ada",
      "```",
      "",
      "La variable existe pour les instructions qui suivent et dans le conteneur.",
      "",
      "## Pièges fréquents",
      "",
      "- `RUN export NOM=Ada` : la variable disparaît avec la couche, le conteneur ne la voit pas.",
      "- `ENV` après `CMD` marche aussi, mais se lit mal : déclarez avant d'utiliser.",
      "",
      "## L'exercice",
      "",
      "`salut.sh` affiche « Salut » suivi de `$NOM`. Donnez à `NOM` la valeur `Ada` et lancez le script.",
      "Le correcteur vérifie que l'image se construit, que `NOM` vaut `Ada`, que le conteneur affiche",
      "« Salut Ada » et que `CMD` est en forme exec.",
      "",
      "Lancez `dockerlings check 01` pour faire corriger votre travail.",
      "",
    ].join("\n"),
  );
  write(root, `${ex}/starter/salut.sh`, 'echo "Salut $NOM"\n');
  write(root, `${ex}/starter/Dockerfile`, "FROM debian:bookworm-slim\nCOPY salut.sh /usr/local/bin/salut.sh\n");
  write(root, `solutions/${EXERCISE}/salut.sh`, 'echo "Salut $NOM"\n');
  write(root, `solutions/${EXERCISE}/Dockerfile`, SOLUTION);
  edit(root, `${ex}/spec.test.ts`, (spec) =>
    spec
      .replace(/describe\("[^"]*"/, 'describe("01 — Une variable d\'environnement"')
      .replace(/ {2}test\("l'image part de[\s\S]*?\n {2}\}\);\n/, [
        '  test("NOM vaut Ada dans l\'image", { meta: { points: 2 } }, async () => {',
        '    await expect(ex).toHaveEnv({ NOM: "Ada" });',
        "  });",
        "",
      ].join("\n"))
      .replace(/test\("lancée sans argument[^"]*"/, 'test("lancée sans argument, elle affiche « Salut Ada »"')
      .replace(/stdout: \["[^"]*"\]/, 'stdout: ["Salut Ada"]'),
  );
  write(root, `wrong-answers/${EXERCISE}/cmd-shell-form/Dockerfile`, 'FROM debian:bookworm-slim\nENV NOM=Ada\nCOPY salut.sh /usr/local/bin/salut.sh\nCMD sh /usr/local/bin/salut.sh\n');
}

/** `dev new` (the function behind it) in a new folder, then completed: a sound pack. */
export function sound_pack(): string {
  const root = pack_dir();
  scaffold_exercise(root, EXERCISE);
  complete_pack(root);
  return root;
}
