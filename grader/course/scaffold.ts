// `dockerlings dev new <id>`: a new exercise in a course pack, complete enough
// to grade at once (its spec passes the solution and fails the starter), with
// TODO(author) where the author writes the lesson and hints: `dev check`
// fails until none is left. A folder without course.yaml becomes a pack. No Docker here.
import fs from "node:fs";
import path from "node:path";
import { Document, isMap } from "yaml";
import { COURSE_FILE, CourseError, grader_course_root, read_course_manifest } from "./course.js";
import { COURSE_FORMAT, DEFAULT_WRONG_ANSWERS, type CourseManifest } from "./course-schema.js";
import { EXERCISE_FORMAT } from "./exercise-schema.js";
import { PLACEHOLDER } from "./pack-lint.js";

export interface ScaffoldOptions {
  title?: string;
  /** One of course.yaml's parts (default: the last). */
  part?: string;
  /** The base image (default: course.yaml's first one that is not scratch). */
  base?: string;
}

export interface Scaffolded {
  /** Files written, relative to the pack. */
  files: string[];
  /** True when the folder had no course.yaml and now is a pack. */
  new_pack: boolean;
  /** The link made so the pack's specs reach the grader (node_modules/dockerlings), if one was. */
  linked?: string;
}

const ID = /^(\d{2})-[a-z0-9-]+$/;

/** How a spec of the pack at `course_root` imports the grader. */
export function grader_import(course_root: string): string {
  let own: string | undefined;
  try {
    own = grader_course_root();
  } catch {
    own = undefined;
  }
  return own && path.resolve(own) === path.resolve(course_root) ? "../../grader/spec.js" : "dockerlings/grader/spec.js";
}

export function scaffold_exercise(course_root: string, id: string, options: ScaffoldOptions = {}): Scaffolded {
  const root = path.resolve(course_root);
  const match = ID.exec(id);
  if (!match) throw new CourseError(`${id}: an exercise id looks like 17-mon-exercice (two digits, a dash, lowercase words)`);
  const number = match[1]!;
  const exercises_dir = path.join(root, "exercises");
  const existing = fs.existsSync(exercises_dir) ? fs.readdirSync(exercises_dir).filter((n) => ID.test(n)) : [];
  const clash = existing.find((n) => n === id || n.startsWith(`${number}-`));
  if (clash) throw new CourseError(`${id}: the pack already has ${clash} (each exercise has its own number)`);

  const files: string[] = [];
  const write = (rel: string, text: string): void => {
    const target = path.join(root, rel);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text, { flag: "wx" });
    files.push(rel);
  };

  const new_pack = !fs.existsSync(path.join(root, COURSE_FILE));
  const base = options.base ?? "debian:bookworm-slim";
  if (new_pack) {
    fs.mkdirSync(root, { recursive: true });
    write(COURSE_FILE, course_yaml(path.basename(root), options.part ?? "bases", base));
    if (!fs.existsSync(path.join(root, ".gitignore"))) write(".gitignore", "node_modules/\n.dockerlings/\n");
  }
  const manifest = read_course_manifest(root);
  const part = options.part ?? manifest.parts.at(-1)!.id;
  if (!manifest.parts.some((p) => p.id === part)) {
    throw new CourseError(`--part ${part} is not one of course.yaml's parts (${manifest.parts.map((p) => p.id).join(", ")}): add it there first`);
  }
  const image = options.base ?? manifest.base_images.find((i) => i !== "scratch") ?? base;
  if (!manifest.base_images.includes(image)) {
    throw new CourseError(`--base ${image} is not in course.yaml's base_images (${manifest.base_images.join(", ")}): add it there first`);
  }

  const order = next_order(root, existing);
  const en = !manifest.language.startsWith("fr");
  const title = options.title ?? `${PLACEHOLDER} ${en ? "the exercise's title" : "le titre de l'exercice"}`;
  const message = en ? `Hello from ${id}!` : `Bonjour depuis ${id} !`;
  const texts = { id, number, title, image, message, part, order, en };

  write(`exercises/${id}/exercise.yaml`, exercise_yaml(texts));
  write(`exercises/${id}/lesson.md`, lesson_md(texts));
  write(`exercises/${id}/starter/Dockerfile`, starter_dockerfile(texts));
  write(`exercises/${id}/spec.test.ts`, spec_ts(texts, grader_import(root)));
  write(`solutions/${id}/Dockerfile`, solution_dockerfile(texts));
  const wrong = manifest.wrong_answers ?? DEFAULT_WRONG_ANSWERS;
  write(`${wrong}/${id}/cmd-shell-form/Dockerfile`, `FROM ${image}\nCMD echo "${message}"\n`);
  write(`${wrong}/${id}/cmd-shell-form/expect.yaml`, wrong_answer_yaml(texts));

  const linked = link_grader(root);
  return { files, new_pack, ...(linked ? { linked } : {}) };
}

