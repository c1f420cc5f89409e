// A publication script as a student writes it (publier.sh: docker build, docker
// tag, docker push, a digest read with docker inspect), read into steps the
// grader carries out itself through the engine's API. Nothing of the student's
// runs on the host: a line that is not one of these commands is refused with
// its line number, never executed. Pure: no Docker here.

export type PublishStep =
  | { kind: "build"; line: number; text: string; tags: string[]; dockerfile?: string; build_args: Record<string, string>; target?: string }
  | { kind: "tag"; line: number; text: string; source: string; target: string }
  /** docker push REF, or with --all-tags (-a) every tag of the repository REF that the script made. */
  | { kind: "push"; line: number; text: string; ref: string; all_tags?: true }
  /** NAME=$(docker inspect --format '{{index .RepoDigests 0}}' REF): the digest REF got from its push. */
  | { kind: "digest"; line: number; text: string; name: string; ref: string }
  /** NAME=value */
  | { kind: "set"; line: number; text: string; name: string; value: string }
  | { kind: "echo"; line: number; text: string };

export interface PublishScript {
  steps: PublishStep[];
  /** One per refused line, in French, with its number: « Ligne 4 : … ». */
  errors: string[];
}

const ACCEPTED =
  "le correcteur n'exécute que docker build, docker tag, docker push, NOM=$(docker inspect --format '{{index .RepoDigests 0}}' image), NOM=valeur et echo";

