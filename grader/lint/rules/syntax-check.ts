// DL1000: the errors dockerfile-utils' validator finds (the ones that stop a
// build), told in French. Its warnings about style, and the errors that our
// own rules already report with a better message, are left out.
import { validate, ValidationCode, ValidationSeverity, type ValidatorSettings } from "dockerfile-utils";
import { KNOWN_INSTRUCTIONS, suggest_instruction, type DockerfileModel, type Instruction } from "../../dockerfile/index.js";
import type { ReportFinding } from "./catalog.js";

const VALIDATOR_SETTINGS: ValidatorSettings = {
  deprecatedMaintainer: ValidationSeverity.IGNORE,
  directiveCasing: ValidationSeverity.IGNORE,
  emptyContinuationLine: ValidationSeverity.IGNORE,
  instructionCasing: ValidationSeverity.IGNORE,
  // DL4003, DL4004, DL3000 and DL3025 say these better.
  instructionCmdMultiple: ValidationSeverity.IGNORE,
  instructionEntrypointMultiple: ValidationSeverity.IGNORE,
  instructionWorkdirRelative: ValidationSeverity.IGNORE,
  instructionJSONInSingleQuotes: ValidationSeverity.IGNORE,
};

const COVERED_BY_RULES = new Set<number>([ValidationCode.MULTIPLE_INSTRUCTIONS]);

// vscode-languageserver's DiagnosticSeverity.Error.
const SEVERITY_ERROR = 1;

function unknown_instruction_message(keyword: string): string {
  const suggestion = suggest_instruction(keyword);
  return (
    `« ${keyword} » n'est pas une instruction Dockerfile.` +
    (suggestion
      ? ` Vouliez-vous écrire « ${suggestion} » ? Corrigez le mot en début de ligne.`
      : ` Les instructions valides sont : ${KNOWN_INSTRUCTIONS.join(", ")}. Corrigez le mot en début de ligne.`)
  );
}

