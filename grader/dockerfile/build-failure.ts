// Turns what went wrong in a build into a message a beginner can act on:
// which instruction, on which line of the Dockerfile, what the engine said,
// and what to change. Failures found before building (no Dockerfile, empty,
// misspelt instruction) never reach the engine.
//
// What it relies on: that the build failed, and which step, is the engine's
// fact (BuildKit's vertex error); the engine's words only choose the
// explanation (the kind), and no check's points depend on the kind.
import fs from "node:fs";
import path from "node:path";
import {
  is_known_instruction,
  KNOWN_INSTRUCTIONS,
  locate_instruction,
  parse_image_ref,
  read_dockerfile,
  same_image,
  suggest_instruction,
  type DockerfileModel,
} from "./index.js";

/** A step of a build as BuildKit reports it: what the engine streamed, read against the Dockerfile here. */
export interface BuildStep {
  /** "[2/5] RUN ..." as BuildKit names the step. */
  name: string;
  stage?: string;
  index: number;
  total: number;
  /** The instruction text after the [n/m] prefix. */
  instruction: string;
  cached: boolean;
  started?: number;
  completed?: number;
  error?: string;
  /** Output lines of the step (stdout and stderr interleaved). */
  output: string[];
}

export type BuildFailureKind =
  | "no-dockerfile"
  | "empty-dockerfile"
  | "unknown-instruction"
  | "syntax"
  | "frontend-directive"
  | "copy-source-missing"
  | "base-image-missing"
  | "run-failed"
  | "timeout"
  | "resource-limit"
  | "context-refused"
  | "other";

export interface BuildFailure {
  kind: BuildFailureKind;
  /** Plain-language explanation, in French, ending with what to do. */
  message: string;
  /** 1-based line of the Dockerfile, when known. */
  line?: number;
  instruction?: string;
  exit_code?: number;
  /** Last lines of the failing step's output. */
  output_tail?: string[];
  /** The grader's limit the build met (build_image sets it): the time, a RUN step's processes, memory or disk, the context's size. */
  limit?: { limit: "time" | "pids" | "memory" | "disk" | "context_size"; value?: number };
  /** What the engine said, verbatim. */
  engine_message: string;
}

const OUTPUT_TAIL_LINES = 20;

