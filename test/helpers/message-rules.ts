// The rules a message a student reads is held to (test/course-messages.test.ts
// on the source, test/wrong-answers.docker.test.ts on graded verdicts): no raw
// pattern, no sentence said twice, no agreement the glossary's genders forbid.

/** A JavaScript RegExp as a student would see it: /…/ with a special character inside (a path has none but dots). */
const RAW_PATTERN = /(?:^|[\s«(:,])\/(?=[^\s/*])((?:[^/\n\\]|\\.)*?[\\^$*+?()[\]{}|](?:[^/\n\\]|\\.)*?)\/[dgimsuy]*(?=$|[\s,.;:»)])/;

/** Sentences of a message, as a reader takes them (the same cut as the runner's once_per_verdict). */
export const sentences_of = (text: string): string[] =>
  text
    .split("\n")
    .filter((line) => !/^\s/.test(line) && !/:\s*$/.test(line))
    .flatMap((line) => line.replace(/^- /, "").split(/(?<=[.!?])\s+(?=[A-ZÀ-Ý«(`"0-9])/))
    .map((s) => s.trim());

// The glossary's nouns by gender (docs/glossaire.md), and the participles the
// messages use after them.
const FEMININE = "instruction|étape|couche|image|vérification|cible|commande|variable|sortie|réponse|valeur|archive|soumission";
const MASCULINE = "build|tag|label|digest|conteneur|fichier|dossier|programme|correcteur|script|registre|dépôt|port|volume|contexte";
const PARTICIPLES = ["refait", "repris", "reconstruit", "construit", "copié", "supprimé", "ajouté", "créé", "installé", "téléchargé", "poussé", "tagué", "décompressé", "exclu"];
const agreement = (nouns: string, participles: string[]): RegExp =>
  new RegExp(
    `(?<![\\p{L}])(?:${nouns})(?:\\s+«[^»]*»)?(?:\\s+\\([^)]*\\))?\\s+(?:a été|ont été|est|sont|était|sera)\\s+(?:${participles.join("|")})(?![\\p{L}])`,
    "iu",
  );
const FEMININE_WITH_MASCULINE = agreement(FEMININE, PARTICIPLES);
const MASCULINE_WITH_FEMININE = agreement(MASCULINE, PARTICIPLES.map((p) => `${p}e`));

export function message_problems(text: string): string[] {
  const problems: string[] = [];
  const raw = RAW_PATTERN.exec(text);
  if (raw) problems.push(`raw pattern ${raw[0].trim()}: give it its words ({ matches, shown })`);
  const seen = new Set<string>();
  for (const sentence of sentences_of(text)) {
    if (sentence.length < 40) continue;
    if (seen.has(sentence)) problems.push(`said twice: « ${sentence.slice(0, 80)} »`);
    seen.add(sentence);
  }
  for (const rule of [FEMININE_WITH_MASCULINE, MASCULINE_WITH_FEMININE]) {
    const found = rule.exec(text);
    if (found) problems.push(`agreement: « ${found[0]} »`);
  }
  return problems;
}