/** French wording for the validator's codes; `text` is the piece of the line the validator points at. */
function french_message(code: number, keyword: string, text: string, english: string): string {
  const piece = text ? ` « ${text} »` : "";
  switch (code) {
    case ValidationCode.ARGUMENT_MISSING:
      return `L'instruction ${keyword} n'a pas d'argument. Complétez-la, ou supprimez cette ligne.`;
    case ValidationCode.ARGUMENT_EXTRA:
      return `L'instruction ${keyword} a un argument de trop${piece}. Retirez-le.`;
    case ValidationCode.ARGUMENT_REQUIRES_ONE:
      return `L'instruction ${keyword} attend exactement un argument. Retirez les arguments en trop.`;
    case ValidationCode.ARGUMENT_REQUIRES_AT_LEAST_ONE:
      return `L'instruction ${keyword} attend au moins un argument. Complétez-la.`;
    case ValidationCode.ARGUMENT_REQUIRES_TWO:
      return keyword === "ENV"
        ? "ENV attend un nom et une valeur. Écrivez `ENV NOM=valeur`."
        : `L'instruction ${keyword} attend deux arguments. Complétez-la.`;
    case ValidationCode.ARGUMENT_REQUIRES_AT_LEAST_TWO:
      return `${keyword} attend au moins une source et une destination : \`${keyword} <source> <destination>\`. Complétez la ligne.`;
    case ValidationCode.ARGUMENT_REQUIRES_ONE_OR_THREE:
      return "FROM attend une image (`FROM image:tag`) ou une image suivie d'un nom d'étape (`FROM image:tag AS nom`). Corrigez la ligne.";
    case ValidationCode.ARGUMENT_UNNECESSARY:
      return "HEALTHCHECK NONE ne prend pas d'argument. Retirez ce qui suit NONE.";
    case ValidationCode.DUPLICATE_BUILD_STAGE_NAME:
      return `Le nom d'étape${piece} est déjà utilisé par un autre FROM. Donnez à chaque étape un nom différent.`;
    case ValidationCode.INVALID_BUILD_STAGE_NAME:
      return `Nom d'étape invalide${piece} : il doit commencer par une lettre et ne contenir que des lettres, chiffres, -, _ ou point. Renommez l'étape.`;
    case ValidationCode.NO_SOURCE_IMAGE:
      return "Un Dockerfile doit commencer par FROM (seuls ARG et des commentaires peuvent le précéder). Ajoutez `FROM image:tag` avant cette ligne.";
    case ValidationCode.INVALID_ESCAPE_DIRECTIVE:
    case ValidationCode.DUPLICATED_ESCAPE_DIRECTIVE:
      return "Directive `# escape=` invalide : une seule est permise, en tête de fichier, avec ` ou \\ comme valeur. Corrigez-la ou supprimez-la.";
    case ValidationCode.INVALID_DESTINATION:
      return `Avec plusieurs sources, la destination de ${keyword} doit être un dossier et finir par /. Ajoutez le / final.`;
    case ValidationCode.INVALID_AS:
      return "Après l'image, FROM attend le mot AS puis un nom d'étape : `FROM image:tag AS nom`. Corrigez la ligne.";
    case ValidationCode.INVALID_PORT:
      return `Port invalide${piece} dans EXPOSE : écrivez un numéro (80), une plage (8000-8010), éventuellement suivi de /tcp ou /udp.`;
    case ValidationCode.INVALID_PROTO:
      return `Protocole invalide${piece} : seuls tcp et udp sont acceptés (\`EXPOSE 53/udp\`). Corrigez-le.`;
    case ValidationCode.INVALID_REFERENCE_FORMAT:
      return `Nom d'image invalide${piece} : en minuscules, de la forme nom:tag (\`node:20-alpine\`). Corrigez-le.`;
    case ValidationCode.INVALID_SIGNAL:
      return `Signal invalide${piece} pour STOPSIGNAL : écrivez un nom comme SIGTERM ou SIGINT, ou un numéro.`;
    case ValidationCode.ONBUILD_CHAINING_DISALLOWED:
      return "`ONBUILD ONBUILD` n'est pas permis. Retirez le second ONBUILD.";
    case ValidationCode.ONBUILD_TRIGGER_DISALLOWED:
      return `${text || "Cette instruction"} ne peut pas suivre ONBUILD. Retirez-la de l'ONBUILD.`;
    case ValidationCode.SHELL_JSON_FORM:
      return 'SHELL s\'écrit en notation JSON : `SHELL ["/bin/bash", "-c"]`. Corrigez la ligne.';
    case ValidationCode.SHELL_REQUIRES_ONE:
      return 'SHELL attend au moins un programme : `SHELL ["/bin/bash", "-c"]`. Complétez la ligne.';
    case ValidationCode.SYNTAX_MISSING_EQUALS:
      return `Il manque = dans${piece} : écrivez \`NOM=valeur\`.`;
    case ValidationCode.SYNTAX_MISSING_NAMES:
      return `${keyword} attend un nom de variable avant =. Écrivez \`${keyword} NOM=valeur\`.`;
    case ValidationCode.SYNTAX_MISSING_SINGLE_QUOTE:
      return `Apostrophe (') non fermée dans${piece}. Ajoutez l'apostrophe fermante.`;
    case ValidationCode.SYNTAX_MISSING_DOUBLE_QUOTE:
      return `Guillemet (") non fermé dans${piece}. Ajoutez le guillemet fermant.`;
    case ValidationCode.UNKNOWN_ADD_FLAG:
    case ValidationCode.UNKNOWN_COPY_FLAG:
    case ValidationCode.UNKNOWN_FROM_FLAG:
    case ValidationCode.UNKNOWN_HEALTHCHECK_FLAG:
      return `Option inconnue${piece} pour ${keyword}. Vérifiez son orthographe (--from, --chown, --platform, --interval...) ou retirez-la.`;
    case ValidationCode.UNKNOWN_TYPE:
      return "HEALTHCHECK attend CMD ou NONE : `HEALTHCHECK CMD <commande>`. Corrigez la ligne.";
    case ValidationCode.HEALTHCHECK_CMD_ARGUMENT_MISSING:
      return "Il manque la commande après HEALTHCHECK CMD : `HEALTHCHECK CMD curl -f http://localhost/ || exit 1`.";
    case ValidationCode.UNSUPPORTED_MODIFIER:
      return `Substitution de variable non prise en charge${piece} : Docker ne connaît que \${VAR:-défaut} et \${VAR:+valeur}. Corrigez-la.`;
    case ValidationCode.BASE_NAME_EMPTY:
      return `L'image de FROM${piece} est vide : la variable n'a pas de valeur. Donnez-lui une valeur par défaut avant FROM (\`ARG NOM=image:tag\`).`;
    case ValidationCode.FLAG_INVALID_FROM_VALUE:
      return `Valeur de --from invalide${piece} : donnez le nom d'une étape (FROM ... AS nom) ou une image.`;
    case ValidationCode.FLAG_AT_LEAST_ONE:
    case ValidationCode.FLAG_DUPLICATE:
    case ValidationCode.FLAG_INVALID_DURATION:
    case ValidationCode.FLAG_LESS_THAN_1MS:
    case ValidationCode.FLAG_MISSING_DURATION:
    case ValidationCode.FLAG_MISSING_VALUE:
    case ValidationCode.FLAG_UNKNOWN_UNIT:
    case ValidationCode.FLAG_EXPECTED_BOOLEAN_VALUE:
      return `Option${piece} de ${keyword} invalide (${english}). Les durées s'écrivent avec une unité, comme 30s ou 5m. Corrigez-la.`;
    default:
      return `Erreur de syntaxe (${english}). Corrigez cette ligne.`;
  }
}

