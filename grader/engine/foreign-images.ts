// Isolation between gradings: a build may start from, or copy from, any image
// on the engine except one the grader made for another session (another
// student's graded image, in a cohort). Such a reference is refused before
// the build starts, with the same failure as an image that is not there: to
// this submission, it is not there. Tags carry a random session prefix, so
// guessing one is already unlikely; this makes it impossible.
import { docker, LABEL_MANAGED, LABEL_SESSION } from "./client.js";
import { parse_image_ref, read_dockerfile } from "../dockerfile/index.js";
import { diagnose_engine_error, type BuildFailure } from "../dockerfile/build-failure.js";

interface ImageReference {
  image: string;
  line: number;
}

/** Images the Dockerfile reads (FROM, COPY --from, RUN --mount from=), stages and scratch left out. */
export function image_references(text: string, build_args?: Record<string, string>): ImageReference[] {
  const model = read_dockerfile(text, build_args ? { build_args } : {});
  const stage_names = new Set(model.stages.map((s) => s.name).filter((n): n is string => n !== undefined));
  const refs: ImageReference[] = [];
  const external = (ref: string): boolean => !stage_names.has(ref.toLowerCase()) && !/^\d+$/.test(ref) && ref.toLowerCase() !== "scratch" && !ref.includes("$");
  for (const stage of model.stages) {
    if (stage.from_stage === undefined && !stage.is_scratch && stage.image) refs.push({ image: stage.image, line: stage.line });
    for (const instruction of stage.instructions) {
      for (const flag of instruction.flags) {
        const value = flag.value ?? "";
        if (flag.name === "from" && (instruction.keyword === "COPY" || instruction.keyword === "ADD") && external(value)) {
          refs.push({ image: value, line: instruction.line });
        }
        if (flag.name === "mount") {
          const from = /(?:^|,)from=([^,]+)/.exec(value)?.[1];
          if (from && external(from)) refs.push({ image: from, line: instruction.line });
        }
      }
    }
  }
  return refs;
}

/** The failure to report when the Dockerfile names an image another session made; undefined when it names none. */
export async function refuse_foreign_images(text: string, session: string, build_args?: Record<string, string>): Promise<BuildFailure | undefined> {
  let refs: ImageReference[];
  try {
    refs = image_references(text, build_args);
  } catch {
    return undefined; // A Dockerfile the model cannot read fails in the build itself, with its own message.
  }
  const refuse = (ref: ImageReference): BuildFailure => {
    // Word for word what the engine's own "not found" gives: nothing tells this image from one that is not there.
    const failure = diagnose_engine_error(`failed to resolve source metadata for ${ref.image}: not found`, [], read_dockerfile(text, build_args ? { build_args } : {}));
    return { ...failure, line: failure.line ?? ref.line };
  };
  for (const ref of refs) {
    // By name first: the grader's own tags (dockerlings/<exercise>:<session>-N) of another session are refused
    // whether or not the image exists yet; another student's grading may be building it at this very moment.
    const parsed = parse_image_ref(ref.image);
    if (parsed?.registry === "docker.io" && parsed.repository.startsWith("dockerlings/") && !(parsed.tag ?? "").startsWith(`${session.slice(0, 8)}-`)) {
      return refuse(ref);
    }
    let labels: Record<string, string> | undefined;
    try {
      labels = (await docker().getImage(ref.image).inspect()).Config?.Labels ?? undefined;
    } catch {
      continue; // Not on the engine: the build says so itself.
    }
    if (labels?.[LABEL_MANAGED] === "true" && labels[LABEL_SESSION] !== session) return refuse(ref);
  }
  return undefined;
}
