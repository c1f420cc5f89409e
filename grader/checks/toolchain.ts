// What a multi-stage build leaves behind: the final image must not hold the
// compilers the first stages needed. Read from the image's files without
// running anything (a scratch image has no shell to ask).
import { outcome, require_config, type CheckOutcome } from "./check.js";
import { with_image_files } from "../engine/files.js";
import type { ExerciseHandle } from "../spec/use-exercise.js";

/** A build tool and where images install it. */
export interface BuildTool {
  /** How the message names it: « Go », « un compilateur C ». */
  name: string;
  paths: string[];
}

/** Where Go and a C compiler live in the golang, gcc and Debian images (the registry's and locally built ones). */
export const DEFAULT_BUILD_TOOLS: readonly BuildTool[] = [
  { name: "Go", paths: ["/usr/local/go", "/usr/lib/go", "/usr/lib/go-1.19", "/usr/bin/go", "/usr/local/bin/go"] },
  { name: "un compilateur C", paths: ["/usr/bin/gcc", "/usr/local/bin/gcc", "/usr/bin/cc"] },
];

/**
 * The final image holds none of these build tools (by default Go and a C
 * compiler); when it does, the message says where they come from: a single
 * stage, or a final stage that starts from a build image.
 * @example await check_no_build_tools(ex)
 */
export async function check_no_build_tools(ex: ExerciseHandle, tools: readonly BuildTool[] = DEFAULT_BUILD_TOOLS): Promise<CheckOutcome> {
  require_config(tools.length > 0 && tools.every((t) => t.paths.length > 0 && t.paths.every((p) => p.startsWith("/"))), "donnez des outils avec des chemins absolus.");
  const image = await ex.image();
  const found = await with_image_files({ image: image.id, session: ex.session, exercise: ex.id }, async (files) => {
    const present: Array<{ tool: string; path: string }> = [];
    for (const tool of tools) {
      for (const p of tool.paths) if (await files.stat(p)) present.push({ tool: tool.name, path: p });
    }
    return present;
  });
  if (found.length === 0) return outcome([]);
  const model = ex.dockerfile();
  const final = model.final_stage();
  const origin =
    model.stages.length < 2
      ? "Le Dockerfile n'a qu'une étape : tout ce qui a servi à compiler reste dans l'image."
      : `L'étape finale part de « ${final?.image ?? final?.written ?? "?"} », une image qui contient ces outils : ` +
        "elle devrait partir d'une image sans compilateur et ne recevoir que le résultat de la compilation (COPY --from).";
  return outcome([
    `L'image finale contient encore ${[...new Set(found.map((f) => f.tool))].join(" et ")} : ${found.map((f) => f.path).join(", ")}. ${origin}`,
  ]);
}