function next_order(root: string, ids: string[]): number {
  let max = 0;
  for (const id of ids) {
    const text = fs.existsSync(path.join(root, "exercises", id, "exercise.yaml"))
      ? fs.readFileSync(path.join(root, "exercises", id, "exercise.yaml"), "utf8")
      : "";
    const order = /^order:\s*(\d+)/m.exec(text);
    if (order) max = Math.max(max, Number(order[1]));
  }
  return max + 1;
}

/** A pack outside this repository reaches the grader through node_modules/dockerlings: linked to this one. */
function link_grader(root: string): string | undefined {
  if (grader_import(root).startsWith(".")) return undefined;
  for (let dir = root; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "node_modules", "dockerlings", "package.json"))) return undefined;
    if (path.dirname(dir) === dir) break;
  }
  const link = path.join(root, "node_modules", "dockerlings");
  fs.mkdirSync(path.dirname(link), { recursive: true });
  fs.symlinkSync(grader_course_root(), link, "dir");
  return "node_modules/dockerlings";
}

interface Texts {
  id: string;
  number: string;
  title: string;
  image: string;
  message: string;
  part: string;
  order: number;
  en: boolean;
}

function course_yaml(name: string, part: string, image: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^[^a-z0-9]+/, "") || "course";
  const manifest: CourseManifest = {
    format: COURSE_FORMAT,
    name: slug,
    title: `${PLACEHOLDER} the course's title`,
    language: "fr",
    version: "0.1.0",
    parts: [{ id: part, title: `${PLACEHOLDER} the part's title` }],
    base_images: [image],
  };
  const doc = new Document(manifest);
  doc.commentBefore =
    " A course pack: exercises/<id>/, solutions/<id>/, wrong-answers/<id>/<name>/.\n" +
    " The fields are documented in dockerlings' grader/course/course-schema.ts;\n" +
    " `dockerlings dev check --course <this folder>` checks the whole pack.";
  const comment = (key: string, text: string) => {
    const pair = isMap(doc.contents) ? doc.contents.items.find((p) => (p.key as { value?: unknown }).value === key) : undefined;
    if (pair) (pair.key as { commentBefore?: string }).commentBefore = ` ${text}`;
  };
  comment("format", "Version of this file's format.");
  comment("name", "The pack's name (a slug): results carry it, with version.");
  comment("title", "The pack's title, for people.");
  comment("language", "The language of lessons, hints and check names (fr, en, ...).");
  comment("version", "The pack's version (semver): bump it when exercises change.");
  comment("parts", "The parts of the course, in teaching order; each exercise names one.");
  comment("base_images", "Every base image the exercises build from (each needs a recipe in scripts/base-images.sh, except scratch).");
  return doc.toString();
}

function exercise_yaml(t: Texts): string {
  const hints = t.en
    ? [
        `${PLACEHOLDER} a nudge: what the student should look at first, without the answer.`,
        `${PLACEHOLDER} a direction: which instruction to use, and where.`,
        `${PLACEHOLDER} almost the answer: FROM ${t.image}, then CMD ["echo", "${t.message}"] (double quotes: it is JSON).`,
      ]
    : [
        `${PLACEHOLDER} un coup de pouce : ce que l'élève doit regarder d'abord, sans la réponse.`,
        `${PLACEHOLDER} une direction : quelle instruction utiliser, et où.`,
        `${PLACEHOLDER} presque la réponse : FROM ${t.image}, puis CMD ["echo", "${t.message}"] (des guillemets doubles : c'est du JSON).`,
      ];
  return [
    "# Exercise metadata: the fields are documented in dockerlings' grader/course/exercise-schema.ts.",
    "# Version of this file's format.",
    `format: ${EXERCISE_FORMAT}`,
    "# The exercise's id: its folder's name, never renamed once students have it.",
    `id: ${t.id}`,
    "# The title students see.",
    `title: ${JSON.stringify(t.title)}`,
    "# Its part: one of course.yaml's parts.",
    `part: ${JSON.stringify(t.part)}`,
    "# Its place in the course (1-based): `dockerlings list` shows this order.",
    `order: ${t.order}`,
    "# Points for the whole exercise: the spec's checks (meta: { points }) add up to this.",
    "points: 10",
    "# The base images it builds from: each listed in course.yaml's base_images.",
    `base_images: [${t.image}]`,
    "# The files the student may change: only these are graded (Dockerfile and .dockerignore always are).",
    "editable: [Dockerfile, .dockerignore]",
    "# Three hints or more, progressive: a nudge, a direction, almost the answer (the last names the code).",
    "hints:",
    ...hints.map((h) => `  - ${JSON.stringify(h)}`),
    "",
  ].join("\n");
}