function instruction_at(model: DockerfileModel, line: number): Instruction | undefined {
  return model.instructions.find((instruction) => instruction.line <= line && line <= instruction.end_line);
}

/**
 * The text given to the validator: the same lines, with the script of each
 * shell-form RUN replaced by `:`. Docker does not read a RUN's script (the
 * shell does, and the shell rules look at it), so the validator has nothing
 * to say about it that holds (it would take `${x/a/b}` for a Dockerfile
 * substitution), and reading long scripts is most of its time.
 */
function validator_text(model: DockerfileModel): string {
  const lines = [...model.lines];
  const escape = model.directives.escape;
  for (const instruction of model.instructions) {
    if (instruction.keyword !== "RUN" || instruction.shell_form === undefined || instruction.shell_form === "" || instruction.heredocs.length > 0) continue;
    const first = instruction.line - 1;
    const last = instruction.end_line - 1;
    const indent = /^[ \t]*\S+/.exec(lines[first] ?? "")?.[0] ?? "RUN";
    const flags = instruction.flags.map((flag) => (flag.value === undefined ? `--${flag.name}` : `--${flag.name}=${flag.value}`)).join(" ");
    for (let line = first; line <= last; line++) {
      const head = line === first ? `${indent}${flags ? ` ${flags}` : ""} :` : "  :";
      lines[line] = line < last ? `${head} ${escape}` : head;
    }
  }
  return lines.join("\n");
}

export function check_syntax(content: string, model: DockerfileModel, report: ReportFinding): void {
  void content;
  let diagnostics: ReturnType<typeof validate>;
  try {
    diagnostics = validate(validator_text(model), VALIDATOR_SETTINGS);
  } catch {
    // A validator crash must not hide the other findings; the build will say what is wrong.
    return;
  }
  const errors = diagnostics.filter((diagnostic) => {
    const code = Number(diagnostic.code);
    return diagnostic.severity === SEVERITY_ERROR && !COVERED_BY_RULES.has(code);
  });
  // One message per misspelt instruction is enough: the validator's other complaints about it are noise.
  const unknown_lines = new Set(
    errors
      .filter((diagnostic) => Number(diagnostic.code) === ValidationCode.UNKNOWN_INSTRUCTION)
      .map((diagnostic) => instruction_at(model, diagnostic.range.start.line + 1)?.line ?? diagnostic.range.start.line + 1),
  );
  for (const line of unknown_lines) {
    report("DL1000", line, unknown_instruction_message(instruction_at(model, line)?.keyword ?? ""));
  }
  for (const diagnostic of errors) {
    const code = Number(diagnostic.code);
    const at = diagnostic.range.start.line + 1;
    const instruction = instruction_at(model, at);
    const line = instruction?.line ?? at;
    if (unknown_lines.has(line)) continue;
    // DL3021 already reports a multi-source COPY whose destination is not a directory.
    if (code === ValidationCode.INVALID_DESTINATION && instruction?.keyword === "COPY") continue;
    const range = diagnostic.range;
    const text = range.start.line === range.end.line
      ? (model.lines[range.start.line] ?? "").slice(range.start.character, range.end.character)
      : "";
    const where = at !== line ? `Ligne ${at} : ` : "";
    const english = typeof diagnostic.message === "string" ? diagnostic.message : diagnostic.message.value;
    report("DL1000", line, where + french_message(code, instruction?.keyword ?? "", text, english));
  }
}
