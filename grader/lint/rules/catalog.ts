// The lint rules a student can meet: code, severity, a short title and why the
// rule matters. Codes and severities follow hadolint's wiki so that a student
// can look a code up there; DLS codes are ours.

export type LintSeverity = "error" | "warning" | "info" | "style";

export interface LintRule {
  code: string;
  severity: LintSeverity;
  /** Short French title. */
  title: string;
  /** French, a few sentences: why the rule matters. */
  explanation: string;
}

export interface LintFinding {
  code: string;
  /** 1-based line where the instruction at fault starts. */
  line: number;
  severity: LintSeverity;
  /** French: what is wrong and what to change. */
  message: string;
}

export const LINT_RULES: readonly LintRule[] = [
  {
    code: "DL1000",
    severity: "error",
    title: "Erreur de syntaxe dans le Dockerfile",
    explanation:
      "Docker refusera de construire une image à partir d'un Dockerfile mal formé : instruction inconnue, " +
      "argument manquant, guillemet non fermé, option invalide. Ces erreurs sont à corriger en premier, " +
      "car elles empêchent toute construction.",
  },
  {
    code: "DL3000",
    severity: "error",
    title: "WORKDIR doit être un chemin absolu",
    explanation:
      "Un WORKDIR relatif dépend du répertoire courant laissé par l'image de base ou par un WORKDIR précédent : " +
      "le résultat change si l'une d'elles change. Un chemin absolu (commençant par /) dit exactement où " +
      "s'exécutent les instructions suivantes.",
  },
  {
    code: "DL3002",
    severity: "warning",
    title: "Le dernier USER ne devrait pas être root",
    explanation:
      "Le dernier USER de l'image finale est l'utilisateur qui exécute le conteneur. S'il est root, une faille " +
      "dans l'application donne tous les droits dans le conteneur, et parfois au-delà. Créez un utilisateur " +
      "sans privilèges et terminez par USER avec ce nom.",
  },
  {
    code: "DL3003",
    severity: "warning",
    title: "Utilisez WORKDIR plutôt que cd",
    explanation:
      "Un cd dans un RUN ne vaut que pour ce RUN : l'instruction suivante repart du répertoire de travail. " +
      "WORKDIR change le répertoire pour toutes les instructions suivantes et le crée s'il n'existe pas, ce qui " +
      "rend le Dockerfile plus lisible.",
  },
  {
    code: "DL3004",
    severity: "error",
    title: "N'utilisez pas sudo",
    explanation:
      "Pendant la construction, les RUN s'exécutent déjà en root tant qu'aucun USER n'a changé l'utilisateur ; " +
      "sudo est alors inutile et souvent absent de l'image. Son comportement (demande de mot de passe, " +
      "terminal requis) rend la construction imprévisible. Placez les commandes privilégiées avant USER.",
  },
  {
    code: "DL3006",
    severity: "warning",
    title: "Indiquez toujours le tag de l'image de base",
    explanation:
      "Sans tag, Docker prend « latest », qui désigne une image différente au fil des publications : " +
      "la même construction peut donner un autre résultat demain. Un tag explicite (node:20-alpine, " +
      "python:3.12-slim) rend l'image reproductible.",
  },
  {
    code: "DL3007",
    severity: "warning",
    title: "Le tag latest est source d'erreurs",
    explanation:
      "« latest » n'est pas la dernière version stable garantie : c'est un tag mobile que l'éditeur déplace " +
      "à chaque publication. Épinglez une version précise pour que la construction reste reproductible.",
  },
  {
    code: "DL3009",
    severity: "info",
    title: "Supprimez les listes apt après l'installation",
    explanation:
      "apt-get update télécharge des listes de paquets (des dizaines de Mo) dans /var/lib/apt/lists. " +
      "Si elles ne sont pas supprimées dans le même RUN, elles restent pour toujours dans une couche de " +
      "l'image : un rm dans un RUN suivant ne rend pas la place.",
  },
  {
    code: "DL3014",
    severity: "warning",
    title: "Utilisez -y avec apt-get install",
    explanation:
      "Pendant la construction, personne ne peut répondre à la question « Voulez-vous continuer ? » " +
      "d'apt-get install : sans -y, l'installation s'arrête et la construction échoue.",
  },
  {
    code: "DL3015",
    severity: "info",
    title: "Évitez les paquets recommandés",
    explanation:
      "Par défaut, apt-get installe aussi les paquets « recommandés », rarement utiles dans un conteneur. " +
      "--no-install-recommends n'installe que ce qui est demandé : l'image est plus petite et expose moins " +
      "de logiciels.",
  },
  {
    code: "DL3020",
    severity: "error",
    title: "Utilisez COPY plutôt que ADD pour des fichiers et dossiers",
    explanation:
      "ADD fait plus que copier : il télécharge les URL et décompresse les archives locales. Pour de simples " +
      "fichiers ou dossiers, COPY fait exactement ce qu'on lit, sans surprise. Gardez ADD pour une URL ou " +
      "une archive .tar à décompresser.",
  },
  {
    code: "DL3021",
    severity: "error",
    title: "COPY de plusieurs sources : la destination doit finir par /",
    explanation:
      "Quand COPY reçoit plusieurs sources, la destination doit être un dossier, écrit avec un / final. " +
      "Sans lui, Docker refuse la construction.",
  },
  {
    code: "DL3022",
    severity: "warning",
    title: "COPY --from doit désigner une étape définie plus haut",
    explanation:
      "COPY --from=<nom> copie depuis une étape précédente du Dockerfile (FROM ... AS <nom>) ou depuis son " +
      "numéro. Un nom qui ne correspond à aucune étape antérieure est pris pour une image à télécharger, " +
      "ce qui échoue ou copie depuis une image inattendue.",
  },
  {
    code: "DL3025",
    severity: "warning",
    title: "Écrivez CMD et ENTRYPOINT en notation JSON",
    explanation:
      "En forme « shell » (CMD node server.js), Docker lance la commande via /bin/sh -c : le processus " +
      "principal est le shell, qui ne transmet pas les signaux comme SIGTERM, et l'arrêt du conteneur " +
      "attend 10 secondes avant de le tuer. La forme JSON (CMD [\"node\", \"server.js\"]) lance directement " +
      "le programme.",
  },
  {
    code: "DL3027",
    severity: "warning",
    title: "Utilisez apt-get plutôt que apt",
    explanation:
      "apt est pensé pour un humain devant un terminal : sa sortie et son comportement peuvent changer d'une " +
      "version à l'autre, et il prévient qu'il n'a pas d'interface stable pour les scripts. apt-get et " +
      "apt-cache sont faits pour les scripts et les Dockerfiles.",
  },
  {
    code: "DL3042",
    severity: "warning",
    title: "Utilisez pip install --no-cache-dir",
    explanation:
      "pip garde une copie de chaque paquet téléchargé dans ~/.cache/pip. Dans une image, ce cache ne sert " +
      "plus jamais mais reste dans la couche et l'alourdit. --no-cache-dir (ou ENV PIP_NO_CACHE_DIR=1) " +
      "l'évite.",
  },
  {
    code: "DL3045",
    severity: "warning",
    title: "COPY vers un chemin relatif sans WORKDIR",
    explanation:
      "Une destination relative se résout depuis le répertoire de travail. Sans WORKDIR dans l'étape, " +
      "c'est celui de l'image de base, souvent /, parfois autre chose : les fichiers atterrissent à un " +
      "endroit imprévu. Définissez WORKDIR avant ou donnez un chemin absolu.",
  },
  {
    code: "DL3057",
    severity: "info",
    title: "Instruction HEALTHCHECK absente",
    explanation:
      "Sans HEALTHCHECK, Docker sait seulement si le processus tourne, pas s'il répond. Un HEALTHCHECK " +
      "permet de voir un conteneur « unhealthy » et aux orchestrateurs de le redémarrer.",
  },
  {
    code: "DL3059",
    severity: "info",
    title: "Plusieurs RUN consécutifs",
    explanation:
      "Chaque RUN crée une couche. Des RUN courts qui se suivent peuvent souvent être regroupés avec && : " +
      "moins de couches, et un nettoyage (suppression de caches) qui réduit vraiment la taille de l'image.",
  },
  {
    code: "DL4003",
    severity: "warning",
    title: "Plusieurs CMD dans la même étape",
    explanation:
      "Une étape n'a qu'une commande par défaut : seul le dernier CMD compte, les précédents sont ignorés " +
      "sans avertissement. Gardez-en un seul.",
  },
  {
    code: "DL4004",
    severity: "error",
    title: "Plusieurs ENTRYPOINT dans la même étape",
    explanation:
      "Une étape n'a qu'un point d'entrée : seul le dernier ENTRYPOINT compte, les précédents sont ignorés. " +
      "Gardez-en un seul.",
  },
  {
    code: "DL4006",
    severity: "warning",
    title: "Activez pipefail avant un RUN avec un pipe",
    explanation:
      "Dans « RUN curl ... | tar x », le shell ne regarde que le code de retour de la dernière commande : " +
      "si curl échoue, la construction continue avec un résultat incomplet. Avec SHELL [\"/bin/bash\", \"-o\", " +
      "\"pipefail\", \"-c\"], l'échec de n'importe quelle commande du pipe fait échouer le RUN.",
  },
  {
    code: "DLS001",
    severity: "error",
    title: "Secret écrit dans ENV ou ARG",
    explanation:
      "Une valeur écrite dans ENV ou ARG est enregistrée dans l'image et dans son historique : quiconque " +
      "obtient l'image peut la lire avec docker history ou docker inspect. Un mot de passe, un jeton ou une " +
      "clé se passe au lancement (docker run -e) ou, pour la construction, par un secret de build " +
      "(RUN --mount=type=secret).",
  },
];

const RULES_BY_CODE = new Map(LINT_RULES.map((rule) => [rule.code, rule]));

export function rule_for(code: string): LintRule {
  const rule = RULES_BY_CODE.get(code);
  if (!rule) throw new Error(`Unknown lint rule code ${code}`);
  return rule;
}

/** How a check hands over what it found; the severity comes from the catalog. */
export type ReportFinding = (code: string, line: number, message: string) => void;