/** Words of a line as sh splits them; $NAME and ${NAME} are kept as written (expanded when the step runs). */
export function split_shell_words(text: string): string[] | string {
  const words: string[] = [];
  let word = "";
  let in_word = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return "une apostrophe ' n'est pas refermée";
      word += text.slice(i + 1, end).replace(/\$/g, "\u0000");
      i = end;
      in_word = true;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === "\\" && j + 1 < text.length && /["\\$`]/.test(text[j + 1]!)) j++;
        word += text[j] === "$" && text[j - 1] === "\\" ? "\u0000" : text[j]!;
      }
      if (j >= text.length) return 'un guillemet " n\'est pas refermé';
      word = word.replace(/\\(["\\`])/g, "$1");
      i = j;
      in_word = true;
    } else if (c === "\\" && i + 1 < text.length) {
      word += text[++i] === "$" ? "\u0000" : text[i]!;
      in_word = true;
    } else if (/\s/.test(c)) {
      if (in_word) words.push(word);
      word = "";
      in_word = false;
    } else if (/[;&|<>`]/.test(c)) {
      return `le caractère « ${c} » enchaîne ou redirige des commandes`;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) words.push(word);
  return words;
}

/** Expands $NAME and ${NAME}; a literal $ (quoted '…' or \$) stays. Undefined names are listed in `missing`. */
export function expand(word: string, variables: ReadonlyMap<string, string>, missing: string[] = []): string {
  return word
    .replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_m, braced: string | undefined, bare: string | undefined) => {
      const name = (braced ?? bare)!;
      const value = variables.get(name);
      if (value === undefined) missing.push(name);
      return value ?? "";
    })
    .replace(/\u0000/g, "$");
}

const DIGEST_FORMAT = /^\{\{\s*index\s+\.RepoDigests\s+0\s*\}\}$/;

function parse_build(args: string[]): Omit<Extract<PublishStep, { kind: "build" }>, "kind" | "line" | "text"> | string {
  const tags: string[] = [];
  const build_args: Record<string, string> = {};
  let dockerfile: string | undefined;
  let target: string | undefined;
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value_of = (flag: string): string | undefined => (a.startsWith(`${flag}=`) ? a.slice(flag.length + 1) : a === flag ? args[++i] : undefined);
    let v: string | undefined;
    if ((v = value_of("-t") ?? value_of("--tag")) !== undefined) tags.push(v);
    else if ((v = value_of("-f") ?? value_of("--file")) !== undefined) dockerfile = v;
    else if ((v = value_of("--target")) !== undefined) target = v;
    else if ((v = value_of("--build-arg")) !== undefined) {
      const eq = v.indexOf("=");
      if (eq <= 0) return `--build-arg attend NOM=valeur (« ${v} »)`;
      build_args[v.slice(0, eq)] = v.slice(eq + 1);
    } else if (a === "-q" || a === "--quiet" || a === "--pull" || a.startsWith("--progress")) {
      if (a === "--progress") i++;
    } else if (a.startsWith("-")) return `l'option ${a} de docker build n'est pas prise en charge par le correcteur (il connaît -t, -f, --build-arg, --target)`;
    else positional.push(a);
  }
  if (positional.length !== 1 || (positional[0] !== "." && positional[0] !== "./")) {
    return "docker build se lance ici depuis le dossier de l'exercice : son contexte est « . », à la fin de la ligne";
  }
  if (dockerfile !== undefined && (dockerfile.includes("/") || dockerfile.startsWith("."))) {
    return `-f ${dockerfile} : le Dockerfile doit être un fichier du dossier de l'exercice, nommé sans chemin`;
  }
  return { tags, build_args, ...(dockerfile ? { dockerfile } : {}), ...(target ? { target } : {}) };
}

/** Reads a publication script; refused lines are errors, never steps. */
export function read_publish_script(source: string): PublishScript {
  const steps: PublishStep[] = [];
  const errors: string[] = [];
  // sh reads a script as it is saved: a byte-order mark is part of the first
  // command, and a CR before each line end part of each line's last word
  // (`docker push a:1\r` is an invalid name). The script would fail: refused.
  if (source.startsWith("\uFEFF")) {
    errors.push(
      "Ligne 1 : le fichier commence par une marque d'ordre des octets (BOM), que sh lit comme un caractère de la première commande. " +
        "Enregistrez-le en « UTF-8 » sans BOM (dans VS Code : l'encodage en bas à droite, « Enregistrer avec l'encodage », UTF-8).",
    );
    return { steps, errors };
  }
  const crlf = source.split("\n").findIndex((l) => l.endsWith("\r"));
  if (crlf >= 0) {
    errors.push(
      `Ligne ${crlf + 1} : le fichier a des fins de ligne Windows (CRLF) ; sh lit le retour chariot comme le dernier caractère de chaque ligne ` +
        "(docker push refuserait « catalogue:1.4.2\\r »). Enregistrez-le avec des fins de ligne Unix, LF (dans VS Code : « CRLF » en bas à droite, puis LF).",
    );
    return { steps, errors };
  }
  const lines = source.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    let text = lines[i]!;
    // A trailing backslash continues the command on the next line, as in sh.
    while (/\\\s*$/.test(text) && i + 1 < lines.length) text = text.replace(/\\\s*$/, " ") + lines[++i]!;
    const trimmed = text.trim();
    if (trimmed === "" || trimmed.startsWith("#") || /^set\s+-[eux]+$/.test(trimmed)) continue;
    const refuse = (why: string): void => void errors.push(`Ligne ${line} (${trimmed.slice(0, 70)}) : ${why}.`);

    const assignment = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(trimmed);
    if (assignment) {
      const [, name, rest] = assignment as unknown as [string, string, string];
      const command = /^\$\((.*)\)$/.exec(rest.trim()) ?? /^"\$\((.*)\)"$/.exec(rest.trim());
      if (command) {
        const words = split_shell_words(command[1]!);
        if (typeof words === "string") { refuse(words); continue; }
        const [tool, ...args] = words[0] === "docker" && words[1] === "image" ? ["docker", ...words.slice(2)] : words;
        if (tool !== "docker" || args[0] !== "inspect") { refuse(`${ACCEPTED}`); continue; }
        const rest_args = args.slice(1);
        let format: string | undefined;
        const refs: string[] = [];
        for (let j = 0; j < rest_args.length; j++) {
          const a = rest_args[j]!;
          if (a === "--format" || a === "-f") format = rest_args[++j];
          else if (a.startsWith("--format=")) format = a.slice("--format=".length);
          else refs.push(a);
        }
        if (!format || !DIGEST_FORMAT.test(format.replace(/\u0000/g, "$")) || refs.length !== 1) {
          refuse("docker inspect ne sert ici qu'à lire le digest d'une image poussée : NOM=$(docker inspect --format '{{index .RepoDigests 0}}' image:tag)");
          continue;
        }
        steps.push({ kind: "digest", line, text: trimmed, name, ref: refs[0]! });
        continue;
      }
      if (/\$\(|`/.test(rest)) { refuse(ACCEPTED); continue; }
      const words = split_shell_words(rest);
      if (typeof words === "string") { refuse(words); continue; }
      if (words.length > 1) { refuse("une valeur qui contient des espaces se met entre guillemets"); continue; }
      steps.push({ kind: "set", line, text: trimmed, name, value: words[0] ?? "" });
      continue;
    }

    const words = split_shell_words(trimmed);
    if (typeof words === "string") { refuse(words); continue; }
    if (words[0] === "echo") { steps.push({ kind: "echo", line, text: trimmed }); continue; }
    if (words[0] !== "docker") { refuse(ACCEPTED); continue; }
    const [command, ...args] = words[1] === "image" ? words.slice(2) : words.slice(1);
    if (command === "build") {
      const build = parse_build(args);
      if (typeof build === "string") refuse(build);
      else if (build.tags.length === 0) refuse("ce docker build ne nomme pas son image : ajoutez -t nom:tag");
      else steps.push({ kind: "build", line, text: trimmed, ...build });
    } else if (command === "tag") {
      if (args.length !== 2) refuse("docker tag attend deux noms : l'image existante, puis son nouveau nom");
      else steps.push({ kind: "tag", line, text: trimmed, source: args[0]!, target: args[1]! });
    } else if (command === "push") {
      // docker push NAME[:TAG] (latest when no tag), or --all-tags/-a REPOSITORY (no tag), -q/--quiet.
      const refs = args.filter((a) => !a.startsWith("-"));
      const all_tags = args.some((a) => a === "-a" || a === "--all-tags");
      const unknown = args.filter((a) => a.startsWith("-") && !["-q", "--quiet", "-a", "--all-tags"].includes(a));
      const ref = refs[0] ?? "";
      const tagged = /:[^/]*$/.test(ref.replace(/\$\{[^}]*\}/g, ""));
      if (unknown.length > 0) refuse(`docker push n'a pas l'option ${unknown[0]} ici : il prend un nom d'image (dépôt:tag), ou --all-tags et un dépôt`);
      else if (refs.length !== 1) refuse("docker push prend un seul nom d'image (dépôt:tag), ou --all-tags et le nom du dépôt");
      else if (all_tags && tagged) refuse(`avec --all-tags, docker push prend le dépôt sans tag (${ref.replace(/:[^/]*$/, "")}), et pousse tous ses tags`);
      else if (all_tags) steps.push({ kind: "push", line, text: trimmed, ref, all_tags: true });
      else steps.push({ kind: "push", line, text: trimmed, ref });
    } else {
      refuse(ACCEPTED);
    }
  }
  return { steps, errors };
}