function lesson_md(t: Texts): string {
  const title = `# ${t.number} — ${t.title}`;
  if (t.en) {
    return [
      title,
      "",
      `${PLACEHOLDER} Two or three sentences: where the student is in the course and what this exercise teaches.`,
      "",
      "## The instruction",
      "",
      `${PLACEHOLDER} What it does, its syntax, a short example:`,
      "",
      "```dockerfile",
      `FROM ${t.image}`,
      'CMD ["echo", "hello"]',
      "```",
      "",
      "## Common pitfalls",
      "",
      `- ${PLACEHOLDER} a mistake students make, and what it costs.`,
      "",
      "## The exercise",
      "",
      `${PLACEHOLDER} What to build. The grader checks that:`,
      "",
      "1. the image builds;",
      `2. it starts from \`${t.image}\`;`,
      `3. run with no argument, it prints « ${t.message} » and exits with code 0;`,
      "4. `CMD` is written in exec form.",
      "",
      `Run \`dockerlings check ${t.number}\` to have your work graded, and \`dockerlings hint ${t.number}\` if you are stuck.`,
      "",
    ].join("\n");
  }
  return [
    title,
    "",
    `${PLACEHOLDER} Deux ou trois phrases : où en est l'élève dans le cours, et ce que cet exercice lui apprend.`,
    "",
    "## L'instruction",
    "",
    `${PLACEHOLDER} Ce qu'elle fait, sa syntaxe, un court exemple :`,
    "",
    "```dockerfile",
    `FROM ${t.image}`,
    'CMD ["echo", "bonjour"]',
    "```",
    "",
    "## Pièges fréquents",
    "",
    `- ${PLACEHOLDER} une erreur que font les élèves, et ce qu'elle coûte.`,
    "",
    "## L'exercice",
    "",
    `${PLACEHOLDER} Ce qu'il faut construire. Le correcteur vérifie que :`,
    "",
    "1. l'image se construit ;",
    `2. elle part de \`${t.image}\` ;`,
    `3. lancée sans argument, elle affiche « ${t.message} » et sort avec le code 0 ;`,
    "4. `CMD` est écrit en forme exec.",
    "",
    `Lancez \`dockerlings check ${t.number}\` pour faire corriger votre travail, et \`dockerlings hint ${t.number}\` si vous bloquez.`,
    "",
  ].join("\n");
}

function starter_dockerfile(t: Texts): string {
  return t.en
    ? `# Start from ${t.image}, then say what the container runs.\nFROM ${t.image}\n`
    : `# Partez de ${t.image}, puis dites ce que lance le conteneur.\nFROM ${t.image}\n`;
}

function solution_dockerfile(t: Texts): string {
  return `FROM ${t.image}\nCMD ["echo", "${t.message}"]\n`;
}

function wrong_answer_yaml(t: Texts): string {
  return [
    "# A plausible wrong answer: these files are laid over a copy of the solution,",
    "# and the check named in `fails` must fail with a message matching `message`.",
    "why: CMD written in shell form, so the program runs under /bin/sh -c",
    `fails: ${t.en ? "exec form" : "forme exec"}`,
    'message: "CMD est en forme shell"',
    "",
  ].join("\n");
}

function spec_ts(t: Texts, grader: string): string {
  const names = t.en
    ? {
        builds: "the image builds",
        base: `the image starts from ${t.image}`,
        runs: `run with no argument, it prints « ${t.message} » and exits with code 0`,
        exec: "CMD is written in exec form",
      }
    : {
        builds: "l'image se construit",
        base: `l'image part de ${t.image}`,
        runs: `lancée sans argument, elle affiche « ${t.message} » et sort avec le code 0`,
        exec: "CMD est écrit en forme exec",
      };
  return `// The checks of ${t.id}: one test per check, its name is what the student
// sees, its weight in meta.points (they add up to exercise.yaml's points).
// Each check is a matcher on the exercise (docs/checks.md lists them all).
import { describe, test, expect } from "vitest";
import { use_exercise } from ${JSON.stringify(grader)};

const ex = use_exercise(import.meta.url);

describe(${JSON.stringify(`${t.number} — ${t.title}`)}, () => {
  test(${JSON.stringify(names.builds)}, { meta: { points: 2 } }, async () => {
    await expect(ex).toBuild();
  });

  test(${JSON.stringify(names.base)}, { meta: { points: 2 } }, async () => {
    await expect(ex).toStartFrom(${JSON.stringify(t.image)});
  });

  test(${JSON.stringify(names.runs)}, { meta: { points: 4 } }, async () => {
    await expect(ex).toRun({ stdout: [${JSON.stringify(t.message)}], exit_code: 0 });
  });

  test(${JSON.stringify(names.exec)}, { meta: { points: 2 } }, async () => {
    await expect(ex).toUseExecForm("CMD");
  });
});
`;
}