export function precheck_dockerfile(dir: string): BuildFailure | undefined {
  const file = path.join(dir, "Dockerfile");
  if (!fs.existsSync(dir)) {
    return {
      kind: "no-dockerfile",
      message: `Le dossier ${dir} n'existe pas. Vérifiez le chemin, ou lancez \`dockerlings start <id>\` pour le créer.`,
      engine_message: "",
    };
  }
  if (!fs.existsSync(file)) {
    const near = fs.readdirSync(dir).find((name) => /^dockerfile/i.test(name));
    return {
      kind: "no-dockerfile",
      message:
        `Aucun fichier Dockerfile dans ${dir}.` +
        (near
          ? ` Il y a « ${near} » : renommez-le exactement « Dockerfile » (D majuscule, sans extension).`
          : " Créez un fichier nommé exactement « Dockerfile » (D majuscule, sans extension) dans ce dossier."),
      engine_message: "",
    };
  }
  const content = fs.readFileSync(file, "utf8");
  const parsed = read_dockerfile(content);
  if (parsed.instructions.length === 0) {
    return {
      kind: "empty-dockerfile",
      message:
        "Le Dockerfile ne contient aucune instruction (il est vide ou n'a que des commentaires). " +
        "Commencez par une ligne FROM qui choisit l'image de base, par exemple « FROM debian:bookworm-slim ».",
      line: 1,
      engine_message: "",
    };
  }
  if (parsed.directives.syntax !== undefined) {
    return {
      kind: "frontend-directive",
      message:
        `La ligne « # syntax=${parsed.directives.syntax} » demande à BuildKit de télécharger un frontend, ` +
        "ce qui est impossible sans registre. Supprimez cette ligne : la syntaxe par défaut suffit.",
      line: 1,
      engine_message: "",
    };
  }
  for (const instruction of parsed.instructions) {
    if (!is_known_instruction(instruction.keyword)) {
      const suggestion = suggest_instruction(instruction.keyword);
      return {
        kind: "unknown-instruction",
        message:
          `Ligne ${instruction.line} : « ${instruction.keyword} » n'est pas une instruction Dockerfile.` +
          // A line starting with && or | continues a command: the line above lost its trailing backslash.
          (/^(&&|\|\|?|-)/.test(instruction.keyword) && instruction.line > 1
            ? ` Elle continue sans doute la commande de la ligne d'avant : il manque un « \\ » à la fin de la ligne ${instruction.line - 1}.`
            : suggestion
              ? ` Vouliez-vous écrire « ${suggestion} » ?`
              : ` Les instructions valides sont : ${KNOWN_INSTRUCTIONS.join(", ")}.`) +
          " Corrigez cette ligne puis relancez.",
        line: instruction.line,
        instruction: `${instruction.keyword} ${instruction.text}`.trim(),
        engine_message: "",
      };
    }
  }
  const first = parsed.instructions.find((i) => i.keyword !== "ARG");
  if (!first) {
    // Only ARG lines: BuildKit 26.1 has no stage to build and its daemon
    // crashes (dockerfile2llb lastTarget, index -1), taking every build and
    // container of the engine with it. Never sent.
    const last = parsed.instructions.at(-1)!;
    return {
      kind: "syntax",
      message:
        "Le Dockerfile n'a aucune instruction FROM : il ne contient que des ARG, et un ARG ne fait rien sans image à construire. " +
        "Ajoutez « FROM <image> » après les ARG, par exemple « FROM debian:bookworm-slim ».",
      line: last.line,
      instruction: `${last.keyword} ${last.text}`.trim(),
      engine_message: "",
    };
  }
  if (first.keyword !== "FROM") {
    return {
      kind: "syntax",
      message:
        `Ligne ${first.line} : un Dockerfile doit commencer par FROM (seul ARG peut le précéder), ` +
        `or la première instruction est ${first.keyword}. Ajoutez « FROM <image> » au début.`,
      line: first.line,
      instruction: `${first.keyword} ${first.text}`.trim(),
      engine_message: "",
    };
  }
  return undefined;
}

const normalise = (s: string): string => s.replace(/\\\s*\n/g, " ").replace(/\s+/g, " ").trim();

/** What the locator reads: the one model, or an object that carries it (the old ParsedDockerfile adapter). */
export type LocatorInput = DockerfileModel | { model: DockerfileModel };

function model_of(input: LocatorInput): DockerfileModel {
  return "model" in input ? input.model : input;
}

/** Finds the Dockerfile line of a BuildKit step ("[builder 2/4] RUN make"). */
export function locate_step(step: Pick<BuildStep, "stage" | "instruction">, input: LocatorInput): number | undefined {
  return locate_instruction(model_of(input), step)?.line;
}

function where(line: number | undefined, instruction: string | undefined): string {
  if (line && instruction) return `Ligne ${line} (${instruction}) : `;
  if (line) return `Ligne ${line} : `;
  if (instruction) return `Étape « ${instruction} » : `;
  return "";
}

