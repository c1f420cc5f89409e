// `dockerlings dev new <id>`: scaffolds an exercise in the course pack (this
// repository's, or --course DIR, which becomes a pack if it is not one yet).
import path from "node:path";
import { scaffold_exercise, default_course_root, type ScaffoldOptions } from "../../../grader/index.js";
import { define_messages } from "../../i18n/index.js";
import { c } from "../../ui/color.js";

const m = define_messages({
  new_pack: {
    fr: (p: { root: string }) => `Nouveau pack de cours : ${p.root} (course.yaml à compléter : nom, titre, version, parties).`,
    en: (p: { root: string }) => `New course pack: ${p.root} (fill in course.yaml: name, title, version, parts).`,
  },
  created: {
    fr: (p: { id: string }) => `Exercice ${p.id} créé :`,
    en: (p: { id: string }) => `Exercise ${p.id} created:`,
  },
  linked: {
    fr: (p: { link: string }) => `${p.link} : lien vers ce dockerlings, pour que les specs du pack trouvent le correcteur.`,
    en: (p: { link: string }) => `${p.link}: a link to this dockerlings, so the pack's specs reach the grader.`,
  },
  next: {
    fr: (p: { course: string }) =>
      "Ensuite : écrivez la leçon et les indices (chaque TODO(author)), adaptez le spec, le starter et la solution, " +
      `puis \`dockerlings dev check${p.course}\` jusqu'à ce qu'il ne signale plus rien. Le guide : docs/authoring.md.`,
    en: (p: { course: string }) =>
      "Next: write the lesson and hints (each TODO(author)), adapt the spec, starter and solution, " +
      `then run \`dockerlings dev check${p.course}\` until it reports nothing. The guide: docs/authoring.md.`,
  },
});

export async function dev_new_command(id: string, options: ScaffoldOptions): Promise<number> {
  const course_root = default_course_root();
  const made = scaffold_exercise(course_root, id, options);
  if (made.new_pack) process.stdout.write(`${m("new_pack", { root: course_root })}\n`);
  process.stdout.write(`${m("created", { id })}\n`);
  for (const file of made.files) process.stdout.write(`  ${c.green("+")} ${file}\n`);
  if (made.linked) process.stdout.write(c.gray(`${m("linked", { link: made.linked })}\n`));
  const course = process.env.DOCKERLINGS_COURSE ? ` --course ${path.relative(process.cwd(), course_root) || "."}` : "";
  process.stdout.write(`\n${m("next", { course })}\n`);
  return 0;
}