export function diagnose_engine_error(engine_message: string, steps: BuildStep[], input: LocatorInput): BuildFailure {
  const parsed = model_of(input);
  const failed = steps.find((s) => s.error) ?? steps.find((s) => s.started && !s.completed);
  const line = failed ? locate_step(failed, parsed) : undefined;
  const instruction = failed ? normalise(failed.instruction) : undefined;
  const output_tail = failed?.output.slice(-OUTPUT_TAIL_LINES);
  const text = engine_message;

  // ENV (or LABEL) with an unquoted value of several words: BuildKit names the word, never the line.
  const no_equals = /can't find = in "([^"]*)"/i.exec(text);
  if (no_equals) {
    const word = no_equals[1]!;
    const found = parsed.instructions.find((i) => /^(ENV|LABEL)$/.test(i.keyword) && i.text.split(/\s+/).includes(word));
    if (found) {
      const tokens = found.text.split(/\s+/);
      const at = tokens.indexOf(word);
      let start = at;
      while (start > 0 && !tokens[start]!.includes("=")) start--;
      let end = at;
      while (end + 1 < tokens.length && !tokens[end + 1]!.includes("=") && tokens[end + 1] !== "\\") end++;
      const [name, ...first] = tokens[start]!.split("=");
      const value = [first.join("="), ...tokens.slice(start + 1, end + 1)].join(" ");
      return {
        kind: "syntax",
        message:
          `Ligne ${found.line} : ${found.keyword} lit « ${word} » comme un nouveau réglage, sans « = » : la valeur s'arrête à la première espace. ` +
          `Une valeur qui contient des espaces se met entre guillemets doubles : ${found.keyword} ${name}="${value}".`,
        line: found.line,
        instruction: found.keyword,
        engine_message: text,
      };
    }
  }

  const parse_error = /dockerfile parse error (?:on )?line (\d+): (.*)/i.exec(text);
  const unknown_flag = parse_error ? /^Unknown flag: (\S+)/i.exec(parse_error[2]!) : null;
  const flagged = unknown_flag ? parsed.instructions.find((i) => i.line === Number(parse_error![1])) : undefined;
  if (unknown_flag && flagged && /^(CMD|ENTRYPOINT)$/.test(flagged.keyword)) {
    // CMD --help: BuildKit reads a leading --word as a flag of the instruction.
    const words = flagged.text.trim().split(/\s+/);
    return {
      kind: "syntax",
      message:
        `Ligne ${flagged.line} : ${flagged.keyword} --${unknown_flag[1]} sans crochets : Docker lit --${unknown_flag[1]} comme une option de ` +
        `l'instruction ${flagged.keyword} et refuse la ligne. Écrivez-le en forme exec : ${flagged.keyword} ${JSON.stringify(words)}.`,
      line: flagged.line,
      instruction: flagged.keyword,
      engine_message: text,
    };
  }
  if (parse_error) {
    return {
      kind: "syntax",
      message: `Ligne ${parse_error[1]} : le Dockerfile est mal formé (${parse_error[2]}). Corrigez la syntaxe de cette ligne.`,
      line: Number(parse_error[1]),
      engine_message: text,
    };
  }

  // 20.10: `"/app.py" not found: not found`; 26.1: `failed to calculate checksum of ref …: "/app.py": not found`.
  const missing_source = /"([^"]+)":? not found|lstat ([^:]+): no such file or directory|failed to walk [^:]*: lstat [^:]*: no such file/i.exec(text);
  if (missing_source && (!failed || /^(COPY|ADD)\b/i.test(failed.instruction))) {
    // COPY --from=<image> reads through a temporary mount: its path is not the student's.
    const source = (missing_source[1] ?? missing_source[2] ?? "").replace(/^.*\/buildkit-mount\d+\//, "").replace(/^\/+/, "");
    // COPY --from=stage reads in that stage, not in the build context.
    const from_stage = /--from=(\S+)/.exec(failed?.instruction ?? "")?.[1];
    const is_stage = from_stage !== undefined && (/^\d+$/.test(from_stage) || parsed.stages.some((s) => s.name?.toLowerCase() === from_stage.toLowerCase()));
    if (from_stage && !is_stage) {
      return {
        kind: "copy-source-missing",
        message:
          where(line, instruction) +
          `« /${source} » n'existe pas dans l'image « ${from_stage} » : COPY --from lit ce chemin dans cette image, pas dans le dossier de l'exercice. ` +
          `Vérifiez le chemin avec \`docker run --rm ${from_stage} ls -l ${path.posix.dirname(`/${source}`)}\`.`,
        line,
        instruction,
        engine_message: text,
      };
    }
    if (from_stage) {
      return {
        kind: "copy-source-missing",
        message:
          where(line, instruction) +
          `« /${source} » n'existe pas dans l'étape « ${from_stage} » : le chemin de COPY --from est celui où cette étape a écrit le fichier, ` +
          `pas un chemin du dossier de l'exercice. Vérifiez où l'étape « ${from_stage} » le crée (par exemple le -o d'une compilation).`,
        line,
        instruction,
        engine_message: text,
      };
    }
    return {
      kind: "copy-source-missing",
      message:
        where(line, instruction) +
        `le fichier ou dossier « ${source} » est introuvable dans le contexte de build. ` +
        "Vérifiez son nom (majuscules comprises) et qu'il est bien dans le dossier de l'exercice, " +
        "et qu'il n'est pas exclu par le .dockerignore.",
      line,
      instruction,
      engine_message: text,
    };
  }

  const base_missing = [
    /failed to resolve source metadata for (\S+?):?\s/i,
    /\/v2\/(\S+?)\/manifests\/([^"\s]+)/i,
    /pull access denied for ([^\s,]+)/i,
    /manifest for (\S+) not found/i,
    /docker\.io\/(\S+): not found/i,
  ]
    .map((re) => re.exec(text))
    .find((m) => m !== null);
  if (base_missing) {
    const image = (base_missing[2] ? `${base_missing[1]}:${base_missing[2]}` : base_missing[1]!)
      .replace(/^docker\.io\//, "")
      .replace(/^library\//, "");
    // The FROM of that image, however it is written (docker.io/library/..., through an ARG), else one of the same repository.
    const wanted = parse_image_ref(image);
    const from_line =
      parsed.stages.find((s) => s.image !== undefined && same_image(s.image, image))?.line ??
      parsed.stages.find((s) => wanted !== undefined && s.base?.repository === wanted.repository && s.base.registry === wanted.registry)?.line;
    return {
      kind: "base-image-missing",
      message:
        where(from_line, undefined) +
        `l'image de base « ${image} » n'est pas sur cette machine et ne peut pas être téléchargée. ` +
        "Vérifiez son nom et son tag dans FROM (les images du cours : debian:bookworm-slim, debian:bookworm, " +
        "python:3.11-slim, node:22-slim, nginx:1.22, golang:1.19, gcc:12). Si le nom est juste, créez-la avec " +
        `\`scripts/base-images.sh ${image}\` ; \`dockerlings doctor\` liste celles qui manquent.`,
      line: from_line,
      engine_message: text,
    };
  }

  const exit = /exit code: (\d+)/i.exec(text) ?? /returned a non-zero code: (\d+)/i.exec(text);
  if (exit) {
    const code = Number(exit[1]);
    const hint =
      code === 127
        ? "Le code 127 signifie « commande introuvable » : le programme n'est pas installé à ce moment du build (l'instruction qui l'installe vient-elle avant ?) ou son nom est mal écrit."
        : code === 100
          ? "Le code 100 vient d'apt-get : un paquet inconnu, ou `apt-get update` manquant dans la même instruction RUN."
          : "Lisez la fin de la sortie ci-dessous pour voir l'erreur de la commande.";
    return {
      kind: "run-failed",
      message: where(line, instruction) + `la commande a échoué avec le code de sortie ${code}. ${hint}`,
      line,
      instruction,
      exit_code: code,
      output_tail,
      engine_message: text,
    };
  }

  return {
    kind: "other",
    message: where(line, instruction) + `le build a échoué : ${text.trim()}`,
    line,
    instruction,
    output_tail,
    engine_message: text,
  };
}
